"""Rules for grants. A grant gives an application in review money from a pot of its round, by a decision in the
record or a delegated one, and moves the application to `granted` (the whole amount asked for) or
`partially_granted` (less) through the workflow. It is never more than was asked for, nor more than the pot has
remaining at that moment: the pot is locked before its remaining amount is read (app.funds.pots), so two grants
sent at once cannot both spend the same money. The report-back due dates are set with the grant.

A grant is a decision: its amount, pot and decision never change (only its conditions). An admin may delete a
grant entered by mistake while nothing has been paid on it and its reports are all still due; the application
then returns to `in_review`, in its history."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select, type_coerce
from sqlmodel import Session, col

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.money import ZERO, MoneyColumn, as_text
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import execute, shape
from app.decisions.models import Decision
from app.funds import figures, pots, rounds
from app.funds.applications import workflow
from app.funds.applications.models import Application, ApplicationStatus
from app.funds.grants.models import (
    FundGrant,
    FundGrantCreate,
    FundGrantUpdate,
    Payment,
    PaymentKind,
    Report,
    ReportKind,
    ReportStatus,
)
from app.funds.models import Pot, RoundStatus
from app.funds.service import require_writer

KIND = "fund_grant"
REPORT_KIND = "fund_report"
SORT_COLUMNS: SortColumns = {"created_at": col(FundGrant.created_at), "updated_at": col(FundGrant.updated_at)}
# Rounds whose money may still be granted: not a draft (pots still change), not archived.
GRANTING = frozenset({RoundStatus.open, RoundStatus.closed, RoundStatus.decided})


class _GrantRow(BaseModel):
    """A grant as read: FundGrantOut with its delegated decision in three columns (`render` nests them)."""

    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    application_id: uuid.UUID
    application_number: str | None
    round_id: uuid.UUID
    pot_id: uuid.UUID
    amount: Decimal
    conditions: str | None
    decision_id: uuid.UUID | None
    delegated_by: str | None
    delegated_on: date | None
    delegated_reference: str | None
    paid: Decimal
    repaid: Decimal
    created_by_id: uuid.UUID


def _sum_of(kind: PaymentKind) -> Any:
    total = (
        select(func.sum(Payment.amount))
        .where(col(Payment.grant_id) == FundGrant.id, col(Payment.kind) == kind, col(Payment.deleted_at).is_(None))
        .scalar_subquery()
    )
    return type_coerce(func.coalesce(total, 0), MoneyColumn())


SHAPE = shape(
    FundGrant,
    _GrantRow,
    computed={
        "application_number": select(col(Application.number))
        .where(col(Application.id) == FundGrant.application_id)
        .scalar_subquery(),
        "round_id": select(col(Pot.round_id)).where(col(Pot.id) == FundGrant.pot_id).scalar_subquery(),
        "paid": _sum_of(PaymentKind.payment),
        "repaid": _sum_of(PaymentKind.repayment),
    },
)
_DELEGATED = {"delegated_by": "by", "delegated_on": "on", "delegated_reference": "reference"}


def render(row: Any) -> dict[str, Any]:
    """A grant's answer (FundGrantOut) from its row: the delegated decision as one object, or null."""
    flat = SHAPE.render(row)
    delegated = {short: flat[name] for name, short in _DELEGATED.items()}
    out: dict[str, Any] = {}
    for name, value in flat.items():
        if name not in _DELEGATED:
            out[name] = value
        if name == "decision_id":  # the contract's order: the decision, then the delegated one
            out["delegated"] = delegated if delegated["by"] is not None else None
    return out


def one(session: Session, ident: uuid.UUID) -> dict[str, Any]:
    """A grant's answer, after a write in the same transaction or for a GET."""
    session.flush()
    return render(execute(session, SHAPE.select().where(col(FundGrant.id) == ident)).one())


def get(session: Session, ident: uuid.UUID, *, for_update: bool = False) -> FundGrant:
    return crud.get_live(session, FundGrant, ident, KIND, for_update=for_update)


@dataclass(frozen=True)
class GrantFilter:
    round_id: uuid.UUID | None = None
    pot_id: uuid.UUID | None = None
    application_id: uuid.UUID | None = None
    decision_id: uuid.UUID | None = None


def list_page(session: Session, flt: GrantFilter, params: ListParams) -> PageResult:
    stmt = SHAPE.select()
    if flt.round_id is not None:
        stmt = stmt.where(col(FundGrant.pot_id).in_(select(col(Pot.id)).where(col(Pot.round_id) == flt.round_id)))
    if flt.pot_id is not None:
        stmt = stmt.where(col(FundGrant.pot_id) == flt.pot_id)
    if flt.application_id is not None:
        stmt = stmt.where(col(FundGrant.application_id) == flt.application_id)
    if flt.decision_id is not None:
        stmt = stmt.where(col(FundGrant.decision_id) == flt.decision_id)
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def _check_request(session: Session, data: FundGrantCreate) -> None:
    """What the request alone must get right: a positive amount, exactly one decision, one final report."""
    if data.amount == ZERO:
        raise ValidationFailed("amount", "must be more than 0")
    if (data.decision_id is None) == (data.delegated is None):
        raise ValidationFailed(
            "decision_id",
            "give exactly one of decision_id (a decision in the record) and delegated (a delegated decision)",
        )
    # The application follows its one final report (app.funds.grants.reports): a second could never close it.
    if sum(report.kind is ReportKind.final for report in data.reports) != 1:
        raise ValidationFailed("reports", "must include exactly one final report")
    if data.decision_id is not None:
        crud.live_or_invalid(session, Decision, data.decision_id, "decision_id", "decision")


def _application(session: Session, ident: uuid.UUID) -> Application:
    """The application to grant, locked: a second grant of the same application waits, then finds it granted."""
    found = session.get(Application, ident, with_for_update=True)
    if found is None or found.deleted_at is not None:
        raise ValidationFailed("application_id", "no such application")
    return found


def _pot_of(session: Session, application: Application, pot_id: uuid.UUID | None) -> Pot:
    chosen = pot_id or application.pot_id
    if chosen is None:
        raise ValidationFailed("pot_id", "is required: the application names no pot")
    pot = crud.live_or_invalid(session, Pot, chosen, "pot_id", "pot")
    if pot.round_id != application.round_id:
        raise ValidationFailed("pot_id", "must be a pot of the application's round")
    return pot


def create(session: Session, actor: Actor, data: FundGrantCreate) -> FundGrant:
    require_writer(actor)
    _check_request(session, data)
    application = _application(session, data.application_id)
    if data.amount > application.requested:
        raise ValidationFailed("amount", f"may not be more than the {as_text(application.requested)} requested")
    pot = _pot_of(session, application, data.pot_id)
    to = ApplicationStatus.granted if data.amount == application.requested else ApplicationStatus.partially_granted
    workflow.check(actor, application, to)
    r = rounds.get(session, application.round_id)
    if r.status not in GRANTING:
        raise Conflict(
            f"Money is granted in an open, closed or decided round; this one is {r.status}.", code="round_not_active"
        )
    # Locked before its figures are read: see the module's docstring.
    pot = pots.get_pot(session, pot.id, for_update=True)
    remaining = figures.of_pot(session, pot).remaining
    if data.amount > remaining:
        raise pots.overdrawn(pot, remaining, data.amount)
    delegated = data.delegated
    grant = FundGrant(
        application_id=application.id,
        pot_id=pot.id,
        focus_area_id=application.focus_area_id,
        amount=data.amount,
        conditions=data.conditions,
        decision_id=data.decision_id,
        delegated_by=delegated.by if delegated else None,
        delegated_on=delegated.on if delegated else None,
        delegated_reference=delegated.reference if delegated else None,
        created_by_id=actor.id,
    )
    crud.create(session, actor, grant, KIND, data.model_dump(mode="json", exclude_none=True))
    for due in data.reports:
        report = Report(grant_id=grant.id, kind=due.kind, due_on=due.due_on, status=ReportStatus.due)
        crud.add_new(session, actor, report, REPORT_KIND, due.model_dump(mode="json"))
    workflow.record_move(session, actor, application, to, f"{as_text(data.amount)} ur potten {pot.name}")
    return grant


def update(session: Session, actor: Actor, grant: FundGrant, data: FundGrantUpdate) -> FundGrant:
    require_writer(actor)
    diff = crud.apply_changes(grant, data.model_dump(exclude_unset=True))
    crud.save_update(session, actor, grant, KIND, diff)
    return grant


def remove(session: Session, actor: Actor, grant: FundGrant) -> None:
    """Undo a grant entered by mistake (admins): nothing paid, no report sent, the application not yet moved on."""
    actor.require(Role.admin)
    application = _application(session, grant.application_id)
    # The grant's row is locked first, as a payment locks it: a payment cannot slip in after this check.
    grant = get(session, grant.id, for_update=True)
    paid = select(col(Payment.id)).where(col(Payment.grant_id) == grant.id, col(Payment.deleted_at).is_(None)).limit(1)
    if session.execute(paid).first():
        raise Conflict("Money has been paid on this grant: it stands.", code="grant_in_use")
    reports = list(
        session.scalars(select(Report).where(col(Report.grant_id) == grant.id, col(Report.deleted_at).is_(None)))
    )
    if any(report.status is not ReportStatus.due for report in reports):
        raise Conflict("A report on this grant has been submitted: it stands.", code="grant_in_use")
    if application.status not in workflow.BY_GRANT:
        raise Conflict(f"The application has moved on ({application.status}): the grant stands.", code="grant_in_use")
    for report in reports:
        crud.soft_delete(session, actor, report, REPORT_KIND)
    crud.soft_delete(session, actor, grant, KIND)
    workflow.record_move(session, actor, application, ApplicationStatus.in_review, "Beviljandet återkallat")
