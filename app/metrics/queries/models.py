"""The answers of the metric queries: a series per scope, attainment rows, a strategy's indicators. Figures are
JSON numbers; a scope is shown as `scope` ("county" or the organisation's id), `scope_kind` and `scope_name`."""

import uuid
from enum import StrEnum
from typing import Literal

from sqlmodel import Field, SQLModel

from app.metrics.models import Comparison, Direction, ScopeKind, Unit

# Literals, not the shared enumerations (which have no docstring for the contract to describe them by): the
# values are the same, `rules.Attainment` and `models.Gender`.
GenderName = Literal["total", "female", "male"]
AttainmentName = Literal["met", "not_met", "no_data"]


class Basis(StrEnum):
    """Where a point's value comes from: reported for the scope itself, or computed from its members' values."""

    reported = "reported"
    aggregated = "aggregated"


class IndicatorRef(SQLModel):
    """The indicator a series is of: enough to label it and show its figures with the right decimals."""

    id: uuid.UUID
    code: str
    name: str
    unit: Unit
    decimals: int


class TargetRef(SQLModel):
    """The target that applies to a period: hold the value `comparison` the target value (= within tolerance)."""

    value: float
    comparison: Comparison
    tolerance: float | None


class MissingMember(SQLModel):
    """A member of the scope (a principal) without a value for the period."""

    id: uuid.UUID
    name: str


class Point(SQLModel):
    """One period of a scope's series. `basis` is null when there is no value; `members_with_data` and
    `missing` are about a sub-region's or the county's members (null and empty for a principal); `distance` is
    value − target (negative: below the target)."""

    period: str
    value: float | None
    numerator: float | None
    denominator: float | None
    basis: Basis | None
    members_with_data: int | None
    missing: list[MissingMember]
    target: TargetRef | None
    attainment: AttainmentName | None
    distance: float | None


class ScopeSeries(SQLModel):
    """The series of one scope: one point for every period of the range."""

    scope: str = Field(description='"county" or the organisation\'s id.')
    scope_kind: ScopeKind
    scope_name: str
    points: list[Point]


class SeriesOut(SQLModel):
    """An indicator's series, one per scope asked for, in the order asked."""

    data: list[ScopeSeries]
    indicator: IndicatorRef


class AttainmentRow(SQLModel):
    """A scope's value for one period held against the target that applies to it."""

    scope: str = Field(description='"county" or the organisation\'s id.')
    scope_kind: ScopeKind
    scope_name: str
    period: str
    target: TargetRef
    value: float | None
    attainment: AttainmentName
    distance: float | None


class AttainmentOut(SQLModel):
    """Target attainment per scope and period, for the periods of the range that have a target."""

    data: list[AttainmentRow]
    indicator: IndicatorRef


class StrategyIndicator(SQLModel):
    """An indicator that follows up the strategy, with its latest period in the scope (null: no value yet)."""

    id: uuid.UUID
    code: str
    name: str
    unit: Unit
    direction: Direction
    decimals: int
    latest: Point | None


class StrategyRef(SQLModel):
    """The strategy the indicators follow up."""

    id: uuid.UUID
    number: int
    name: str


class StrategyIndicatorsOut(SQLModel):
    """A strategy's indicators by name, each with its latest value in the scope against its target then."""

    data: list[StrategyIndicator]
    strategy: StrategyRef
    scope: str = Field(description='"county" or the organisation\'s id.')
    scope_kind: ScopeKind
    scope_name: str
