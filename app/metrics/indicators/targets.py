"""Rules for targets. A target holds for one indicator, scope and gender from a period on, to another or until
further notice; two live targets of the same indicator, scope and gender never cover the same day, so the target
of a value is always one (or none). Writes lock the indicator's row first: two targets written at the same moment
cannot both pass the overlap check (SQLite's writers already queue on its one write lock)."""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, literal, or_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor
from app.core.reads import shape
from app.core.text import clean
from app.decisions.models import Decision
from app.metrics import periods, scopes
from app.metrics.indicators.models import TargetCreate, TargetOut, TargetUpdate
from app.metrics.indicators.service import get_indicator
from app.metrics.models import COUNTY_KEY, Comparison, Gender, Indicator, Target
from app.metrics.numbers import as_number
from app.organisations.models import Organisation

KIND = "indicator_target"
SORT_COLUMNS: SortColumns = {
    "period": col(Target.period_start),
    "created_at": col(Target.created_at),
    "updated_at": col(Target.updated_at),
}


def _scope_ref(key: str) -> str:
    return key if key == COUNTY_KEY else str(uuid.UUID(key))


SHAPE = shape(
    Target,
    TargetOut,
    computed={
        "scope": col(Target.scope_key).label("scope"),
        "scope_name": func.coalesce(
            select(Organisation.name).where(Organisation.id == Target.organisation_id).scalar_subquery(),
            literal(scopes.COUNTY_NAME),
        ),
    },
    convert={"scope": _scope_ref, "value": as_number, "tolerance": as_number},
)


@dataclass(frozen=True)
class TargetFilter:
    indicator_id: uuid.UUID | None = None
    scope: scopes.Scope | None = None
    gender: Gender | None = None


def get_target(session: Session, ident: uuid.UUID) -> Target:
    return crud.get_live(session, Target, ident, KIND)


def list_page(session: Session, flt: TargetFilter, params: ListParams) -> PageResult:
    stmt = SHAPE.select()
    if flt.indicator_id is not None:
        stmt = stmt.where(col(Target.indicator_id) == flt.indicator_id)
    if flt.scope is not None:
        stmt = stmt.where(col(Target.scope_key) == flt.scope.key)
    if flt.gender is not None:
        stmt = stmt.where(col(Target.gender) == flt.gender)
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def render(session: Session, target: Target) -> dict[str, Any]:
    return SHAPE.one(session, target.id)


def _period(text: str, field: str) -> periods.Period:
    try:
        return periods.parse(text)
    except ValueError as exc:
        raise ValidationFailed(field, str(exc)) from None


def _place(session: Session, target: Target, scope_text: str | None) -> None:
    """Resolve the scope and the periods the request names into the stored columns."""
    if scope_text is not None:
        scope = scopes.resolve(session, scope_text, ("body", "scope"))
        target.scope_kind, target.organisation_id = scope.kind, scope.organisation_id
        target.scope_key = scope.key
    first = _period(target.period_from, "period_from")
    target.period_from, target.period_start = first.text, first.start
    target.period_end = None
    if target.period_to is not None:
        last = _period(target.period_to, "period_to")
        if last.end < first.end or last.start < first.start:
            raise ValidationFailed("period_to", f"may not end before period_from ({first.text})")
        target.period_to, target.period_end = last.text, last.end


def _check(session: Session, indicator: Indicator, target: Target) -> None:
    if target.gender is not Gender.total and not indicator.by_gender:
        raise ValidationFailed("gender", "the indicator is not split by gender: use total")
    if target.tolerance is not None:
        if target.comparison is not Comparison.eq:
            raise ValidationFailed("tolerance", "is only for an `eq` target")
        if target.tolerance < Decimal(0):
            raise ValidationFailed("tolerance", "may not be negative")
    if target.decision_id is not None:
        crud.live_or_invalid(session, Decision, target.decision_id, "decision_id", "decision")
    if target.comment is not None:
        target.comment = clean(target.comment) or None
    _refuse_overlap(session, target)


def _refuse_overlap(session: Session, target: Target) -> None:
    stmt = select_columns(col(Target.id), col(Target.period_from), col(Target.period_to)).where(
        col(Target.indicator_id) == target.indicator_id,
        col(Target.scope_key) == target.scope_key,
        col(Target.gender) == target.gender,
        col(Target.id) != target.id,
        col(Target.deleted_at).is_(None),
        or_(col(Target.period_end).is_(None), col(Target.period_end) >= target.period_start),
    )
    if target.period_end is not None:
        stmt = stmt.where(col(Target.period_start) <= target.period_end)
    other = session.execute(stmt.limit(1)).first()
    if other is not None:
        until = other.period_to or "until further notice"
        raise Conflict(
            f"Target {other.id} of the indicator in this scope and gender covers {other.period_from}–{until}, "
            "which overlaps: end it first (period_to), or change it.",
            code="target_overlaps",
            existing_id=str(other.id),
        )


def create_target(session: Session, actor: Actor | None, body: TargetCreate) -> Target:
    """A new target; the caller has checked the role (the demo loader calls this as the system)."""
    indicator = crud.live_or_invalid(session, Indicator, body.indicator_id, "indicator_id", "indicator")
    indicator = get_indicator(session, indicator.id, for_update=True)
    target = Target(**body.model_dump(exclude={"scope"}), scope_kind=scopes.COUNTY.kind, scope_key=COUNTY_KEY)
    _place(session, target, body.scope)
    _check(session, indicator, target)
    return crud.create(session, actor, target, KIND, body.model_dump(mode="json", exclude_none=True))


def update_target(session: Session, actor: Actor, target: Target, body: TargetUpdate) -> Target:
    indicator = get_indicator(session, target.indicator_id, for_update=True)
    changes = body.model_dump(exclude_unset=True, exclude={"scope"})
    diff = crud.apply_changes(target, changes, required={"gender", "period_from", "comparison", "value"})
    old_key = target.scope_key
    _place(session, target, body.scope)
    if target.scope_key != old_key:
        diff["scope"] = [_scope_ref(old_key), _scope_ref(target.scope_key)]
    _check(session, indicator, target)
    crud.save_update(session, actor, target, KIND, diff)
    return target


def remove_target(session: Session, actor: Actor, target: Target) -> None:
    crud.soft_delete(session, actor, target, KIND)
