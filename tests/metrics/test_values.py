"""Values one at a time over HTTP: reporting, corrections (and those that change nothing), withdrawals, who may
write what, and every kind of bad input answered as a 422 that names the field, with nothing written."""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.metrics.models import IndicatorValue, ValueVersion
from app.organisations.models import OrganisationKind
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
    umea = make_organisation(session, "Umeå kommun", code="2480")
    vannas = make_organisation(session, "Vännäs kommun", code="2460")
    south = make_organisation(session, "Umeå med krans", OrganisationKind.sub_region)
    return {
        "sip": share_indicator(session),
        "hlt": make_indicator(session, "HLT-BARN"),
        "umea": umea,
        "vannas": vannas,
        "south": south,
        "editor": make_principal(f"editor:{umea}"),
        "manager": make_principal("fund_manager"),
    }


def _count_values(session: Session) -> int:
    session.expire_all()
    return len(session.exec(select(IndicatorValue)).all())


def test_report_a_share_by_code_and_municipality_code(client: TestClient, world: dict[str, Any]) -> None:
    body = {"indicator_code": "SIP-ANDEL", "scope": "2480", "period": "2024", "gender": "female"}
    r = client.post(VALUES, json={**body, "numerator": 131, "denominator": "250"}, headers=world["editor"])
    created = ok(r, 201)
    assert r.headers["Location"].endswith(f"{VALUES}/{created['id']}")
    assert r.headers["ETag"] == f'"{uuid.UUID(created["id"]).hex[:12]}-1"'
    assert {k: created[k] for k in ("indicator_code", "scope", "scope_kind", "scope_name", "period", "gender")} == {
        "indicator_code": "SIP-ANDEL",
        "scope": world["umea"],
        "scope_kind": "principal",
        "scope_name": "Umeå kommun",
        "period": "2024",
        "gender": "female",
    }
    assert (created["value"], created["numerator"], created["denominator"]) == (52.4, 131, 250)
    assert (created["status"], created["version"], created["reason"]) == ("preliminary", 1, None)
    assert created["indicator_id"] == str(world["sip"].id) and created["reported_by"]

    got = client.get(r.headers["Location"], headers=world["editor"])
    assert ok(got) == created and got.headers["ETag"] == r.headers["ETag"]

    again = client.post(VALUES, json={**body, "numerator": 1, "denominator": 2}, headers=world["editor"])
    assert again.status_code == 409
    assert again.json()["code"] == "value_exists" and again.json()["existing_id"] == created["id"]


def test_the_county_by_a_fund_manager(client: TestClient, world: dict[str, Any]) -> None:
    created = report(
        client, world["manager"], indicator_id=str(world["hlt"].id), scope="county", period="2020", value=690
    )
    assert (created["scope"], created["scope_kind"], created["scope_name"]) == ("county", "county", "Västerbottens län")
    assert created["value"] == 690 and isinstance(created["value"], int)


def test_who_may_write(client: TestClient, world: dict[str, Any], reader: Headers, session: Session) -> None:
    hlt = {"indicator_code": "HLT-BARN", "period": "2024", "value": 12}
    for scope in (world["vannas"], "county", world["south"]):
        r = client.post(VALUES, json={**hlt, "scope": scope}, headers=world["editor"])
        assert r.status_code == 403 and r.json()["code"] == "missing_role", scope
    assert client.post(VALUES, json={**hlt, "scope": world["umea"]}, headers=reader).status_code == 403
    assert _count_values(session) == 0

    for scope in (world["vannas"], "county", world["south"]):
        report(client, world["manager"], **hlt, scope=scope)
    own = report(client, world["editor"], **hlt, scope=world["umea"])
    others = {v["scope"]: v for v in ok(client.get(VALUES, headers=reader))["data"]}
    assert len(others) == 4

    url = f"{VALUES}/{own['id']}"
    fix = {"value": 13, "reason": "Fel i underlaget"}
    assert client.patch(url, json=fix, headers=reader).status_code == 403
    assert client.delete(url, params={"reason": "Dubblett"}, headers=reader).status_code == 403
    vannas = f"{VALUES}/{others[world['vannas']]['id']}"
    assert client.patch(vannas, json=fix, headers=world["editor"]).status_code == 403
    assert client.delete(vannas, params={"reason": "Dubblett"}, headers=world["editor"]).status_code == 403
    assert ok(client.patch(url, json=fix, headers=world["editor"]))["value"] == 13
    assert ok(client.patch(vannas, json=fix, headers=world["manager"]))["version"] == 2
    assert client.get(url, headers=reader).status_code == 200


def _post(client: TestClient, headers: Headers, **body: Any) -> Any:
    return client.post(VALUES, json=body, headers=headers)


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"indicator_code": "HLT-BARN", "gender": "female", "value": 3}, ["body", "gender"]),
        ({"value": 40}, ["body", "numerator"]),
        ({"numerator": 1}, ["body", "denominator"]),
        ({"numerator": 1, "denominator": 0}, ["body", "denominator"]),
        ({"numerator": 1, "denominator": 4, "value": 40}, ["body", "value"]),
        ({"indicator_code": "HLT-BARN", "numerator": 1, "denominator": 4}, ["body", "numerator"]),
        ({"period": "2024-Q5", "numerator": 1, "denominator": 4}, ["body", "period"]),
        ({"period": "1800", "numerator": 1, "denominator": 4}, ["body", "period"]),
        ({"scope": "Umeå", "numerator": 1, "denominator": 4}, ["body", "scope"]),
        ({"scope": str(uuid.uuid4()), "numerator": 1, "denominator": 4}, ["body", "scope"]),
        ({"scope": "9999", "numerator": 1, "denominator": 4}, ["body", "scope"]),
        ({"numerator": "1.00001", "denominator": 4}, ["body", "numerator"]),
        ({"numerator": 1, "denominator": "1e3"}, ["body", "denominator"]),
        ({"indicator_code": "OKÄND", "numerator": 1, "denominator": 4}, ["body", "indicator_code"]),
        ({"indicator_code": "NOPE", "numerator": 1, "denominator": 4}, ["body", "indicator_code"]),
        ({"indicator_id": str(uuid.uuid4()), "indicator_code": None, "value": 1}, ["body", "indicator_id"]),
        ({"indicator_id": "SIP", "numerator": 1, "denominator": 4}, ["body", "indicator_id"]),
        ({"extra": 1, "numerator": 1, "denominator": 4}, ["body", "extra"]),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(
    client: TestClient, world: dict[str, Any], session: Session, body: dict[str, Any], loc: list[Any]
) -> None:
    sent = {"indicator_code": "SIP-ANDEL", "scope": world["umea"], "period": "2024", **body}
    sent = {k: v for k, v in sent.items() if v is not None}
    r = _post(client, world["manager"], **sent)
    assert loc in problem_locs(r), r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert _count_values(session) == 0


def test_both_indicator_fields_or_neither(client: TestClient, world: dict[str, Any]) -> None:
    both = {"indicator_id": str(world["hlt"].id), "indicator_code": "HLT-BARN", "scope": "county", "period": "2024"}
    assert problem_locs(_post(client, world["manager"], **both, value=1)) == [["body", "indicator_id"]]
    neither = {"scope": "county", "period": "2024", "value": 1}
    assert problem_locs(_post(client, world["manager"], **neither)) == [["body", "indicator_id"]]


def test_nan_and_infinity_are_refused(client: TestClient, world: dict[str, Any], session: Session) -> None:
    headers = {**world["manager"], "Content-Type": "application/json"}
    for raw in ("NaN", "Infinity", '"NaN"', '"inf"'):
        content = f'{{"indicator_code": "HLT-BARN", "scope": "county", "period": "2024", "value": {raw}}}'
        r = client.post(VALUES, content=content.encode(), headers=headers)
        assert r.status_code == 422, (raw, r.text)
        assert ["body", "value"] in [e["loc"][:2] for e in r.json()["errors"]], r.text
    assert _count_values(session) == 0


def test_a_correction_that_changes_nothing_writes_nothing(
    client: TestClient, world: dict[str, Any], session: Session
) -> None:
    made = report(
        client, world["editor"], indicator_code="SIP-ANDEL", scope="2480", period="2023", numerator=3, denominator=4
    )
    url = f"{VALUES}/{made['id']}"
    etag = client.get(url, headers=world["editor"]).headers["ETag"]
    same = client.patch(url, json={"numerator": 3, "reason": "Kontroll"}, headers={**world["editor"], "If-Match": etag})
    assert ok(same)["version"] == 1 and same.headers["ETag"] == etag
    assert ok(client.get(f"{url}/history", headers=world["editor"]))["pagination"]["total"] == 1

    assert problem_locs(client.patch(url, json={"value": 80}, headers=world["editor"])) == [["body", "reason"]]
    assert problem_locs(client.patch(url, json={"status": None, "reason": "x"}, headers=world["editor"])) == [
        ["body", "status"]
    ]
    # The new numerator recomputes the share; a value that disagrees with them is refused, naming it.
    wrong = client.patch(url, json={"value": 10, "reason": "x"}, headers=world["editor"])
    assert problem_locs(wrong) == [["body", "value"]]
    stale = client.patch(url, json={"numerator": 2, "reason": "x"}, headers={**world["editor"], "If-Match": '"0-1"'})
    assert stale.status_code == 412
    fixed = client.patch(
        url, json={"numerator": 2, "reason": "Räknefel"}, headers={**world["editor"], "If-Match": etag}
    )
    assert (ok(fixed)["value"], fixed.json()["version"], fixed.json()["reason"]) == (50, 2, "Räknefel")
    assert fixed.headers["ETag"] != etag
    session.expire_all()
    assert len(session.exec(select(ValueVersion).where(ValueVersion.value_id == uuid.UUID(made["id"]))).all()) == 2


def test_withdraw_needs_a_reason_and_keeps_the_history(client: TestClient, world: dict[str, Any]) -> None:
    made = report(client, world["manager"], indicator_code="HLT-BARN", scope="county", period="2021", value=701)
    url = f"{VALUES}/{made['id']}"
    assert problem_locs(client.delete(url, headers=world["manager"])) == [["query", "reason"]]
    assert (
        client.delete(url, params={"reason": "Dubblett"}, headers={**world["manager"], "If-Match": '"x"'}).status_code
        == 412
    )
    assert client.delete(url, params={"reason": "Dubblett"}, headers=world["manager"]).status_code == 204
    assert client.get(url, headers=world["manager"]).status_code == 404
    assert client.patch(url, json={"value": 1, "reason": "x"}, headers=world["manager"]).status_code == 404
    assert ok(client.get(VALUES, headers=world["manager"]))["data"] == []
    versions = ok(client.get(f"{url}/history", headers=world["manager"]))["data"]
    assert [(v["number"], v["value"], v["withdrawn"], v["reason"]) for v in versions] == [
        (1, 701, False, None),
        (2, 701, True, "Dubblett"),
    ]
    assert client.get(f"{VALUES}/{uuid.uuid4()}/history", headers=world["manager"]).status_code == 404
    # The key is free again: a new value, not the old one back.
    again = report(client, world["manager"], indicator_code="HLT-BARN", scope="county", period="2021", value=702)
    assert again["id"] != made["id"]
