"""The one way values are written: one value by hand, a bulk file, a Kolada file and the demo all come here.

A value is never overwritten. Each write adds a version (`indicator_value_versions`) and marks the one before it
superseded, in the same transaction; the value row keeps the current figures, so that lists and series read one
row per figure. A batch is checked as a whole before anything is written (all or nothing), and its new rows are
written in chunks by `fast_insert` (COPY on PostgreSQL, one executemany on SQLite), never an ORM object per row:
500 000 values load in under a minute.

What is audited: each created or corrected value gets its audit entry (who, what, the version and the reason),
written with the values, chunk by chunk; the versions themselves keep the figures of every version."""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from itertools import islice
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlmodel import Session, col

from app.core.audit import AuditAction, AuditEntry, entries, record_many
from app.core.db import utcnow
from app.core.principal import Actor
from app.core.reads import execute
from app.metrics import scopes
from app.metrics.models import Gender, Indicator, IndicatorValue, ScopeKind, ValueStatus, ValueVersion
from app.metrics.periods import Period
from app.metrics.rules import IndicatorRules, ValueRuleError, checked_value
from app.metrics.values import fast_insert

KIND = "indicator_value"
CHUNK = 5000
VALUES = IndicatorValue.__table__  # type: ignore[attr-defined]
VERSIONS = ValueVersion.__table__  # type: ignore[attr-defined]
AUDIT = AuditEntry.__table__  # type: ignore[attr-defined]
# The fields a version carries: a row whose fields all equal the current version's is unchanged.
FIGURES = ("value", "numerator", "denominator", "weight", "status", "source", "comment")


@dataclass(frozen=True)
class ValueRow:
    """One value as a batch brings it, its scope and period already resolved (the caller names bad ones)."""

    indicator_id: uuid.UUID
    scope: scopes.Scope
    period: Period
    gender: Gender = Gender.total
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    weight: Decimal | None = None
    status: ValueStatus = ValueStatus.preliminary
    source: str | None = None
    comment: str | None = None

    @cached_property  # a batch asks it three times per row
    def key(self) -> tuple[uuid.UUID, str, str, Gender]:
        return (self.indicator_id, self.scope.key, self.period.text, self.gender)


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with row `index` (0-based, in the batch's order): the caller names it by line or position."""

    index: int
    field: str
    msg: str


class RowsRefused(Exception):
    """A batch with bad rows: every problem, and nothing written."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} bad rows")
        self.problems = problems


@dataclass
class Outcome:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    # The value id of each row, in the batch's order (a single POST answers with its value).
    ids: list[uuid.UUID] = field(default_factory=list)


@dataclass(frozen=True)
class _Current:
    id: uuid.UUID
    version: int
    figures: tuple[Any, ...]


Progress = Callable[[int], None]


def _rules(session: Session, indicator_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, IndicatorRules]:
    wanted = list(set(indicator_ids))
    stmt = select(
        col(Indicator.id),
        col(Indicator.unit),
        col(Indicator.by_gender),
        col(Indicator.aggregation),
        col(Indicator.reporters),
    ).where(col(Indicator.id).in_(wanted), col(Indicator.deleted_at).is_(None))
    return {r.id: IndicatorRules(r.unit, r.by_gender, r.aggregation, r.reporters) for r in execute(session, stmt)}


def _current(session: Session, indicator_ids: Iterable[uuid.UUID]) -> dict[tuple[Any, ...], _Current]:
    """The live values of the batch's indicators, by key: one statement per indicator chunk."""
    stmt = select(
        col(IndicatorValue.id),
        col(IndicatorValue.version),
        col(IndicatorValue.indicator_id),
        col(IndicatorValue.scope_key),
        col(IndicatorValue.period),
        col(IndicatorValue.gender),
        *(getattr(IndicatorValue, f) for f in FIGURES),
    ).where(col(IndicatorValue.deleted_at).is_(None), col(IndicatorValue.indicator_id).in_(list(set(indicator_ids))))
    return {
        (r.indicator_id, r.scope_key, r.period, r.gender): _Current(r.id, r.version, tuple(r[6:]))
        for r in execute(session, stmt)
    }


def check_rows(session: Session, actor: Actor, rows: Sequence[ValueRow]) -> tuple[list[ValueRow], list[RowProblem]]:
    """Each row with its value settled by its indicator's rules, and every problem: an unknown indicator, a
    rule broken, a principal that does not report the indicator, a key given twice. A scope the caller may not
    report for refuses the whole batch (403)."""
    for scope in {r.scope for r in rows}:
        scopes.require_reporter(actor, scope)
    rules = _rules(session, (r.indicator_id for r in rows))
    problems: list[RowProblem] = []
    checked: list[ValueRow] = []
    seen: dict[tuple[Any, ...], int] = {}
    for index, row in enumerate(rows):
        indicator = rules.get(row.indicator_id)
        if indicator is None:
            problems.append(RowProblem(index, "indicator", "no such indicator"))
            checked.append(row)
            continue
        value: Decimal | None = row.value
        try:
            value = checked_value(indicator, row.gender, row.value, row.numerator, row.denominator)
        except ValueRuleError as exc:
            problems.append(RowProblem(index, exc.field, exc.msg))
        if row.scope.kind is ScopeKind.principal and not scopes.reports(
            indicator.reporters, row.scope.organisation_kind
        ):
            problems.append(
                RowProblem(
                    index,
                    "scope",
                    f"{row.scope.name} does not report this indicator (reported by: {indicator.reporters})",
                )
            )
        if row.key in seen:
            problems.append(RowProblem(index, "period", f"the same value as row {seen[row.key] + 1} of this batch"))
        seen.setdefault(row.key, index)
        checked.append(_with_value(row, value))
    return checked, problems


def _with_value(row: ValueRow, value: Decimal | None) -> ValueRow:
    if value == row.value:
        return row
    return replace(row, value=value)


def _figures(row: ValueRow) -> tuple[Any, ...]:
    return tuple(getattr(row, f) for f in FIGURES)


def upsert_rows(
    session: Session,
    actor: Actor,
    rows: Sequence[ValueRow],
    *,
    reason: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Create the rows that are new, add a version to those that differ, leave the rest; all or nothing.

    RowsRefused lists every bad row (a broken rule, a scope the caller may not report for, and — without a
    `reason` — every row that would correct an existing value). `progress(n)` is told of each chunk written."""
    checked, problems = check_rows(session, actor, rows)
    current = _current(session, (r.indicator_id for r in checked))
    outcome = Outcome()
    ids = fast_insert.ordered_ids()
    new: list[tuple[uuid.UUID, ValueRow]] = []
    changed: list[tuple[_Current, ValueRow]] = []
    for index, row in enumerate(checked):
        existing = current.get(row.key)
        if existing is None:
            ident = next(ids)
            new.append((ident, row))
            outcome.ids.append(ident)
            continue
        outcome.ids.append(existing.id)
        if existing.figures == _figures(row):
            outcome.unchanged += 1
            continue
        if not reason:
            problems.append(RowProblem(index, "reason", "corrects an existing value: a reason is required"))
        changed.append((existing, row))
    if problems:
        raise RowsRefused(sorted(problems, key=lambda p: p.index))
    outcome.created, outcome.changed = len(new), len(changed)
    if not dry_run:
        _write(session, actor, new, changed, reason, progress)
    return outcome


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def _write(
    session: Session,
    actor: Actor,
    new: list[tuple[uuid.UUID, ValueRow]],
    changed: list[tuple[_Current, ValueRow]],
    reason: str | None,
    progress: Progress | None,
) -> None:
    conn = session.connection()
    now = utcnow()
    with fast_insert.cache_for_bulk(conn):
        _write_chunks(session, conn, actor, now, new, changed, reason, progress)


def _write_chunks(
    session: Session,
    conn: Connection,
    actor: Actor,
    now: Any,
    new: list[tuple[uuid.UUID, ValueRow]],
    changed: list[tuple[_Current, ValueRow]],
    reason: str | None,
    progress: Progress | None,
) -> None:
    version_ids, audit_ids = fast_insert.ordered_ids(), fast_insert.ordered_ids()
    for chunk in _chunks(new):
        fast_insert.insert_many(conn, VALUES, [_value_row(ident, row, actor, now) for ident, row in chunk])
        versions = [_version_row(next(version_ids), ident, 1, row, actor, now, None) for ident, row in chunk]
        fast_insert.insert_many(conn, VERSIONS, versions)
        created = [(ident, {"version": 1}) for ident, _ in chunk]
        fast_insert.insert_many(conn, AUDIT, entries(actor, AuditAction.create, KIND, created, audit_ids))
        if progress:
            progress(len(chunk))
    supersede = (
        update(VERSIONS)
        .where(VERSIONS.c.value_id == bindparam("b_value_id"), VERSIONS.c.superseded_at.is_(None))
        .values(superseded_at=bindparam("b_now"))
    )
    correct = (
        update(VALUES)
        .where(VALUES.c.id == bindparam("b_id"))
        .values(
            **{f: bindparam(f"b_{f}") for f in FIGURES},
            version=bindparam("b_version"),
            updated_at=bindparam("b_now"),
            reported_by=bindparam("b_by"),
        )
    )
    for chunk in _chunks(changed):
        conn.execute(supersede, [{"b_value_id": cur.id, "b_now": now} for cur, _ in chunk])
        conn.execute(
            correct,
            [
                {"b_id": cur.id, "b_version": cur.version + 1, "b_now": now, "b_by": actor.id}
                | {f"b_{f}": getattr(row, f) for f in FIGURES}
                for cur, row in chunk
            ],
        )
        conn.execute(
            insert(VERSIONS),
            [_version_row(uuid.uuid4(), cur.id, cur.version + 1, row, actor, now, reason) for cur, row in chunk],
        )
        if progress:
            progress(len(chunk))
    record_many(
        session,
        actor,
        AuditAction.update,
        KIND,
        [(cur.id, {"version": cur.version + 1, "reason": reason}) for cur, _ in changed],
    )


def _value_row(ident: uuid.UUID, row: ValueRow, actor: Actor, now: Any) -> dict[str, Any]:
    return {
        "id": ident,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
        "version": 1,
        "indicator_id": row.indicator_id,
        "scope_kind": row.scope.kind,
        "organisation_id": row.scope.organisation_id,
        "scope_key": row.key[1],
        "period": row.period.text,
        "period_start": row.period.start,
        "period_end": row.period.end,
        "gender": row.gender,
        "reported_by": actor.id,
        **{f: getattr(row, f) for f in FIGURES},
    }


def _version_row(
    ident: uuid.UUID, value_id: uuid.UUID, number: int, row: ValueRow, actor: Actor, now: Any, reason: str | None
) -> dict[str, Any]:
    return {
        "id": ident,
        "value_id": value_id,
        "indicator_id": row.indicator_id,
        "number": number,
        "withdrawn": False,
        "recorded_at": now,
        "recorded_by": actor.id,
        "reason": reason,
        "superseded_at": None,
        **{f: getattr(row, f) for f in FIGURES},
    }


def withdraw(session: Session, actor: Actor, value: IndicatorValue, reason: str) -> None:
    """Take a value back (soft delete): its last version is marked withdrawn, with the reason; the history and
    the "as of" reads before this moment keep it."""
    now = utcnow()
    conn = session.connection()
    conn.execute(
        update(VERSIONS)
        .where(VERSIONS.c.value_id == value.id, VERSIONS.c.superseded_at.is_(None))
        .values(superseded_at=now)
    )
    number = value.version + 1
    figures = {f: getattr(value, f) for f in FIGURES}
    conn.execute(
        insert(VERSIONS),
        [
            {
                "id": uuid.uuid4(),
                "value_id": value.id,
                "indicator_id": value.indicator_id,
                "number": number,
                "withdrawn": True,
                "recorded_at": now,
                "recorded_by": actor.id,
                "reason": reason,
                "superseded_at": now,
                **figures,
            }
        ],
    )
    conn.execute(update(VALUES).where(VALUES.c.id == value.id).values(deleted_at=now, updated_at=now, version=number))
    record_many(session, actor, AuditAction.delete, KIND, [(value.id, {"version": number, "reason": reason})])


def row_of(value: IndicatorValue, scope: scopes.Scope, period: Period, /, **changes: Any) -> ValueRow:
    """A stored value as a batch row, with `changes` applied: how a correction of one value reaches upsert_rows.
    Positional-only, so that a change of the figure `value` is not taken for the stored value itself."""
    fields = {f: getattr(value, f) for f in FIGURES} | changes
    return ValueRow(value.indicator_id, scope, period, value.gender, **fields)
