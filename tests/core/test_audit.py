"""The audit log: every write leaves an entry, admins read it, and the database refuses to change it."""

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.core import db as core_db
from app.core.security import decode_token
from tests.core.conftest import ORGS

AUDIT = "/api/v1/audit"


def _principal_id(headers: dict[str, str]) -> str:
    return str(decode_token(headers["Authorization"].removeprefix("Bearer "))["sub"])


def _entries(client: TestClient, admin: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    r = client.get(AUDIT, params=params, headers=admin)
    assert r.status_code == 200, r.text
    data: list[dict[str, Any]] = r.json()["data"]
    return data


def test_create_update_and_delete_are_recorded_newest_first(client: TestClient, admin: dict[str, str]) -> None:
    created = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd", "short_name": "S"}, headers=admin)
    org_id = created.json()["id"]
    assert (
        client.patch(
            f"{ORGS}/{org_id}", json={"short_name": "SVO", "contact_email": "a@example.se"}, headers=admin
        ).status_code
        == 200
    )
    assert client.delete(f"{ORGS}/{org_id}", headers=admin).status_code == 204

    entries = _entries(client, admin)
    assert [e["action"] for e in entries] == ["delete", "update", "create"]
    who = _principal_id(admin)
    for e in entries:
        assert e["principal_id"] == who
        assert e["principal_name"]
        assert e["resource_type"] == "organisation"
        assert e["resource_id"] == org_id
        assert e["created_at"]
    times = [e["created_at"] for e in entries]
    assert times == sorted(times, reverse=True)

    delete, update, create = entries
    assert update["changes"] == {"short_name": ["S", "SVO"], "contact_email": [None, "a@example.se"]}
    assert create["changes"]["name"] == "Samråd"
    assert create["changes"]["kind"] == "joint_body"
    assert delete["changes"] == {}


def test_a_no_op_update_writes_no_entry(client: TestClient, admin: dict[str, str]) -> None:
    org_id = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd", "short_name": "S"}, headers=admin).json()[
        "id"
    ]
    assert client.patch(f"{ORGS}/{org_id}", json={"short_name": "S"}, headers=admin).status_code == 200
    assert [e["action"] for e in _entries(client, admin)] == ["create"]


def test_filters(client: TestClient, make_principal: Callable[..., dict[str, str]]) -> None:
    alice, bob = make_principal("admin"), make_principal("admin")
    a = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd A"}, headers=alice).json()["id"]
    b = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd B"}, headers=bob).json()["id"]
    client.patch(f"{ORGS}/{a}", json={"short_name": "A"}, headers=bob)
    strategy = client.post("/api/v1/strategies", json={"number": 1, "name": "Nära vård"}, headers=alice)
    assert strategy.status_code == 201

    def ids(**params: Any) -> list[tuple[str, str]]:
        return [(e["action"], e["resource_id"]) for e in _entries(client, alice, **params)]

    assert ids(resource_type="organisation") == [("update", a), ("create", b), ("create", a)]
    assert ids(resource_type="strategy") == [("create", strategy.json()["id"])]
    assert ids(resource_id=a) == [("update", a), ("create", a)]
    assert ids(principal_id=_principal_id(bob)) == [("update", a), ("create", b)]
    assert ids(action="update") == [("update", a)]
    assert ids(action="create", principal_id=_principal_id(alice), resource_type="organisation") == [("create", a)]
    assert ids(resource_type="meeting") == []
    assert client.get(AUDIT, params={"action": "erase"}, headers=alice).status_code == 422
    assert client.get(AUDIT, params={"resource_id": "x"}, headers=alice).status_code == 422


def test_pages_of_the_log(client: TestClient, admin: dict[str, str]) -> None:
    for i in range(5):
        client.post(ORGS, json={"kind": "joint_body", "name": f"Grupp {i}"}, headers=admin)
    first = client.get(AUDIT, params={"limit": 2, "count": "true"}, headers=admin).json()
    assert first["pagination"] == {"limit": 2, "total": 5}
    seen = [e["id"] for e in first["data"]]
    url = first["links"]["next"]
    while url:
        page = client.get(url, headers=admin).json()
        seen += [e["id"] for e in page["data"]]
        url = page["links"]["next"]
    assert seen == [e["id"] for e in _entries(client, admin)]
    assert len(set(seen)) == 5


def test_only_admins_read_the_log(
    client: TestClient, reader: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    for headers in (reader, make_principal("fund_manager")):
        r = client.get(AUDIT, headers=headers)
        assert r.status_code == 403
        assert r.headers["content-type"] == "application/problem+json"
    assert client.get(AUDIT).status_code == 401


def test_there_is_no_way_to_change_the_log_over_http(client: TestClient, admin: dict[str, str]) -> None:
    client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=admin)
    entry = _entries(client, admin)[0]
    assert client.post(AUDIT, json={}, headers=admin).status_code == 405
    assert client.delete(f"{AUDIT}/{entry['id']}", headers=admin).status_code in (404, 405)
    assert client.patch(f"{AUDIT}/{entry['id']}", json={}, headers=admin).status_code in (404, 405)
    assert _entries(client, admin) == [entry]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET principal_name = 'someone else'",
        "UPDATE audit_log SET changes = '{}' WHERE action = 'create'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE action = 'create'",
    ],
)
def test_the_database_refuses_to_change_the_log(client: TestClient, admin: dict[str, str], statement: str) -> None:
    client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=admin)
    before = _entries(client, admin)
    assert len(before) == 1
    engine = core_db.get_engine()
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.text(statement))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 1
    assert _entries(client, admin) == before


def test_inserting_still_works_in_the_database(client: TestClient, admin: dict[str, str]) -> None:
    # The triggers refuse changes, not new entries.
    client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=admin)
    client.post(ORGS, json={"kind": "joint_body", "name": "Beredning"}, headers=admin)
    assert len(_entries(client, admin)) == 2


def test_a_failed_request_leaves_no_entry(client: TestClient, admin: dict[str, str]) -> None:
    a = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=admin)
    b = client.post(ORGS, json={"kind": "joint_body", "name": "Beredning"}, headers=admin).json()["id"]
    before = _entries(client, admin)

    dup = client.post(ORGS, json={"kind": "joint_body", "name": "SAMRÅD"}, headers=admin)
    assert dup.status_code == 409
    rename = client.patch(f"{ORGS}/{b}", json={"short_name": "B", "name": "Samråd"}, headers=admin)
    assert rename.status_code == 409
    stale = client.patch(f"{ORGS}/{b}", json={"short_name": "B"}, headers={**admin, "If-Match": '"stale"'})
    assert stale.status_code == 412
    invalid = client.patch(f"{ORGS}/{b}", json={"short_name": "B", "end_date": "x"}, headers=admin)
    assert invalid.status_code == 422
    child = client.post(ORGS, json={"kind": "working_group", "name": "AU", "parent_id": a.json()["id"]}, headers=admin)
    assert child.status_code == 201
    in_use = client.delete(a.headers["location"], headers=admin)
    assert in_use.status_code == 409

    after = _entries(client, admin)
    assert after[1:] == before
    assert (after[0]["action"], after[0]["resource_id"]) == ("create", child.json()["id"])
    assert client.get(f"{ORGS}/{b}", headers=admin).json()["short_name"] is None
