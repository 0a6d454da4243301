"""A PATCH field that may be left out but never cleared says so in the contract (no null in its schema), and the
service refuses a null for it, naming the field: the schema and the service tell the same story."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.core.conftest import ORGS, STRATEGIES

NOT_NULL = {
    "DocumentUpdate": {"role", "filename"},
    "StrategyUpdate": {"number", "name"},
    "PrincipalUpdate": {"is_active", "display_name"},
    "DecisionUpdate": {"kind"},
}


def _nullable(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(_nullable(b) for b in schema.get("anyOf", []))


@pytest.mark.parametrize("model", sorted(NOT_NULL))
def test_the_contract_offers_no_null_where_the_service_refuses_one(app: Any, model: str) -> None:
    properties = app.openapi()["components"]["schemas"][model]["properties"]
    for field in NOT_NULL[model]:
        assert not _nullable(properties[field]), (model, field, properties[field])
        assert "default" not in properties[field]


def _created(r: Any) -> dict[str, Any]:
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _refuses_null(client: TestClient, admin: dict[str, str], url: str, field: str) -> None:
    before = client.get(url, headers=admin)
    r = client.patch(url, json={field: None}, headers=admin)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [["body", field]]
    after = client.get(url, headers=admin)
    assert (after.headers["etag"], after.json()) == (before.headers["etag"], before.json())


def test_null_is_refused_for_a_strategy_number_a_document_role_a_principal_and_a_decision_kind(
    client: TestClient, admin: dict[str, str]
) -> None:
    strategy = _created(client.post(STRATEGIES, json={"number": 1, "name": "Nära vård"}, headers=admin))
    _refuses_null(client, admin, f"{STRATEGIES}/{strategy['id']}", "number")
    doc = _created(client.post("/api/v1/documents", files={"file": ("protokoll.txt", b"Protokoll")}, headers=admin))
    _refuses_null(client, admin, f"/api/v1/documents/{doc['id']}", "role")
    principal = _created(
        client.post(
            "/api/v1/principals", json={"kind": "service", "login": "klient", "display_name": "K"}, headers=admin
        )
    )
    _refuses_null(client, admin, f"/api/v1/principals/{principal['id']}", "is_active")
    body = _created(client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=admin))
    meeting = _created(
        client.post(
            "/api/v1/meetings", json={"body_ids": [body["id"]], "starts_at": "2024-05-03T09:30:00"}, headers=admin
        )
    )
    item = _created(
        client.post("/api/v1/agenda-items", json={"meeting_id": meeting["id"], "title": "Info"}, headers=admin)
    )
    decision = _created(
        client.post("/api/v1/decisions", json={"agenda_item_id": item["id"], "kind": "noted"}, headers=admin)
    )
    _refuses_null(client, admin, f"/api/v1/decisions/{decision['id']}", "kind")


def test_null_is_refused_before_if_match_is_weighed(client: TestClient, admin: dict[str, str]) -> None:
    """A bad body is a 422 whatever If-Match says: found by schemathesis, which got 412 for `{"status": null}`."""
    case = _created(client.post("/api/v1/cases", json={"title": "Hemsjukvård i Åsele"}, headers=admin))
    url = f"/api/v1/cases/{case['id']}"
    r = client.patch(url, json={"status": None}, headers={**admin, "If-Match": '"stale"'})
    assert r.status_code == 422, r.text
    assert [(e["loc"], e["msg"]) for e in r.json()["errors"]] == [
        (["body", "status"], "Value error, may be left out, but not null")
    ]


@pytest.mark.parametrize("sent", [0, 1, "yes", "false"])
def test_a_flag_is_true_or_false_not_a_number_or_a_word(client: TestClient, admin: dict[str, str], sent: Any) -> None:
    """pydantic's lax mode read 0 as false and "yes" as true; the contract says boolean (found by schemathesis)."""
    body = _created(client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=admin))
    meeting = {"body_ids": [body["id"]], "starts_at": "2024-05-03T09:30:00+02:00", "online": sent}
    r = client.post("/api/v1/meetings", json=meeting, headers=admin)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "online"]]
    assert client.get("/api/v1/meetings", headers=admin).json()["data"] == []


@pytest.mark.parametrize("sent", [0, 1700000000, 0.5])
def test_a_date_is_a_date_not_a_number(client: TestClient, admin: dict[str, str], sent: Any) -> None:
    """pydantic read a number as seconds since 1970: `start_date: 0` made a membership from 1970 (schemathesis)."""
    r = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd", "start_date": sent}, headers=admin)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "start_date"]]
    assert client.get(ORGS, headers=admin).json()["data"] == []
