"""How a sub-region's or the county's figure is made when it has not reported one: from its members' values,
by the indicator's `aggregation`.

- `sum`: the members' values added up;
- `ratio`: Σnumerator / Σdenominator in the indicator's unit (`rules.share`), never an average of the shares:
  three members of 10/100, 10/100 and 80/100 make 33.3 %, and so would averaging them, but 1/10 and 50/100 make
  46.4 % where the average would be 30 %;
- `mean`: weighted by `weight` when every contributing value has one, else plain;
- `none`: no computed figure, only a reported one.

Members without a usable value are named, never silently left out."""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from app.metrics.models import Aggregation, Unit
from app.metrics.numbers import QUANTUM
from app.metrics.queries.models import Basis
from app.metrics.rules import share
from app.metrics.scopes import Member


@dataclass(frozen=True)
class ValueRow:
    """A stored value as a query reads it."""

    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    weight: Decimal | None


@dataclass(frozen=True)
class Computed:
    """A scope's figure for one period, and how it came about."""

    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    basis: Basis | None
    members_with_data: int | None
    missing: list[Member]


def _usable(aggregation: Aggregation, row: ValueRow | None) -> bool:
    """Whether a member's value takes part: a share needs its numerator and denominator."""
    if row is None:
        return False
    return aggregation is not Aggregation.ratio or (row.numerator is not None and row.denominator is not None)


def aggregate(
    unit: Unit, aggregation: Aggregation, rows: list[ValueRow]
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(value, numerator, denominator) of the members' usable values; all None when there is nothing to compute."""
    if not rows or aggregation is Aggregation.none:
        return None, None, None
    if aggregation is Aggregation.sum:
        return sum((r.value for r in rows), Decimal(0)), None, None
    if aggregation is Aggregation.ratio:
        numerator = sum((r.numerator or Decimal(0) for r in rows), Decimal(0))
        denominator = sum((r.denominator or Decimal(0) for r in rows), Decimal(0))
        if denominator <= 0:
            return None, numerator, denominator
        return share(unit, numerator, denominator), numerator, denominator
    weights = [r.weight for r in rows]
    if all(w is not None for w in weights) and sum(w for w in weights if w is not None) > 0:
        total = sum((r.value * (r.weight or Decimal(0)) for r in rows), Decimal(0))
        mean = total / sum((w for w in weights if w is not None), Decimal(0))
    else:
        mean = sum((r.value for r in rows), Decimal(0)) / len(rows)
    return mean.quantize(QUANTUM, rounding=ROUND_HALF_EVEN), None, None


def scope_value(
    unit: Unit,
    aggregation: Aggregation,
    own: ValueRow | None,
    members: list[Member] | None,
    member_rows: list[ValueRow | None],
) -> Computed:
    """The figure of a scope for one period: its own reported value when it has one, else (a sub-region or the
    county, `members` not None) the aggregate of its members' values. `member_rows` follows `members`."""
    if members is None:  # a principal: only what it reported
        if own is None:
            return Computed(None, None, None, None, None, [])
        return Computed(own.value, own.numerator, own.denominator, Basis.reported, None, [])
    usable = [r for r in member_rows if r is not None and _usable(aggregation, r)]
    missing = [m for m, r in zip(members, member_rows, strict=True) if not _usable(aggregation, r)]
    if own is not None:
        return Computed(own.value, own.numerator, own.denominator, Basis.reported, len(usable), missing)
    value, numerator, denominator = aggregate(unit, aggregation, usable)
    basis = Basis.aggregated if value is not None else None
    return Computed(value, numerator, denominator, basis, len(usable), missing)
