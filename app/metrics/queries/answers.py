"""The answers of the series and attainment queries, built as plain data from what series.py reads (five
statements at most: indicator, scopes, members, values, targets)."""

import uuid
from typing import Any

from sqlmodel import Session

from app.core.text import swedish_sort_key
from app.metrics import scopes
from app.metrics.models import Gender, ScopeKind
from app.metrics.numbers import as_number
from app.metrics.periods import Period
from app.metrics.queries import series
from app.metrics.queries.aggregate import Computed, scope_value
from app.metrics.queries.attainment import TargetRow, judge
from app.metrics.queries.series import Figures
from app.metrics.scopes import Scope

_KIND_ORDER = {ScopeKind.county: 0, ScopeKind.sub_region: 1, ScopeKind.principal: 2}


def scope_fields(scope: Scope) -> dict[str, Any]:
    return {"scope": scope.ref, "scope_kind": scope.kind, "scope_name": scope.name}


def computed(figures: Figures, scope: Scope, period: Period) -> Computed:
    members = None
    if scope.kind is not ScopeKind.principal:
        reporters = figures.indicator.reporters
        members = [m for m in figures.members.get(scope.key, []) if scopes.reports(reporters, m.kind)]
    member_rows = [figures.values.get((m.key, period.text)) for m in members or []]
    own = figures.values.get((scope.key, period.text))
    return scope_value(figures.indicator.unit, figures.indicator.aggregation, own, members, member_rows)


def point(figures: Figures, scope: Scope, period: Period) -> dict[str, Any]:
    """A scope's point for one period: its figure, how it came about, and the target that applies then."""
    figure = computed(figures, scope, period)
    target: TargetRow | None = figures.target(scope, period)
    met, distance = judge(target, figure.value)
    return {
        "period": period.text,
        "value": as_number(figure.value),
        "numerator": as_number(figure.numerator),
        "denominator": as_number(figure.denominator),
        "basis": figure.basis,
        "members_with_data": figure.members_with_data,
        "missing": [{"id": m.organisation_id, "name": m.name} for m in figure.missing],
        "target": target.ref() if target else None,
        "attainment": met,
        "distance": as_number(distance),
    }


def read_series(
    session: Session, indicator_id: uuid.UUID, scope_texts: list[str] | None, from_: str, to: str, gender: Gender
) -> Figures:
    """Everything a series or a chart of it draws on, the request checked first (422s naming the parameter)."""
    indicator = series.read_indicator(session, indicator_id)
    series.check_gender(indicator, gender)
    wanted_periods = series.period_range(from_, to)
    wanted = series.resolve_scopes(session, scope_texts or ["county"])
    return series.read_figures(session, indicator, wanted, wanted_periods, gender)


def series_answer(figures: Figures) -> dict[str, Any]:
    """The series envelope: one entry per scope, one point per period."""
    data = [
        {**scope_fields(scope), "points": [point(figures, scope, p) for p in figures.periods]}
        for scope in figures.scopes
    ]
    return {"data": data, "indicator": figures.indicator.ref()}


def attainment_answer(
    session: Session, indicator_id: uuid.UUID, scope_texts: list[str] | None, from_: str, to: str, gender: Gender
) -> dict[str, Any]:
    """Each scope's value against its target, for every period of the range that has a target. Without scopes:
    every scope that has a target in the range (the county first, then by name)."""
    indicator = series.read_indicator(session, indicator_id)
    series.check_gender(indicator, gender)
    wanted_periods = series.period_range(from_, to)
    first, last = wanted_periods[0], wanted_periods[-1]
    if scope_texts:
        wanted = series.resolve_scopes(session, scope_texts)
        targets = series.read_targets(session, indicator.id, wanted, first, last, gender)
    else:
        targets = series.read_targets(session, indicator.id, None, first, last, gender)
        found = {rows[0].scope.key: rows[0].scope for rows in targets.values()}
        wanted = sorted(found.values(), key=lambda s: (_KIND_ORDER[s.kind], swedish_sort_key(s.name)))
    figures = series.read_figures(session, indicator, wanted, wanted_periods, gender, targets)
    rows = []
    for scope in figures.scopes:
        for period in figures.periods:
            target = figures.target(scope, period)
            if target is None:
                continue
            value = computed(figures, scope, period).value
            met, distance = judge(target, value)
            rows.append(
                {
                    **scope_fields(scope),
                    "period": period.text,
                    "target": target.ref(),
                    "value": as_number(value),
                    "attainment": met,
                    "distance": as_number(distance),
                }
            )
    return {"data": rows, "indicator": indicator.ref()}
