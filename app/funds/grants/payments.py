"""Rules for payments on grants. Instalments are paid out and unused money is paid back (a repayment, with its
reason), and what has been paid net (payments − repayments) always stays between 0 and the grant: never more paid
than granted, never more repaid than paid. The grant's row is locked before its payments are summed, so two
payments sent at once cannot both fit in the same unpaid money. Repaid money flows back to the pot's remaining
amount (app.funds.figures).

A payment is never edited. One entered by mistake is deleted by an admin on the day it was entered (Stockholm
time), when what remains still keeps the rule; later, the ledger stands, and a real repayment is a repayment."""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select, type_coerce
from sqlmodel import Session, col

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.money import ZERO, MoneyColumn, as_text
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import shape
from app.core.time import local_date, today
from app.funds.grants import service as grants
from app.funds.grants.models import FundGrant, Payment, PaymentCreate, PaymentKind, PaymentOut
from app.funds.models import Pot
from app.funds.service import require_writer

KIND = "fund_payment"
SORT_COLUMNS: SortColumns = {
    "paid_on": col(Payment.paid_on),
    "created_at": col(Payment.created_at),
    "updated_at": col(Payment.updated_at),
}
SHAPE = shape(Payment, PaymentOut)


def get(session: Session, ident: uuid.UUID) -> Payment:
    return crud.get_live(session, Payment, ident, KIND)


@dataclass(frozen=True)
class PaymentFilter:
    grant_id: uuid.UUID | None = None
    round_id: uuid.UUID | None = None
    kind: PaymentKind | None = None
    paid_from: date | None = None
    paid_to: date | None = None


def list_page(session: Session, flt: PaymentFilter, params: ListParams) -> PageResult:
    stmt = SHAPE.select()
    if flt.grant_id is not None:
        stmt = stmt.where(col(Payment.grant_id) == flt.grant_id)
    if flt.round_id is not None:
        of_round = (
            select(col(FundGrant.id))
            .join(Pot, col(Pot.id) == FundGrant.pot_id)
            .where(col(Pot.round_id) == flt.round_id)
        )
        stmt = stmt.where(col(Payment.grant_id).in_(of_round))
    if flt.kind is not None:
        stmt = stmt.where(col(Payment.kind) == flt.kind)
    if flt.paid_from is not None:
        stmt = stmt.where(col(Payment.paid_on) >= flt.paid_from)
    if flt.paid_to is not None:
        stmt = stmt.where(col(Payment.paid_on) <= flt.paid_to)
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def paid_net(session: Session, grant_id: uuid.UUID) -> Decimal:
    """What has been paid on a grant, less what was paid back."""
    total = type_coerce(func.sum(Payment.amount), MoneyColumn())
    sums = dict(
        session.execute(
            select(col(Payment.kind), total)
            .where(col(Payment.grant_id) == grant_id, col(Payment.deleted_at).is_(None))
            .group_by(col(Payment.kind))
        ).all()
    )
    return sums.get(PaymentKind.payment, ZERO) - sums.get(PaymentKind.repayment, ZERO)


def _check_net(grant: FundGrant, net: Decimal, change: Decimal) -> None:
    """Refuse a change that would leave more paid than granted, or more repaid than paid."""
    after = net + change
    if after > grant.amount:
        raise Conflict(
            f"{as_text(net)} of the grant's {as_text(grant.amount)} is paid: {as_text(grant.amount - net)} may be "
            f"paid, not {as_text(change)}.",
            code="grant_overpaid",
            grant_id=str(grant.id),
            unpaid=as_text(grant.amount - net),
        )
    if after < ZERO:
        raise Conflict(
            f"{as_text(net)} of the grant is paid (net): this would leave {as_text(-after)} more repaid than paid.",
            code="repayment_exceeds_paid",
            grant_id=str(grant.id),
            paid=as_text(net),
        )


def create(session: Session, actor: Actor, data: PaymentCreate) -> Payment:
    require_writer(actor)
    if data.amount == ZERO:
        raise ValidationFailed("amount", "must be more than 0")
    if data.kind is PaymentKind.repayment and not data.reason:
        raise ValidationFailed("reason", "is required for a repayment")
    grant = crud.live_or_invalid(session, FundGrant, data.grant_id, "grant_id", "grant")
    # Locked before its payments are summed: see the module's docstring.
    grant = grants.get(session, grant.id, for_update=True)
    change = data.amount if data.kind is PaymentKind.payment else -data.amount
    _check_net(grant, paid_net(session, grant.id), change)
    payment = Payment(
        **data.model_dump(), pot_id=grant.pot_id, focus_area_id=grant.focus_area_id, created_by_id=actor.id
    )
    return crud.create(session, actor, payment, KIND, data.model_dump(mode="json", exclude_none=True))


def remove(session: Session, actor: Actor, payment: Payment) -> None:
    """Delete a payment entered by mistake today (admins), if what remains keeps the rule."""
    actor.require(Role.admin)
    if local_date(payment.created_at) != today():
        raise Conflict(
            f"A payment is deleted only on the day it was entered ({local_date(payment.created_at)}).",
            code="payment_not_today",
        )
    grant = grants.get(session, payment.grant_id, for_update=True)
    undone = -payment.amount if payment.kind is PaymentKind.payment else payment.amount
    _check_net(grant, paid_net(session, grant.id), undone)
    crud.soft_delete(session, actor, payment, KIND)
