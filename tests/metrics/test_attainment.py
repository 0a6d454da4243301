"""Targets held against the figures: met, not_met or no_data with the distance, the target that covers each
period, per scope and gender; in the series' points and in the attainment query."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.metrics.models import Aggregation, Comparison, Unit
from tests.metrics.query_factories import (
    API,
    LYCKSELE,
    NORSJO,
    SKELLEFTEA,
    SKELLEFTEA_REGION,
    SOUTH_LAPLAND,
    UMEA,
    UMEA_REGION,
    VANNAS,
    Headers,
    figures_of,
    indicator,
    ok,
    points_of,
    series,
    small_county,
)


def test_the_sip_target_is_met_in_umea_med_krans_and_nowhere_else(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    sip = indicator(session)
    add = figures_of(session, sip, places)
    for region in (UMEA_REGION, SKELLEFTEA_REGION, SOUTH_LAPLAND):
        add.target(places[region], "2020", 50)
    add.value(places[UMEA], "2020", numerator=60, denominator=100)
    add.value(places[VANNAS], "2020", numerator=10, denominator=40)  # 70 / 140 = 50 %: met exactly
    add.value(places[UMEA], "2021", numerator=80, denominator=100)
    add.value(places[VANNAS], "2021", numerator=20, denominator=40)
    add.value(places[SKELLEFTEA], "2020", numerator=45, denominator=100)
    add.value(places[NORSJO], "2020", numerator=7, denominator=20)
    add.value(places[SKELLEFTEA], "2021", numerator=48, denominator=100)

    answer = ok(client.get(f"{API}/indicators/{sip}/attainment", params={"from": "2020", "to": "2021"}, headers=reader))

    rows = {(r["scope_name"], r["period"]): r for r in answer["data"]}
    assert [r["scope_name"] for r in answer["data"]] == [SKELLEFTEA_REGION] * 2 + [SOUTH_LAPLAND] * 2 + [
        UMEA_REGION
    ] * 2
    assert rows[(UMEA_REGION, "2020")] | {"scope": None} == {
        "scope": None,
        "scope_kind": "sub_region",
        "scope_name": UMEA_REGION,
        "period": "2020",
        "target": {"value": 50, "comparison": "gte", "tolerance": None},
        "value": 50,
        "attainment": "met",
        "distance": 0,
    }
    assert (
        rows[(UMEA_REGION, "2021")]["attainment"] == "met" and rows[(UMEA_REGION, "2021")]["distance"] == 21.4286
    )  # 100 / 140
    skelleftea = rows[(SKELLEFTEA_REGION, "2020")]
    assert skelleftea["attainment"] == "not_met" and skelleftea["value"] == 43.3333
    assert skelleftea["distance"] == -6.6667
    assert rows[(SKELLEFTEA_REGION, "2021")]["value"] == 48  # Norsjö missing: Skellefteå alone
    assert (
        rows[(SOUTH_LAPLAND, "2020")]["attainment"] == "no_data" and rows[(SOUTH_LAPLAND, "2020")]["distance"] is None
    )

    points = points_of(
        series(client, reader, sip, scope=str(places[SOUTH_LAPLAND]), **{"from": "2020", "to": "2020"}),
        str(places[SOUTH_LAPLAND]),
    )
    assert points["2020"]["attainment"] == "no_data" and [m["name"] for m in points["2020"]["missing"]] == [LYCKSELE]


def test_the_target_that_covers_the_period_applies(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    invoices = indicator(
        session, "BETALNING-FAKTUROR", name="Bestridda fakturor", unit=Unit.count, aggregation=Aggregation.sum
    )
    add = figures_of(session, invoices, places)
    add.target(None, "2020", 500, period_to="2021", comparison=Comparison.lte)
    add.target(None, "2023", 400, comparison=Comparison.eq, tolerance=10)  # until further notice
    for year, count in ((2020, 449), (2021, 510), (2022, 300), (2023, 409), (2024, 389)):
        add.value(places[UMEA], str(year), count)

    points = points_of(series(client, reader, invoices, **{"from": "2019", "to": "2025"}), "county")

    assert points["2019"]["target"] is None and points["2019"]["attainment"] is None
    assert points["2020"]["target"] == {"value": 500, "comparison": "lte", "tolerance": None}
    assert (points["2020"]["attainment"], points["2020"]["distance"]) == ("met", -51)
    assert (points["2021"]["attainment"], points["2021"]["distance"]) == ("not_met", 10)
    assert points["2022"]["target"] is None  # between the two targets
    assert points["2023"]["target"] == {"value": 400, "comparison": "eq", "tolerance": 10}
    assert (points["2023"]["attainment"], points["2023"]["distance"]) == ("met", 9)
    assert (points["2024"]["attainment"], points["2024"]["distance"]) == ("not_met", -11)
    assert (points["2025"]["attainment"], points["2025"]["distance"]) == ("no_data", None)

    answer = ok(
        client.get(
            f"{API}/indicators/{invoices}/attainment",
            params={"from": "2019", "to": "2025", "scope": "county"},
            headers=reader,
        )
    )
    assert [r["period"] for r in answer["data"]] == ["2020", "2021", "2023", "2024", "2025"]


def test_targets_by_gender_and_scope(client: TestClient, admin: Headers, reader: Headers, session: Session) -> None:
    places = small_county(client, admin)
    sip = indicator(session, by_gender=True)
    add = figures_of(session, sip, places)
    add.target(places[UMEA], "2020", 50, gender="female")
    add.target(places[UMEA], "2020", 40)
    add.value(places[UMEA], "2020", numerator=45, denominator=100, gender="female")
    add.value(places[UMEA], "2020", numerator=45, denominator=100)
    span = {"from": "2020", "to": "2020"}
    url = f"{API}/indicators/{sip}/attainment"

    female = ok(client.get(url, params={**span, "gender": "female"}, headers=reader))["data"]
    total = ok(client.get(url, params=span, headers=reader))["data"]
    elsewhere = ok(client.get(url, params={**span, "scope": "county"}, headers=reader))["data"]

    assert [(r["scope_name"], r["attainment"], r["distance"]) for r in female] == [(UMEA, "not_met", -5)]
    assert [(r["scope_name"], r["attainment"], r["distance"]) for r in total] == [(UMEA, "met", 5)]
    assert elsewhere == []
    assert ok(client.get(url, params={"from": "2020", "to": "2020", "scope": "2480"}, headers=reader))["data"] == total
    bad = client.get(url, params={"from": "2020", "to": "later"}, headers=reader)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "to"]
