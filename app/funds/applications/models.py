"""Applications for a round's money: who applies (a unit of a principal, with co-applicant principals), for what
(focus area, pot, strategies, budget lines that add up to the requested amount) and where the application stands.
Every change of status is an event in its history; reviews by fund managers score it against the round's criteria.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import Field as ApiField
from pydantic import PlainSerializer, WithJsonSchema
from sqlalchemy import JSON, Column, Index, String, Text, text
from sqlmodel import Field, SQLModel

from app.core.db import SortKey, UTCDateTime, enum_column, keep_sort_key, utcnow
from app.core.models import ApiModel, NotNull, Resource, ResourceOut, examples
from app.core.money import Amount, AmountOut, MoneyColumn, as_text

_LIVE = text("deleted_at IS NULL")
_NUMBERED = text("deleted_at IS NULL AND sequence IS NOT NULL")


class ApplicationStatus(StrEnum):
    """Where an application stands (app.funds.applications.workflow holds the transitions and who may make them):
    `draft` → `submitted` → `in_review` ⇄ `more_info_requested` → `granted` | `partially_granted` | `rejected`;
    `withdrawn` from any state before a decision; after a grant `in_progress` → `report_due` → `reported` →
    `closed`."""

    draft = "draft"
    submitted = "submitted"
    in_review = "in_review"
    more_info_requested = "more_info_requested"
    granted = "granted"
    partially_granted = "partially_granted"
    rejected = "rejected"
    withdrawn = "withdrawn"
    in_progress = "in_progress"
    report_due = "report_due"
    reported = "reported"
    closed = "closed"


class Recommendation(StrEnum):
    """A reviewer's recommendation."""

    grant = "grant"
    partial = "partial"
    reject = "reject"


class Application(Resource, table=True):
    """An application to a round. Its number (`UPH-2025-014`) is given when it is first submitted, from the round's
    counter under the round's row lock, so numbers are gap-free and unique per round."""

    __tablename__ = "fund_applications"
    __table_args__ = (
        Index(
            "uq_fund_applications_sequence",
            "round_id",
            "sequence",
            unique=True,
            sqlite_where=_NUMBERED,
            postgresql_where=_NUMBERED,
        ),
        # The round summary adds up a round's applications by pot, focus area and status from this index alone,
        # in its order (app.funds.figures).
        Index(
            "ix_fund_applications_figures",
            "round_id",
            "pot_id",
            "focus_area_id",
            "status",
            "requested",
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )

    round_id: uuid.UUID = Field(foreign_key="fund_rounds.id", index=True)
    # The n of the number, and the number as shown; both empty until submission.
    sequence: int | None = Field(default=None)
    number: str | None = Field(default=None, max_length=40, index=True)
    status: ApplicationStatus = Field(sa_column=enum_column(ApplicationStatus, index=True))
    applicant_id: uuid.UUID = Field(foreign_key="organisations.id", index=True)
    applicant_unit: str = Field(max_length=300)
    contact_person_id: uuid.UUID | None = Field(default=None, foreign_key="people.id", index=True)
    title: str = Field(max_length=500)
    title_sort: str = Field(default="", sa_type=SortKey, index=True)
    summary: str | None = Field(default=None, sa_column=Column(Text))
    target_group: str | None = Field(default=None, max_length=500)
    focus_area_id: uuid.UUID | None = Field(default=None, foreign_key="fund_focus_areas.id", index=True)
    pot_id: uuid.UUID | None = Field(default=None, foreign_key="fund_pots.id", index=True)
    requested: Decimal = Field(sa_column=Column(MoneyColumn(), nullable=False))
    period_start: date | None = None
    period_end: date | None = None
    case_id: uuid.UUID | None = Field(default=None, foreign_key="cases.id", index=True)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: uuid.UUID = Field(foreign_key="principals.id")


keep_sort_key(Application, "title_sort", lambda a: a.title)


class CoApplicant(SQLModel, table=True):
    __tablename__ = "fund_application_co_applicants"

    application_id: uuid.UUID = Field(foreign_key="fund_applications.id", primary_key=True, ondelete="CASCADE")
    organisation_id: uuid.UUID = Field(foreign_key="organisations.id", primary_key=True, index=True)


class ApplicationStrategy(SQLModel, table=True):
    __tablename__ = "fund_application_strategies"

    application_id: uuid.UUID = Field(foreign_key="fund_applications.id", primary_key=True, ondelete="CASCADE")
    strategy_id: uuid.UUID = Field(foreign_key="strategies.id", primary_key=True, index=True)


class BudgetLine(SQLModel, table=True):
    """One line of an application's budget; the lines add up to the requested amount."""

    __tablename__ = "fund_budget_lines"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    application_id: uuid.UUID = Field(foreign_key="fund_applications.id", index=True, ondelete="CASCADE")
    position: int
    category: str = Field(max_length=200)
    year: int
    amount: Decimal = Field(sa_column=Column(MoneyColumn(), nullable=False))


class ApplicationEvent(SQLModel, table=True):
    """One change of an application's status: the application's history."""

    __tablename__ = "fund_application_events"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    application_id: uuid.UUID = Field(foreign_key="fund_applications.id", index=True, ondelete="CASCADE")
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    from_status: ApplicationStatus | None = Field(default=None, sa_column=enum_column(ApplicationStatus, nullable=True))
    to_status: ApplicationStatus = Field(sa_column=enum_column(ApplicationStatus))
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="principals.id")
    actor_name: str = Field(max_length=200)
    comment: str | None = Field(default=None, sa_column=Column(String(4000)))


class Review(Resource, table=True):
    """A fund manager's review: a score 0–5 per criterion of the round, a recommendation and a comment. One per
    reviewer and application. Seen only by fund managers and admins."""

    __tablename__ = "fund_reviews"
    __table_args__ = (
        Index(
            "uq_fund_reviews_reviewer_live",
            "application_id",
            "reviewer_id",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )

    application_id: uuid.UUID = Field(foreign_key="fund_applications.id", index=True)
    reviewer_id: uuid.UUID = Field(foreign_key="principals.id", index=True)
    scores: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The mean of the scores, kept with them so that the application's mean score is one SQL aggregate.
    mean_score: Decimal | None = Field(default=None, sa_column=Column(MoneyColumn(), nullable=True))
    recommendation: Recommendation = Field(sa_column=enum_column(Recommendation))
    comment: str | None = Field(default=None, sa_column=Column(Text))


# Applications: requests and answers ----------------------------------------------------------------------------


class BudgetLineIn(ApiModel):
    """One line of the budget: what for, which year, how much."""

    category: str = ApiField(min_length=1, max_length=200)
    year: int = ApiField(ge=2000, le=2100)
    amount: Amount


class BudgetLineOut(SQLModel):
    """One line of an application's budget."""

    category: str
    year: int
    amount: AmountOut


class _ApplicationFields(ApiModel):
    co_applicant_ids: list[uuid.UUID] | None = ApiField(default=None, max_length=20)
    contact_person_id: uuid.UUID | None = None
    summary: str | None = ApiField(default=None, max_length=20_000)
    target_group: str | None = ApiField(default=None, min_length=1, max_length=500)
    focus_area_id: uuid.UUID | None = None
    pot_id: uuid.UUID | None = None
    strategy_ids: list[uuid.UUID] | None = ApiField(default=None, max_length=8)
    period_start: date | None = None
    period_end: date | None = None
    case_id: uuid.UUID | None = None


class ApplicationCreate(_ApplicationFields):
    """A new application, as a draft of a unit of a principal. `budget_lines`, when given, must add up to
    `requested` exactly; at least one is needed to submit."""

    model_config = examples(
        {
            "round_id": "5e2f7a90-1c3d-4b6e-8f01-2a3b4c5d6e7f",
            "applicant_id": "2b7c4d1e-8f90-4a12-b3c4-d5e6f7a8b9c0",
            "applicant_unit": "Socialtjänsten, individ- och familjeomsorg",
            "title": "Suicide Zero i skolan",
            "summary": "Utbildning om psykisk hälsa för elever i årskurs 8 i länets kommuner.",
            "target_group": "Elever i årskurs 8",
            "focus_area_id": "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
            "requested": "450000.00",
            "budget_lines": [
                {"category": "Utbildare", "year": 2025, "amount": "300000.00"},
                {"category": "Material och resor", "year": 2025, "amount": "150000.00"},
            ],
            "period_start": "2025-08-01",
            "period_end": "2026-06-30",
        }
    )

    round_id: uuid.UUID
    applicant_id: uuid.UUID = ApiField(description="The applicant principal (region or municipality).")
    applicant_unit: str = ApiField(min_length=1, max_length=300)
    title: str = ApiField(min_length=1, max_length=500)
    requested: Amount
    budget_lines: list[BudgetLineIn] = ApiField(default_factory=list, max_length=100)


class ApplicationUpdate(_ApplicationFields):
    """Changes to an application, in `draft` or `more_info_requested` only: only the fields sent change; `null`
    clears an optional field. `budget_lines` replaces the list, and must add up to `requested`."""

    model_config = examples({"summary": "Kompletterad med en plan för spridning till hela länet."})

    applicant_unit: Annotated[str | None, NotNull] = ApiField(default=None, min_length=1, max_length=300)
    title: Annotated[str | None, NotNull] = ApiField(default=None, min_length=1, max_length=500)
    requested: Annotated[Amount | None, NotNull] = None
    budget_lines: Annotated[list[BudgetLineIn] | None, NotNull] = ApiField(default=None, max_length=100)


class ReviewCounts(SQLModel):
    """How many of the live reviews recommend each outcome."""

    grant: int
    partial: int
    reject: int


class ApplicationOut(ResourceOut):
    """An application to a round: who applies, for what and how much, and where it stands. `number` is given at
    the first submission. The review figures are shown to fund managers and admins only (null for others)."""

    version: int
    number: str | None
    status: ApplicationStatus
    fund_id: uuid.UUID
    round_id: uuid.UUID
    applicant_id: uuid.UUID
    applicant_unit: str
    co_applicant_ids: list[uuid.UUID]
    contact_person_id: uuid.UUID | None
    title: str
    summary: str | None
    target_group: str | None
    focus_area_id: uuid.UUID | None
    pot_id: uuid.UUID | None
    strategy_ids: list[uuid.UUID]
    requested: AmountOut
    budget_lines: list[BudgetLineOut]
    period_start: date | None
    period_end: date | None
    case_id: uuid.UUID | None
    document_ids: list[uuid.UUID] = ApiField(description="Documents linked with target_type `fund_application`.")
    submitted_at: datetime | None
    review_mean_score: str | None = ApiField(
        description="Mean of the live reviews' mean scores, two decimals; null without reviews or for non-managers.",
        pattern=r"^\d\.\d{2}$",
    )
    review_counts: ReviewCounts | None


class TransitionIn(ApiModel):
    """A move of an application's status, with an optional comment for its history."""

    model_config = examples({"to": "submitted"}, {"to": "more_info_requested", "comment": "Beskriv spridningen."})

    to: ApplicationStatus
    comment: str | None = ApiField(default=None, min_length=1, max_length=4000)


class HistoryEntry(SQLModel):
    """One change of an application's status: from, to, when, who and why."""

    from_status: ApplicationStatus | None
    to_status: ApplicationStatus
    at: datetime
    actor_name: str
    comment: str | None


# Reviews: requests and answers ----------------------------------------------------------------------------------

# A score of one criterion: a whole number 0–5 (strict: not "3", 3.0 nor true).
Score = Annotated[int, ApiField(strict=True, ge=0, le=5)]
ReviewCriterion = Annotated[str, ApiField(min_length=1, max_length=500)]
Scores = Annotated[
    dict[ReviewCriterion, Score],
    ApiField(max_length=20, description="A score 0–5 for each of the round's review criteria, each once."),
]
# The mean of a review's scores: a string with two decimals, rounded half up ("3.67"); never a float.
MeanScoreOut = Annotated[
    Decimal,
    PlainSerializer(as_text, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^[0-5]\.\d{2}$", "examples": ["3.67"]}),
]


class ReviewCreate(ApiModel):
    """A fund manager's review of an application: a score for each of the round's criteria (exactly those), a
    recommendation and a comment."""

    model_config = examples(
        {
            "application_id": "0f6b2c1a-3d4e-4f5a-8b9c-1d2e3f4a5b6c",
            "scores": {"Länsgemensam nytta": 4, "Spridningsbarhet": 3, "Uppföljningsbarhet": 5},
            "recommendation": "grant",
            "comment": "Väl förankrat hos alla huvudmän; uppföljningen behöver konkretiseras.",
        }
    )

    application_id: uuid.UUID
    scores: Scores = ApiField(default_factory=dict)
    recommendation: Recommendation
    comment: str | None = ApiField(default=None, max_length=20000)


class ReviewUpdate(ApiModel):
    """Changes to a review: only the fields sent change; `scores` replaces them all (again exactly the round's
    criteria)."""

    model_config = examples({"recommendation": "partial", "comment": "Bevilja delvis: utan lokalhyran."})

    scores: Annotated[Scores | None, NotNull] = None
    recommendation: Annotated[Recommendation | None, NotNull] = None
    comment: str | None = ApiField(default=None, max_length=20000)


class ReviewOut(ResourceOut):
    """A review of an application by a fund manager. Seen only by fund managers and admins."""

    application_id: uuid.UUID
    round_id: uuid.UUID
    reviewer_id: uuid.UUID
    reviewer_name: str
    scores: dict[str, int]
    mean_score: MeanScoreOut | None = ApiField(description="Mean of the scores; null when the round has no criteria.")
    recommendation: Recommendation
    comment: str | None
