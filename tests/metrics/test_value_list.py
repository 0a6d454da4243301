"""The list of values: filters (repeatable scopes, municipality codes, periods from/to), keyset pages sorted by
period, CSV with the columns a bulk import reads back (decimal comma), and a constant number of statements."""

import csv
import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.metrics.value_factories import (
    VALUES,
    Headers,
    make_indicator,
    make_organisation,
    ok,
    problem_locs,
    report,
    share_indicator,
)


@pytest.fixture
def world(session: Session, make_principal: Callable[..., Headers]) -> dict[str, Any]:
    return {
        "sip": share_indicator(session),
        "hlt": make_indicator(session, "HLT-BARN"),
        "umea": make_organisation(session, "Umeå kommun", code="2480"),
        "vannas": make_organisation(session, "Vännäs kommun", code="2460"),
        "manager": make_principal("fund_manager"),
    }


def _seed_list(client: TestClient, world: dict[str, Any]) -> None:
    manager = world["manager"]
    for period, value in (("2020", 690), ("2021", 701), ("2022-H1", 350), ("2023", 720)):
        report(client, manager, indicator_code="HLT-BARN", scope="county", period=period, value=value)
    for scope, n in ((world["umea"], 131), (world["vannas"], 20)):
        for gender in ("female", "male"):
            report(
                client,
                manager,
                indicator_code="SIP-ANDEL",
                scope=scope,
                period="2022",
                gender=gender,
                numerator=n,
                denominator=250,
                status="final",
                comment="Läns­rapport, å ä ö",
            )


def test_the_list_filters_and_sorts_by_period(client: TestClient, world: dict[str, Any], reader: Headers) -> None:
    _seed_list(client, world)

    def listed(**params: Any) -> list[tuple[str, str, str, str]]:
        data = ok(client.get(VALUES, params=params, headers=reader))["data"]
        return [(v["indicator_code"], v["period"], v["scope_name"], v["gender"]) for v in data]

    assert [p for _, p, _, _ in listed(indicator_id=str(world["hlt"].id))] == ["2020", "2021", "2022-H1", "2023"]
    assert [p for _, p, _, _ in listed(indicator_id=str(world["hlt"].id), sort="-period")] == [
        "2023",
        "2022-H1",
        "2021",
        "2020",
    ]
    assert [p for _, p, _, _ in listed(**{"from": "2021", "to": "2022"}, scope="county")] == ["2021", "2022-H1"]
    assert [p for _, p, _, _ in listed(period="2022-H1")] == ["2022-H1"]
    assert {s for _, _, s, _ in listed(scope=["2480", "county"])} == {"Umeå kommun", "Västerbottens län"}
    assert {s for _, _, s, _ in listed(scope=[world["vannas"]], gender="male")} == {"Vännäs kommun"}
    assert len(listed(scope_kind="principal", status="final")) == 4
    assert listed(scope=str(uuid.uuid4())) == []
    assert problem_locs(client.get(VALUES, params={"scope": ["county", "Umeå"]}, headers=reader)) == [
        ["query", "scope", 1]
    ]
    assert problem_locs(client.get(VALUES, params={"from": "2024-Q9"}, headers=reader))[0][:2] == ["query", "from"]
    assert problem_locs(client.get(VALUES, params={"as_of": "igår"}, headers=reader)) == [["query", "as_of"]]
    assert problem_locs(client.get(VALUES, params={"as_of": "2024-05-03T10:00:00"}, headers=reader)) == [
        ["query", "as_of"]
    ]

    first = ok(client.get(VALUES, params={"limit": 3, "count": "true"}, headers=reader))
    assert first["pagination"]["total"] == 8 and first["links"]["next"]
    seen, page = [], first
    while True:
        seen += [v["id"] for v in page["data"]]
        if not page["links"]["next"]:
            break
        page = ok(client.get(page["links"]["next"], headers=reader))
    assert seen == [v["id"] for v in ok(client.get(VALUES, headers=reader))["data"]] and len(seen) == 8


def test_the_list_as_csv_with_the_columns_an_import_reads(
    client: TestClient, world: dict[str, Any], reader: Headers
) -> None:
    _seed_list(client, world)
    r = client.get(VALUES, params={"indicator_id": str(world["sip"].id)}, headers={**reader, "Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    for column in (
        "indicator_id",
        "indicator_code",
        "scope",
        "period",
        "gender",
        "value",
        "numerator",
        "denominator",
        "weight",
        "status",
        "source",
        "comment",
    ):
        assert column in header
    by_scope = {(row[header.index("scope_name")], row[header.index("gender")]): row for row in rows}
    umea = by_scope[("Umeå kommun", "female")]
    assert umea[header.index("value")] == "52,4"
    assert umea[header.index("numerator")] == "131" and umea[header.index("weight")] == ""
    assert umea[header.index("scope")] == world["umea"]
    assert by_scope[("Vännäs kommun", "male")][header.index("value")] == "8"
    assert umea[header.index("comment")] == "Läns­rapport, å ä ö"


def test_list_and_history_in_constant_statements(
    client: TestClient, world: dict[str, Any], reader: Headers, count_queries: Callable[[], Any]
) -> None:
    _seed_list(client, world)
    one = {"scope": ["county"]}
    many = {"scope": ["county", "2480", world["vannas"]], "from": "2020", "to": "2023", "gender": "female"}
    counts = []
    for params in (one, many, {**one, "as_of": "2100-01-01"}, {**many, "as_of": "2100-01-01T00:00:00Z"}):
        with count_queries() as n:
            ok(client.get(VALUES, params=params, headers=reader))
        counts.append(n())
    assert len(set(counts)) == 1, counts

    ids = [v["id"] for v in ok(client.get(VALUES, headers=reader))["data"]]
    history = []
    for ident in (ids[0], ids[-1]):
        ok(client.patch(f"{VALUES}/{ident}", json={"comment": "Ny", "reason": "x"}, headers=world["manager"]))
        with count_queries() as n:
            ok(client.get(f"{VALUES}/{ident}/history", headers=reader))
        history.append(n())
    assert history[0] == history[1]
