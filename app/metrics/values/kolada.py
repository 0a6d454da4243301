"""A saved Kolada answer (v3 values shape) imported as values of the indicators that carry its KPI id.

The service never reaches the internet: someone saves Kolada's answer (`/v3/data/kpi/{kpi}/municipality/{ids}/
year/{years}`) and sends it here. Kolada covers the whole country, so a file holds more than we follow: figures of
other KPIs, of municipalities that are not our principals (and the country, `0000`), and without a value are
skipped and counted, never refused; so are figures the indicator's rules refuse (a share without numerator and
denominator, a gender split the indicator does not have). What remains is written like any batch, all or nothing.
"""

from collections import Counter
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlmodel import Session, col

from app.core.principal import Actor
from app.core.reads import execute
from app.metrics import periods, scopes
from app.metrics.models import Gender, Indicator, ScopeKind, ValueStatus
from app.metrics.numbers import MAX_FIGURE, QUANTUM
from app.metrics.values import bulk, store
from app.metrics.values.bulk_models import KoladaAnswer, KoladaOut, KoladaValue, Skipped
from app.metrics.values.problems import refused
from app.metrics.values.store import RowProblem

SOURCE = "Kolada"
# Kolada names a county `00` + its county code: Västerbotten is 24.
COUNTY_CODE = "0024"
GENDERS = {"T": Gender.total, "K": Gender.female, "M": Gender.male}
LISTED_REFUSALS = 20


class _Skip(Exception):
    def __init__(self, why: str, msg: str = "") -> None:
        self.why, self.msg = why, msg


def _indicators(session: Session, kpis: set[str]) -> dict[str, tuple[object, bool]]:
    stmt = select(col(Indicator.kolada_kpi), col(Indicator.id), col(Indicator.by_gender)).where(
        col(Indicator.kolada_kpi).in_(sorted(kpis)), col(Indicator.deleted_at).is_(None)
    )
    return {r.kolada_kpi: (r.id, r.by_gender) for r in execute(session, stmt)}


def _principals(session: Session, codes: set[str]) -> dict[str, scopes.Scope]:
    found = scopes.resolve_all(session, codes)
    return {code: s for code, s in found.items() if isinstance(s, scopes.Scope) and s.kind is ScopeKind.principal}


def _figure(value: float) -> Decimal:
    try:
        figure = Decimal(repr(value)).quantize(QUANTUM)  # Kolada may give more decimals than we keep
    except InvalidOperation:
        raise _Skip("refused", "not a number") from None
    if not figure.is_finite() or abs(figure) > MAX_FIGURE:
        raise _Skip("refused", f"the value may be at most {MAX_FIGURE} in size")
    return figure


def _row(
    indicator: tuple[object, bool] | None, scope: scopes.Scope | None, period: str, v: KoladaValue
) -> store.ValueRow:
    if indicator is None:
        raise _Skip("unknown_kpi")
    if scope is None:
        raise _Skip("unknown_municipality")
    if v.value is None or v.isdeleted:
        raise _Skip("no_value")
    gender = GENDERS.get(v.gender.upper())
    if gender is None:
        raise _Skip("refused", f"unknown gender {v.gender!r}: Kolada uses T, K and M")
    ident, by_gender = indicator
    if gender is not Gender.total and not by_gender:
        raise _Skip("not_by_gender")
    try:
        parsed = periods.parse(period)
    except ValueError as exc:
        raise _Skip("refused", str(exc)) from None
    comment = f"Kolada status: {v.status}" if v.status else None
    return store.ValueRow(
        ident,  # type: ignore[arg-type]
        scope,
        parsed,
        gender,
        _figure(v.value),
        status=ValueStatus.final,
        source=SOURCE,
        comment=comment,
    )


def import_answer(
    session: Session, actor: Actor, answer: KoladaAnswer, *, reason: str | None = None, dry_run: bool = False
) -> KoladaOut:
    """Import what the answer holds for our indicators and scopes; RowsRefused only for corrections without a
    reason (422 naming them), Forbidden for a scope the caller may not report for."""
    indicators = _indicators(session, {r.kpi for r in answer.values})
    places = _principals(session, {r.municipality for r in answer.values if r.municipality != COUNTY_CODE})
    places[COUNTY_CODE] = scopes.COUNTY
    skipped: Counter[str] = Counter()
    refusals: list[dict[str, object]] = []
    rows: list[store.ValueRow] = []
    at: list[tuple[int, int]] = []
    for i, kolada_row in enumerate(answer.values):
        indicator, scope = indicators.get(kolada_row.kpi), places.get(kolada_row.municipality)
        for j, v in enumerate(kolada_row.values):
            try:
                rows.append(_row(indicator, scope, str(kolada_row.period), v))
                at.append((i, j))
            except _Skip as skip:
                skipped[skip.why] += 1
                if skip.msg:
                    refusals.append({"loc": ["body", "values", i, "values", j], "msg": skip.msg})
    _, problems = store.check_rows(session, actor, rows)
    refused_rows = {p.index for p in problems}
    for p in problems:
        i, j = at[p.index]
        refusals.append({"loc": ["body", "values", i, "values", j, p.field], "msg": p.msg})
    skipped["refused"] += len(refused_rows)
    keep = [n for n in range(len(rows)) if n not in refused_rows]
    try:
        outcome = store.upsert_rows(session, actor, [rows[n] for n in keep], reason=reason, dry_run=dry_run)
    except store.RowsRefused as exc:
        found = [RowProblem(keep[p.index], p.field, p.msg) for p in exc.problems]
        raise refused(found, lambda p: ("body", "values", at[p.index][0], "values", at[p.index][1], p.field)) from None
    out = bulk.answer(outcome, dry_run)
    return KoladaOut(
        **out.model_dump(),
        skipped=sum(skipped.values()),
        skipped_because=Skipped(**skipped),
        refusals=refusals[:LISTED_REFUSALS],
    )
