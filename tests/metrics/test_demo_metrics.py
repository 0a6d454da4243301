"""The demo's follow-up (app.metrics.demo): the generator's figures keep what the documents say and what the
service's rules need, checked on its data directly; then loaded through the services with the rest of the demo,
where loading again changes nothing and a database loaded before metrics existed gets them on its next load."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, col, select

import app.demo
import app.tables  # every table known to the ORM, for the row counts
from app.core.settings import get_settings
from app.metrics.demo import catalogue, values
from app.metrics.demo.loader import MetricsResult
from app.metrics.models import Aggregation, Gender, Indicator, IndicatorValue, Target, Unit, ValueVersion
from app.metrics.rules import IndicatorRules, checked_value, share

INDICATORS = {spec["code"]: spec for spec in catalogue.INDICATORS}
YEARS = [str(y) for y in range(2020, 2026)]
CODES = {name: code for name, code in app.demo.MUNICIPALITIES.items()}
SUB_REGION_OF = {CODES[m]: area for area, members in app.demo.SUB_REGIONS.items() for m in members}
Key = tuple[str, str, str, str]


def _by_key() -> dict[Key, dict[str, Any]]:
    rows = values.rows()
    keyed = {values.key(r): r for r in rows}
    assert len(keyed) == len(rows), "a value is there twice"
    return keyed


def test_the_seven_indicators_of_the_design_follow_the_roadmap_and_are_owned_by_the_council() -> None:
    assert set(INDICATORS) == {
        "HLT-BARN",
        "SIP-ANDEL",
        "BETALNING-FAKTUROR",
        "BETALNING-DAGAR",
        "BETALNING-BELOPP",
        "ARBETSTERAPEUTER-1000",
        "FYSIOTERAPEUTER-1000",
    }
    assert {c: (s["unit"], s["aggregation"], s["by_gender"]) for c, s in INDICATORS.items()} == {
        "HLT-BARN": ("count", "sum", True),
        "SIP-ANDEL": ("percent", "ratio", True),
        "BETALNING-FAKTUROR": ("count", "sum", False),
        "BETALNING-DAGAR": ("days", "sum", False),
        "BETALNING-BELOPP": ("sek", "sum", False),
        "ARBETSTERAPEUTER-1000": ("per_1000", "ratio", False),
        "FYSIOTERAPEUTER-1000": ("per_1000", "ratio", False),
    }
    assert set(catalogue.STRATEGIES) == set(INDICATORS)
    assert all(names and set(names) <= set(app.demo.STRATEGIES) for names in catalogue.STRATEGIES.values())
    assert catalogue.OWNER == "Samråd hälsa, vård och omsorg"
    assert all(spec.get("kolada_kpi") is None for spec in catalogue.INDICATORS)


def test_the_generator_knows_the_demo_s_municipalities_and_sub_regions() -> None:
    assert {m.name: m.code for m in values.MUNICIPALITIES} == app.demo.MUNICIPALITIES
    assert {m.code: m.sub_region for m in values.MUNICIPALITIES} == SUB_REGION_OF


def test_every_principal_year_and_gender_is_there_once() -> None:
    keyed = _by_key()
    expected: set[Key] = set()
    for code, spec in INDICATORS.items():
        scopes = set(CODES.values())
        genders = ["total", "female", "male"] if spec["by_gender"] else ["total"]
        expected |= {(code, s, y, g) for s in scopes for y in YEARS for g in genders}
    assert set(keyed) == expected


def test_the_county_s_2020_sums_are_the_annual_report_s() -> None:
    sums: Counter[str] = Counter()
    for (code, _scope, period, gender), row in _by_key().items():
        if period == "2020" and gender == "total" and INDICATORS[code]["aggregation"] == "sum":
            sums[code] += row["value"]
    assert sums == {
        "HLT-BARN": 690,
        "BETALNING-FAKTUROR": 449,
        "BETALNING-DAGAR": 2314,
        "BETALNING-BELOPP": 19_000_000,
    }


def test_totals_are_female_plus_male_and_shares_recompute_exactly() -> None:
    keyed = _by_key()
    for (code, scope, period, gender), row in keyed.items():
        spec = INDICATORS[code]
        if spec["by_gender"] and gender == "total":
            female, male = keyed[code, scope, period, "female"], keyed[code, scope, period, "male"]
            if spec["aggregation"] == "ratio":
                assert row["numerator"] == female["numerator"] + male["numerator"]
                assert row["denominator"] == female["denominator"] + male["denominator"]
            else:
                assert row["value"] == female["value"] + male["value"]
        if spec["aggregation"] == "ratio":
            assert row["value"] == share(Unit(spec["unit"]), row["numerator"], row["denominator"])


def test_the_sip_share_s_denominator_is_the_children_in_hlt() -> None:
    keyed = _by_key()
    for (code, scope, period, gender), row in keyed.items():
        if code == "SIP-ANDEL":
            assert row["denominator"] == keyed["HLT-BARN", scope, period, gender]["value"] > 0
            assert 0 <= row["numerator"] <= row["denominator"]


def test_only_umea_med_krans_meets_the_sip_target_by_the_recomputed_share_every_year() -> None:
    """As the service aggregates a ratio: Σ numerators / Σ denominators of the members, never a mean of shares."""
    numerators: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    denominators: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (code, scope, period, gender), row in _by_key().items():
        if code == "SIP-ANDEL" and gender == "total":
            numerators[SUB_REGION_OF[scope], period] += row["numerator"]
            denominators[SUB_REGION_OF[scope], period] += row["denominator"]
    for area in app.demo.SUB_REGIONS:
        for year in YEARS:
            recomputed = share(Unit.percent, numerators[area, year], denominators[area, year])
            meets = recomputed >= catalogue.SIP_TARGET
            assert meets == (area == "Umeå med krans"), (area, year, recomputed)
    assert {t["sub_region"] for t in catalogue.TARGETS} == set(app.demo.SUB_REGIONS)
    assert all((t["comparison"], t["value"], t["period_from"]) == ("gte", 50, "2020") for t in catalogue.TARGETS)


def test_every_value_keeps_its_indicator_s_rules_and_status() -> None:
    for row in values.first_reports() + values.rows():
        spec = INDICATORS[row["indicator_code"]]
        rules = IndicatorRules(Unit(spec["unit"]), spec["by_gender"], Aggregation(spec["aggregation"]))
        gender = Gender(row["gender"])
        assert checked_value(rules, gender, row["value"], row["numerator"], row["denominator"]) == row["value"]
        assert row["value"] >= 0
        assert row["status"] == ("preliminary" if row["period"] == "2025" else "final")


def test_each_correction_changes_a_value_with_a_reason() -> None:
    first = {values.key(r): r for r in values.first_reports()}
    final = _by_key()
    assert values.CORRECTIONS
    for c in values.CORRECTIONS:
        key = (c.indicator_code, c.scope, c.period, c.gender)
        assert first[key] != final[key] and c.reason
        assert c.period != "2020", "the 2020 sums are the annual report's as first reported too"
    assert {k for k in first if first[k] != final[k]} == {
        (c.indicator_code, c.scope, c.period, c.gender) for c in values.CORRECTIONS
    }


def test_the_generator_repeats_itself() -> None:
    assert values._generated.__wrapped__() == values._generated.__wrapped__()  # type: ignore[attr-defined]


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo's password files go to the test's own directory."""
    monkeypatch.setenv("SAMVERKAN_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield tmp_path / "var"
    monkeypatch.undo()
    get_settings.cache_clear()


def _row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }


def test_loaded_through_the_services_after_the_rest_and_again_changes_nothing(
    session: Session, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A database loaded before metrics existed: the demo without them.
    monkeypatch.setattr(app.demo, "load_metrics", lambda *_: MetricsResult(False))
    app.demo.load(session)
    session.commit()
    assert session.execute(select(sa.func.count()).select_from(Indicator)).scalar_one() == 0
    monkeypatch.undo()

    later = app.demo.load(session)
    session.commit()
    assert later.created and "7 indicators" in later.summary
    stored = session.execute(select(Indicator.code, Indicator.body_id)).all()
    assert {code for code, _ in stored} == set(INDICATORS)
    assert len({body for _, body in stored}) == 1 and stored[0][1] is not None
    assert session.execute(select(IndicatorValue.id).where(col(IndicatorValue.deleted_at).is_(None))).all()
    live = session.execute(select(sa.func.count()).select_from(IndicatorValue)).scalar_one()
    assert live == len(values.rows())
    versions = session.execute(select(sa.func.count()).select_from(ValueVersion)).scalar_one()
    assert versions == live + len(values.CORRECTIONS)
    reasons = session.execute(select(ValueVersion.reason).where(col(ValueVersion.number) == 2)).scalars().all()
    assert sorted(reasons) == sorted(c.reason for c in values.CORRECTIONS)
    assert session.execute(select(sa.func.count()).select_from(Target)).scalar_one() == 3

    before = _row_counts(session)
    again = app.demo.load(session)
    session.commit()
    assert not again.created
    assert _row_counts(session) == before
