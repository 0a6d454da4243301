"""`Idempotency-Key` on POST: a retried request gets the first answer; the key is per principal."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.core.conftest import ORGS, STRATEGIES


def _count(client: TestClient, headers: dict[str, str], url: str = ORGS) -> int:
    total: int = client.get(url, params={"count": "true"}, headers=headers).json()["pagination"]["total"]
    return total


def test_same_key_and_body_replays_the_first_answer(client: TestClient, admin: dict[str, str]) -> None:
    headers = {**admin, "Idempotency-Key": "create-samrad-1"}
    body = {"kind": "joint_body", "name": "Samråd"}
    first = client.post(ORGS, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers

    second = client.post(ORGS, json=body, headers=headers)
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["idempotent-replayed"] == "true"
    assert _count(client, admin) == 1


def test_replay_is_not_a_new_write_even_after_the_object_changed(client: TestClient, admin: dict[str, str]) -> None:
    headers = {**admin, "Idempotency-Key": "strategy-1"}
    body = {"number": 1, "name": "Hälsofrämjande"}
    first = client.post(STRATEGIES, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert client.delete(first.headers["location"], headers=admin).status_code == 204
    again = client.post(STRATEGIES, json=body, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert _count(client, admin, STRATEGIES) == 0


def test_same_key_with_another_body_is_a_conflict(client: TestClient, admin: dict[str, str]) -> None:
    headers = {**admin, "Idempotency-Key": "k-1"}
    assert client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=headers).status_code == 201
    r = client.post(ORGS, json={"kind": "joint_body", "name": "Beredning"}, headers=headers)
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "idempotency_key_reused"
    assert r.json()["status"] == 409
    # The same key on another route is another request too.
    r = client.post(STRATEGIES, json={"kind": "joint_body", "name": "Samråd"}, headers=headers)
    assert r.status_code == 409
    assert _count(client, admin) == 1
    assert _count(client, admin, STRATEGIES) == 0


def test_keys_are_per_principal(client: TestClient, make_principal: Callable[..., dict[str, str]]) -> None:
    alice, bob = make_principal("admin"), make_principal("admin")
    key = {"Idempotency-Key": "import-2024-05-03"}
    a = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd A"}, headers={**alice, **key})
    b = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd B"}, headers={**bob, **key})
    assert (a.status_code, b.status_code) == (201, 201), b.text
    assert "idempotent-replayed" not in b.headers
    assert a.json()["id"] != b.json()["id"]
    assert _count(client, alice) == 2
    # Each principal still gets its own first answer back.
    again = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd B"}, headers={**bob, **key})
    assert again.json()["id"] == b.json()["id"]


def test_key_too_long_or_empty_is_a_bad_request(client: TestClient, admin: dict[str, str]) -> None:
    body = {"kind": "joint_body", "name": "Samråd"}
    assert client.post(ORGS, json=body, headers={**admin, "Idempotency-Key": "k" * 200}).status_code == 201
    for key in ("k" * 201, " "):
        r = client.post(ORGS, json={**body, "name": "Annat"}, headers={**admin, "Idempotency-Key": key})
        assert r.status_code == 400
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["code"] == "idempotency_key_invalid"
        assert {"type", "title", "status", "detail", "instance"} <= set(problem)
    assert _count(client, admin) == 1


def test_a_failed_validation_is_replayed_and_creates_nothing(client: TestClient, admin: dict[str, str]) -> None:
    headers = {**admin, "Idempotency-Key": "bad-1"}
    body: dict[str, Any] = {"kind": "joint_body", "name": ""}
    first = client.post(ORGS, json=body, headers=headers)
    assert first.status_code == 422
    second = client.post(ORGS, json=body, headers=headers)
    assert second.status_code == 422
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["content-type"] == "application/problem+json"
    assert second.json() == first.json()
    assert _count(client, admin) == 0


def test_without_a_token_the_route_answers_and_nothing_is_stored(client: TestClient, admin: dict[str, str]) -> None:
    body = {"kind": "joint_body", "name": "Samråd"}
    r = client.post(ORGS, json=body, headers={"Idempotency-Key": "anon-1"})
    assert r.status_code == 401
    r = client.post(ORGS, json=body, headers={**admin, "Idempotency-Key": "anon-1"})
    assert r.status_code == 201
    assert "idempotent-replayed" not in r.headers


def test_get_ignores_the_key(client: TestClient, admin: dict[str, str]) -> None:
    headers = {**admin, "Idempotency-Key": "list-1"}
    assert client.get(ORGS, headers=headers).json()["data"] == []
    client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=admin)
    r = client.get(ORGS, headers=headers)
    assert "idempotent-replayed" not in r.headers
    assert len(r.json()["data"]) == 1
