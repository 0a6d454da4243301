"""Grants over HTTP: never more than asked for, never more than the pot has, by exactly one decision, only by fund
managers and admins, and the application moves to granted or partially granted in its history."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.funds.applications.models import Application, ApplicationEvent, ApplicationStatus
from app.funds.grants.models import Report
from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.funds.factories import Wanted, a_decision, insert_applications, municipality, principal_id

DELEGATED = {"by": "Förbundschef Anna Berg", "on": "2021-09-14", "reference": "Dnr 2021/88"}
FINAL = [{"kind": "final", "due_on": "2022-12-31"}]


def grant_body(application_id: Any, amount: Any, **extra: Any) -> dict[str, Any]:
    body = {"application_id": str(application_id), "amount": amount, "delegated": DELEGATED, "reports": FINAL}
    return {**body, **extra}


@pytest.fixture
def world(
    client: TestClient, manager: Headers, admin: Headers, fund: dict[str, Any], session: Session
) -> dict[str, Any]:
    """An open 2021 round with two pots and three applications in review (inserted as setup: see factories)."""
    made = new_round(client, manager, fund["id"], 2021)
    suicide = new_pot(client, manager, made["id"], "Det suicidpreventiva arbetet", "1000000.00")
    care = new_pot(client, manager, made["id"], "En mer sammanhållen vård", "500000.00")
    move_to(client, manager, made["id"], "open")
    umea = municipality(client, admin, "Umeå kommun")
    apps = insert_applications(
        session,
        made["id"],
        principal_id(client, manager),
        [
            Wanted("Suicide Zero i skolan", "400000.00", suicide, umea),
            Wanted("Dans för hälsa", "300000.00", suicide, umea),
            Wanted("Hälsoundersökningar i LSS-boenden", "600000.00", care, umea),
        ],
    )
    return {"round": made, "suicide": suicide, "care": care, "apps": apps, "umea": umea}


def status_of(session: Session, ident: uuid.UUID) -> ApplicationStatus:
    session.rollback()  # a fresh read: SQLite would keep showing the snapshot of the transaction's first read
    found = session.get(Application, ident)
    assert found is not None
    return found.status


def pot_figures(client: TestClient, headers: Headers, round_id: str) -> dict[str, dict[str, Any]]:
    got = ok(client.get(f"{API}/rounds/{round_id}/summary", headers=headers))
    return {p["pot_id"]: p for p in got["pots"]}


def grants_written(client: TestClient, headers: Headers) -> list[Any]:
    return list(ok(client.get(f"{API}/grants", headers=headers))["data"])


def test_a_grant_of_the_whole_amount(
    client: TestClient, manager: Headers, reader: Headers, session: Session, world: dict[str, Any]
) -> None:
    first = world["apps"][0]
    body = grant_body(first, "400000", conditions="Slutrapport till samrådet.")
    body["reports"] = [{"kind": "interim", "due_on": "2021-12-15"}, {"kind": "final", "due_on": "2022-12-31"}]
    r = client.post(f"{API}/grants", json=body, headers=manager)
    made = ok(r, 201)
    assert r.headers["location"].endswith(f"/grants/{made['id']}")
    assert {k: made[k] for k in ("amount", "pot_id", "application_number", "round_id", "paid", "repaid")} == {
        "amount": "400000.00",
        "pot_id": world["suicide"],
        "application_number": "UPH-2021-001",
        "round_id": world["round"]["id"],
        "paid": "0.00",
        "repaid": "0.00",
    }
    assert made["delegated"] == DELEGATED and made["decision_id"] is None
    assert status_of(session, first) is ApplicationStatus.granted
    history = session.scalars(
        select(ApplicationEvent).where(col(ApplicationEvent.application_id) == first).order_by(col(ApplicationEvent.at))
    ).all()
    assert [(e.from_status, e.to_status) for e in history][-1] == ("in_review", "granted")
    reports = session.scalars(select(Report).where(col(Report.grant_id) == uuid.UUID(made["id"]))).all()
    assert sorted((str(x.kind), str(x.due_on), str(x.status)) for x in reports) == [
        ("final", "2022-12-31", "due"),
        ("interim", "2021-12-15", "due"),
    ]
    suicide = pot_figures(client, reader, world["round"]["id"])[world["suicide"]]
    assert (suicide["requested"], suicide["granted"], suicide["remaining"]) == ("700000.00", "400000.00", "600000.00")
    got = client.get(f"{API}/grants/{made['id']}", headers=reader)
    assert ok(got) == made and got.headers["etag"]


def test_a_smaller_grant_is_partial(
    client: TestClient, manager: Headers, admin: Headers, session: Session, world: dict[str, Any]
) -> None:
    second = world["apps"][1]
    ok(client.post(f"{API}/grants", json=grant_body(second, "250000.50"), headers=admin), 201)
    assert status_of(session, second) is ApplicationStatus.partially_granted


def test_never_more_than_asked_for(
    client: TestClient, manager: Headers, session: Session, world: dict[str, Any]
) -> None:
    r = client.post(f"{API}/grants", json=grant_body(world["apps"][0], "400000.01"), headers=manager)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "amount"]
    assert "400000.00 requested" in r.json()["errors"][0]["msg"]
    assert grants_written(client, manager) == []
    assert status_of(session, world["apps"][0]) is ApplicationStatus.in_review


def test_never_more_than_the_pot_has(
    client: TestClient, manager: Headers, session: Session, world: dict[str, Any]
) -> None:
    care, third = world["care"], world["apps"][2]
    refused = client.post(f"{API}/grants", json=grant_body(third, "500000.01"), headers=manager)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert (problem["code"], problem["remaining"], problem["pot_id"]) == ("pot_overdrawn", "500000.00", care)
    assert status_of(session, third) is ApplicationStatus.in_review
    ok(client.post(f"{API}/grants", json=grant_body(third, "500000.00"), headers=manager), 201)
    assert pot_figures(client, manager, world["round"]["id"])[care]["remaining"] == "0.00"


def test_the_pot_is_one_of_the_round(
    client: TestClient, manager: Headers, fund: dict[str, Any], world: dict[str, Any]
) -> None:
    other_round = new_round(client, manager, fund["id"], 2022)
    elsewhere = new_pot(client, manager, other_round["id"], "Suicidprevention", "1000000")
    first = world["apps"][0]
    r = client.post(f"{API}/grants", json=grant_body(first, "1000", pot_id=elsewhere), headers=manager)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "pot_id"]
    r = client.post(f"{API}/grants", json=grant_body(first, "1000", pot_id=str(uuid.uuid4())), headers=manager)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "pot_id"]
    assert grants_written(client, manager) == []
    # Another pot of the same round may pay: the figures follow the grant's pot, not the one the application named.
    made = ok(client.post(f"{API}/grants", json=grant_body(first, "1000", pot_id=world["care"]), headers=manager), 201)
    assert made["pot_id"] == world["care"]
    figures = pot_figures(client, manager, world["round"]["id"])
    assert figures[world["care"]]["granted"] == "1000.00" and figures[world["suicide"]]["granted"] == "0.00"


@pytest.mark.parametrize(
    "decision",
    [
        {},
        {"delegated": None},
        {"decision_id": "DECISION", "delegated": DELEGATED},
        {"delegated": {"by": "Förbundschef", "on": "2021-09-14"}},
        {"delegated": {"by": "", "on": "2021-09-14", "reference": "Dnr 2021/88"}},
        {"delegated": None, "decision_id": "UNKNOWN"},
    ],
)
def test_exactly_one_decision(
    client: TestClient, manager: Headers, world: dict[str, Any], decision: dict[str, Any], session: Session
) -> None:
    body = grant_body(world["apps"][0], "1000")
    del body["delegated"]
    for key, value in decision.items():
        body[key] = (
            {"DECISION": str(uuid.uuid4()), "UNKNOWN": str(uuid.uuid4())}.get(value, value)
            if isinstance(value, str)
            else value
        )
    r = client.post(f"{API}/grants", json=body, headers=manager)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert grants_written(client, manager) == []
    assert status_of(session, world["apps"][0]) is ApplicationStatus.in_review


def test_exactly_one_final_report_is_due(client: TestClient, manager: Headers, world: dict[str, Any]) -> None:
    interim_only = grant_body(world["apps"][0], "1000", reports=[{"kind": "interim", "due_on": "2021-12-15"}])
    r = client.post(f"{API}/grants", json=interim_only, headers=manager)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "reports"]
    r = client.post(f"{API}/grants", json=grant_body(world["apps"][0], "1000", reports=[]), headers=manager)
    assert r.status_code == 422
    # The application follows its one final report: a second could never close it.
    two = [{"kind": "final", "due_on": "2022-06-30"}, {"kind": "final", "due_on": "2022-12-31"}]
    r = client.post(f"{API}/grants", json=grant_body(world["apps"][0], "1000", reports=two), headers=manager)
    assert r.status_code == 422 and "exactly one final report" in r.text
    assert grants_written(client, manager) == []


def test_only_an_application_in_review_is_granted(client: TestClient, manager: Headers, world: dict[str, Any]) -> None:
    first = world["apps"][0]
    ok(client.post(f"{API}/grants", json=grant_body(first, "1000"), headers=manager), 201)
    again = client.post(f"{API}/grants", json=grant_body(first, "1000"), headers=manager)
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert "allowed" in again.json()
    missing = client.post(f"{API}/grants", json=grant_body(uuid.uuid4(), "1000"), headers=manager)
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == ["body", "application_id"]
    assert len(grants_written(client, manager)) == 1


def test_only_while_the_round_is_active(client: TestClient, manager: Headers, world: dict[str, Any]) -> None:
    move_to(client, manager, world["round"]["id"], "closed", "decided")
    ok(client.post(f"{API}/grants", json=grant_body(world["apps"][0], "1000"), headers=manager), 201)
    move_to(client, manager, world["round"]["id"], "archived")
    r = client.post(f"{API}/grants", json=grant_body(world["apps"][1], "1000"), headers=manager)
    assert r.status_code == 409 and r.json()["code"] == "round_not_active"
    assert len(grants_written(client, manager)) == 1


def test_only_fund_managers_and_admins_grant(
    client: TestClient, make_principal: Any, reader: Headers, world: dict[str, Any], session: Session
) -> None:
    body = grant_body(world["apps"][0], "1000")
    editor = make_principal(f"editor:{world['umea']}")
    for headers, status in (
        (reader, 403),
        (editor, 403),
        (make_principal(f"secretary:{world['umea']}"), 403),
        ({}, 401),
    ):
        r = client.post(f"{API}/grants", json=body, headers=headers)
        assert r.status_code == status, r.text
    assert grants_written(client, reader) == []
    assert status_of(session, world["apps"][0]) is ApplicationStatus.in_review


@pytest.mark.parametrize("raw_amount", ["1e400", '"NaN"', '"Infinity"', '"1.234"', "-5", '"-5.00"', "12.5", '"0"'])
def test_bad_amounts_are_refused_and_nothing_is_written(
    client: TestClient, manager: Headers, world: dict[str, Any], raw_amount: str, session: Session
) -> None:
    app_id = world["apps"][0]
    raw = (
        f'{{"application_id": "{app_id}", "amount": {raw_amount}, "decision_id": null, '
        '"delegated": {"by": "X", "on": "2021-09-14", "reference": "Y"}, '
        '"reports": [{"kind": "final", "due_on": "2022-12-31"}]}'
    )
    r = client.post(f"{API}/grants", content=raw, headers={**manager, "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"][-1] == "amount"
    assert grants_written(client, manager) == []
    assert status_of(session, app_id) is ApplicationStatus.in_review


def test_a_decision_in_the_record_may_grant_several(
    client: TestClient, manager: Headers, admin: Headers, world: dict[str, Any], count_queries: Any
) -> None:
    decision = a_decision(client, admin)
    for app_id, amount in zip(world["apps"][:2], ("400000", "300000"), strict=True):
        body = grant_body(app_id, amount, decision_id=decision)
        del body["delegated"]
        made = ok(client.post(f"{API}/grants", json=body, headers=manager), 201)
        assert made["decision_id"] == decision and made["delegated"] is None
    listed = ok(client.get(f"{API}/grants", params={"decision_id": decision, "count": "true"}, headers=manager))
    assert listed["pagination"]["total"] == 2
    by_pot = ok(client.get(f"{API}/grants", params={"pot_id": world["care"]}, headers=manager))
    assert by_pot["data"] == []
    by_round = ok(client.get(f"{API}/grants", params={"round_id": world["round"]["id"]}, headers=manager))
    assert [g["application_number"] for g in by_round["data"]] == ["UPH-2021-001", "UPH-2021-002"]
    one = ok(client.get(f"{API}/grants", params={"application_id": str(world["apps"][1]), "limit": 1}, headers=manager))
    assert [g["amount"] for g in one["data"]] == ["300000.00"]
    statements = []
    for limit in (1, 2):
        with count_queries() as n:
            ok(client.get(f"{API}/grants", params={"limit": limit}, headers=manager))
        statements.append(n())
    assert statements[0] == statements[1]  # paid, repaid and the number come in the page's own statement
    csv = client.get(f"{API}/grants", headers={**manager, "Accept": "text/csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert "delegated.by" in lines[0].split(";") or "delegated" in lines[0].split(";")
    assert any("400000,00" in line for line in lines[1:])


def test_only_the_conditions_change(
    client: TestClient, manager: Headers, reader: Headers, world: dict[str, Any]
) -> None:
    made = ok(client.post(f"{API}/grants", json=grant_body(world["apps"][0], "1000"), headers=manager), 201)
    url = f"{API}/grants/{made['id']}"
    etag = client.get(url, headers=manager).headers["etag"]
    changed = ok(client.patch(url, json={"conditions": "Slutrapport i mars."}, headers={**manager, "If-Match": etag}))
    assert changed["conditions"] == "Slutrapport i mars." and changed["amount"] == "1000.00"
    stale = client.patch(url, json={"conditions": "X"}, headers={**manager, "If-Match": etag})
    assert stale.status_code == 412
    assert client.patch(url, json={"amount": "1"}, headers=manager).status_code == 422
    assert client.patch(url, json={"conditions": "X"}, headers=reader).status_code == 403


def test_an_admin_undoes_a_grant_entered_by_mistake(
    client: TestClient, manager: Headers, admin: Headers, session: Session, world: dict[str, Any]
) -> None:
    first = world["apps"][0]
    made = ok(client.post(f"{API}/grants", json=grant_body(first, "1000"), headers=manager), 201)
    url = f"{API}/grants/{made['id']}"
    assert client.delete(url, headers=manager).status_code == 403
    assert client.delete(url, headers=admin).status_code == 204
    assert status_of(session, first) is ApplicationStatus.in_review
    assert client.get(url, headers=manager).status_code == 404
    synced = ok(client.get(f"{API}/grants", params={"updated_since": made["created_at"]}, headers=manager))["data"]
    assert synced == [{"id": made["id"], "deleted": True, "updated_at": synced[0]["updated_at"]}]
    session.rollback()
    assert session.scalars(select(Report).where(col(Report.deleted_at).is_(None))).all() == []
    assert pot_figures(client, manager, world["round"]["id"])[world["suicide"]]["granted"] == "0.00"
    # Granted again, then paid: the grant stands.
    again = ok(client.post(f"{API}/grants", json=grant_body(first, "1000"), headers=manager), 201)
    payment = {"grant_id": again["id"], "kind": "payment", "paid_on": "2021-10-01", "amount": "10"}
    ok(client.post(f"{API}/payments", json=payment, headers=manager), 201)
    refused = client.delete(f"{API}/grants/{again['id']}", headers=admin)
    assert refused.status_code == 409 and refused.json()["code"] == "grant_in_use"
    assert status_of(session, first) is ApplicationStatus.partially_granted


def test_a_retried_grant_grants_once(client: TestClient, manager: Headers, world: dict[str, Any]) -> None:
    retry = {**manager, "Idempotency-Key": "grant-2021-09-14-001"}
    first = client.post(f"{API}/grants", json=grant_body(world["apps"][0], "1000"), headers=retry)
    second = client.post(f"{API}/grants", json=grant_body(world["apps"][0], "1000"), headers=retry)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert len(grants_written(client, manager)) == 1
