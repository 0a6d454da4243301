"""Decisions, and their follow-up: recommendations answered by every principal, assignments, referrals."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field as ApiField
from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.db import enum_column
from app.core.models import ApiModel, NotNull, Resource, ResourceOut


class DecisionKind(StrEnum):
    noted = "noted"
    resolved = "resolved"
    recommendation = "recommendation"
    assignment = "assignment"
    referral = "referral"


class AssignmentStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    reported = "reported"
    closed = "closed"


class ResponseStatus(StrEnum):
    pending = "pending"
    adopted = "adopted"
    adopted_with_changes = "adopted_with_changes"
    rejected = "rejected"
    not_applicable = "not_applicable"


class Decision(Resource, table=True):
    __tablename__ = "decisions"

    agenda_item_id: uuid.UUID = Field(foreign_key="agenda_items.id", index=True)
    meeting_id: uuid.UUID = Field(foreign_key="meetings.id", index=True)
    body_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    case_id: uuid.UUID | None = Field(default=None, foreign_key="cases.id", index=True)
    kind: DecisionKind = Field(sa_column=enum_column(DecisionKind, length=24))
    position: int = 0
    text: str | None = Field(default=None, sa_column=Column(Text))
    clauses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    decided_on: date = Field(index=True)
    # recommendation
    response_deadline: date | None = Field(default=None, index=True)
    # assignment
    assignee_body_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    due_date: date | None = Field(default=None, index=True)
    assignment_status: AssignmentStatus | None = Field(
        default=None, sa_column=enum_column(AssignmentStatus, length=24, nullable=True)
    )
    report_item_id: uuid.UUID | None = Field(default=None, foreign_key="agenda_items.id")
    # referral
    target_body_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)


class RecommendationResponse(Resource, table=True):
    """One recipient's answer (återkoppling) to a recommendation."""

    __tablename__ = "recommendation_responses"
    __table_args__ = (UniqueConstraint("decision_id", "organisation_id"),)

    decision_id: uuid.UUID = Field(foreign_key="decisions.id", index=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    status: ResponseStatus = Field(sa_column=enum_column(ResponseStatus, length=24))
    decided_on: date | None = None
    assembly: str | None = Field(default=None, max_length=200)
    reference: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, sa_column=Column(Text))
    document_id: uuid.UUID | None = Field(default=None, foreign_key="documents.id")


# --- API models ---


class _DecisionFields(ApiModel):
    text: str | None = ApiField(default=None, max_length=20_000, description="The decision sentence(s).")
    clauses: list[str] | None = ApiField(default=None, max_length=50, description="The att-clauses.")
    decided_on: date | None = None
    case_id: uuid.UUID | None = None
    response_deadline: date | None = None
    assignee_body_id: uuid.UUID | None = None
    due_date: date | None = None
    assignment_status: AssignmentStatus | None = None
    report_item_id: uuid.UUID | None = ApiField(default=None, description="The agenda item that reported back.")
    target_body_id: uuid.UUID | None = None


class DecisionCreate(_DecisionFields):
    agenda_item_id: uuid.UUID
    kind: DecisionKind
    body_id: uuid.UUID | None = ApiField(default=None, description="Default: the agenda item's body.")
    recipient_ids: list[uuid.UUID] | None = ApiField(
        default=None, max_length=100, description="Recommendations: default all principals."
    )


class DecisionUpdate(_DecisionFields):
    kind: Annotated[DecisionKind | None, NotNull] = None


class Tally(SQLModel):
    adopted: int
    adopted_with_changes: int
    rejected: int
    not_applicable: int
    pending: int
    overdue: int


class DecisionOut(ResourceOut):
    agenda_item_id: uuid.UUID
    meeting_id: uuid.UUID
    body_id: uuid.UUID
    case_id: uuid.UUID | None
    kind: DecisionKind
    text: str | None
    clauses: list[str]
    decided_on: date
    response_deadline: date | None
    tally: Tally | None
    overdue_principal_ids: list[uuid.UUID] | None
    assignee_body_id: uuid.UUID | None
    due_date: date | None
    assignment_status: AssignmentStatus | None
    report_item_id: uuid.UUID | None
    target_body_id: uuid.UUID | None


class ResponseIn(ApiModel):
    organisation_id: uuid.UUID
    status: ResponseStatus
    decided_on: date | None = None
    assembly: str | None = ApiField(default=None, min_length=1, max_length=200, examples=["Kommunfullmäktige"])
    reference: str | None = ApiField(default=None, min_length=1, max_length=100)
    note: str | None = ApiField(default=None, max_length=10_000)
    document_id: uuid.UUID | None = None


class ResponseOut(ResourceOut):
    decision_id: uuid.UUID
    organisation_id: uuid.UUID
    organisation_name: str
    status: ResponseStatus
    decided_on: date | None
    assembly: str | None
    reference: str | None
    note: str | None
    document_id: uuid.UUID | None
    overdue: bool
