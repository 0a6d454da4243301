"""A series per scope: a sub-region's and the county's points reported or aggregated from their members by the
indicator's rule, members without data named, every period of the range present, in a constant number of SQL
statements whatever the number of scopes and years."""

from collections.abc import Callable
from typing import Any

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
    points_of,
    series,
    small_county,
)


def test_a_share_is_recomputed_from_numerators_and_denominators_never_averaged(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    sip = indicator(session, "SIP-ANDEL", unit=Unit.percent, aggregation=Aggregation.ratio)
    add = figures_of(session, sip, places)
    add.value(places[UMEA], "2024", numerator=120, denominator=200)  # 60 %
    add.value(places[VANNAS], "2024", numerator=5, denominator=50)  # 10 %
    region = str(places[UMEA_REGION])

    point = points_of(series(client, reader, sip, scope=region, **{"from": "2024", "to": "2024"}), region)["2024"]

    assert point["numerator"] == 125 and point["denominator"] == 250
    assert point["value"] == 50  # 125 / 250; the average of 60 % and 10 % would be 35 %
    assert point["basis"] == "aggregated"
    assert point["members_with_data"] == 2 and point["missing"] == []


def test_members_without_data_are_named_and_every_period_appears(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    children = indicator(session, "HLT-BARN", name="Barn i HLT", unit=Unit.count, aggregation=Aggregation.sum)
    add = figures_of(session, children, places)
    add.value(places[UMEA], "2020", 300)
    add.value(places[SKELLEFTEA], "2020", 1234)
    add.value(places[SKELLEFTEA], "2021", 200)
    add.value(places[SKELLEFTEA], "2021-Q1", 50)  # another granularity: not part of a yearly series

    answer = series(client, reader, children, **{"from": "2020", "to": "2022"})
    points = points_of(answer, "county")

    assert answer["data"][0]["scope_kind"] == "county" and answer["data"][0]["scope_name"] == "Västerbottens län"
    assert answer["indicator"]["code"] == "HLT-BARN"
    assert list(points) == ["2020", "2021", "2022"]
    assert points["2020"]["value"] == 1534 and points["2020"]["members_with_data"] == 2
    assert [m["name"] for m in points["2020"]["missing"]] == [LYCKSELE, NORSJO, VANNAS]  # Swedish order
    assert {m["id"] for m in points["2020"]["missing"]} == {str(places[n]) for n in (LYCKSELE, NORSJO, VANNAS)}
    assert points["2021"]["value"] == 200
    nothing = points["2022"]
    assert nothing["value"] is None and nothing["basis"] is None and nothing["members_with_data"] == 0
    assert len(nothing["missing"]) == 5


def test_a_reported_figure_is_the_point_and_the_members_are_still_accounted_for(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    days = indicator(session, "BETALNING-DAGAR", name="Dagar", unit=Unit.days, aggregation=Aggregation.sum)
    add = figures_of(session, days, places)
    add.value(places[UMEA], "2020", 100)
    add.value(places[VANNAS], "2021", 40)
    add.value(places[UMEA_REGION], "2021", 2314)  # the sub-region's own figure, from the annual report
    add.value(None, "2021", 9999)
    region = str(places[UMEA_REGION])

    answer = series(client, reader, days, scope=[region, "county"], **{"from": "2020", "to": "2021"})
    points = points_of(answer, region)

    assert [e["scope"] for e in answer["data"]] == [region, "county"]
    assert points["2020"]["basis"] == "aggregated" and points["2020"]["value"] == 100
    assert [m["name"] for m in points["2020"]["missing"]] == [VANNAS]
    assert points["2021"]["basis"] == "reported" and points["2021"]["value"] == 2314
    assert points["2021"]["members_with_data"] == 1 and [m["name"] for m in points["2021"]["missing"]] == [UMEA]
    county_2021 = points_of(answer, "county")["2021"]
    assert county_2021["value"] == 9999 and county_2021["basis"] == "reported"


def test_a_principal_has_only_its_own_figures(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    days = indicator(session, "DAGAR", name="Dagar", unit=Unit.days, aggregation=Aggregation.sum)
    figures_of(session, days, places).value(places[UMEA], "2020", "12.5")

    answer = series(client, reader, days, scope="2480", **{"from": "2020", "to": "2021"})  # by municipality code
    points = points_of(answer, str(places[UMEA]))

    assert answer["data"][0]["scope_kind"] == "principal" and answer["data"][0]["scope_name"] == UMEA
    assert points["2020"] == points["2020"] | {"value": 12.5, "basis": "reported", "members_with_data": None}
    assert points["2020"]["missing"] == [] and points["2021"]["value"] is None


def test_a_mean_is_weighted_when_every_value_has_a_weight_else_plain(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    waiting = indicator(session, "VANTETID", name="Väntetid", unit=Unit.days, aggregation=Aggregation.mean)
    add = figures_of(session, waiting, places)
    add.value(places[UMEA], "2020", 10, weight=3)
    add.value(places[VANNAS], "2020", 20, weight=1)
    add.value(places[UMEA], "2021", 10, weight=3)
    add.value(places[VANNAS], "2021", 20)
    region = str(places[UMEA_REGION])

    points = points_of(series(client, reader, waiting, scope=region, **{"from": "2020", "to": "2021"}), region)

    assert points["2020"]["value"] == 12.5  # (10 × 3 + 20 × 1) / 4
    assert points["2021"]["value"] == 15  # one value without a weight: the plain mean
    assert points["2021"]["basis"] == "aggregated" and points["2021"]["numerator"] is None


def test_aggregation_none_computes_nothing(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    rank = indicator(session, "RANG", name="Rangordning", unit=Unit.count, aggregation=Aggregation.none)
    add = figures_of(session, rank, places)
    add.value(places[UMEA], "2020", 3)
    add.value(places[VANNAS], "2020", 7)
    region = str(places[UMEA_REGION])

    point = points_of(series(client, reader, rank, scope=region, **{"from": "2020", "to": "2020"}), region)["2020"]

    assert point["value"] is None and point["basis"] is None
    assert point["members_with_data"] == 2 and point["missing"] == []


def test_gender(client: TestClient, admin: Headers, reader: Headers, session: Session) -> None:
    places = small_county(client, admin)
    split = indicator(
        session, "HLT-KON", name="Barn i HLT", unit=Unit.count, aggregation=Aggregation.sum, by_gender=True
    )
    whole = indicator(session, "HLT-ALLA", name="Barn i HLT, alla", unit=Unit.count, aggregation=Aggregation.sum)
    add = figures_of(session, split, places)
    add.value(places[UMEA], "2020", 30, gender="female")
    add.value(places[UMEA], "2020", 20, gender="male")
    add.value(places[UMEA], "2020", 50)
    add.value(places[VANNAS], "2020", 4, gender="female")
    span = {"from": "2020", "to": "2020"}

    female = points_of(series(client, reader, split, gender="female", **span), "county")["2020"]
    total = points_of(series(client, reader, split, **span), "county")["2020"]

    assert female["value"] == 34 and female["members_with_data"] == 2
    assert total["value"] == 50 and total["members_with_data"] == 1
    refused = client.get(f"{API}/indicators/{whole}/series", params={**span, "gender": "female"}, headers=reader)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["query", "gender"]


def _loc(response: Any) -> list[Any]:
    assert response.status_code == 422, response.text
    return list(response.json()["errors"][0]["loc"])


def test_bad_parameters_are_422_naming_the_parameter(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    council = client.post(f"{API}/organisations", json={"kind": "joint_body", "name": "Samrådet"}, headers=admin)
    sip = indicator(session)
    url = f"{API}/indicators/{sip}/series"

    def get(**params: Any) -> Any:
        return client.get(url, params={"from": "2020", "to": "2021", **params}, headers=reader)

    assert _loc(get(**{"from": "2020-13"})) == ["query", "from"]
    assert _loc(get(to="20x0")) == ["query", "to"]
    assert _loc(get(**{"from": "2022"})) == ["query", "from"]  # after to
    assert _loc(get(**{"from": "2000-01", "to": "2020-12"})) == ["query", "to"]  # 252 months
    assert get(**{"from": "2001-01", "to": "2020-12"}).status_code == 200  # 240 months
    assert _loc(get(**{"from": "2021", "to": "2021-Q2"})) == ["query", "to"]  # no whole year in it
    assert len(get(**{"from": "2199-11", "to": "2199"}).json()["data"][0]["points"]) == 2  # the last periods
    assert _loc(get(scope=["county", "nowhere"])) == ["query", "scope", 1]
    assert _loc(get(scope=[council.json()["id"]])) == ["query", "scope", 0]  # a joint body has no figures
    assert _loc(get(scope=["9999"])) == ["query", "scope", 0]
    assert _loc(get(gender="other")) == ["query", "gender"]
    assert get(scope=[str(places[UMEA_REGION]), "county", "county"]).json()["data"][1]["scope"] == "county"
    assert len(get(scope=[str(places[UMEA_REGION]), "county", "county"]).json()["data"]) == 2
    missing = client.get(
        f"{API}/indicators/{places[UMEA]}/series", params={"from": "2020", "to": "2020"}, headers=reader
    )
    assert missing.status_code == 404
    assert client.get(url, params={"from": "2020", "to": "2020"}).status_code == 401


def test_statements_are_constant_whatever_the_scopes_and_years(
    client: TestClient,
    admin: Headers,
    reader: Headers,
    session: Session,
    count_queries: Callable[[], Any],
) -> None:
    """A sub-region's series over six years, aggregated from its members and held against its target."""
    places = small_county(client, admin)
    sip = indicator(session)
    add = figures_of(session, sip, places)
    regions = [places[UMEA_REGION], places[SKELLEFTEA_REGION], places[SOUTH_LAPLAND]]
    for scope in [*regions, None, places[UMEA]]:
        add.target(scope, "2020", 50, comparison=Comparison.gte)
    for year in range(2020, 2026):
        for name in (UMEA, VANNAS, SKELLEFTEA, NORSJO):
            add.value(places[name], str(year), numerator=year - 1990 + len(name), denominator=60)

    def statements(scopes: list[Any], to: str) -> int:
        with count_queries() as n:
            answer = series(client, reader, sip, scope=[str(s) for s in scopes], **{"from": "2020", "to": to})
        assert all(p["attainment"] in ("met", "not_met", "no_data") for e in answer["data"] for p in e["points"])
        return int(n())

    one_year = statements(regions[:1], "2020")
    six_years = statements(regions[:1], "2025")
    three_regions = statements(regions, "2025")
    with_the_county = statements([*regions, "county", places[UMEA]], "2025")

    assert one_year == six_years == three_regions == with_the_county
    assert six_years <= 7  # the caller's token, then indicator, scopes, members, values, targets
    answer = series(client, reader, sip, scope=str(regions[0]), **{"from": "2020", "to": "2025"})
    assert len(answer["data"][0]["points"]) == 6
