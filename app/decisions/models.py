"""Decisions, and their follow-up: recommendations answered by every principal, assignments, referrals."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field as ApiField
from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.db import enum_column
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples
from app.meetings.models import RecordSource


class DecisionKind(StrEnum):
    """What a decision does: notes information (noted), decides (resolved), recommends the principals
    (recommendation), gives an assignment, or refers a case to another body (referral)."""

    noted = "noted"
    resolved = "resolved"
    recommendation = "recommendation"
    assignment = "assignment"
    referral = "referral"


class AssignmentStatus(StrEnum):
    """Where an assignment stands: open, in_progress, reported (back to the body) or closed."""

    open = "open"
    in_progress = "in_progress"
    reported = "reported"
    closed = "closed"


class ResponseStatus(StrEnum):
    """How a principal answered a recommendation."""

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
    source: RecordSource = Field(
        default=RecordSource.manual, sa_column=enum_column(RecordSource, server_default=RecordSource.manual.value)
    )


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
    """A new decision under an agenda item. The fields that apply depend on `kind`: recommendations have
    `recipient_ids` and `response_deadline`; assignments `assignee_body_id`, `due_date` and `report_item_id`;
    referrals `target_body_id`."""

    model_config = examples(
        {
            "agenda_item_id": "6b8fe6e7-4fc2-4b31-a707-4f3730413572",
            "kind": "recommendation",
            "case_id": "7d93f379-54ad-4ca5-956f-648afc89cfd9",
            "decided_on": "2024-05-03",
            "text": (
                "Politisk samverkansberedning rekommenderar Region Västerbotten och länets kommuner att anta "
                "Avtal om läkarmedverkan i kommunal hälso- och sjukvård."
            ),
            "recipient_ids": [
                "196ad8e7-d4bb-4b64-8f05-04f7acd7457a",
                "f1a2dfc8-61b0-4c27-8b37-81272dae09f9",
                "82ed3e4e-caa3-4f2e-814a-4c5b89fff22e",
            ],
            "response_deadline": "2024-10-31",
        },
        {
            "agenda_item_id": "6b8fe6e7-4fc2-4b31-a707-4f3730413572",
            "kind": "assignment",
            "decided_on": "2024-05-03",
            "text": "Tjänstepersonsberedningen får i uppdrag att följa upp avtalet.",
            "assignee_body_id": "bad0f373-0630-4393-b45f-a78a07a1d8c6",
            "due_date": "2025-03-31",
            "report_item_id": "9acb1e05-0665-441c-8c78-45dd755b7a3d",
        },
    )

    agenda_item_id: uuid.UUID
    kind: DecisionKind
    body_id: uuid.UUID | None = ApiField(default=None, description="Default: the agenda item's body.")
    recipient_ids: list[uuid.UUID] | None = ApiField(
        default=None, max_length=100, description="Recommendations: default all principals."
    )


class DecisionUpdate(_DecisionFields):
    """Changes to a decision: only the fields sent change; `null` clears an optional field."""

    model_config = examples({"response_deadline": "2024-12-31"})

    kind: Annotated[DecisionKind | None, NotNull] = None


class Tally(SQLModel):
    """How the recipients of a recommendation have answered, and how many are overdue."""

    adopted: int
    adopted_with_changes: int
    rejected: int
    not_applicable: int
    pending: int
    overdue: int


class DecisionOut(ResourceOut):
    """A decision (beslut) with its body, case, text and clauses; recommendations carry a tally of answers."""

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
    source: RecordSource = ApiField(description="`manual`, or `protocol` when an import wrote it last.")


class ResponseIn(ApiModel):
    """A principal's answer to a recommendation: the status, when and by which assembly it was decided."""

    model_config = examples(
        {
            "organisation_id": "f1a2dfc8-61b0-4c27-8b37-81272dae09f9",
            "status": "adopted",
            "decided_on": "2024-09-23",
            "assembly": "Kommunfullmäktige",
            "reference": "KS-2024/00312",
            "document_id": "5c8380f7-e190-4f5a-bc5b-ddffa84fb9f5",
        }
    )

    organisation_id: uuid.UUID
    status: ResponseStatus
    decided_on: date | None = None
    assembly: str | None = ApiField(default=None, min_length=1, max_length=200, examples=["Kommunfullmäktige"])
    reference: str | None = ApiField(default=None, min_length=1, max_length=100)
    note: str | None = ApiField(default=None, max_length=10_000)
    document_id: uuid.UUID | None = None


class ResponseOut(ResourceOut):
    """A principal's answer to a recommendation, and whether it is overdue."""

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
