"""Cases (ärenden): matters that live longer than one meeting, with their status and timeline."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field as ApiField
from sqlalchemy import Column, Index, Text, text
from sqlmodel import Field, SQLModel

from app.core.db import SortKey, UTCDateTime, enum_column, keep_sort_key, utcnow
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples

_LIVE = text("deleted_at IS NULL")


class CaseStatus(StrEnum):
    """Where a case stands; it moves along the allowed transitions only (409 `invalid_transition` otherwise)."""

    open = "open"
    in_preparation = "in_preparation"
    ready = "ready"
    decided = "decided"
    in_follow_up = "in_follow_up"
    closed = "closed"
    withdrawn = "withdrawn"


class TargetGroup(StrEnum):
    """Whom a case concerns: children and young people, adults and the elderly, or all."""

    children_young = "children_young"
    adults_elderly = "adults_elderly"
    all = "all"


class CaseEventKind(StrEnum):
    created = "created"
    status_changed = "status_changed"
    referred = "referred"


class Case(Resource, table=True):
    __tablename__ = "cases"
    __table_args__ = (
        Index("uq_cases_reference_live", "reference", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
    )

    reference: str = Field(max_length=40)
    title: str = Field(max_length=500)
    reference_sort: str = Field(default="", sa_type=SortKey, index=True)
    title_sort: str = Field(default="", sa_type=SortKey, index=True)
    description: str | None = Field(default=None, sa_column=Column(Text))
    status: CaseStatus = Field(sa_column=enum_column(CaseStatus, index=True))
    responsible_body_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    # The body whose queue the case is in: the responsible body, or the target of the latest referral.
    queue_body_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    target_group: TargetGroup | None = Field(default=None, sa_column=enum_column(TargetGroup, nullable=True))


keep_sort_key(Case, "reference_sort", lambda c: c.reference)
keep_sort_key(Case, "title_sort", lambda c: c.title)


class CaseStrategy(SQLModel, table=True):
    __tablename__ = "case_strategies"

    case_id: uuid.UUID = Field(foreign_key="cases.id", primary_key=True, ondelete="CASCADE")
    strategy_id: uuid.UUID = Field(foreign_key="strategies.id", primary_key=True, index=True)


class CaseEvent(SQLModel, table=True):
    """What the timeline shows besides agenda items and decisions: creation, status changes, referrals."""

    __tablename__ = "case_events"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", index=True, ondelete="CASCADE")
    kind: CaseEventKind = Field(sa_column=enum_column(CaseEventKind))
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    on: date | None = None
    from_status: CaseStatus | None = Field(default=None, sa_column=enum_column(CaseStatus, nullable=True))
    to_status: CaseStatus | None = Field(default=None, sa_column=enum_column(CaseStatus, nullable=True))
    body_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id")
    decision_id: uuid.UUID | None = None
    principal_name: str | None = Field(default=None, max_length=200)


# --- API models ---


class _CaseFields(ApiModel):
    description: str | None = ApiField(default=None, max_length=20_000)
    responsible_body_id: uuid.UUID | None = None
    target_group: TargetGroup | None = None
    strategy_ids: list[uuid.UUID] | None = ApiField(default=None, max_length=8)


class CaseCreate(_CaseFields):
    """A new case (ärende) with its diary reference, responsible body, target group and strategies."""

    model_config = examples(
        {
            "title": "Avtal om läkarmedverkan i kommunal hälso- och sjukvård",
            "reference": "RS 2024/17",
            "responsible_body_id": "bad0f373-0630-4393-b45f-a78a07a1d8c6",
            "target_group": "adults_elderly",
            "strategy_ids": ["46085467-0713-4dd4-9c37-6e48de0d079b"],
            "description": "Nytt länsgemensamt avtal mellan Region Västerbotten och länets 15 kommuner.",
        }
    )

    title: str = ApiField(min_length=1, max_length=500)
    reference: str | None = ApiField(
        default=None, min_length=1, max_length=40, description="Default: `<body short name> <year>/<nnn>`."
    )
    status: CaseStatus = CaseStatus.open


class CaseUpdate(_CaseFields):
    """Changes to a case: only the fields sent change; `null` clears an optional field."""

    model_config = examples({"status": "in_preparation"})

    title: Annotated[str | None, NotNull] = ApiField(default=None, min_length=1, max_length=500)
    reference: Annotated[str | None, NotNull] = ApiField(default=None, min_length=1, max_length=40)
    status: Annotated[CaseStatus | None, NotNull] = ApiField(
        default=None, description="Only allowed transitions; see the README."
    )


class CaseOut(ResourceOut):
    """A case (ärende): its reference, title, status, responsible body, queue and strategies."""

    reference: str
    title: str
    description: str | None
    status: CaseStatus
    responsible_body_id: uuid.UUID | None
    queue_body_id: uuid.UUID | None
    target_group: TargetGroup | None
    strategy_ids: list[uuid.UUID]


class TimelineEntry(SQLModel):
    """One event in a case's life: on an agenda, a decision, a referral or a status change."""

    on: date | None
    at: datetime | None
    kind: str = ApiField(description="handled, decision, referred, status_changed, created, report_back")
    body_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    agenda_item_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None
    item_number: str | None = None
    title: str | None = None
    from_status: CaseStatus | None = None
    to_status: CaseStatus | None = None


class Timeline(SQLModel):
    """A case and everything that happened to it, in date order."""

    case: CaseOut
    entries: list[TimelineEntry]
