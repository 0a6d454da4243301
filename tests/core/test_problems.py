"""Every error is `application/problem+json` (RFC 9457), with a stable code and never a stack trace."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.core.conftest import ORGS

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "code"}
SECRET = "Hunter2-S3cret!pässwörd"


def _problem(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = r.json()
    assert set(problem) >= PROBLEM_KEYS
    assert problem["status"] == status
    assert problem["code"] == code
    assert problem["type"].endswith(code)
    assert problem["title"]
    assert problem["detail"]
    return problem


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/nope", "/api/v2/organisations"])
def test_unknown_route_is_a_404_problem(client: TestClient, admin: dict[str, str], path: str) -> None:
    problem = _problem(client.get(path, headers=admin), 404, "not_found")
    assert problem["instance"] == path
    assert path in problem["detail"]


def test_unknown_object_is_a_404_problem(client: TestClient, admin: dict[str, str]) -> None:
    path = f"{ORGS}/00000000-0000-4000-8000-000000000000"
    assert _problem(client.get(path, headers=admin), 404, "not_found")["instance"] == path


def test_wrong_method_is_a_405_problem_with_allow(client: TestClient, admin: dict[str, str]) -> None:
    problem = _problem(client.put(ORGS, json={}, headers=admin), 405, "method_not_allowed")
    assert problem["instance"] == ORGS
    assert "PUT" in problem["detail"]
    r = client.put(ORGS, json={}, headers=admin)
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "POST"}
    r = client.post(f"{ORGS}/00000000-0000-4000-8000-000000000000", json={}, headers=admin)
    _problem(r, 405, "method_not_allowed")
    assert {m.strip() for m in r.headers["allow"].split(",")} >= {"GET", "PATCH", "DELETE"}
    assert "POST" not in r.headers["allow"]


def test_validation_is_a_422_problem_naming_the_field(client: TestClient, admin: dict[str, str]) -> None:
    r = client.post(ORGS, json={"kind": "joint_body", "name": "x" * 201}, headers=admin)
    problem = _problem(r, 422, "validation_failed")
    assert problem["errors"] == [
        {"loc": ["body", "name"], "msg": problem["errors"][0]["msg"], "type": "string_too_long"}
    ]
    assert problem["detail"].startswith("body.name: ")
    assert problem["instance"] == ORGS

    r = client.post(ORGS, json={"name": "Utan typ", "website": "inte en adress"}, headers=admin)
    problem = _problem(r, 422, "validation_failed")
    assert {tuple(e["loc"]) for e in problem["errors"]} == {("body", "kind"), ("body", "website")}
    assert all(set(e) == {"loc", "msg", "type"} for e in problem["errors"])
    assert "(and 1 more)" in problem["detail"]

    r = client.get(f"{ORGS}/not-a-uuid", headers=admin)
    assert _problem(r, 422, "validation_failed")["errors"][0]["loc"] == ["path", "id"]


def test_a_domain_rule_is_a_422_problem_naming_the_field(client: TestClient, admin: dict[str, str]) -> None:
    r = client.post(ORGS, json={"kind": "external", "name": "SKR", "is_principal": True}, headers=admin)
    problem = _problem(r, 422, "validation_failed")
    assert problem["errors"][0]["loc"] == ["body", "is_principal"]
    assert "is_principal" in problem["detail"]


def test_submitted_values_are_not_echoed(client: TestClient, admin: dict[str, str]) -> None:
    bodies = [
        {"kind": "joint_body", "name": "Samråd", "password": SECRET},
        {"kind": SECRET, "name": "Samråd"},
        {"kind": "joint_body", "name": "Samråd", "contact_email": SECRET},
        {"kind": "joint_body", "name": "Samråd", "website": SECRET},
        {"kind": "joint_body", "name": "Samråd", "start_date": SECRET},
        {"kind": "joint_body", "name": "Samråd", "parent_id": SECRET},
        {"kind": "joint_body", "name": "Samråd", "org_number": SECRET},
        {"kind": "joint_body", "name": SECRET * 20},
        {"kind": "joint_body", "name": {"nested": SECRET}},
    ]
    for body in bodies:
        r = client.post(ORGS, json=body, headers=admin)
        assert r.status_code == 422, body
        assert SECRET not in r.text, r.text
        assert "Hunter2" not in r.text, r.text
    r = client.post(
        ORGS,
        content=f'{{"kind": "joint_body", "name": "{SECRET}"'.encode(),
        headers={**admin, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert "Hunter2" not in r.text
    r = client.get(ORGS, params={"q": SECRET * 20, "limit": SECRET}, headers=admin)
    assert r.status_code == 422
    assert "Hunter2" not in r.text


def test_missing_token_is_a_401_problem_with_bearer_challenge(client: TestClient) -> None:
    r = client.get(ORGS)
    _problem(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = client.get(ORGS, headers={"Authorization": "Bearer not.a.token"})
    assert _problem(r, 401, "invalid_token")["instance"] == ORGS


def test_missing_role_is_a_403_problem(client: TestClient, reader: dict[str, str]) -> None:
    _problem(client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=reader), 403, "missing_role")


def test_an_unhandled_error_is_a_500_problem_without_internals() -> None:
    from app.main import create_app

    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    @app.post("/boom")
    async def boom_async(payload: dict[str, Any]) -> None:
        raise KeyError("secret detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        for r in (client.get("/boom"), client.post("/boom", json={"a": 1})):
            problem = _problem(r, 500, "internal_error")
            assert problem["instance"] == "/boom"
            assert "secret detail" not in r.text
            assert "Traceback" not in r.text
            assert "RuntimeError" not in r.text and "KeyError" not in r.text
