"""Indicators and their targets as the API takes and gives them. The tables are app.metrics.models."""

import uuid
from typing import Annotated

from pydantic import Field as ApiField
from sqlmodel import Field

from app.core.models import ApiModel, NotNull, ResourceOut, examples
from app.metrics import periods, scopes
from app.metrics.models import Aggregation, Comparison, Direction, Gender, Reporters, ScopeKind, Unit
from app.metrics.numbers import Figure

CODE = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
KOLADA_KPI = r"^[A-Z]\d{5}$"
Period = Annotated[str, ApiField(pattern=periods.NOTATION, description=periods.DESCRIPTION, examples=["2024"])]
Scope = Annotated[str, ApiField(min_length=1, max_length=40, description=scopes.DESCRIPTION, examples=["county"])]
_STRATEGIES = "Strategies of the roadmap the indicator follows up."


class IndicatorCreate(ApiModel):
    """A new indicator. `aggregation` says how members' values make a sub-region's and the county's: `ratio`
    (recomputed from the summed numerators and denominators) only for a share unit (percent, per_1000, ratio)."""

    model_config = examples(
        {
            "code": "SIP-ANDEL",
            "name": "Andel barn med samordnad individuell plan (SIP)",
            "definition": "Antal barn i HLT med upprättad SIP / antal barn i HLT, i procent.",
            "unit": "percent",
            "direction": "increase",
            "by_gender": True,
            "aggregation": "ratio",
            "reporters": "municipalities",
            "decimals": 1,
            "body_id": "bad0f373-0630-4393-b45f-a78a07a1d8c6",
            "source": "HLT-uppföljningen",
            "strategy_ids": ["46085467-0713-4dd4-9c37-6e48de0d079b"],
        },
        {
            "code": "BETALNING-FAKTUROR",
            "name": "Antal bestridda fakturor (betalningsansvar)",
            "unit": "count",
            "direction": "decrease",
            "aggregation": "sum",
        },
    )

    code: str = ApiField(pattern=CODE, description="A short, unique code: letters, digits, `_`, `.` and `-`.")
    name: str = Field(min_length=1, max_length=200)
    definition: str | None = Field(default=None, max_length=4000)
    unit: Unit
    direction: Direction
    by_gender: bool = False
    aggregation: Aggregation
    reporters: Reporters = Reporters.all_principals
    decimals: int = ApiField(default=0, ge=0, le=4, description="Decimals shown in charts and reports.")
    body_id: uuid.UUID | None = ApiField(default=None, description="The owning joint body or working group.")
    source: str | None = Field(default=None, max_length=300)
    kolada_kpi: str | None = ApiField(default=None, pattern=KOLADA_KPI, description="Kolada's KPI id, e.g. N00945.")
    strategy_ids: list[uuid.UUID] = ApiField(default_factory=list, max_length=20, description=_STRATEGIES)


class IndicatorUpdate(ApiModel):
    """Changes to an indicator: only the fields sent change; `null` clears an optional field. `unit`,
    `aggregation`, `reporters` and `by_gender` stay while the indicator has values (409 `indicator_has_values`)."""

    model_config = examples({"name": "Andel barn i HLT med SIP", "decimals": 0})

    code: Annotated[str | None, NotNull] = ApiField(default=None, pattern=CODE)
    name: Annotated[str | None, NotNull] = Field(default=None, min_length=1, max_length=200)
    definition: str | None = Field(default=None, max_length=4000)
    unit: Annotated[Unit | None, NotNull] = None
    direction: Annotated[Direction | None, NotNull] = None
    by_gender: Annotated[bool | None, NotNull] = None
    aggregation: Annotated[Aggregation | None, NotNull] = None
    reporters: Annotated[Reporters | None, NotNull] = None
    decimals: Annotated[int | None, NotNull] = Field(default=None, ge=0, le=4)
    body_id: uuid.UUID | None = None
    source: str | None = Field(default=None, max_length=300)
    kolada_kpi: str | None = ApiField(default=None, pattern=KOLADA_KPI)
    strategy_ids: Annotated[list[uuid.UUID] | None, NotNull] = ApiField(
        default=None, max_length=20, description=_STRATEGIES
    )


class IndicatorOut(ResourceOut):
    """An indicator of the follow-up: what it counts, in which unit, which way is better, how its values
    aggregate over organisations, and the strategies it follows up."""

    code: str
    name: str
    definition: str | None
    unit: Unit
    direction: Direction
    by_gender: bool
    aggregation: Aggregation
    reporters: Reporters
    decimals: int
    body_id: uuid.UUID | None
    source: str | None
    kolada_kpi: str | None
    strategy_ids: list[uuid.UUID]


_TOLERANCE = "How far from `value` still meets an `eq` target (only with `eq`)."
_PERIOD_TO = "The last period the target holds for; none: until further notice."


class TargetCreate(ApiModel):
    """A target for an indicator in one scope and gender, from `period_from` on (to `period_to`, or until further
    notice). Two targets of one indicator, scope and gender may not cover the same period (409 `target_overlaps`)."""

    model_config = examples(
        {
            "indicator_id": "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "scope": "3f0b8c2e-6a57-4a83-9d39-7a8f3c1e2b4d",
            "period_from": "2020",
            "comparison": "gte",
            "value": 50,
            "comment": "Minst hälften av barnen i HLT ska ha en SIP.",
        },
        {
            "indicator_id": "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
            "scope": "county",
            "gender": "female",
            "period_from": "2024",
            "period_to": "2026",
            "comparison": "eq",
            "value": "1.5",
            "tolerance": "0.2",
        },
    )

    indicator_id: uuid.UUID
    scope: Scope
    gender: Gender = Gender.total
    period_from: Period
    period_to: Period | None = ApiField(default=None, description=_PERIOD_TO)
    comparison: Comparison
    value: Figure
    tolerance: Figure | None = ApiField(default=None, description=_TOLERANCE)
    decision_id: uuid.UUID | None = None
    comment: str | None = Field(default=None, max_length=2000)


class TargetUpdate(ApiModel):
    """Changes to a target: only the fields sent change; `null` clears an optional field. Its indicator stays."""

    model_config = examples({"period_to": "2025", "comment": "Ersatt av nytt målvärde från 2026."})

    scope: Annotated[Scope | None, NotNull] = None
    gender: Annotated[Gender | None, NotNull] = None
    period_from: Annotated[Period | None, NotNull] = None
    period_to: Period | None = ApiField(default=None, description=_PERIOD_TO)
    comparison: Annotated[Comparison | None, NotNull] = None
    value: Annotated[Figure | None, NotNull] = None
    tolerance: Figure | None = ApiField(default=None, description=_TOLERANCE)
    decision_id: uuid.UUID | None = None
    comment: str | None = Field(default=None, max_length=2000)


class TargetOut(ResourceOut):
    """A target: the indicator's value to reach in one scope (the county, a sub-region or a principal) and
    gender, for the periods from `period_from` through `period_to` (none: until further notice)."""

    indicator_id: uuid.UUID
    scope: str = ApiField(description="`county`, or the organisation's id.")
    scope_kind: ScopeKind
    scope_name: str
    gender: Gender
    period_from: str
    period_to: str | None
    comparison: Comparison
    value: float
    tolerance: float | None
    decision_id: uuid.UUID | None
    comment: str | None
