"""Targets held against values. The target that applies to a value of period P is the live target of the same
indicator, scope and gender whose range covers P: it starts on or before P's first day and ends (if it ends) on
or after P's last. Ranges of one scope never overlap, so there is at most one."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.metrics.models import Comparison
from app.metrics.numbers import as_number
from app.metrics.periods import Period
from app.metrics.rules import Attainment, attainment
from app.metrics.scopes import Scope


@dataclass(frozen=True)
class TargetRow:
    """A stored target as a query reads it, with its scope."""

    scope: Scope
    start: date
    end: date | None
    comparison: Comparison
    value: Decimal
    tolerance: Decimal | None

    def covers(self, period: Period) -> bool:
        return self.start <= period.start and (self.end is None or self.end >= period.end)

    def ref(self) -> dict[str, Any]:
        """The target as a point shows it."""
        return {"value": as_number(self.value), "comparison": self.comparison, "tolerance": as_number(self.tolerance)}


def target_for(targets: list[TargetRow], period: Period) -> TargetRow | None:
    return next((t for t in targets if t.covers(period)), None)


def judge(target: TargetRow | None, value: Decimal | None) -> tuple[Attainment | None, Decimal | None]:
    """met / not_met / no_data and the distance (value − target); (None, None) where no target applies."""
    if target is None:
        return None, None
    return attainment(target.comparison, target.value, target.tolerance, value)
