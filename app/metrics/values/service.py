"""Values one at a time: report one, correct it, withdraw it. Every write goes through `store.upsert_rows` (or
`store.withdraw`), the one versioned write that bulk imports use too; this module turns a request into a
`store.ValueRow` and answers the store's refusals as the request's own fields."""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session, col

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.principal import Actor
from app.core.reads import execute
from app.metrics import periods, scopes
from app.metrics.models import Indicator, IndicatorValue
from app.metrics.values import store
from app.metrics.values.models import ValueCorrection, ValueIn
from app.metrics.values.problems import Loc, field_name, refused
from app.organisations.models import Organisation

# Sending one of these without `value` recomputes the value from them (a corrected count changes the share).
_SHARE_PARTS = frozenset({"numerator", "denominator"})


@dataclass
class Lookups:
    """Indicators and scopes already resolved, by what the request named: a batch of rows naming the same few
    indicators and scopes resolves each once."""

    indicator_ids: dict[uuid.UUID | str, uuid.UUID] = field(default_factory=dict)
    scope_by_text: dict[str, scopes.Scope] = field(default_factory=dict)


def _indicator_id(session: Session, body: ValueIn, loc: Loc, lookups: Lookups) -> uuid.UUID:
    if (body.indicator_id is None) == (body.indicator_code is None):
        raise ValidationFailed((*loc, "indicator_id"), "give exactly one of indicator_id and indicator_code")
    named: uuid.UUID | str = body.indicator_id or body.indicator_code  # type: ignore[assignment]
    if named in lookups.indicator_ids:
        return lookups.indicator_ids[named]
    stmt = select(col(Indicator.id)).where(col(Indicator.deleted_at).is_(None))
    if body.indicator_id is not None:
        stmt = stmt.where(col(Indicator.id) == body.indicator_id)
    else:
        stmt = stmt.where(col(Indicator.code) == body.indicator_code)
    found = execute(session, stmt).scalar_one_or_none()
    if found is None:
        raise ValidationFailed((*loc, field_name("indicator", by_code=body.indicator_id is None)), "no such indicator")
    lookups.indicator_ids[named] = found
    return found


def to_row(session: Session, body: ValueIn, loc: Loc = ("body",), lookups: Lookups | None = None) -> store.ValueRow:
    """The store's row for one value as sent, its indicator and scope resolved; 422 at `loc` + the field for an
    unknown indicator, a scope that is none, or a period out of range. The value's rules are the store's."""
    lookups = lookups if lookups is not None else Lookups()
    indicator_id = _indicator_id(session, body, loc, lookups)
    scope = lookups.scope_by_text.get(body.scope)
    if scope is None:
        scope = lookups.scope_by_text[body.scope] = scopes.resolve(session, body.scope, (*loc, "scope"))
    try:
        period = periods.parse(body.period)
    except ValueError as exc:
        raise ValidationFailed((*loc, "period"), str(exc)) from None
    return store.ValueRow(
        indicator_id,
        scope,
        period,
        body.gender,
        body.value,
        body.numerator,
        body.denominator,
        body.weight,
        body.status,
        body.source,
        body.comment,
    )


def get_value(session: Session, ident: uuid.UUID) -> IndicatorValue:
    """A live value; 404 for an unknown or withdrawn one."""
    return crud.get_live(session, IndicatorValue, ident, store.KIND)


def _live_id(session: Session, row: store.ValueRow) -> uuid.UUID | None:
    stmt = select(col(IndicatorValue.id)).where(
        col(IndicatorValue.deleted_at).is_(None),
        col(IndicatorValue.indicator_id) == row.indicator_id,
        col(IndicatorValue.scope_key) == row.scope.key,
        col(IndicatorValue.period) == row.period.text,
        col(IndicatorValue.gender) == row.gender,
    )
    return execute(session, stmt).scalar_one_or_none()


def create_value(session: Session, actor: Actor, body: ValueIn) -> uuid.UUID:
    """Report one new value; 409 `value_exists` (with its id) when the key has a live value: correct that one."""
    row = to_row(session, body)
    # Who may report for the scope comes before whether the value exists: a refusal says nothing about the data.
    scopes.require_reporter(actor, row.scope)
    existing = _live_id(session, row)
    if existing is not None:
        raise Conflict(
            f"{row.scope.name} already has a value for {row.period.text} ({row.gender}): correct it with PATCH.",
            code="value_exists",
            existing_id=str(existing),
        )
    by_code = body.indicator_id is None
    try:
        return store.upsert_rows(session, actor, [row]).ids[0]
    except store.RowsRefused as exc:
        raise refused(exc.problems, lambda p: ("body", field_name(p.field, by_code=by_code))) from None


def scope_of(session: Session, value: IndicatorValue) -> scopes.Scope:
    if value.organisation_id is None:
        return scopes.COUNTY
    org = session.get(Organisation, value.organisation_id)
    name = org.name if org else str(value.organisation_id)
    return scopes.Scope(value.scope_kind, value.organisation_id, name, org.kind if org else None)


def correct_value(session: Session, actor: Actor, value: IndicatorValue, body: ValueCorrection) -> bool:
    """The current figures with the fields sent applied, as a new version with the reason; whether anything
    changed (a correction that changes nothing writes nothing)."""
    scope = scope_of(session, value)
    scopes.require_reporter(actor, scope)
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    if _SHARE_PARTS & set(changes) and "value" not in changes:
        changes["value"] = None
    row = store.row_of(value, scope, periods.parse(value.period), **changes)
    try:
        outcome = store.upsert_rows(session, actor, [row], reason=body.reason)
    except store.RowsRefused as exc:
        raise refused(exc.problems, lambda p: ("body", field_name(p.field, by_code=False))) from None
    if outcome.changed:
        session.refresh(value)  # the store wrote past the ORM: the new version number makes the new ETag
    return bool(outcome.changed)


def withdraw_value(session: Session, actor: Actor, value: IndicatorValue, reason: str) -> None:
    """Take a value back; its history keeps every version, and reads as of an earlier moment still show it."""
    scopes.require_reporter(actor, scope_of(session, value))
    store.withdraw(session, actor, value, reason)
