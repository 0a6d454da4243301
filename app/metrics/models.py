"""Follow-up metrics: indicators, their targets and the values reported for them, per scope (the county, a
sub-region or a principal), period and gender. A value is never overwritten: every version of it is kept in
`indicator_value_versions`, so a correction shows who, when and why, and any date's figures can be read again.

The API models live with each sub-domain (indicators/, values/, queries/); these are the tables they share."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.core.db import SortKey, UTCDateTime, enum_column, utcnow
from app.core.models import Resource
from app.core.money import ExactNumeric

_LIVE = text("deleted_at IS NULL")


def measure_column(*, nullable: bool = True) -> Column[Decimal]:
    """NUMERIC(15,4): a figure with up to four decimals and eleven digits before the point (99 999 999 999 SEK)."""
    return Column(ExactNumeric(15, 4), nullable=nullable)


class Unit(StrEnum):
    """What a value counts. `percent`, `per_1000` and `ratio` are shares: numerator / denominator × 100, × 1000
    or × 1."""

    count = "count"  # type: ignore[assignment]  # the member shadows str.count, as Kolada names the unit
    percent = "percent"
    sek = "sek"
    days = "days"
    per_1000 = "per_1000"
    ratio = "ratio"


SHARE_FACTORS = {Unit.percent: Decimal(100), Unit.per_1000: Decimal(1000), Unit.ratio: Decimal(1)}


class Direction(StrEnum):
    """Which way is better: more, less, or as close to the target as possible."""

    increase = "increase"
    decrease = "decrease"
    target = "target"


class Aggregation(StrEnum):
    """How members' values make a sub-region's or the county's: `sum`; `ratio`, recomputed from the summed
    numerators and denominators; `mean`, weighted where every value has a weight; `none`: only reported figures."""

    sum = "sum"
    ratio = "ratio"
    mean = "mean"
    none = "none"


class Reporters(StrEnum):
    """Which principals report an indicator (as Kolada's KPIs are municipal or regional): the municipalities, the
    region, or every principal. A sub-region's and the county's members, for that indicator, are those principals
    alone: the region, a member of every sub-region, is then neither summed into a municipal figure nor named as
    missing from it."""

    municipalities = "municipalities"
    region = "region"
    all_principals = "all_principals"


class Gender(StrEnum):
    """Whom a figure counts: everyone (`total`), or women and girls (`female`) or men and boys (`male`) of an
    indicator split by gender."""

    total = "total"
    female = "female"
    male = "male"


class ScopeKind(StrEnum):
    """What a figure is about: the whole county, one sub-region (länsdel), or one principal."""

    county = "county"
    sub_region = "sub_region"
    principal = "principal"


class ValueStatus(StrEnum):
    """A value is `preliminary` until the principal has settled it as `final`."""

    preliminary = "preliminary"
    final = "final"


class Comparison(StrEnum):
    """How a value is held against its target: at least (≥), at most (≤) or equal within the tolerance (=)."""

    gte = "gte"
    lte = "lte"
    eq = "eq"


# The stored key of a scope: "county", or the organisation's id as 32 hex digits. One text column makes the
# uniqueness of (indicator, scope, period, gender) a plain unique index on both databases (NULL is never equal).
COUNTY_KEY = "county"


def scope_key(organisation_id: uuid.UUID | None) -> str:
    return COUNTY_KEY if organisation_id is None else organisation_id.hex


class Indicator(Resource, table=True):
    __tablename__ = "indicators"
    __table_args__ = (
        Index("uq_indicators_code_live", "code", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
        Index("uq_indicators_kolada_kpi_live", "kolada_kpi", unique=True, sqlite_where=_LIVE, postgresql_where=_LIVE),
    )

    code: str = Field(max_length=40)
    name: str = Field(max_length=200)
    name_sort: str = Field(sa_type=SortKey, index=True)
    definition: str | None = Field(default=None, sa_column=Column(String(4000)))
    unit: Unit = Field(sa_column=enum_column(Unit))
    direction: Direction = Field(sa_column=enum_column(Direction))
    by_gender: bool = False
    aggregation: Aggregation = Field(sa_column=enum_column(Aggregation))
    reporters: Reporters = Field(default=Reporters.all_principals, sa_column=enum_column(Reporters))
    # Shown with this many decimals in charts and reports (the stored value keeps up to four).
    decimals: int = Field(default=0, ge=0, le=4)
    body_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    source: str | None = Field(default=None, max_length=300)
    kolada_kpi: str | None = Field(default=None, max_length=20)


class IndicatorStrategy(SQLModel, table=True):
    """An indicator follows up a strategy of the roadmap."""

    __tablename__ = "indicator_strategies"

    indicator_id: uuid.UUID = Field(foreign_key="indicators.id", primary_key=True, ondelete="CASCADE")
    strategy_id: uuid.UUID = Field(foreign_key="strategies.id", primary_key=True, index=True)


class Target(Resource, table=True):
    """A target for an indicator in one scope, from one period on (to another, or until further notice)."""

    __tablename__ = "indicator_targets"
    __table_args__ = (Index("ix_indicator_targets_lookup", "indicator_id", "scope_key", "gender", "period_start"),)

    indicator_id: uuid.UUID = Field(foreign_key="indicators.id", index=True)
    scope_kind: ScopeKind = Field(sa_column=enum_column(ScopeKind))
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    scope_key: str = Field(max_length=32)
    gender: Gender = Field(default=Gender.total, sa_column=enum_column(Gender))
    period_from: str = Field(max_length=7)
    period_to: str | None = Field(default=None, max_length=7)
    # The first day of period_from and the last of period_to (or NULL): which periods the target covers.
    period_start: date
    period_end: date | None = None
    comparison: Comparison = Field(sa_column=enum_column(Comparison))
    value: Decimal = Field(sa_column=measure_column(nullable=False))
    tolerance: Decimal | None = Field(default=None, sa_column=measure_column())
    decision_id: uuid.UUID | None = Field(default=None, foreign_key="decisions.id", index=True)
    comment: str | None = Field(default=None, max_length=2000)


class IndicatorValue(Resource, table=True):
    """The current version of one figure: indicator × scope × period × gender. Its versions are the history."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        Index(
            "uq_indicator_values_key_live",
            "indicator_id",
            "scope_key",
            "period",
            "gender",
            unique=True,
            sqlite_where=_LIVE,
            postgresql_where=_LIVE,
        ),
        # A series reads one indicator's values for a set of scopes over a range of periods.
        Index("ix_indicator_values_series", "indicator_id", "period_start", "scope_key"),
    )

    indicator_id: uuid.UUID = Field(foreign_key="indicators.id")
    scope_kind: ScopeKind = Field(sa_column=enum_column(ScopeKind))
    organisation_id: uuid.UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    scope_key: str = Field(max_length=32)
    period: str = Field(max_length=7)
    period_start: date
    period_end: date
    gender: Gender = Field(default=Gender.total, sa_column=enum_column(Gender))
    value: Decimal = Field(sa_column=measure_column(nullable=False))
    numerator: Decimal | None = Field(default=None, sa_column=measure_column())
    denominator: Decimal | None = Field(default=None, sa_column=measure_column())
    weight: Decimal | None = Field(default=None, sa_column=measure_column())
    status: ValueStatus = Field(default=ValueStatus.preliminary, sa_column=enum_column(ValueStatus))
    source: str | None = Field(default=None, max_length=300)
    comment: str | None = Field(default=None, max_length=2000)
    # The auth principal (person or service client) that reported the current version.
    reported_by: uuid.UUID | None = Field(default=None, index=True)


class ValueVersion(SQLModel, table=True):
    """One version of a value, kept for ever. The current version has no `superseded_at`; a withdrawn value's last
    version is `withdrawn`. Read as of a moment T: recorded_at <= T < superseded_at (or none)."""

    __tablename__ = "indicator_value_versions"
    __table_args__ = (
        UniqueConstraint("value_id", "number"),
        Index("ix_indicator_value_versions_as_of", "indicator_id", "recorded_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    value_id: uuid.UUID = Field(foreign_key="indicator_values.id")
    # Copied from the value, so that an "as of" read of one indicator needs no join to find its versions.
    indicator_id: uuid.UUID = Field(foreign_key="indicators.id")
    number: int = Field(ge=1)
    value: Decimal = Field(sa_column=measure_column(nullable=False))
    numerator: Decimal | None = Field(default=None, sa_column=measure_column())
    denominator: Decimal | None = Field(default=None, sa_column=measure_column())
    weight: Decimal | None = Field(default=None, sa_column=measure_column())
    status: ValueStatus = Field(sa_column=enum_column(ValueStatus))
    source: str | None = Field(default=None, max_length=300)
    comment: str | None = Field(default=None, max_length=2000)
    withdrawn: bool = False
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    recorded_by: uuid.UUID | None = None
    # Why this version replaced the one before (required for every correction); none on the first.
    reason: str | None = Field(default=None, max_length=1000)
    superseded_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
