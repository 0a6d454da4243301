"""A strategy's indicators at a glance: each with its latest period in one scope (the scope's own value, or its
members' aggregate), the target that applies then, and whether it is met. Six statements whatever the number of
indicators: strategy, scope, indicators, members, the latest values, targets."""

import uuid
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.core.errors import not_found
from app.core.reads import execute
from app.metrics.models import Gender, Indicator, IndicatorStrategy, IndicatorValue, Target
from app.metrics.periods import parse
from app.metrics.queries import series
from app.metrics.queries.aggregate import ValueRow
from app.metrics.queries.answers import point, scope_fields
from app.metrics.queries.attainment import TargetRow
from app.metrics.queries.series import Figures, IndicatorInfo
from app.metrics.scopes import Scope
from app.strategies.models import Strategy


def _strategy(session: Session, strategy_id: uuid.UUID) -> dict[str, Any]:
    stmt = select(col(Strategy.id), col(Strategy.number), col(Strategy.name)).where(
        col(Strategy.id) == strategy_id, col(Strategy.deleted_at).is_(None)
    )
    row = execute(session, stmt).first()
    if row is None:
        raise not_found("strategy", strategy_id)
    return dict(row._mapping)


def _indicators(session: Session, strategy_id: uuid.UUID) -> list[IndicatorInfo]:
    stmt = (
        select(*series.INDICATOR_COLUMNS)
        .join(IndicatorStrategy, col(IndicatorStrategy.indicator_id) == col(Indicator.id))
        .where(col(IndicatorStrategy.strategy_id) == strategy_id, col(Indicator.deleted_at).is_(None))
        .order_by(col(Indicator.name_sort), col(Indicator.code))
    )
    return [IndicatorInfo(**row._mapping) for row in execute(session, stmt)]


def _latest_values(
    session: Session, ids: list[uuid.UUID], keys: set[str]
) -> dict[uuid.UUID, dict[tuple[str, str], ValueRow]]:
    """Per indicator, the values of its latest period among these scopes (every period that ends last)."""
    v, later = IndicatorValue, aliased(IndicatorValue)
    shared = (col(v.deleted_at).is_(None), col(v.gender) == Gender.total, col(v.scope_key).in_(sorted(keys)))
    last_end = (
        select(func.max(col(later.period_end)))
        .where(
            col(later.indicator_id) == col(v.indicator_id),
            col(later.deleted_at).is_(None),
            col(later.gender) == Gender.total,
            col(later.scope_key).in_(sorted(keys)),
        )
        .scalar_subquery()
    )
    stmt = select(
        col(v.indicator_id),
        col(v.scope_key),
        col(v.period),
        col(v.value),
        col(v.numerator),
        col(v.denominator),
        col(v.weight),
    ).where(col(v.indicator_id).in_(ids), *shared, col(v.period_end) == last_end)
    out: dict[uuid.UUID, dict[tuple[str, str], ValueRow]] = {i: {} for i in ids}
    for r in execute(session, stmt):
        out[r.indicator_id][(r.scope_key, r.period)] = ValueRow(r.value, r.numerator, r.denominator, r.weight)
    return out


def _targets(session: Session, ids: list[uuid.UUID], scope: Scope) -> dict[uuid.UUID, list[TargetRow]]:
    t = Target
    stmt = select(
        col(t.indicator_id),
        col(t.period_start),
        col(t.period_end),
        col(t.comparison),
        col(t.value),
        col(t.tolerance),
    ).where(
        and_(col(t.indicator_id).in_(ids), col(t.scope_key) == scope.key),
        col(t.deleted_at).is_(None),
        col(t.gender) == Gender.total,
    )
    out: dict[uuid.UUID, list[TargetRow]] = {i: [] for i in ids}
    for r in execute(session, stmt):
        out[r.indicator_id].append(TargetRow(scope, r.period_start, r.period_end, r.comparison, r.value, r.tolerance))
    return out


def strategy_indicators(session: Session, strategy_id: uuid.UUID, scope_text: str) -> dict[str, Any]:
    strategy = _strategy(session, strategy_id)
    (scope,) = series.resolve_scopes(session, [scope_text], repeated=False)
    indicators = _indicators(session, strategy_id)
    if not indicators:
        return {"data": [], "strategy": strategy, **scope_fields(scope)}
    members = series.read_members(session, [scope])
    keys = {scope.key} | {m.key for m in members[scope.key]}
    ids = [i.id for i in indicators]
    values = _latest_values(session, ids, keys)
    targets = _targets(session, ids, scope)
    data: list[dict[str, Any]] = []
    for indicator in indicators:
        latest = None
        if values[indicator.id]:
            # The longest of the periods that end last: the year 2024 rather than its fourth quarter.
            period = min((parse(text) for _, text in values[indicator.id]), key=lambda p: p.start)
            own = {scope.key: targets[indicator.id]}
            figures = Figures(indicator, [scope], [period], members, values[indicator.id], own)
            latest = point(figures, scope, period)
        data.append(
            {
                "id": indicator.id,
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "direction": indicator.direction,
                "decimals": indicator.decimals,
                "latest": latest,
            }
        )
    return {"data": data, "strategy": strategy, **scope_fields(scope)}
