"""The metrics benchmarks (bench/metrics_dataset.py, bench/metrics_import.py), run tiny on the test database: the
data set keeps the service's rules, and the import benchmark imports its file and finds it unchanged the second
time. No timings are asserted: bench/ prints them."""

from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.core import db as core_db
from app.metrics.models import Indicator, IndicatorValue, Target, Unit, ValueVersion
from app.metrics.rules import share
from app.organisations.models import AreaMember
from bench import bulk, metrics_dataset, metrics_import

MORE = 500


def rows(*columns: Any, where: Any = sa.true()) -> list[Any]:
    with core_db.get_engine().connect() as conn:
        return list(conn.execute(sa.select(*columns).where(where)).all())


def test_the_series_data_set_on_top_of_the_read_path_data_set_keeps_the_services_rules(db: Any) -> None:
    engine = core_db.get_engine()
    bulk.insert(engine, 20, 200)  # as the benchmark does: the meetings' data set first (five of the principals)
    built = metrics_dataset.insert(engine, MORE)

    # The series' indicator: every principal, year and gender; the others: exactly MORE values, monthly.
    series = 16 * 6 * 3
    assert built.values == series + MORE
    values = IndicatorValue.__table__.c  # type: ignore[attr-defined]
    codes = dict(rows(Indicator.__table__.c.id, Indicator.__table__.c.code))  # type: ignore[attr-defined]
    stored = rows(values.indicator_id, values.scope_key, values.period, values.gender, values.value,
                  values.numerator, values.denominator)  # fmt: skip
    per_code = Counter(codes[r[0]] for r in stored)
    assert per_code[metrics_dataset.SERIES_CODE] == series and sum(per_code.values()) == series + MORE
    series_rows = [r for r in stored if codes[r[0]] == metrics_dataset.SERIES_CODE]
    assert {r[2] for r in series_rows} == {str(y) for y in range(2020, 2026)}
    assert all(len(r[2]) == 7 for r in stored if codes[r[0]] != metrics_dataset.SERIES_CODE)
    # One version each, as the store writes a new value.
    versions = ValueVersion.__table__.c  # type: ignore[attr-defined]
    assert rows(sa.func.count(versions.id)) == [(series + MORE,)]

    # Totals: female + male (the file's last group may be cut at MORE); a share recomputes from its numerator and
    # denominator.
    by_key: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(dict)
    for ind, scope, period, gender, value, num, den in stored:
        by_key[ind, scope, period][gender] = (value, num, den)
    for genders in by_key.values():
        if len(genders) == 3:
            (value, num, den), female, male = genders["total"], genders["female"], genders["male"]
            if num is None:
                assert value == female[0] + male[0]
            else:
                assert (num, den) == (female[1] + male[1], female[2] + male[2])
        for value, num, den in genders.values():
            if num is not None:
                assert value == share(Unit.percent, num, den)

    # Three sub-regions whose members are the region and their municipalities; a ≥ 50 target in each.
    members = Counter(area for area, _ in rows(AreaMember.area_id, AreaMember.organisation_id))
    assert {built.sub_regions[k]: n for k, n in zip(metrics_dataset.SUB_REGIONS, (7, 4, 7), strict=True)} == members
    targets = Target.__table__.c  # type: ignore[attr-defined]
    found = rows(targets.organisation_id, targets.comparison, targets.value)
    assert sorted(found) == sorted((org, "gte", Decimal(50)) for org in built.sub_regions.values())


def test_the_import_bench_imports_its_file_then_finds_it_unchanged(db: Any, tmp_path: Path) -> None:
    url = core_db.get_engine().url.render_as_string(hide_password=False)
    data = tmp_path / "values.csv"
    metrics_import.write_csv(data, 300)
    assert data.read_bytes().startswith(b"\xef\xbb\xbf" + ";".join(metrics_dataset.COLUMNS).encode())
    result = metrics_import.run_case(url, data, "store", 300)
    assert "error" not in result, result
    assert (result["import"]["created"], result["reimport"]["unchanged"]) == (300, 300)
    assert result["reimport"]["created"] == result["reimport"]["changed"] == 0
    assert result["import"]["peak_mb"] > 0
    assert "| store |" in metrics_import.table(300, [result])
    assert rows(sa.func.count(IndicatorValue.__table__.c.id)) == [(300,)]  # type: ignore[attr-defined]
