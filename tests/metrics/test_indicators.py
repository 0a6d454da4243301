"""Indicators over HTTP: their rules, duplicates, strategies, what stays while there are values, lists and rights."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.metrics.conftest import (
    API,
    Headers,
    IndicatorFactory,
    error_locs,
    insert_value,
    ok,
    organisation,
    problem,
)


@pytest.fixture
def strategies(client: TestClient, admin: Headers) -> list[str]:
    names = ["Med hälsan i fokus", "Tillsammans för invånaren"]
    return [
        str(ok(client.post(f"{API}/strategies", json={"number": n, "name": name}, headers=admin), 201)["id"])
        for n, name in enumerate(names, start=1)
    ]


@pytest.fixture
def council(client: TestClient, admin: Headers) -> str:
    return organisation(client, admin, kind="joint_body", name="Samråd hälsa, vård och omsorg")


def test_an_indicator_is_created_with_its_strategies_and_read_back(
    client: TestClient, manager: Headers, reader: Headers, strategies: list[str], council: str
) -> None:
    body = {
        "code": "SIP-ANDEL",
        "name": "Andel barn med samordnad individuell plan (SIP)",
        "definition": "Antal barn i HLT med SIP / antal barn i HLT, i procent.",
        "unit": "percent",
        "direction": "increase",
        "by_gender": True,
        "aggregation": "ratio",
        "decimals": 1,
        "body_id": council,
        "source": "HLT-uppföljningen",
        "kolada_kpi": "N17473",
        "strategy_ids": [strategies[1], strategies[0], strategies[1]],
    }
    r = client.post(f"{API}/indicators", json=body, headers=manager)
    made = ok(r, 201)
    assert r.headers["Location"].endswith(f"/indicators/{made['id']}") and r.headers["ETag"]
    assert sorted(made["strategy_ids"]) == sorted(strategies)
    assert {k: made[k] for k in body if k != "strategy_ids"} == {k: v for k, v in body.items() if k != "strategy_ids"}
    got = client.get(f"{API}/indicators/{made['id']}", headers=reader)
    assert ok(got) == made and got.headers["ETag"] == r.headers["ETag"]


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"code": "-BAD"}, ["body", "code"]),
        ({"code": "Å"}, ["body", "code"]),
        ({"kolada_kpi": "n00945"}, ["body", "kolada_kpi"]),
        ({"decimals": 5}, ["body", "decimals"]),
        ({"unit": "liters"}, ["body", "unit"]),
        ({"aggregation": "ratio"}, ["body", "aggregation"]),  # a count is not a share
        ({"body_id": "00000000-0000-4000-8000-000000000000"}, ["body", "body_id"]),
        ({"strategy_ids": ["00000000-0000-4000-8000-000000000000"]}, ["body", "strategy_ids", 0]),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, manager: Headers, fields: dict[str, Any], loc: list[Any]
) -> None:
    body = {"code": "X", "name": "X", "unit": "count", "direction": "increase", "aggregation": "sum", **fields}
    assert loc in error_locs(client.post(f"{API}/indicators", json=body, headers=manager))
    assert ok(client.get(f"{API}/indicators", headers=manager))["data"] == []


def test_ratio_aggregation_is_for_shares_only(indicator: IndicatorFactory) -> None:
    for i, unit in enumerate(("percent", "per_1000", "ratio")):
        assert indicator(code=f"ANDEL-{i}", unit=unit, aggregation="ratio")["aggregation"] == "ratio"


def test_a_principal_is_not_a_body(client: TestClient, manager: Headers, admin: Headers) -> None:
    umea = organisation(client, admin, kind="municipality", name="Umeå kommun", is_principal=True)
    body = {"code": "X", "name": "X", "unit": "count", "direction": "increase", "aggregation": "sum", "body_id": umea}
    assert error_locs(client.post(f"{API}/indicators", json=body, headers=manager)) == [["body", "body_id"]]


def test_codes_and_kolada_ids_are_unique_among_live_indicators(
    client: TestClient, manager: Headers, indicator: IndicatorFactory
) -> None:
    first = indicator(code="HLT-BARN", kolada_kpi="N00945")
    problem(client.post(f"{API}/indicators", json=_body(code="HLT-BARN"), headers=manager), 409, "duplicate_code")
    taken = client.post(f"{API}/indicators", json=_body(code="OTHER", kolada_kpi="N00945"), headers=manager)
    problem(taken, 409, "duplicate_kolada_kpi")
    second = indicator(code="OTHER")
    renamed = client.patch(f"{API}/indicators/{second['id']}", json={"code": "HLT-BARN"}, headers=manager)
    problem(renamed, 409, "duplicate_code")
    assert client.delete(f"{API}/indicators/{first['id']}", headers=manager).status_code == 204
    assert indicator(code="HLT-BARN", kolada_kpi="N00945")["id"] != first["id"]


def _body(**fields: Any) -> dict[str, Any]:
    return {"code": "X", "name": "X", "unit": "count", "direction": "increase", "aggregation": "sum", **fields}


def test_a_patch_changes_what_is_sent_and_replaces_the_strategies(
    client: TestClient, manager: Headers, indicator: IndicatorFactory, strategies: list[str]
) -> None:
    made = indicator(strategy_ids=[strategies[0]])
    url = f"{API}/indicators/{made['id']}"
    etag = client.get(url, headers=manager).headers["ETag"]
    r = client.patch(url, json={"name": "Antal barn i HLT", "strategy_ids": [strategies[1]]}, headers=manager)
    changed = ok(r)
    assert changed["name"] == "Antal barn i HLT" and changed["strategy_ids"] == [strategies[1]]
    assert changed["code"] == made["code"] and r.headers["ETag"] != etag
    stale = client.patch(url, json={"decimals": 2}, headers={**manager, "If-Match": etag})
    assert stale.status_code == 412
    assert error_locs(client.patch(url, json={"aggregation": "ratio"}, headers=manager)) == [["body", "aggregation"]]
    assert error_locs(client.patch(url, json={"name": None}, headers=manager)) == [["body", "name"]]
    cleared = ok(client.patch(url, json={"strategy_ids": []}, headers={**manager, "If-Match": r.headers["ETag"]}))
    assert cleared["strategy_ids"] == []


def test_what_values_rely_on_stays_while_there_are_values(
    client: TestClient, manager: Headers, indicator: IndicatorFactory, session: Session
) -> None:
    made = indicator()
    url = f"{API}/indicators/{made['id']}"
    assert ok(client.patch(url, json={"unit": "days"}, headers=manager))["unit"] == "days"
    insert_value(session, made["id"])
    for change in ({"unit": "count"}, {"aggregation": "mean"}, {"by_gender": True}):
        problem(client.patch(url, json=change, headers=manager), 409, "indicator_has_values")
    # The rest may change, and sending the same unit again changes nothing.
    assert ok(client.patch(url, json={"name": "Barn i HLT (antal)", "unit": "days"}, headers=manager))["unit"] == "days"
    problem(client.delete(url, headers=manager), 409, "indicator_in_use")


def test_an_indicator_with_a_target_is_not_deleted(
    client: TestClient, manager: Headers, indicator: IndicatorFactory
) -> None:
    made = indicator()
    target = {"indicator_id": made["id"], "scope": "county", "period_from": "2020", "comparison": "gte", "value": 1}
    target_id = ok(client.post(f"{API}/targets", json=target, headers=manager), 201)["id"]
    problem(client.delete(f"{API}/indicators/{made['id']}", headers=manager), 409, "indicator_in_use")
    assert client.delete(f"{API}/targets/{target_id}", headers=manager).status_code == 204
    etag = client.get(f"{API}/indicators/{made['id']}", headers=manager).headers["ETag"]
    assert client.delete(f"{API}/indicators/{made['id']}", headers={**manager, "If-Match": etag}).status_code == 204
    assert client.get(f"{API}/indicators/{made['id']}", headers=manager).status_code == 404


def test_the_list_filters_and_sorts_the_swedish_way(
    client: TestClient, reader: Headers, indicator: IndicatorFactory, strategies: list[str], council: str
) -> None:
    names = {"OT": "Överbeläggningar", "AT": "Arbetsterapeuter per 1 000", "AA": "Ändrade planer", "ZZ": "Zon"}
    ids = {code: indicator(code=code, name=name)["id"] for code, name in names.items()}
    indicator(code="SIP", name="SIP", unit="percent", aggregation="ratio", strategy_ids=[strategies[0]])
    indicator(code="KOL", name="Kolada", kolada_kpi="N00945", body_id=council)

    def codes(**params: Any) -> list[str]:
        return [i["code"] for i in ok(client.get(f"{API}/indicators", params=params, headers=reader))["data"]]

    assert codes() == ["AT", "KOL", "SIP", "ZZ", "AA", "OT"]  # Å, Ä, Ö after Z
    assert codes(sort="-code")[:2] == ["ZZ", "SIP"]
    assert codes(strategy_id=strategies[0]) == ["SIP"]
    assert codes(unit="percent") == ["SIP"]
    assert codes(kolada_kpi="N00945") == codes(body_id=council) == ["KOL"]
    assert codes(code="OT") == ["OT"]
    page = ok(client.get(f"{API}/indicators", params={"limit": 2, "count": "true"}, headers=reader))
    assert page["pagination"]["total"] == 6 and page["links"]["next"]
    assert ok(client.get(page["links"]["next"], headers=reader))["data"][0]["code"] == "SIP"
    assert ids["AA"] in {i["id"] for i in ok(client.get(f"{API}/indicators?limit=500", headers=reader))["data"]}
    assert error_locs(client.get(f"{API}/indicators", params={"unit": "liters"}, headers=reader))[0][:2] == [
        "query",
        "unit",
    ]


def test_the_list_as_csv(
    client: TestClient, reader: Headers, indicator: IndicatorFactory, strategies: list[str]
) -> None:
    indicator(code="OB", name="Överbeläggningar", strategy_ids=strategies)
    r = client.get(f"{API}/indicators", headers={**reader, "Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:5] == ["id", "created_at", "updated_at", "code", "name"] and header[-1] == "strategy_ids"
    row = dict(zip(header, lines[1].split(";"), strict=True))
    assert row["name"] == "Överbeläggningar" and set(row["strategy_ids"].split(", ")) == set(strategies)


def test_a_page_is_a_constant_number_of_statements(
    client: TestClient, reader: Headers, indicator: IndicatorFactory, strategies: list[str], count_queries: Any
) -> None:
    for i in range(6):
        indicator(code=f"I{i}", name=f"Indikator {i}", strategy_ids=strategies)
    with count_queries() as small:
        assert len(ok(client.get(f"{API}/indicators?limit=1", headers=reader))["data"]) == 1
    with count_queries() as large:
        assert len(ok(client.get(f"{API}/indicators?limit=6", headers=reader))["data"]) == 6
    assert small() == large()


def test_only_fund_managers_and_admins_write(
    client: TestClient,
    make_principal: Callable[..., Headers],
    reader: Headers,
    admin: Headers,
    indicator: IndicatorFactory,
) -> None:
    umea = organisation(client, admin, kind="municipality", name="Umeå kommun", is_principal=True)
    editor = make_principal(f"editor:{umea}")
    made = indicator()
    url = f"{API}/indicators/{made['id']}"
    for headers in (reader, editor):
        problem(client.post(f"{API}/indicators", json=_body(code="NY"), headers=headers), 403, "missing_role")
        problem(client.patch(url, json={"name": "Nytt namn"}, headers=headers), 403, "missing_role")
        problem(client.delete(url, headers=headers), 403, "missing_role")
        assert ok(client.get(url, headers=headers))["id"] == made["id"]
    assert ok(client.post(f"{API}/indicators", json=_body(code="NY"), headers=admin), 201)["code"] == "NY"


def test_every_write_is_audited(
    client: TestClient, manager: Headers, admin: Headers, indicator: IndicatorFactory
) -> None:
    made = indicator()
    url = f"{API}/indicators/{made['id']}"
    ok(client.patch(url, json={"name": "Barn i HLT-uppföljningen"}, headers=manager))
    assert client.delete(url, headers=manager).status_code == 204
    entries = ok(client.get(f"{API}/audit", params={"resource_id": made["id"]}, headers=admin))["data"]
    assert sorted(e["action"] for e in entries) == ["create", "delete", "update"]
    assert {e["resource_type"] for e in entries} == {"indicator"}
    update = next(e for e in entries if e["action"] == "update")
    assert update["changes"]["name"] == ["Barn i HLT", "Barn i HLT-uppföljningen"]
