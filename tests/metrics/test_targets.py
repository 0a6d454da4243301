"""Targets over HTTP: scopes, periods, the gender and tolerance rules, overlaps, lists and rights."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.metrics.conftest import API, Headers, IndicatorFactory, error_locs, ok, organisation, problem


@pytest.fixture
def places(client: TestClient, admin: Headers) -> dict[str, str]:
    umea = organisation(
        client, admin, kind="municipality", name="Umeå kommun", is_principal=True, municipality_code="2480"
    )
    vindeln = organisation(client, admin, kind="municipality", name="Vindelns kommun", is_principal=True)
    area = organisation(client, admin, kind="sub_region", name="Umeå med krans", member_ids=[umea, vindeln])
    council = organisation(client, admin, kind="joint_body", name="Samråd hälsa, vård och omsorg")
    return {"umea": umea, "vindeln": vindeln, "area": area, "council": council}


@pytest.fixture
def sip(indicator: IndicatorFactory) -> dict[str, Any]:
    return indicator(code="SIP-ANDEL", name="Andel barn med SIP", unit="percent", aggregation="ratio", by_gender=True)


def _target(indicator_id: str) -> dict[str, Any]:
    return {"indicator_id": indicator_id, "scope": "county", "period_from": "2020", "comparison": "gte", "value": 50}


def post(client: TestClient, headers: Headers, indicator_id: str, /, **fields: Any) -> Any:
    body = {**_target(indicator_id), **fields}
    return client.post(f"{API}/targets", json=body, headers=headers)


def test_a_target_names_its_scope_three_ways(
    client: TestClient, manager: Headers, reader: Headers, sip: dict[str, Any], places: dict[str, str]
) -> None:
    county = ok(post(client, manager, sip["id"], comment="Minst hälften av barnen."), 201)
    assert {k: county[k] for k in ("scope", "scope_kind", "scope_name", "value", "tolerance", "period_to")} == {
        "scope": "county",
        "scope_kind": "county",
        "scope_name": "Västerbottens län",
        "value": 50,
        "tolerance": None,
        "period_to": None,
    }
    area = ok(post(client, manager, sip["id"], scope=places["area"], value="52.5"), 201)
    assert (area["scope"], area["scope_kind"], area["scope_name"], area["value"]) == (
        places["area"],
        "sub_region",
        "Umeå med krans",
        52.5,
    )
    by_code = ok(post(client, manager, sip["id"], scope="2480", gender="female"), 201)
    assert (by_code["scope"], by_code["scope_kind"], by_code["scope_name"]) == (
        places["umea"],
        "principal",
        "Umeå kommun",
    )
    r = client.get(f"{API}/targets/{area['id']}", headers=reader)
    assert ok(r) == area and r.headers["ETag"]


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"scope": "Umeå"}, ["body", "scope"]),
        ({"scope": "9999"}, ["body", "scope"]),
        ({"period_from": "2024-Q5"}, ["body", "period_from"]),
        ({"period_from": "1800"}, ["body", "period_from"]),
        ({"period_from": "2024", "period_to": "2023"}, ["body", "period_to"]),
        ({"period_from": "2024", "period_to": "2024-Q1"}, ["body", "period_to"]),
        ({"comparison": "gt"}, ["body", "comparison"]),
        ({"value": "12.34567"}, ["body", "value"]),
        ({"value": "1e3"}, ["body", "value"]),
        ({"tolerance": 1}, ["body", "tolerance"]),  # only with eq
        ({"comparison": "eq", "tolerance": -1}, ["body", "tolerance"]),
        ({"decision_id": "00000000-0000-4000-8000-000000000000"}, ["body", "decision_id"]),
        ({"indicator_id": "00000000-0000-4000-8000-000000000000"}, ["body", "indicator_id"]),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, manager: Headers, sip: dict[str, Any], fields: dict[str, Any], loc: list[Any]
) -> None:
    assert loc in error_locs(post(client, manager, sip["id"], **fields))
    assert ok(client.get(f"{API}/targets", headers=manager))["data"] == []


def test_scopes_are_the_county_sub_regions_and_principals_only(
    client: TestClient, manager: Headers, sip: dict[str, Any], places: dict[str, str]
) -> None:
    assert error_locs(post(client, manager, sip["id"], scope=places["council"])) == [["body", "scope"]]


def test_a_gender_only_for_an_indicator_split_by_gender(
    client: TestClient, manager: Headers, indicator: IndicatorFactory
) -> None:
    total_only = indicator(code="HLT-BARN")
    assert error_locs(post(client, manager, total_only["id"], gender="male")) == [["body", "gender"]]
    assert ok(post(client, manager, total_only["id"]), 201)["gender"] == "total"


def test_an_eq_target_takes_a_tolerance(client: TestClient, manager: Headers, sip: dict[str, Any]) -> None:
    made = ok(post(client, manager, sip["id"], comparison="eq", value="1.5", tolerance="0.25"), 201)
    assert (made["comparison"], made["value"], made["tolerance"]) == ("eq", 1.5, 0.25)
    url = f"{API}/targets/{made['id']}"
    assert error_locs(client.patch(url, json={"comparison": "gte"}, headers=manager)) == [["body", "tolerance"]]
    changed = ok(client.patch(url, json={"comparison": "gte", "tolerance": None}, headers=manager))
    assert (changed["comparison"], changed["tolerance"]) == ("gte", None)


def test_targets_of_one_indicator_scope_and_gender_never_overlap(
    client: TestClient, manager: Headers, sip: dict[str, Any], places: dict[str, str]
) -> None:
    first = ok(post(client, manager, sip["id"], period_from="2020", period_to="2022"), 201)
    for period in (
        {"period_from": "2022-H2"},
        {"period_from": "2018", "period_to": "2020-05"},
        {"period_from": "2021"},
    ):
        refused = problem(post(client, manager, sip["id"], **period), 409, "target_overlaps")
        assert refused["existing_id"] == first["id"] and first["id"] in refused["detail"]
    # Another scope, another gender or the next period is no overlap.
    ok(post(client, manager, sip["id"], scope=places["area"]), 201)
    ok(post(client, manager, sip["id"], gender="female"), 201)
    later = ok(post(client, manager, sip["id"], period_from="2023", value=60), 201)
    # Ending the first later than 2022 would overlap the next one; an open end before it would too.
    url = f"{API}/targets/{first['id']}"
    problem(client.patch(url, json={"period_to": "2023-Q1"}, headers=manager), 409, "target_overlaps")
    problem(client.patch(url, json={"period_to": None}, headers=manager), 409, "target_overlaps")
    # A deleted target overlaps nothing.
    assert client.delete(f"{API}/targets/{later['id']}", headers=manager).status_code == 204
    assert ok(client.patch(url, json={"period_to": None}, headers=manager))["period_to"] is None


def test_a_patch_moves_a_target_to_another_scope(
    client: TestClient, manager: Headers, admin: Headers, sip: dict[str, Any], places: dict[str, str]
) -> None:
    made = ok(post(client, manager, sip["id"]), 201)
    url = f"{API}/targets/{made['id']}"
    etag = client.get(url, headers=manager).headers["ETag"]
    r = client.patch(url, json={"scope": "2480"}, headers={**manager, "If-Match": etag})
    assert ok(r)["scope"] == places["umea"] and r.headers["ETag"] != etag
    assert client.patch(url, json={"value": 40}, headers={**manager, "If-Match": etag}).status_code == 412
    assert error_locs(client.patch(url, json={"value": None}, headers=manager)) == [["body", "value"]]
    assert error_locs(client.patch(url, json={"indicator_id": sip["id"]}, headers=manager)) == [
        ["body", "indicator_id"]
    ]
    entries = ok(client.get(f"{API}/audit", params={"resource_id": made["id"]}, headers=admin))["data"]
    assert {e["resource_type"] for e in entries} == {"indicator_target"}
    assert next(e for e in entries if e["action"] == "update")["changes"]["scope"] == ["county", places["umea"]]


def test_the_list_filters_sorts_by_period_and_answers_csv(
    client: TestClient, reader: Headers, manager: Headers, sip: dict[str, Any], places: dict[str, str]
) -> None:
    ok(post(client, manager, sip["id"], period_from="2024"), 201)
    ok(post(client, manager, sip["id"], period_from="2020", period_to="2023"), 201)
    ok(post(client, manager, sip["id"], scope=places["area"], gender="male", period_from="2022-H2"), 201)

    def periods(**params: Any) -> list[str]:
        rows = ok(client.get(f"{API}/targets", params=params, headers=reader))["data"]
        return [r["period_from"] for r in rows]

    assert periods() == ["2020", "2022-H2", "2024"]
    assert periods(sort="-period") == ["2024", "2022-H2", "2020"]
    assert periods(scope="county") == ["2020", "2024"]
    assert periods(scope=places["area"]) == periods(gender="male") == ["2022-H2"]
    assert periods(indicator_id=sip["id"], limit=1) == ["2020"]
    assert error_locs(client.get(f"{API}/targets", params={"scope": "Umeå"}, headers=reader)) == [["query", "scope"]]
    r = client.get(f"{API}/targets", headers={**reader, "Accept": "text/csv"})
    lines = r.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    rows = [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]
    assert [(row["scope_name"], row["value"]) for row in rows][1] == ("Umeå med krans", "50")


def test_only_fund_managers_and_admins_write(
    client: TestClient,
    make_principal: Callable[..., Headers],
    reader: Headers,
    admin: Headers,
    sip: dict[str, Any],
    places: dict[str, str],
) -> None:
    editor = make_principal(f"editor:{places['umea']}")
    made = ok(post(client, admin, sip["id"], scope=places["umea"]), 201)
    url = f"{API}/targets/{made['id']}"
    for headers in (reader, editor):
        problem(post(client, headers, sip["id"], scope=places["umea"], period_from="2030"), 403, "missing_role")
        problem(client.patch(url, json={"value": 60}, headers=headers), 403, "missing_role")
        problem(client.delete(url, headers=headers), 403, "missing_role")
        assert ok(client.get(url, headers=headers))["id"] == made["id"]


def test_an_indicator_with_targets_by_gender_stays_split_by_gender(
    client: TestClient, manager: Headers, sip: dict[str, Any]
) -> None:
    female = ok(post(client, manager, sip["id"], gender="female"), 201)
    url = f"{API}/indicators/{sip['id']}"
    problem(client.patch(url, json={"by_gender": False}, headers=manager), 409, "indicator_has_targets")
    assert client.delete(f"{API}/targets/{female['id']}", headers=manager).status_code == 204
    assert ok(client.patch(url, json={"by_gender": False}, headers=manager))["by_gender"] is False
