"""The rules every way in shares (one value by hand, a bulk file, a Kolada file, a project's report): what a
value must be for its indicator, how a share is computed, and how a value is held against a target."""

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from app.metrics.models import SHARE_FACTORS, Aggregation, Comparison, Gender, Reporters, Unit
from app.metrics.numbers import QUANTUM

# A value sent with its numerator and denominator may differ from the computed share by rounding: 52.4 for
# 131/250 = 52.4 exactly, 33.3 for 1/3. Half a unit of the first decimal covers every rounding a report makes.
SHARE_TOLERANCE = Decimal("0.05")


class ValueRuleError(ValueError):
    """A value that breaks its indicator's rules; `field` is the request field to name."""

    def __init__(self, field: str, msg: str) -> None:
        super().__init__(msg)
        self.field = field
        self.msg = msg


@dataclass(frozen=True)
class IndicatorRules:
    """What the rules need of an indicator (a row of `indicators`, or its ORM object)."""

    unit: Unit
    by_gender: bool
    aggregation: Aggregation
    reporters: Reporters = Reporters.all_principals


def share(unit: Unit, numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator in the indicator's unit (× 100 for percent, × 1000 per thousand), to four decimals."""
    return (numerator / denominator * SHARE_FACTORS[unit]).quantize(QUANTUM, rounding=ROUND_HALF_EVEN)


def checked_value(
    rules: IndicatorRules,
    gender: Gender,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
) -> Decimal:
    """The value to store, or ValueRuleError naming the field.

    - a gender other than `total` only for an indicator split by gender;
    - numerator and denominator come together, and only for a share unit; the denominator is positive;
    - an indicator aggregated by `ratio` needs both (a sub-region's share is recomputed from them, never averaged);
    - when both come the value may be left out (it is computed), and when it is sent it must agree with them.
    """
    if gender is not Gender.total and not rules.by_gender:
        raise ValueRuleError("gender", "this indicator is not split by gender: use total")
    if (numerator is None) != (denominator is None):
        raise ValueRuleError(
            "denominator" if denominator is None else "numerator", "numerator and denominator come together"
        )
    if numerator is not None and denominator is not None:
        if rules.unit not in SHARE_FACTORS:
            raise ValueRuleError(
                "numerator", f"only a share (percent, per_1000, ratio) has one; the unit is {rules.unit}"
            )
        if denominator <= 0:
            raise ValueRuleError("denominator", "must be greater than zero")
        if numerator < 0:
            raise ValueRuleError("numerator", "may not be negative")
        computed = share(rules.unit, numerator, denominator)
        if value is None:
            return computed
        if abs(value - computed) > SHARE_TOLERANCE:
            raise ValueRuleError("value", f"does not agree with numerator / denominator ({computed.normalize():f})")
        return value
    if rules.aggregation is Aggregation.ratio:
        raise ValueRuleError("numerator", "this indicator is aggregated as a ratio: send numerator and denominator")
    if value is None:
        raise ValueRuleError("value", "is required (or, for a share, numerator and denominator)")
    return value


class Attainment(StrEnum):
    met = "met"
    not_met = "not_met"
    no_data = "no_data"


def attainment(
    comparison: Comparison, target: Decimal, tolerance: Decimal | None, value: Decimal | None
) -> tuple[Attainment, Decimal | None]:
    """Whether `value` meets the target, and its distance: value − target (negative: below the target)."""
    if value is None:
        return Attainment.no_data, None
    distance = value - target
    if comparison is Comparison.gte:
        met = distance >= 0
    elif comparison is Comparison.lte:
        met = distance <= 0
    else:
        met = abs(distance) <= (tolerance or Decimal(0))
    return (Attainment.met if met else Attainment.not_met), distance
