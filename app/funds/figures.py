"""The live figures of pots, focus areas and rounds, computed from the record in four statements whatever the
number of pots, transfers, applications, grants and payments: never stored, so they cannot drift from what they sum.
Each statement reads only the round's own rows, from an index made for it, and joins nothing large: a grant and a
payment carry their pot and focus area (copied when they are made; neither ever changes afterwards).

A pot's remaining amount = budget + carried over + transferred in − transferred out − carried forward (to a pot of
a later round) − granted + repaid. `requested` counts the applications that have been submitted and are still
standing or decided: every status but `draft` and `withdrawn` (a rejected application was still asked for). A pot's
`granted`, `paid` and `repaid` follow the grant's pot (which may differ from the pot the application named); a
focus area's follow the application's focus area.
"""

import uuid
from collections import defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import String, Uuid, bindparam, func, literal, select, type_coerce, union_all
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


def _money(expr: Any) -> ColumnElement[Decimal]:
    return type_coerce(func.coalesce(expr, 0), MoneyColumn())


# Applications that count as asked for: submitted once, not withdrawn (see the module's docstring).
_NOT_ASKED = frozenset({ApplicationStatus.draft, ApplicationStatus.withdrawn})
# Every statement is about one round: its id (and its fund's) are bound when it runs, so that each reads only that
# round's rows, by index, however many other rounds the funds have.
_ROUND = bindparam("round_id", type_=Uuid())
_FUND = bindparam("fund_id", type_=Uuid())
_ROUND_POTS = select(col(Pot.id)).where(col(Pot.round_id) == _ROUND)


def _pots_statement() -> Any:
    """The round's pots with what is stored on them and moved between them (small tables)."""
    live_transfers = (col(Transfer.round_id) == _ROUND, col(Transfer.deleted_at).is_(None))
    t_in = (
        select(col(Transfer.to_pot_id).label("pot_id"), func.sum(Transfer.amount).label("total"))
        .where(*live_transfers)
        .group_by(col(Transfer.to_pot_id))
        .subquery()
    )
    t_out = (
        select(col(Transfer.from_pot_id).label("pot_id"), func.sum(Transfer.amount).label("total"))
        .where(*live_transfers)
        .group_by(col(Transfer.from_pot_id))
        .subquery()
    )
    later = aliased(Pot)
    forward = (
        select(col(later.carried_from_pot_id).label("pot_id"), func.sum(later.carried_over).label("total"))
        .where(col(later.carried_from_pot_id).in_(_ROUND_POTS), col(later.deleted_at).is_(None))
        .group_by(col(later.carried_from_pot_id))
        .subquery()
    )
    return (
        select(
            col(Pot.id).label("pot_id"),
            col(Pot.name).label("name"),
            col(Pot.budget).label("budget"),
            col(Pot.carried_over).label("carried_over"),
            _money(t_in.c.total).label("transferred_in"),
            _money(t_out.c.total).label("transferred_out"),
            _money(forward.c.total).label("carried_forward"),
        )
        .outerjoin(t_in, t_in.c.pot_id == Pot.id)
        .outerjoin(t_out, t_out.c.pot_id == Pot.id)
        .outerjoin(forward, forward.c.pot_id == Pot.id)
        .where(col(Pot.round_id) == _ROUND, col(Pot.deleted_at).is_(None))
        .order_by(col(Pot.name_sort), col(Pot.id))
    )


def _applications_statement() -> Any:
    """The round's live applications counted and their requested amounts added up by pot, focus area and status:
    at most pots × areas × statuses rows, read from one index in its own order."""
    keys = (col(Application.pot_id), col(Application.focus_area_id), col(Application.status))
    return (
        select(*keys, func.count().label("n"), _money(func.sum(Application.requested)).label("requested"))
        .where(col(Application.round_id) == _ROUND, col(Application.deleted_at).is_(None))
        .group_by(*keys)
    )


def _money_statement() -> Any:
    """The round's live grants, payments and repayments added up by pot and focus area (both copied onto grants and
    payments when they are made, so that neither is joined here), each from one index."""
    granted: Any = (
        select(
            col(FundGrant.pot_id).label("pot_id"),
            col(FundGrant.focus_area_id).label("focus_area_id"),
            literal("granted", String).label("kind"),
            _money(func.sum(FundGrant.amount)).label("total"),
        )
        .where(col(FundGrant.pot_id).in_(_ROUND_POTS), col(FundGrant.deleted_at).is_(None))
        .group_by(col(FundGrant.pot_id), col(FundGrant.focus_area_id))
    )
    paid = (
        select(
            col(Payment.pot_id),
            col(Payment.focus_area_id),
            type_coerce(col(Payment.kind), String),
            _money(func.sum(Payment.amount)),
        )
        .where(col(Payment.pot_id).in_(_ROUND_POTS), col(Payment.deleted_at).is_(None))
        .group_by(col(Payment.pot_id), col(Payment.focus_area_id), col(Payment.kind))
    )
    return union_all(granted, paid)


_POTS = _pots_statement()
_APPLICATIONS = _applications_statement()
_MONEY = _money_statement()
_FOCUS_AREAS: Any = (
    select(col(FocusArea.id).label("focus_area_id"), col(FocusArea.number), col(FocusArea.text))
    .where(col(FocusArea.fund_id) == _FUND, col(FocusArea.deleted_at).is_(None))
    .order_by(col(FocusArea.number))
)
_MOVED = ("budget", "carried_over", "transferred_in", "transferred_out", "carried_forward")


@dataclass(frozen=True)
class PotFigures:
    pot_id: uuid.UUID
    name: str
    figures: Figures


@dataclass
class _Tally:
    """What the round's applications add up to, by pot, focus area and status."""

    requested: dict[Any, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    granted: dict[Any, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    paid: dict[Any, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    repaid: dict[Any, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    asked: dict[Any, int] = field(default_factory=lambda: defaultdict(int))
    statuses: dict[str, int] = field(default_factory=lambda: {str(s): 0 for s in ApplicationStatus})


def _tally(session: Session, round_id: uuid.UUID) -> tuple[_Tally, _Tally]:
    """The round's applications added up by pot (asked for by the application's pot, granted, paid and repaid by
    the grant's) and by focus area, and counted by status: two statements."""
    by_pot, by_area = _Tally(), _Tally()
    for row in execute(session, _APPLICATIONS, {"round_id": round_id}):
        by_pot.statuses[str(row.status)] += row.n
        if row.status not in _NOT_ASKED:
            by_pot.requested[row.pot_id] += row.requested
            by_area.requested[row.focus_area_id] += row.requested
            by_area.asked[row.focus_area_id] += row.n
    for row in execute(session, _MONEY, {"round_id": round_id}):
        name = {"granted": "granted", PaymentKind.payment: "paid", PaymentKind.repayment: "repaid"}[row.kind]
        getattr(by_pot, name)[row.pot_id] += row.total
        getattr(by_area, name)[row.focus_area_id] += row.total
    return by_pot, by_area


def _pot_figures(session: Session, round_id: uuid.UUID, by_pot: _Tally) -> list[PotFigures]:
    return [
        PotFigures(
            row.pot_id,
            row.name,
            Figures(
                **{name: getattr(row, name) for name in _MOVED},
                requested=by_pot.requested[row.pot_id],
                granted=by_pot.granted[row.pot_id],
                paid=by_pot.paid[row.pot_id],
                repaid=by_pot.repaid[row.pot_id],
            ),
        )
        for row in execute(session, _POTS, {"round_id": round_id})
    ]


def of_round(session: Session, round_id: uuid.UUID) -> list[PotFigures]:
    """Every live pot of a round with its figures, by name: three statements."""
    return _pot_figures(session, round_id, _tally(session, round_id)[0])


def of_pot(session: Session, pot: Pot) -> Figures:
    """One pot's figures (lock the pot first when a write depends on them: see app.funds.pots)."""
    found = [p.figures for p in of_round(session, pot.round_id) if p.pot_id == pot.id]
    return found[0] if found else Figures()


def round_summary(session: Session, r: Round) -> dict[str, Any]:
    """The round's summary as plain data (amounts as Decimal): per pot, the round's total, per focus area, and the
    number of applications in each status. Four statements, whatever the round holds."""
    by_pot, by_area = _tally(session, r.id)
    pots = _pot_figures(session, r.id, by_pot)
    total = sum((p.figures for p in pots), Figures())
    areas = [
        {
            "focus_area_id": row.focus_area_id,
            "number": row.number,
            "text": row.text,
            "requested": by_area.requested[row.focus_area_id],
            "granted": by_area.granted[row.focus_area_id],
            "paid": by_area.paid[row.focus_area_id],
            "repaid": by_area.repaid[row.focus_area_id],
            "applications": by_area.asked[row.focus_area_id],
        }
        for row in execute(session, _FOCUS_AREAS, {"fund_id": r.fund_id})
    ]
    return {
        "round_id": r.id,
        "fund_id": r.fund_id,
        "year": r.year,
        "status": r.status,
        "pots": [{"pot_id": p.pot_id, "name": p.name, **p.figures.as_dict()} for p in pots],
        "total": total.as_dict(),
        "focus_areas": areas,
        "applications": by_pot.statuses,
    }


def summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The table the council sees: a row per pot and a total row."""
    rows = [{"pot": p["name"], **{k: v for k, v in p.items() if k not in ("pot_id", "name")}} for p in summary["pots"]]
    rows.append({"pot": "Totalt", **summary["total"]})
    return rows
