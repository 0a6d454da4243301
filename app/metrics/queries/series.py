"""An indicator's series: what a request asks for (checked, with the parameter named when it is wrong), and the
figures it needs, read in a constant number of statements whatever the number of scopes and periods: the
indicator, the scopes, their members, the values of scopes and members, and the scopes' targets.

Every read is plain rows (app.core.reads.execute); the points are built from them in aggregate.py."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.core.errors import ValidationFailed, not_found
from app.core.reads import execute
from app.metrics import periods, scopes
from app.metrics.models import (
    COUNTY_KEY,
    Aggregation,
    Direction,
    Gender,
    Indicator,
    IndicatorValue,
    Reporters,
    ScopeKind,
    Target,
    Unit,
)
from app.metrics.periods import Period
from app.metrics.queries.aggregate import ValueRow
from app.metrics.queries.attainment import TargetRow, target_for
from app.metrics.scopes import COUNTY, Member, Scope
from app.organisations.models import AreaMember, Organisation, OrganisationKind

# Twenty years of months: more is not a series anyone reads, and would only make a long answer.
MAX_PERIODS = 240
MAX_SCOPES = 25


@dataclass(frozen=True)
class IndicatorInfo:
    id: uuid.UUID
    code: str
    name: str
    unit: Unit
    direction: Direction
    decimals: int
    by_gender: bool
    aggregation: Aggregation
    reporters: Reporters

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "name": self.name, "unit": self.unit, "decimals": self.decimals}


@dataclass
class Figures:
    """What the points of a request are built from."""

    indicator: IndicatorInfo
    scopes: list[Scope]
    periods: list[Period]
    members: dict[str, list[Member]]
    values: dict[tuple[str, str], ValueRow]
    targets: dict[str, list[TargetRow]]

    def target(self, scope: Scope, period: Period) -> TargetRow | None:
        return target_for(self.targets.get(scope.key, []), period)


INDICATOR_COLUMNS = (
    col(Indicator.id),
    col(Indicator.code),
    col(Indicator.name),
    col(Indicator.unit),
    col(Indicator.direction),
    col(Indicator.decimals),
    col(Indicator.by_gender),
    col(Indicator.aggregation),
    col(Indicator.reporters),
)


def read_indicator(session: Session, indicator_id: uuid.UUID) -> IndicatorInfo:
    stmt = select(*INDICATOR_COLUMNS).where(col(Indicator.id) == indicator_id, col(Indicator.deleted_at).is_(None))
    row = execute(session, stmt).first()
    if row is None:
        raise not_found("indicator", indicator_id)
    return IndicatorInfo(**row._mapping)


def check_gender(indicator: IndicatorInfo, gender: Gender) -> None:
    if gender is not Gender.total and not indicator.by_gender:
        raise ValidationFailed(("query", "gender"), "this indicator is not split by gender: use total")


def _period(text: str, name: str) -> Period:
    try:
        return periods.parse(text)
    except ValueError as exc:
        raise ValidationFailed(("query", name), str(exc)) from None


def period_range(from_text: str, to_text: str) -> list[Period]:
    """Every period of `from`'s granularity from `from` up to the end of `to` (a 422 naming the parameter for a
    bad period, `from` after `to`, or a range longer than MAX_PERIODS)."""
    first, last = _period(from_text, "from"), _period(to_text, "to")
    if first.start > last.end:
        raise ValidationFailed(("query", "from"), f"{first} is after to ({last})")
    found: list[Period] = []
    current = first
    while current.end <= last.end:
        found.append(current)
        if len(found) > MAX_PERIODS:
            raise ValidationFailed(("query", "to"), f"the range is longer than {MAX_PERIODS} periods")
        if current.end == last.end:
            break  # also where the notation ends: there is no period after 2199
        current = current.following()
    if not found:
        raise ValidationFailed(("query", "to"), f"no whole period like {first} lies between from and to")
    return found


def resolve_scopes(session: Session, texts: Iterable[str], repeated: bool = True) -> list[Scope]:
    """The scopes a request names (`scopes.resolve`'s notation), in its order without repeats, in one statement.
    A 422 names the parameter, and its position when it is `repeated`."""
    texts = list(texts)

    def loc(i: int) -> tuple[str | int, ...]:
        return ("query", "scope", i) if repeated else ("query", "scope")

    if len(texts) > MAX_SCOPES:
        raise ValidationFailed(("query", "scope"), f"at most {MAX_SCOPES} scopes")
    found = scopes.resolve_all(session, texts)
    out: dict[str, Scope] = {}
    for i, text in enumerate(texts):
        scope = found[text]
        if isinstance(scope, str):
            raise ValidationFailed(loc(i), scope)
        out.setdefault(scope.key, scope)
    return list(out.values())


def read_members(session: Session, wanted: list[Scope]) -> dict[str, list[Member]]:
    """The members of each scope (a sub-region's principals; the county's: those of every sub-region, each once), by
    name, all in one statement."""
    out: dict[str, list[Member]] = {s.key: [] for s in wanted}
    areas = [s.organisation_id for s in wanted if s.kind is ScopeKind.sub_region]
    county = any(s.kind is ScopeKind.county for s in wanted)
    if not areas and not county:
        return out
    area = aliased(Organisation)
    stmt = (
        select(col(AreaMember.area_id), col(Organisation.id), col(Organisation.name), col(Organisation.kind))
        .join(AreaMember, col(AreaMember.organisation_id) == col(Organisation.id))
        .join(area, col(area.id) == col(AreaMember.area_id))
        .where(
            col(Organisation.deleted_at).is_(None),
            col(area.deleted_at).is_(None),
            col(area.kind) == OrganisationKind.sub_region,
        )
        .order_by(col(Organisation.name_sort), col(Organisation.id))
    )
    if not county:
        stmt = stmt.where(col(AreaMember.area_id).in_(areas))
    everyone: dict[uuid.UUID, Member] = {}
    for row in execute(session, stmt):
        member = everyone.setdefault(row.id, Member(row.id, row.name, row.kind))
        key = row.area_id.hex
        if key in out:
            out[key].append(member)
    if county:
        out[COUNTY_KEY] = list(everyone.values())
    return out


def read_values(
    session: Session, indicator_id: uuid.UUID, keys: Iterable[str], wanted: list[Period], gender: Gender
) -> dict[tuple[str, str], ValueRow]:
    """The live values of these scopes for these periods, by (scope key, period), in one statement."""
    v = IndicatorValue
    stmt = select(
        col(v.scope_key), col(v.period), col(v.value), col(v.numerator), col(v.denominator), col(v.weight)
    ).where(
        col(v.indicator_id) == indicator_id,
        col(v.deleted_at).is_(None),
        col(v.gender) == gender,
        # The range lets the series index do the work; the list keeps the granularity asked for.
        col(v.period_start) >= wanted[0].start,
        col(v.period_start) <= wanted[-1].start,
        col(v.period).in_([p.text for p in wanted]),
        col(v.scope_key).in_(sorted(set(keys))),
    )
    return {
        (r.scope_key, r.period): ValueRow(r.value, r.numerator, r.denominator, r.weight) for r in execute(session, stmt)
    }


def read_targets(
    session: Session, indicator_id: uuid.UUID, wanted: list[Scope] | None, first: Period, last: Period, gender: Gender
) -> dict[str, list[TargetRow]]:
    """The live targets of these scopes (None: of every scope) that cover some of the range, by scope key, in
    one statement; each with its scope, named."""
    t = Target
    stmt = (
        select(
            col(t.scope_key),
            col(t.scope_kind),
            col(t.organisation_id),
            col(Organisation.name),
            col(t.period_start),
            col(t.period_end),
            col(t.comparison),
            col(t.value),
            col(t.tolerance),
        )
        .outerjoin(Organisation, col(Organisation.id) == col(t.organisation_id))
        .where(
            col(t.indicator_id) == indicator_id,
            col(t.deleted_at).is_(None),
            col(t.gender) == gender,
            col(t.period_start) <= last.end,
            or_(col(t.period_end).is_(None), col(t.period_end) >= first.start),
        )
        .order_by(col(t.period_start))
    )
    if wanted is not None:
        stmt = stmt.where(col(t.scope_key).in_([s.key for s in wanted]))
    out: dict[str, list[TargetRow]] = {}
    for r in execute(session, stmt):
        scope = COUNTY if r.scope_kind is ScopeKind.county else Scope(r.scope_kind, r.organisation_id, r.name)
        row = TargetRow(scope, r.period_start, r.period_end, r.comparison, r.value, r.tolerance)
        out.setdefault(r.scope_key, []).append(row)
    return out


def read_figures(
    session: Session,
    indicator: IndicatorInfo,
    wanted: list[Scope],
    wanted_periods: list[Period],
    gender: Gender,
    targets: dict[str, list[TargetRow]] | None = None,
) -> Figures:
    """The members, values and (unless given) targets the points of `wanted` need: three statements."""
    members = read_members(session, wanted)
    keys = {s.key for s in wanted} | {m.key for group in members.values() for m in group}
    values = read_values(session, indicator.id, keys, wanted_periods, gender)
    if targets is None:
        targets = read_targets(session, indicator.id, wanted, wanted_periods[0], wanted_periods[-1], gender)
    return Figures(indicator, wanted, wanted_periods, members, values, targets)
