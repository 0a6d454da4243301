"""The live figures of pots and rounds, computed from the record in one statement whatever the number of pots,
transfers (and, next, applications): never stored, so they cannot drift from what they sum.

A pot's remaining amount = budget + carried over + transferred in − transferred out − carried forward (to a pot of
a later round) − granted + repaid. Until applications exist, requested, granted, paid and repaid are 0.00.
"""

import uuid
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col

from app.core.money import ZERO, MoneyColumn
from app.core.reads import execute
from app.funds.models import Pot, Round, Transfer


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


def _statement() -> Any:
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
        )
        .outerjoin(t_in, t_in.c.pot_id == Pot.id)
        .outerjoin(t_out, t_out.c.pot_id == Pot.id)
        .outerjoin(forward, forward.c.pot_id == Pot.id)
        .where(col(Pot.deleted_at).is_(None))
        .order_by(col(Pot.name_sort), col(Pot.id))
    )


_FIGURES = _statement()
_STORED = ("budget", "carried_over", "transferred_in", "transferred_out", "carried_forward")


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


def round_summary(session: Session, r: Round) -> dict[str, Any]:
    """The round's summary as plain data (amounts as Decimal): per pot, and the round's total."""
    pots = of_round(session, r.id)
    total = sum((p.figures for p in pots), Figures())
    return {
        "round_id": r.id,
        "fund_id": r.fund_id,
        "year": r.year,
        "status": r.status,
        "pots": [{"pot_id": p.pot_id, "name": p.name, **p.figures.as_dict()} for p in pots],
        "total": total.as_dict(),
    }


def summary_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The table the council sees: a row per pot and a total row."""
    rows = [{"pot": p["name"], **{k: v for k, v in p.items() if k not in ("pot_id", "name")}} for p in summary["pots"]]
    rows.append({"pot": "Totalt", **summary["total"]})
    return rows
