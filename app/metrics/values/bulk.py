"""Many values at once, from JSON rows, a CSV file or the CLI: all or nothing, through `store.upsert_rows`.

A file names indicators by id or code and scopes by text (`county`, an id, a municipality code). Each distinct
text is resolved once, for the whole file, in a few statements: 500 000 rows name a few dozen of each. Every bad
row is collected before anything is written, so one answer names them all (by line or by position)."""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlmodel import Session, col

from app.core.principal import Actor
from app.core.reads import execute
from app.metrics import periods, scopes
from app.metrics.models import Gender, Indicator, ValueStatus
from app.metrics.periods import Period
from app.metrics.values import store
from app.metrics.values.bulk_models import ImportRowIn, ValueImportOut
from app.metrics.values.problems import field_name, refused
from app.metrics.values.store import RowProblem

# A 422 lists at most this many bad rows (a wrong file can have half a million); `detail` gives the count.
IN_CHUNK = 500  # ids per IN (…): well under SQLite's and PostgreSQL's limits on bound parameters


@dataclass(frozen=True)
class Draft:
    """A row as a file brings it: its indicator and scope still as the file names them."""

    indicator_id: uuid.UUID | None
    indicator_code: str | None
    scope: str
    period: Period | None
    gender: Gender = Gender.total
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    weight: Decimal | None = None
    status: ValueStatus = ValueStatus.preliminary
    source: str | None = None
    comment: str | None = None


# Where a row's field is named in the 422: ("body", "values", i, field) or ("body", "line", n, column).
Locator = Callable[[int, str], tuple[str | int, ...]]


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), IN_CHUNK):
        yield items[start : start + IN_CHUNK]


def indicator_ids(session: Session, codes: Iterable[str]) -> dict[str, uuid.UUID]:
    """The live indicators of these codes, by code: one statement per 500 distinct codes."""
    found: dict[str, uuid.UUID] = {}
    for chunk in _chunks(sorted(set(codes))):
        stmt = select(col(Indicator.code), col(Indicator.id)).where(
            col(Indicator.code).in_(chunk), col(Indicator.deleted_at).is_(None)
        )
        found.update({r.code: r.id for r in execute(session, stmt)})
    return found


def drafts_of(values: Sequence[ImportRowIn]) -> list[Draft]:
    """JSON rows (already checked by their model) as drafts."""
    return [
        Draft(
            v.indicator_id,
            v.indicator_code,
            v.scope,
            periods.parse(v.period),
            v.gender,
            v.value,
            v.numerator,
            v.denominator,
            v.weight,
            v.status,
            v.source,
            v.comment,
        )
        for v in values
    ]


def answer(outcome: store.Outcome, dry_run: bool) -> ValueImportOut:
    total = outcome.created + outcome.changed + outcome.unchanged
    return ValueImportOut(
        created=outcome.created, changed=outcome.changed, unchanged=outcome.unchanged, total=total, dry_run=dry_run
    )


def to_rows(
    session: Session, actor: Actor, drafts: Sequence[Draft], problems: list[RowProblem]
) -> list[store.ValueRow | None]:
    """The drafts as rows for the store, resolved; a draft that cannot be one adds its problem and is None.
    A scope the caller may not report for refuses the whole batch (403) before any row's problem is told."""
    codes = indicator_ids(session, (d.indicator_code for d in drafts if d.indicator_id is None and d.indicator_code))
    found = scopes.resolve_all(session, (d.scope for d in drafts if d.scope))
    for scope in {s for s in found.values() if isinstance(s, scopes.Scope)}:
        scopes.require_reporter(actor, scope)
    rows: list[store.ValueRow | None] = []
    for index, d in enumerate(drafts):
        ident = d.indicator_id or (codes.get(d.indicator_code) if d.indicator_code else None)
        if ident is None and d.indicator_code:
            problems.append(RowProblem(index, "indicator_code", f"no indicator has the code {d.indicator_code!r}"))
        resolved = found.get(d.scope) if d.scope else None
        if isinstance(resolved, str):
            problems.append(RowProblem(index, "scope", resolved))
        if ident is None or not isinstance(resolved, scopes.Scope) or d.period is None:
            rows.append(None)
            continue
        rows.append(
            store.ValueRow(
                ident,
                resolved,
                d.period,
                d.gender,
                d.value,
                d.numerator,
                d.denominator,
                d.weight,
                d.status,
                d.source,
                d.comment,
            )
        )
    return rows


def import_drafts(
    session: Session,
    actor: Actor,
    drafts: Sequence[Draft],
    problems: list[RowProblem],
    where: Locator,
    *,
    reason: str | None = None,
    dry_run: bool = False,
    progress: store.Progress | None = None,
) -> store.Outcome:
    """Write the drafts, or refuse them all: ValidationFailed lists every bad row at `where(index, field)`."""
    problems = list(problems)
    rows = to_rows(session, actor, drafts, problems)
    bad = {p.index for p in problems}  # a row told once: a cell that did not parse is not checked again
    good = [(i, r) for i, r in enumerate(rows) if r is not None and i not in bad]
    try:
        outcome = store.upsert_rows(
            session, actor, [r for _, r in good], reason=reason, dry_run=dry_run or bool(problems), progress=progress
        )
    except store.RowsRefused as exc:
        for p in exc.problems:
            index = good[p.index][0]
            problems.append(RowProblem(index, field_name(p.field, by_code=not drafts[index].indicator_id), p.msg))
    if problems:
        raise refused(problems, lambda p: where(p.index, p.field))
    return outcome
