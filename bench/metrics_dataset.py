"""The metrics benchmarks' data set: the region and the 15 municipalities as principals in three sub-regions (as
app.demo has them), indicators of every kind, and their values for every principal, written through
`app.metrics.values.store.upsert_rows` (the versions and the audit entries as the service writes them).

- `value_lines(count)`: `count` values (500 000 in bench/metrics_import.py) as the rows of a values CSV: indicator
  `BENCH-001` onwards, two in three split by gender (total, female, male; a share's total has the summed
  numerator and denominator), every principal, every month 2020-01 … 2025-12, until `count` is reached (the
  last group of genders may be cut).
- `insert(engine, values)` (bench/read_path.py's `metric_series`): the indicator `BENCH-SERIES` (a share by
  gender, aggregated as a ratio, with a ≥ 50 target for each sub-region from 2020) with yearly values 2020–2025
  for every principal and gender, plus `values` monthly values of the other indicators, so that the series reads
  one indicator out of a table of realistic size.

What the database holds is used (principals and sub-regions found by name), the rest is added. Deterministic:
figures come from the row's position, so two runs make the same values."""

import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.core.principal import Actor, Grant, PrincipalKind, Role
from app.core.text import fold, swedish_sort_key
from app.metrics import periods
from app.metrics.models import Gender, Indicator, ScopeKind, Target, Unit, ValueStatus
from app.metrics.rules import share
from app.metrics.scopes import Scope
from app.metrics.values import store
from app.organisations.models import AreaMember, Organisation
from bench.funds_setting import PRINCIPALS

ACTOR = Actor(uuid.UUID(int=0), PrincipalKind.service, "metrics bench", frozenset({Grant(Role.admin)}))
AT = datetime(2026, 1, 15, tzinfo=UTC)
YEARS = range(2020, 2026)
MONTHS = [f"{y}-{m:02d}" for y in YEARS for m in range(1, 13)]
SUB_REGIONS = {
    "Umeå med krans": ["Umeå", "Vännäs", "Vindelns", "Bjurholms", "Nordmalings", "Robertsfors"],
    "Skellefteå": ["Skellefteå", "Norsjö", "Malå"],
    "Södra Lappland": ["Lycksele", "Storumans", "Sorsele", "Vilhelmina", "Dorotea", "Åsele"],
}
SERIES_CODE = "BENCH-SERIES"
# CSV columns: the values list's own (what the bulk import reads back).
COLUMNS = ("indicator_code", "scope", "period", "gender", "value", "numerator", "denominator", "status", "source")
_KINDS = {"org": 0xE0, "indicator": 0xE1, "target": 0xE2}


def ident(kind: str, n: int) -> uuid.UUID:
    return uuid.UUID(int=_KINDS[kind] << 64 | n)


SERIES_ID = ident("indicator", 0)
ORGS, MEMBERS = Organisation.__table__, AreaMember.__table__  # type: ignore[attr-defined]
INDICATORS, TARGETS = Indicator.__table__, Target.__table__  # type: ignore[attr-defined]


def _stamped() -> dict[str, Any]:
    return {"created_at": AT, "updated_at": AT, "deleted_at": None, "version": 1}


def _org(n: int, name: str, kind: str, short_name: str | None = None) -> dict[str, Any]:
    return {
        "id": ident("org", n),
        **_stamped(),
        "name": name,
        "short_name": short_name,
        "name_sort": swedish_sort_key(name),
        "search_text": fold(name),
        "municipality_code": None,
        "county_code": None,
        "org_number": None,
        "parent_id": None,
        "is_principal": kind != "sub_region",
        "start_date": date(2020, 9, 1),
        "end_date": None,
        "website": None,
        "contact_email": None,
        "kind": kind,
    }


@dataclass
class Setting:
    principals: list[Scope]
    sub_regions: dict[str, uuid.UUID]  # short name → id


def setting(conn: sa.Connection) -> Setting:
    """The principals and sub-regions: found by name, or added (a sub-region with its members: the region and
    its municipalities)."""
    live = sa.select(ORGS.c.name, ORGS.c.id).where(ORGS.c.deleted_at.is_(None))
    found: dict[str, uuid.UUID] = {name: ident for name, ident in conn.execute(live)}
    added = []
    for n, name in enumerate(PRINCIPALS):
        if name not in found:
            added.append(_org(n, name, "region" if name.startswith("Region") else "municipality"))
            found[name] = added[-1]["id"]
    members = []
    for k, (short, municipalities) in enumerate(SUB_REGIONS.items()):
        name = f"Länsdel {short}"
        if name not in found:
            added.append(_org(100 + k, name, "sub_region", short))
            found[name] = added[-1]["id"]
            names = [PRINCIPALS[0]] + [f"{m} kommun" for m in municipalities]
            members += [{"area_id": found[name], "organisation_id": found[m]} for m in names]
    if added:
        conn.execute(ORGS.insert(), added)
    if members:
        conn.execute(MEMBERS.insert(), members)
    principals = [Scope(ScopeKind.principal, found[name], name) for name in PRINCIPALS]
    return Setting(principals, {short: found[f"Länsdel {short}"] for short in SUB_REGIONS})


@dataclass(frozen=True)
class Kind:
    unit: Unit
    aggregation: str
    by_gender: bool


# Indicator n's kind is KINDS[n % 3]: two in three split by gender.
KINDS = (Kind(Unit.percent, "ratio", True), Kind(Unit.count, "sum", True), Kind(Unit.sek, "sum", False))


def indicator_row(n: int, code: str, kind: Kind) -> dict[str, Any]:
    name = f"Bänkindikator {n:03d}" if n else "Bänkserie, andel med SIP"
    return {
        "id": ident("indicator", n),
        **_stamped(),
        "code": code,
        "name": name,
        "name_sort": swedish_sort_key(name),
        "definition": None,
        "unit": kind.unit,
        "direction": "increase",
        "by_gender": kind.by_gender,
        "aggregation": kind.aggregation,
        "reporters": "all_principals",
        "decimals": 1 if kind.unit is Unit.percent else 0,
        "body_id": None,
        "source": "Bänkdata",
        "kolada_kpi": None,
    }


def indicators_for(count: int) -> int:
    """How many indicators `value_lines(count)` uses."""
    n, total = 0, 0
    while total < count:
        n += 1
        total += len(MONTHS) * len(PRINCIPALS) * (3 if KINDS[n % 3].by_gender else 1)
    return n


def _figures(kind: Kind, seed: int) -> list[tuple[str, Decimal | None, Decimal | None, Decimal | None]]:
    """(gender, value, numerator, denominator) of one indicator, scope and period."""
    if kind.unit is Unit.percent:
        dens = (Decimal(20 + seed % 37), Decimal(18 + seed % 41))
        nums = (Decimal((seed * 7) % 20), Decimal((seed * 11) % 18))
        parts = [("female", nums[0], dens[0]), ("male", nums[1], dens[1]), ("total", sum(nums), sum(dens))]
        return [(g, share(kind.unit, n, d), n, d) for g, n, d in parts]
    if kind.by_gender:
        female, male = Decimal(seed % 97), Decimal((seed * 3) % 89)
        return [("female", female, None, None), ("male", male, None, None), ("total", female + male, None, None)]
    return [("total", Decimal(10_000 + (seed * 7919) % 900_000), None, None)]


def _text(figure: Decimal | None) -> str:
    return "" if figure is None else format(figure.normalize(), "f")


def value_lines(scopes: list[Scope], count: int) -> Iterator[tuple[str, ...]]:
    """`count` CSV rows (COLUMNS), indicator by indicator (BENCH-001 …), scope, month, gender."""
    written, n = 0, 0
    while written < count:
        n += 1
        kind = KINDS[n % 3]
        for s, scope in enumerate(scopes):
            for m, period in enumerate(MONTHS):
                status = "preliminary" if period >= "2025" else "final"
                for gender, value, num, den in _figures(kind, n * 1000 + s * 100 + m):
                    if written == count:
                        return
                    yield (f"BENCH-{n:03d}", str(scope.organisation_id), period, gender, _text(value),
                           _text(num), _text(den), status, "Bänkdata")  # fmt: skip
                    written += 1


def add_indicators(conn: sa.Connection, count: int) -> None:
    """BENCH-SERIES and BENCH-001 … BENCH-`count`."""
    rows = [indicator_row(0, SERIES_CODE, KINDS[0])]
    rows += [indicator_row(n, f"BENCH-{n:03d}", KINDS[n % 3]) for n in range(1, count + 1)]
    conn.execute(INDICATORS.insert(), rows)


def add_targets(conn: sa.Connection, where: Setting) -> None:
    """≥ 50 for BENCH-SERIES in each sub-region from 2020 on, as the demo's SIP target."""
    rows = [
        {
            "id": ident("target", k),
            **_stamped(),
            "indicator_id": SERIES_ID,
            "scope_kind": ScopeKind.sub_region,
            "organisation_id": org,
            "scope_key": org.hex,
            "gender": Gender.total,
            "period_from": "2020",
            "period_to": None,
            "period_start": date(2020, 1, 1),
            "period_end": None,
            "comparison": "gte",
            "value": Decimal(50),
            "tolerance": None,
            "decision_id": None,
            "comment": None,
        }
        for k, org in enumerate(where.sub_regions.values())
    ]
    conn.execute(TARGETS.insert(), rows)


def rows_of(
    lines: Iterator[tuple[str, ...]], ids: dict[str, uuid.UUID], scopes: dict[str, Scope]
) -> list[store.ValueRow]:
    """CSV rows as the store takes them (what a file's parser makes of them)."""
    parsed = {p: periods.parse(p) for p in MONTHS + [str(y) for y in YEARS]}

    def figure(text: str) -> Decimal | None:
        return Decimal(text) if text else None

    return [
        store.ValueRow(
            ids[code],
            scopes[scope],
            parsed[period],
            Gender(gender),
            figure(value),
            figure(num),
            figure(den),
            status=ValueStatus(status),
            source=source,
        )
        for code, scope, period, gender, value, num, den, status, source in lines
    ]


def code_ids(conn: sa.Connection) -> dict[str, uuid.UUID]:
    return {code: ident for code, ident in conn.execute(sa.select(INDICATORS.c.code, INDICATORS.c.id))}


def fresh_principals() -> list[Scope]:
    """The principals as `setting` adds them to a database that has none (bench/metrics_import.py's)."""
    return [Scope(ScopeKind.principal, ident("org", n), name) for n, name in enumerate(PRINCIPALS)]


@dataclass
class Built:
    values: int
    seconds: float
    sub_regions: dict[str, uuid.UUID]


def insert(engine: sa.Engine, values: int) -> Built:
    """The series data set: BENCH-SERIES yearly for every principal and gender, its targets, and `values` monthly
    values of other indicators, through the store; then ANALYZE."""
    started = time.perf_counter()
    with Session(engine) as session:
        conn = session.connection()
        where = setting(conn)
        add_indicators(conn, indicators_for(values))
        add_targets(conn, where)
        ids = code_ids(conn)
        scopes = {str(s.organisation_id): s for s in where.principals}
        yearly = [
            (
                SERIES_CODE,
                str(s.organisation_id),
                str(year),
                gender,
                _text(v),
                _text(num),
                _text(den),
                "final",
                "Bänkdata",
            )
            for k, s in enumerate(where.principals)
            for year in YEARS
            for gender, v, num, den in _figures(KINDS[0], k * 10 + year)
        ]
        written = store.upsert_rows(session, ACTOR, rows_of(iter(yearly), ids, scopes)).created
        written += store.upsert_rows(
            session, ACTOR, rows_of(value_lines(where.principals, values), ids, scopes)
        ).created
        session.commit()
    with engine.begin() as conn:
        for table in ("indicators", "indicator_targets", "indicator_values", "indicator_value_versions"):
            conn.exec_driver_sql(f"ANALYZE {table}")
    return Built(written, time.perf_counter() - started, where.sub_regions)
