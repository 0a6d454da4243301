"""The live figures of pots, focus areas and rounds, computed from the record in one statement each whatever the
number of pots, transfers, applications, grants and payments: never stored, so they cannot drift from what they sum.

A pot's remaining amount = budget + carried over + transferred in − transferred out − carried forward (to a pot of
a later round) − granted + repaid. `requested` counts the applications that have been submitted and are still
standing or decided: every status but `draft` and `withdrawn` (a rejected application was still asked for). A pot's
`granted`, `paid` and `repaid` follow the grant's pot (which may differ from the pot the application named); a
focus area's follow the application's focus area.
"""

import uuid
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import Uuid, bindparam, func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col

from app.core.money import ZERO, MoneyColumn
from app.core.reads import execute
from app.funds.applications.models import Application, ApplicationStatus
from app.funds.grants.models import FundGrant, Payment, PaymentKind
from app.funds.models import FocusArea, Pot, Round, Transfer


@dataclass(frozen=True)
class Figures:
    budget: Decimal = ZERO
    carried_over: Decimal = ZERO
    transferred_in: Decimal = ZERO
    transferred_out: Decimal = ZERO
    carried_forward: Decimal = ZERO
    requested: Decimal = ZERO
    granted: Decimal = ZERO
    paid: Decimal = ZERO
    repaid: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return (
            self.budget
            + self.carried_over
            + self.transferred_in
            - self.transferred_out
            - self.carried_forward
            - self.granted
            + self.repaid
        )

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def as_dict(self) -> dict[str, Decimal]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["remaining"] = self.remaining
        return out


def _sum_by(key: Any, amount: Any, *where: ColumnElement[bool]) -> Any:
    return select(key.label("pot_id"), func.sum(amount).label("total")).where(*where).group_by(key).subquery()


def _money(expr: Any) -> ColumnElement[Decimal]:
    return type_coerce(func.coalesce(expr, 0), MoneyColumn())


# Applications that count as asked for: submitted once, not withdrawn (see the module's docstring).
_NOT_ASKED = (ApplicationStatus.draft, ApplicationStatus.withdrawn)


def _asked() -> list[ColumnElement[bool]]:
    return [col(Application.deleted_at).is_(None), col(Application.status).not_in(_NOT_ASKED)]


def _live_grant() -> ColumnElement[bool]:
    return col(FundGrant.deleted_at).is_(None)


def _of_payments(kind: PaymentKind) -> list[ColumnElement[bool]]:
    """Payments (or repayments) of live grants."""
    return [
        col(Payment.grant_id) == FundGrant.id,
        col(Payment.kind) == kind,
        col(Payment.deleted_at).is_(None),
        _live_grant(),
    ]


def _statement() -> Any:
    requested = _sum_by(col(Application.pot_id), col(Application.requested), *_asked())
    granted = _sum_by(col(FundGrant.pot_id), col(FundGrant.amount), _live_grant())
    paid = _sum_by(col(FundGrant.pot_id), col(Payment.amount), *_of_payments(PaymentKind.payment))
    repaid = _sum_by(col(FundGrant.pot_id), col(Payment.amount), *_of_payments(PaymentKind.repayment))
    t_in = _sum_by(col(Transfer.to_pot_id), col(Transfer.amount), col(Transfer.deleted_at).is_(None))
    t_out = _sum_by(col(Transfer.from_pot_id), col(Transfer.amount), col(Transfer.deleted_at).is_(None))
    later = aliased(Pot)
    forward = _sum_by(
        col(later.carried_from_pot_id),
        col(later.carried_over),
        col(later.carried_from_pot_id).is_not(None),
        col(later.deleted_at).is_(None),
    )
    return (
        select(
            col(Pot.id).label("pot_id"),
            col(Pot.name).label("name"),
            col(Pot.round_id).label("round_id"),
            col(Pot.budget).label("budget"),
            col(Pot.carried_over).label("carried_over"),
            _money(t_in.c.total).label("transferred_in"),
            _money(t_out.c.total).label("transferred_out"),
            _money(forward.c.total).label("carried_forward"),
            _money(requested.c.total).label("requested"),
            _money(granted.c.total).label("granted"),
            _money(paid.c.total).label("paid"),
            _money(repaid.c.total).label("repaid"),
        )
        .outerjoin(t_in, t_in.c.pot_id == Pot.id)
        .outerjoin(t_out, t_out.c.pot_id == Pot.id)
        .outerjoin(forward, forward.c.pot_id == Pot.id)
        .outerjoin(requested, requested.c.pot_id == Pot.id)
        .outerjoin(granted, granted.c.pot_id == Pot.id)
        .outerjoin(paid, paid.c.pot_id == Pot.id)
        .outerjoin(repaid, repaid.c.pot_id == Pot.id)
        .where(col(Pot.deleted_at).is_(None))
        .order_by(col(Pot.name_sort), col(Pot.id))
    )


_FIGURES = _statement()
_STORED = tuple(f.name for f in fields(Figures))


@dataclass(frozen=True)
class PotFigures:
    pot_id: uuid.UUID
    name: str
    figures: Figures


def _rows(session: Session, stmt: Any) -> list[PotFigures]:
    return [
        PotFigures(row.pot_id, row.name, Figures(**{name: getattr(row, name) for name in _STORED}))
        for row in execute(session, stmt)
    ]


def of_round(session: Session, round_id: uuid.UUID) -> list[PotFigures]:
    """Every live pot of a round with its figures, by name: one statement."""
    return _rows(session, _FIGURES.where(col(Pot.round_id) == round_id))


def of_pot(session: Session, pot_id: uuid.UUID) -> Figures:
    """One pot's figures (lock the pot first when a write depends on them: see app.funds.pots)."""
    found = _rows(session, _FIGURES.where(col(Pot.id) == pot_id))
    return found[0].figures if found else Figures()


# Focus areas and statuses are read per round: its id (and its fund's) are bound when the statement runs.
_ROUND = bindparam("round_id", type_=Uuid())
_FUND = bindparam("fund_id", type_=Uuid())


def _by_focus_area(*where: ColumnElement[bool], **totals: Any) -> Any:
    """Sums over the round's live applications, by their focus area."""
    key = col(Application.focus_area_id)
    columns = [total.label(name) for name, total in totals.items()]
    return select(key.label("area_id"), *columns).where(col(Application.round_id) == _ROUND, *where).group_by(key)


def _focus_area_statement() -> Any:
    of_grant = (col(FundGrant.application_id) == Application.id, col(Application.deleted_at).is_(None))
    asked = _by_focus_area(*_asked(), requested=func.sum(Application.requested), n=func.count()).subquery()
    granted = _by_focus_area(*of_grant, _live_grant(), granted=func.sum(FundGrant.amount)).subquery()
    paid = _by_focus_area(*of_grant, *_of_payments(PaymentKind.payment), paid=func.sum(Payment.amount)).subquery()
    repaid = _by_focus_area(*of_grant, *_of_payments(PaymentKind.repayment), repaid=func.sum(Payment.amount)).subquery()
    stmt = select(
        col(FocusArea.id).label("focus_area_id"),
        col(FocusArea.number).label("number"),
        col(FocusArea.text).label("text"),
        _money(asked.c.requested).label("requested"),
        _money(granted.c.granted).label("granted"),
        _money(paid.c.paid).label("paid"),
        _money(repaid.c.repaid).label("repaid"),
        func.coalesce(asked.c.n, 0).label("applications"),
    )
    for sub in (asked, granted, paid, repaid):
        stmt = stmt.outerjoin(sub, sub.c.area_id == FocusArea.id)
    where = (col(FocusArea.fund_id) == _FUND, col(FocusArea.deleted_at).is_(None))
    return stmt.where(*where).order_by(col(FocusArea.number))


_FOCUS_AREAS = _focus_area_statement()
_STATUSES: Any = (
    select(col(Application.status).label("status"), func.count().label("n"))
    .where(col(Application.round_id) == _ROUND, col(Application.deleted_at).is_(None))
    .group_by(col(Application.status))
)


def of_focus_areas(session: Session, r: Round) -> list[dict[str, Any]]:
    """Every live focus area of the round's fund with the figures of the round's applications in it (submitted,
    not withdrawn: see the module's docstring): one statement."""
    return [dict(row._mapping) for row in execute(session, _FOCUS_AREAS, {"round_id": r.id, "fund_id": r.fund_id})]


def application_counts(session: Session, r: Round) -> dict[str, int]:
    """How many of the round's applications are in each status, every status named (zeros too): one statement."""
    counts = {str(status): 0 for status in ApplicationStatus}
    for row in execute(session, _STATUSES, {"round_id": r.id}):
        counts[str(row.status)] = row.n
    return counts


def round_summary(session: Session, r: Round) -> dict[str, Any]:
    """The round's summary as plain data (amounts as Decimal): per pot, the round's total, per focus area, and the
    number of applications in each status. Three statements, whatever the round holds."""
    pots = of_round(session, r.id)
    total = sum((p.figures for p in pots), Figures())
    return {
        "round_id": r.id,
        "fund_id": r.fund_id,
        "year": r.year,
        "status": r.status,
        "pots": [{"pot_id": p.pot_id, "name": p.name, **p.figures.as_dict()} for p in pots],
        "total": total.as_dict(),
        "focus_areas": of_focus_areas(session, r),
        "applications": application_counts(session, r),
    }


def summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The table the council sees: a row per pot and a total row."""
    rows = [{"pot": p["name"], **{k: v for k, v in p.items() if k not in ("pot_id", "name")}} for p in summary["pots"]]
    rows.append({"pot": "Totalt", **summary["total"]})
    return rows
