"""Requests and answers for values: one value sent (also a JSON row of a bulk import), a correction, the value as
answered, and one version of its history. Figures come as `Figure` (a number or a string, at most four decimals)
and are answered as JSON numbers."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import Field as ApiField
from sqlmodel import Field, SQLModel

from app.core.models import ApiModel, NotNull, ResourceOut, examples
from app.metrics import periods, scopes
from app.metrics.models import Gender, ScopeKind, ValueStatus
from app.metrics.numbers import Figure

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$"
REASON = "Why the figures change (kept in the history): required for every correction."


class ValueIn(ApiModel):
    """One value of an indicator for a scope, period and gender. Name the indicator by `indicator_id` or by
    `indicator_code` (exactly one). For a share, send `numerator` and `denominator`; the value may then be left
    out (it is computed) or must agree with them."""

    model_config = examples(
        {
            "indicator_code": "SIP-ANDEL",
            "scope": "2480",
            "period": "2024",
            "gender": "female",
            "numerator": 131,
            "denominator": 250,
            "status": "final",
            "source": "Verksamhetssystemet",
        },
        {
            "indicator_id": "0b6c3f8e-5d2a-4c71-9e84-3a1f7b2c9d10",
            "scope": "county",
            "period": "2020",
            "value": 690,
            "comment": "Årsrapporten 2020",
        },
    )

    indicator_id: uuid.UUID | None = None
    indicator_code: str | None = ApiField(default=None, pattern=CODE_PATTERN, description="Instead of indicator_id.")
    scope: str = ApiField(min_length=1, max_length=40, description=scopes.DESCRIPTION)
    period: str = ApiField(pattern=periods.NOTATION, description=periods.DESCRIPTION)
    gender: Gender = Gender.total
    value: Figure | None = None
    numerator: Figure | None = None
    denominator: Figure | None = None
    weight: Figure | None = ApiField(default=None, description="What a `mean` aggregation weighs this value by.")
    status: ValueStatus = ValueStatus.preliminary
    source: str | None = Field(default=None, max_length=300)
    comment: str | None = Field(default=None, max_length=2000)


class ValueCorrection(ApiModel):
    """A correction of a value: the fields sent change, the others stay; the old figures stay in the history
    with who, when and `reason`. Sending `numerator` or `denominator` without `value` recomputes the value."""

    model_config = examples(
        {"numerator": 140, "denominator": 250, "reason": "Fel i underlaget: 9 planer saknades."},
        {"status": "final", "reason": "Fastställd av huvudmannen."},
    )

    value: Figure | None = None
    numerator: Figure | None = None
    denominator: Figure | None = None
    weight: Figure | None = None
    status: Annotated[ValueStatus | None, NotNull] = None
    source: str | None = Field(default=None, max_length=300)
    comment: str | None = Field(default=None, max_length=2000)
    reason: str = ApiField(min_length=1, max_length=1000, description=REASON)


class ValueOut(ResourceOut):
    """A value: its indicator, scope, period and gender, its current figures, and its current version (who
    reported it and, after a correction, why)."""

    indicator_id: uuid.UUID
    indicator_code: str
    scope: str = ApiField(description="`county`, or the organisation's id.")
    scope_kind: ScopeKind
    scope_name: str
    period: str
    gender: Gender
    value: float
    numerator: float | None
    denominator: float | None
    weight: float | None
    status: ValueStatus
    source: str | None
    comment: str | None
    version: int = ApiField(description="The current version's number (1 before any correction).")
    reported_by: uuid.UUID | None = ApiField(description="The principal that recorded the current version.")
    reason: str | None = ApiField(description="Why the current version replaced the one before; null for the first.")


class VersionOut(SQLModel):
    """One version of a value, as recorded: a correction adds one, a withdrawal adds a last one (`withdrawn`)."""

    number: int
    value: float
    numerator: float | None
    denominator: float | None
    weight: float | None
    status: ValueStatus
    source: str | None
    comment: str | None
    withdrawn: bool
    recorded_at: datetime
    recorded_by: uuid.UUID | None
    reason: str | None
    superseded_at: datetime | None = ApiField(description="When the next version replaced it; null: current.")
