"""Grants, their payments and report-back. A grant takes money from a pot and never more than the pot has; its
payments never add up to more than the grant, and what is repaid flows back to the pot. Reports are due on dates
set when the grant is made, and the application's status follows them."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import Field as ApiField
from sqlalchemy import Column, Index, String, Text, text
from sqlmodel import Field

from app.core.db import UTCDateTime, enum_column
from app.core.models import ApiModel, Resource, ResourceOut, examples
from app.core.money import Amount, AmountOut, MoneyColumn

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
    )

    application_id: uuid.UUID = Field(foreign_key="fund_applications.id", index=True)
    pot_id: uuid.UUID = Field(foreign_key="fund_pots.id", index=True)
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

    grant_id: uuid.UUID = Field(foreign_key="fund_grants.id", index=True)
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
