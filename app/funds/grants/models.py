"""Grants, their payments and report-back. A grant takes money from a pot and never more than the pot has; its
payments never add up to more than the grant, and what is repaid flows back to the pot. Reports are due on dates
set when the grant is made, and the application's status follows them."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field as ApiField
from sqlalchemy import Column, Index, String, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.core.db import UTCDateTime, enum_column
from app.core.models import ApiModel, Resource, ResourceOut, examples
from app.core.money import Amount, AmountOut, MoneyColumn
from app.metrics.models import Gender, measure_column

_LIVE = text("deleted_at IS NULL")


class PaymentKind(StrEnum):
    """An instalment paid out, or unused money paid back (with a reason)."""

    payment = "payment"
    repayment = "repayment"


class ReportKind(StrEnum):
    """An interim report during the project, or the final one at its end (which the application follows)."""

    interim = "interim"
    final = "final"


class ReportStatus(StrEnum):
    """`due` → `submitted` → `accepted` | `revision_requested` (→ `submitted` again)."""

    due = "due"
    submitted = "submitted"
    accepted = "accepted"
    revision_requested = "revision_requested"


class FundGrant(Resource, table=True):
    """Money granted to an application from a pot, by a decision in the record (`decision_id`: one decision may
    grant several applications) or a delegated decision (who, when, reference)."""

    __tablename__ = "fund_grants"
    __table_args__ = (
        Index(
            "uq_fund_grants_application_live",
            "application_id",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
        # The round summary sums a round's grants by pot and focus area from this index alone (app.funds.figures).
        Index(
            "ix_fund_grants_figures", "pot_id", "focus_area_id", "amount", sqlite_where=_LIVE, postgresql_where=_LIVE
        ),
    )

    application_id: uuid.UUID = Field(foreign_key="fund_applications.id", index=True)
    pot_id: uuid.UUID = Field(foreign_key="fund_pots.id", index=True)
    # The application's focus area, copied when the grant is made (an application is no longer edited once
    # granted), so that the summary splits grants by focus area without joining the applications.
    focus_area_id: uuid.UUID | None = Field(default=None, foreign_key="fund_focus_areas.id")
    amount: Decimal = Field(sa_column=Column(MoneyColumn(), nullable=False))
    conditions: str | None = Field(default=None, sa_column=Column(Text))
    decision_id: uuid.UUID | None = Field(default=None, foreign_key="decisions.id", index=True)
    delegated_by: str | None = Field(default=None, max_length=200)
    delegated_on: date | None = None
    delegated_reference: str | None = Field(default=None, max_length=200)
    created_by_id: uuid.UUID = Field(foreign_key="principals.id")


class Payment(Resource, table=True):
    """A dated instalment of a grant, or a repayment of unused money with its reason."""

    __tablename__ = "fund_payments"
    __table_args__ = (
        # The round summary sums a round's payments by pot, focus area and kind from this index alone.
        Index(
            "ix_fund_payments_figures",
            "pot_id",
            "focus_area_id",
            "kind",
            "amount",
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
    )

    grant_id: uuid.UUID = Field(foreign_key="fund_grants.id", index=True)
    # The grant's pot and focus area, copied when the payment is entered (a grant never changes either), so that
    # the summary sums payments without joining grants and applications.
    pot_id: uuid.UUID = Field(foreign_key="fund_pots.id")
    focus_area_id: uuid.UUID | None = Field(default=None, foreign_key="fund_focus_areas.id")
    kind: PaymentKind = Field(sa_column=enum_column(PaymentKind, index=True))
    paid_on: date = Field(index=True)
    amount: Decimal = Field(sa_column=Column(MoneyColumn(), nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(String(2000)))
    created_by_id: uuid.UUID = Field(foreign_key="principals.id")


class Report(Resource, table=True):
    """An interim or final report on a grant, due on a date set when the grant is made."""

    __tablename__ = "fund_reports"

    grant_id: uuid.UUID = Field(foreign_key="fund_grants.id", index=True)
    kind: ReportKind = Field(sa_column=enum_column(ReportKind))
    due_on: date = Field(index=True)
    status: ReportStatus = Field(sa_column=enum_column(ReportStatus, index=True))
    text: str | None = Field(default=None, sa_column=Column(Text))
    amount_spent: Decimal | None = Field(default=None, sa_column=Column(MoneyColumn(), nullable=True))
    results: str | None = Field(default=None, sa_column=Column(Text))
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by_id: uuid.UUID | None = Field(default=None, foreign_key="principals.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    review_comment: str | None = Field(default=None, sa_column=Column(String(4000)))


# Grants and payments: requests and answers -----------------------------------------------------------------------


class ReportValue(SQLModel, table=True):
    """A figure a funded project reports on an indicator (participants, waiting days): the project's own outcome,
    kept beside the report, not among the principals' official values of that indicator."""

    __tablename__ = "fund_report_values"
    __table_args__ = (UniqueConstraint("report_id", "indicator_id", "period", "gender"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    report_id: uuid.UUID = Field(foreign_key="fund_reports.id", ondelete="CASCADE")
    # The application, copied from the report: "which applications report on this indicator" is one index read.
    application_id: uuid.UUID = Field(foreign_key="fund_applications.id", index=True)
    indicator_id: uuid.UUID = Field(foreign_key="indicators.id", index=True)
    period: str = Field(max_length=7)
    period_start: date
    gender: Gender = Field(default=Gender.total, sa_column=enum_column(Gender))
    value: Decimal = Field(sa_column=measure_column(nullable=False))
    numerator: Decimal | None = Field(default=None, sa_column=measure_column())
    denominator: Decimal | None = Field(default=None, sa_column=measure_column())
    comment: str | None = Field(default=None, max_length=2000)


class DelegatedDecision(ApiModel):
    """A decision taken under delegation, outside the record's meetings: who decided, when, and its reference."""

    by: str = ApiField(min_length=1, max_length=200, description="Who decided (name and role).")
    on: date
    reference: str = ApiField(min_length=1, max_length=200, description="The decision's reference (dnr).")


class ReportDueIn(ApiModel):
    """A report the grantee owes: interim or final, due on a date."""

    kind: ReportKind
    due_on: date


class FundGrantCreate(ApiModel):
    """A grant to an application in review. The decision is either a decision in the record (`decision_id`; one
    decision may grant several applications) or a delegated one (`delegated`): exactly one of the two. `pot_id`
    defaults to the application's pot. `reports`: the report-back due dates, at least one final."""

    model_config = examples(
        {
            "application_id": "0b7e2c1d-4f5a-4e6b-9c8d-7a6b5c4d3e2f",
            "amount": "1850000.00",
            "conditions": "Delrapport till samrådet i december; slutrapport senast 2022-12-31.",
            "decision_id": "4c3b2a19-0817-4f6e-9d5c-4b3a29180716",
            "reports": [{"kind": "interim", "due_on": "2021-12-15"}, {"kind": "final", "due_on": "2022-12-31"}],
        }
    )

    application_id: uuid.UUID
    amount: Amount
    pot_id: uuid.UUID | None = ApiField(default=None, description="Default: the application's pot.")
    conditions: str | None = ApiField(default=None, max_length=20000)
    decision_id: uuid.UUID | None = None
    delegated: DelegatedDecision | None = None
    reports: list[ReportDueIn] = ApiField(min_length=1, max_length=20)


class FundGrantUpdate(ApiModel):
    """Only a grant's conditions change; its amount, pot and decision are the decision's own."""

    model_config = examples({"conditions": "Slutrapporten redovisas för samrådet i mars."})

    conditions: str | None = ApiField(default=None, max_length=20000)


class DelegatedOut(ApiModel):
    """A delegated decision: who decided, when, and its reference."""

    by: str
    on: date
    reference: str


class FundGrantOut(ResourceOut):
    """Money granted to an application from a pot, by a decision in the record or a delegated one. `paid` and
    `repaid` are the sums of its payments and repayments at this moment."""

    application_id: uuid.UUID
    application_number: str | None
    round_id: uuid.UUID
    pot_id: uuid.UUID
    amount: AmountOut
    conditions: str | None
    decision_id: uuid.UUID | None
    delegated: DelegatedOut | None
    paid: AmountOut
    repaid: AmountOut
    created_by_id: uuid.UUID


class PaymentCreate(ApiModel):
    """An instalment paid out on a grant, or unused money paid back (`repayment`, with its reason)."""

    model_config = examples(
        {
            "grant_id": "7d6c5b4a-3928-4716-a5f4-e3d2c1b0a998",
            "kind": "payment",
            "paid_on": "2021-10-01",
            "amount": 925000,
        }
    )

    grant_id: uuid.UUID
    kind: PaymentKind
    paid_on: date
    amount: Amount
    reason: str | None = ApiField(default=None, min_length=1, max_length=2000)


class PaymentOut(ResourceOut):
    """A dated payment or repayment of a grant."""

    grant_id: uuid.UUID
    kind: PaymentKind
    paid_on: date
    amount: AmountOut
    reason: str | None
    created_by_id: uuid.UUID


# Reports: requests and answers ----------------------------------------------------------------------------------


class ReportUpdate(ApiModel):
    """What the applicant reports: only the fields sent change, while the report is `due` or
    `revision_requested`."""

    model_config = examples(
        {
            "text": "Projektet har genomfört sex utbildningstillfällen i fyra kommuner.",
            "amount_spent": "412500.00",
            "results": "120 deltagare; utbildningen ingår nu i introduktionen för nyanställda.",
        }
    )

    text: str | None = ApiField(default=None, max_length=100000)
    amount_spent: Amount | None = None
    results: str | None = ApiField(default=None, max_length=100000)


class ReportTransition(ApiModel):
    """A move of a report: `submitted` (the applicant; the text must be written), `accepted` or
    `revision_requested` (fund managers, from `submitted`; a revision request says what to revise)."""

    model_config = examples({"to": "revision_requested", "comment": "Redovisa kostnaderna per år."})

    to: ReportStatus
    comment: str | None = ApiField(default=None, min_length=1, max_length=4000)


class ReportOut(ResourceOut):
    """An interim or final report on a grant. Any reader; the applicant writes it, fund managers accept it."""

    grant_id: uuid.UUID
    application_id: uuid.UUID
    applicant_id: uuid.UUID
    kind: ReportKind
    due_on: date
    status: ReportStatus
    text: str | None
    amount_spent: AmountOut | None
    results: str | None
    submitted_at: datetime | None
    submitted_by_id: uuid.UUID | None
    reviewed_at: datetime | None
    review_comment: str | None
