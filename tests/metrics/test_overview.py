"""A strategy's indicators at a glance: each with its latest period in the scope against its target then."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.metrics.models import Aggregation, Comparison, Unit
from tests.metrics.query_factories import (
    API,
    SKELLEFTEA,
    UMEA,
    UMEA_REGION,
    VANNAS,
    Headers,
    figures_of,
    indicator,
    ok,
    small_county,
)


def _strategy(client: TestClient, admin: Headers, number: int, name: str) -> Any:
    return ok(client.post(f"{API}/strategies", json={"number": number, "name": name}, headers=admin), 201)["id"]


def test_each_indicator_with_its_latest_value_and_target(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    health = _strategy(client, admin, 1, "Med hälsan i fokus")
    other = _strategy(client, admin, 2, "Låt behoven stå i centrum")
    sip = indicator(session, "SIP-ANDEL", name="Andel barn med SIP", strategy_ids=[health])
    children = indicator(
        session,
        "HLT-BARN",
        name="Barn i HLT",
        unit=Unit.count,
        aggregation=Aggregation.sum,
        strategy_ids=[health, other],
    )
    indicator(session, "OT-1000", name="Arbetsterapeuter per 1 000", unit=Unit.per_1000, strategy_ids=[health])
    indicator(session, "ANNAN", name="Annat", unit=Unit.count, aggregation=Aggregation.sum, strategy_ids=[other])
    add = figures_of(session, sip, places)
    add.target(places[UMEA_REGION], "2020", 50)
    add.value(places[UMEA], "2023", numerator=60, denominator=100)
    add.value(places[UMEA], "2024", numerator=30, denominator=100)
    add.value(places[VANNAS], "2024", numerator=30, denominator=50)  # 60 / 150 = 40 %
    add.value(places[UMEA], "2024-Q4", numerator=1, denominator=2)  # a part of the year, not the latest period
    add.value(places[SKELLEFTEA], "2025", numerator=99, denominator=100)  # another sub-region's
    counts = figures_of(session, children, places)
    counts.value(places[UMEA], "2020", 690)
    counts.target(None, "2020", 700)

    region = ok(
        client.get(f"{API}/strategies/{health}/indicators", params={"scope": str(places[UMEA_REGION])}, headers=reader)
    )
    county = ok(client.get(f"{API}/strategies/{health}/indicators", headers=reader))

    assert region["strategy"] == {"id": health, "number": 1, "name": "Med hälsan i fokus"}
    assert region["scope_name"] == UMEA_REGION and region["scope_kind"] == "sub_region"
    # By name, Swedish order: "Andel" < "Arbetsterapeuter" < "Barn".
    assert [i["code"] for i in region["data"]] == ["SIP-ANDEL", "OT-1000", "HLT-BARN"]
    latest = region["data"][0]["latest"]
    assert latest["period"] == "2024" and latest["value"] == 40 and latest["basis"] == "aggregated"
    assert latest["target"] == {"value": 50, "comparison": "gte", "tolerance": None}
    assert latest["attainment"] == "not_met" and latest["distance"] == -10
    assert region["data"][1]["latest"] is None  # no values yet
    assert region["data"][2]["latest"]["value"] == 690 and region["data"][2]["latest"]["target"] is None
    assert county["scope"] == "county"
    assert county["data"][0]["latest"]["period"] == "2025" and county["data"][0]["latest"]["target"] is None
    children_in_county = county["data"][2]["latest"]
    assert children_in_county["attainment"] == "not_met" and children_in_county["distance"] == -10
    assert (
        children_in_county["members_with_data"] == 1
        and len(children_in_county["missing"]) == len(places.principals) - 1
    )


def test_unknown_strategy_and_bad_scope(client: TestClient, admin: Headers, reader: Headers) -> None:
    health = _strategy(client, admin, 1, "Med hälsan i fokus")
    assert client.get(f"{API}/strategies/inte-ett-id/indicators", headers=reader).status_code == 422
    unknown = client.get(f"{API}/strategies/00000000-0000-4000-8000-000000000000/indicators", headers=reader)
    assert unknown.status_code == 404
    bad = client.get(f"{API}/strategies/{health}/indicators", params={"scope": "överallt"}, headers=reader)
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["query", "scope"]
    empty = ok(client.get(f"{API}/strategies/{health}/indicators", headers=reader))
    assert empty["data"] == [] and empty["scope_name"] == "Västerbottens län"


def test_statements_are_constant_whatever_the_number_of_indicators(
    client: TestClient, admin: Headers, reader: Headers, session: Session, count_queries: Callable[[], Any]
) -> None:
    places = small_county(client, admin)
    health = _strategy(client, admin, 1, "Med hälsan i fokus")
    url = f"{API}/strategies/{health}/indicators"

    def statements() -> int:
        with count_queries() as n:
            ok(client.get(url, params={"scope": str(places[UMEA_REGION])}, headers=reader))
        return int(n())

    first = indicator(session, "A", name="A", unit=Unit.count, aggregation=Aggregation.sum, strategy_ids=[health])
    figures_of(session, first, places).value(places[UMEA], "2020", 1)
    one = statements()
    for code in ("B", "C", "D"):
        more = indicator(session, code, name=code, unit=Unit.count, aggregation=Aggregation.sum, strategy_ids=[health])
        add = figures_of(session, more, places)
        add.value(places[VANNAS], "2021", 2)
        add.target(places[UMEA_REGION], "2020", 1, comparison=Comparison.gte)
    assert statements() == one <= 8
