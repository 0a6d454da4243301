"""Reading values: the list (now, or as of any moment), one value, and a value's history. Each is one SQL
statement (plus a count when asked for), whatever the filters: scopes named by municipality code are matched in
the statement itself, not looked up one by one.

As of a moment T the list shows the version of each value that was valid then: recorded at or before T and not
superseded until after T, and not a withdrawal. A value created after T is absent, one withdrawn after T is there
with its figures of then, a corrected one shows the figures it had before the correction."""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, literal, or_
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Select
from sqlmodel import Session, col

from app.core.errors import NotFound, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.reads import Convert, Shape, execute, shape
from app.core.time import STOCKHOLM
from app.metrics import periods
from app.metrics.models import COUNTY_KEY, Gender, Indicator, IndicatorValue, ScopeKind, ValueStatus, ValueVersion
from app.metrics.numbers import as_number
from app.metrics.periods import Period
from app.metrics.scopes import COUNTY_NAME
from app.metrics.values.models import ValueOut, VersionOut
from app.organisations.models import Organisation

FIGURES = ("value", "numerator", "denominator", "weight")
_AS_NUMBERS: dict[str, Convert] = {name: as_number for name in FIGURES}
_VALUE = IndicatorValue
# The version a live value shows (its reason), and the version an "as of" read shows.
_CURRENT = aliased(ValueVersion, name="current_version")
_THEN = aliased(ValueVersion, name="version_then")


def scope_ref(key: str) -> str:
    """The stored scope key as the API shows it: `county`, or the organisation's id."""
    return key if key == COUNTY_KEY else str(uuid.UUID(key))


_CONVERT: dict[str, Convert] = {**_AS_NUMBERS, "scope": scope_ref}
_JOINED: dict[str, Any] = {
    "indicator_code": col(Indicator.code),
    "scope": col(_VALUE.scope_key),
    "scope_name": func.coalesce(col(Organisation.name), literal(COUNTY_NAME)),
    "reason": col(_CURRENT.reason),
}

VALUE_SHAPE = shape(IndicatorValue, ValueOut, computed=_JOINED, convert=_CONVERT)


class _AsOfRow:
    """What read_page needs of the model of an "as of" list: the value's id and creation, and as its `updated_at`
    the moment the version shown was recorded. No `deleted_at`: a value withdrawn since is shown as it was."""

    id = _VALUE.id
    created_at = _VALUE.created_at
    updated_at = _THEN.recorded_at


_FROM_VERSION = ("value", "numerator", "denominator", "weight", "status", "source", "comment")
_AS_OF_COLUMNS: dict[str, Any] = {
    **{name: VALUE_SHAPE.columns[name] for name in ValueOut.model_fields if name not in _FROM_VERSION},
    **{name: getattr(_THEN, name) for name in _FROM_VERSION},
    "updated_at": col(_THEN.recorded_at),
    "version": col(_THEN.number),
    "reported_by": col(_THEN.recorded_by),
    "reason": col(_THEN.reason),
}
AS_OF_SHAPE = shape(_AsOfRow, ValueOut, columns=_AS_OF_COLUMNS, convert=_CONVERT)
HISTORY_SHAPE = shape(ValueVersion, VersionOut, convert=_AS_NUMBERS)

SORT: SortColumns = {
    "period": col(_VALUE.period_start),
    "created_at": col(_VALUE.created_at),
    "updated_at": col(_VALUE.updated_at),
}
AS_OF_SORT: SortColumns = {**SORT, "updated_at": col(_THEN.recorded_at)}


def _joined(stmt: Select[Any]) -> Select[Any]:
    """A value's indicator (its code) and organisation (its name; none for the county)."""
    return stmt.join(Indicator, col(Indicator.id) == col(_VALUE.indicator_id)).outerjoin(
        Organisation, col(Organisation.id) == col(_VALUE.organisation_id)
    )


def _current_select() -> Select[Any]:
    stmt = _joined(VALUE_SHAPE.select().select_from(_VALUE))
    current = and_(col(_CURRENT.value_id) == col(_VALUE.id), col(_CURRENT.number) == col(_VALUE.version))
    return stmt.outerjoin(_CURRENT, current)


def _as_of_select(moment: datetime) -> Select[Any]:
    stmt = AS_OF_SHAPE.select().select_from(_THEN).join(_VALUE, col(_VALUE.id) == col(_THEN.value_id))
    return _joined(stmt).where(
        col(_THEN.recorded_at) <= moment,
        or_(col(_THEN.superseded_at).is_(None), col(_THEN.superseded_at) > moment),
        col(_THEN.withdrawn).is_(False),
    )


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def parse_as_of(text: str) -> datetime:
    """`as_of`: a date means the end of that day in Stockholm; a date-time (with its UTC offset) that moment."""
    loc = ("query", "as_of")
    try:
        if _DATE.match(text):
            next_day = datetime.combine(date.fromisoformat(text) + timedelta(days=1), time(), STOCKHOLM)
            return (next_day - timedelta(microseconds=1)).astimezone(UTC)
        moment = datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        raise ValidationFailed(loc, "must be a date (2024-05-03) or a date-time (2024-05-03T09:30:00+02:00)") from None
    if moment.tzinfo is None:
        raise ValidationFailed(loc, "a date-time must include a UTC offset", type="timezone_aware")
    return moment.astimezone(UTC)


_MUNICIPALITY_CODE = re.compile(r"^\d{4}$", re.ASCII)


@dataclass(frozen=True)
class ScopeFilter:
    """Scopes as a list's filter names them, matched in the list's own statement: stored keys (the county, an
    organisation's id) and principals' municipality codes. An unknown id or code matches nothing."""

    keys: tuple[str, ...] = ()
    municipality_codes: tuple[str, ...] = ()

    @classmethod
    def parse(cls, texts: list[str]) -> "ScopeFilter":
        keys: list[str] = []
        codes: list[str] = []
        for index, raw in enumerate(texts):
            text = raw.strip()
            if text.lower() == COUNTY_KEY:
                keys.append(COUNTY_KEY)
            elif _MUNICIPALITY_CODE.match(text):
                codes.append(text)
            else:
                try:
                    keys.append(uuid.UUID(text).hex)
                except ValueError:
                    msg = f"{text!r} is not a scope: give `county`, an organisation's id or a municipality code"
                    raise ValidationFailed(("query", "scope", index), msg) from None
        return cls(tuple(keys), tuple(codes))

    def condition(self) -> Any:
        return or_(
            col(_VALUE.scope_key).in_(self.keys), col(Organisation.municipality_code).in_(self.municipality_codes)
        )


@dataclass(frozen=True)
class ValueFilter:
    indicator_id: uuid.UUID | None = None
    scopes: ScopeFilter | None = None
    scope_kind: ScopeKind | None = None
    period: Period | None = None
    first: Period | None = None  # `from`: values whose period starts on or after its start
    last: Period | None = None  # `to`: values whose period ends on or before its end
    gender: Gender | None = None
    status: ValueStatus | None = None
    as_of: datetime | None = None


def _filtered(stmt: Select[Any], flt: ValueFilter, status: Any, indicator: Any) -> Select[Any]:
    """`status` and `indicator`: the columns to filter by, the value's or (as of a moment) the version's; the
    versions' own indicator column lets an "as of" read of one indicator seek its index."""
    conditions = [
        flt.indicator_id is not None and indicator == flt.indicator_id,
        flt.scopes is not None and flt.scopes.condition(),
        flt.scope_kind is not None and col(_VALUE.scope_kind) == flt.scope_kind,
        flt.period is not None and col(_VALUE.period) == flt.period.text,
        flt.first is not None and col(_VALUE.period_start) >= flt.first.start,
        flt.last is not None and col(_VALUE.period_end) <= flt.last.end,
        flt.gender is not None and col(_VALUE.gender) == flt.gender,
        flt.status is not None and status == flt.status,
    ]
    return stmt.where(*(c for c in conditions if c is not False))


def list_values(session: Session, flt: ValueFilter, params: ListParams) -> tuple[Shape, PageResult]:
    """A page of values, and the shape that renders its rows: the current figures, or those valid at `as_of`."""
    if flt.as_of is None:
        stmt = _filtered(_current_select(), flt, col(_VALUE.status), col(_VALUE.indicator_id))
        return VALUE_SHAPE, read_page(session, VALUE_SHAPE, stmt, params, SORT)
    stmt = _filtered(_as_of_select(flt.as_of), flt, col(_THEN.status), col(_THEN.indicator_id))
    return AS_OF_SHAPE, read_page(session, AS_OF_SHAPE, stmt, params, AS_OF_SORT)


def one_value(session: Session, ident: uuid.UUID) -> dict[str, Any]:
    """A value's answer (after a write in the same transaction, or for a GET of a live value)."""
    session.flush()
    return VALUE_SHAPE.render(execute(session, _current_select().where(col(_VALUE.id) == ident)).one())


def history(session: Session, ident: uuid.UUID) -> list[dict[str, Any]]:
    """Every version of a value, oldest first, withdrawn values included; 404 for an id that never was a value
    (each value has at least its first version)."""
    stmt = HISTORY_SHAPE.select().where(col(ValueVersion.value_id) == ident).order_by(col(ValueVersion.number))
    rows = HISTORY_SHAPE.rows(session, stmt)
    if not rows:
        raise NotFound(f"No indicator value with id {ident}.")
    return rows


def query_period(text: str | None, name: str) -> Period | None:
    """A period given as a query parameter (`period`, `from`, `to`); 422 naming it when it is none."""
    if text is None:
        return None
    try:
        return periods.parse(text)
    except ValueError as exc:
        raise ValidationFailed(("query", name), str(exc)) from None
