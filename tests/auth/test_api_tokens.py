"""Long-lived API tokens for service clients: shown once, stored as a digest, listed with their last use, revocable."""

import hashlib
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import ApiToken
from app.core.db import get_engine
from app.core.security import create_token
from tests.auth.conftest import ME, assert_problem, assert_unauthorized, grants
from tests.conftest import bearer

URL = "/api/v1/api-tokens"
ORGS = "/api/v1/organisations"


@pytest.fixture
def service(new_principal: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """A service client made as an admin would: no password given, so a secret is generated and shown once."""
    created = new_principal("intranet", kind="service", password=None, grants=grants("reader", "fund_manager"))
    assert created["kind"] == "service"
    assert isinstance(created["client_secret"], str) and len(created["client_secret"]) >= 32
    return created


def create(client: TestClient, admin: dict[str, str], principal_id: str, **body: Any) -> Any:
    return client.post(URL, json={"principal_id": principal_id, "name": "Intranätet", **body}, headers=admin)


def listed(client: TestClient, admin: dict[str, str]) -> list[dict[str, Any]]:
    r = client.get(URL, headers=admin)
    assert r.status_code == 200, r.text
    data: list[dict[str, Any]] = r.json()["data"]
    return data


def stored_row(token_id: str) -> dict[str, Any]:
    with Session(get_engine()) as s:
        row = s.execute(sa.text("SELECT * FROM api_tokens")).mappings().all()
    assert [str(r["id"]).replace("-", "") for r in row] == [token_id.replace("-", "")]
    return dict(row[0])


def test_create_shows_the_token_once_and_it_works(
    client: TestClient, admin: dict[str, str], service: dict[str, Any]
) -> None:
    r = create(client, admin, service["id"])
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["token"].startswith("svk_")
    assert r.headers["location"].endswith(f"{URL}/{body['id']}")
    assert body["principal_id"] == service["id"]
    assert body["scopes"] == ["fund_manager", "reader"]
    assert body["revoked_at"] is None and body["last_used_at"] is None
    assert datetime.fromisoformat(body["expires_at"]) > datetime.now(UTC) + timedelta(days=300)

    who = client.get(ME, headers=bearer(body["token"]))
    assert who.status_code == 200, who.text
    assert (who.json()["id"], who.json()["kind"], who.json()["token_id"]) == (service["id"], "service", body["id"])
    assert client.get(ORGS, headers=bearer(body["token"])).status_code == 200

    again = client.get(f"{URL}/{body['id']}", headers=admin)
    assert again.status_code == 200
    assert "token" not in again.json()
    assert all("token" not in t for t in listed(client, admin))


def test_only_a_sha256_digest_is_stored(client: TestClient, admin: dict[str, str], service: dict[str, Any]) -> None:
    body = create(client, admin, service["id"]).json()
    token = body["token"]
    row = stored_row(body["id"])
    assert row["token_digest"] == hashlib.sha256(token.encode()).hexdigest()
    # No column holds any piece of the payload or signature (the header is the same in every token).
    secret_part = token.split(".", 1)[1]
    pieces = {secret_part[i : i + 16] for i in range(len(secret_part) - 15)}
    for column, value in row.items():
        assert not any(p in str(value) for p in pieces), column
    with Session(get_engine()) as s:
        audit = s.execute(sa.text("SELECT * FROM audit_log")).mappings().all()
    assert audit, "the creation is audited"
    assert not any(p in str(v) for entry in audit for v in entry.values() for p in pieces)


def test_last_used_at_is_filled_after_use(client: TestClient, admin: dict[str, str], service: dict[str, Any]) -> None:
    body = create(client, admin, service["id"]).json()
    assert [t["last_used_at"] for t in listed(client, admin)] == [None]
    assert client.get(ORGS, headers=bearer(body["token"])).status_code == 200
    [entry] = listed(client, admin)
    assert entry["id"] == body["id"]
    assert entry["last_used_at"] is not None
    assert datetime.fromisoformat(entry["last_used_at"]) >= datetime.fromisoformat(body["created_at"])
    assert "token" not in entry


def test_narrower_scopes_work_and_wider_ones_are_invalid_scope(
    client: TestClient, admin: dict[str, str], service: dict[str, Any]
) -> None:
    narrow = create(client, admin, service["id"], scopes=["reader"])
    assert narrow.status_code == 201, narrow.text
    assert narrow.json()["scopes"] == ["reader"]
    assert client.get(ME, headers=bearer(narrow.json()["token"])).json()["grants"] == [
        {"role": "reader", "organisation_id": None}
    ]
    for scopes in (["admin"], ["reader", "admin"], ["editor:00000000-0000-4000-8000-000000000000"], ["superuser"]):
        assert_problem(create(client, admin, service["id"], scopes=scopes), 400, "invalid_scope")
    assert [t["id"] for t in listed(client, admin)] == [narrow.json()["id"]]


def test_a_token_for_a_person_is_refused(
    client: TestClient, admin: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    person = client.get(ME, headers=make_principal("reader")).json()["id"]
    problem = assert_problem(create(client, admin, person), 422, "validation_failed")
    assert problem["errors"][0]["loc"] == ["body", "principal_id"]
    missing = assert_problem(create(client, admin, "00000000-0000-4000-8000-000000000000"), 422, "validation_failed")
    assert missing["errors"][0]["loc"] == ["body", "principal_id"]
    assert "principal" in missing["detail"]
    assert_problem(create(client, admin, person, secret="x"), 422, "validation_failed")
    assert listed(client, admin) == []


def test_only_admins_manage_tokens(
    client: TestClient, admin: dict[str, str], reader: dict[str, str], service: dict[str, Any]
) -> None:
    token_id = create(client, admin, service["id"]).json()["id"]
    assert_problem(create(client, reader, service["id"]), 403, "missing_role")
    assert_problem(client.get(URL, headers=reader), 403, "missing_role")
    assert_problem(client.get(f"{URL}/{token_id}", headers=reader), 403, "missing_role")
    assert_problem(client.delete(f"{URL}/{token_id}", headers=reader), 403, "missing_role")
    assert_unauthorized(client.get(URL))
    assert_unauthorized(client.delete(f"{URL}/{token_id}"))
    assert listed(client, admin)[0]["revoked_at"] is None


def test_revoke_refuses_the_token_at_once_and_the_list_shows_it(
    client: TestClient, admin: dict[str, str], service: dict[str, Any]
) -> None:
    kept = create(client, admin, service["id"], name="Importen").json()
    body = create(client, admin, service["id"]).json()
    api = bearer(body["token"])
    assert client.get(ORGS, headers=api).status_code == 200

    r = client.delete(f"{URL}/{body['id']}", headers=admin)
    assert r.status_code == 204
    assert r.content == b""
    assert_unauthorized(client.get(ORGS, headers=api), "invalid_token")
    assert_unauthorized(client.get(ME, headers=api), "invalid_token")

    by_id = {t["id"]: t for t in listed(client, admin)}
    assert by_id[body["id"]]["revoked_at"] is not None
    assert by_id[kept["id"]]["revoked_at"] is None
    assert client.get(ORGS, headers=bearer(kept["token"])).status_code == 200
    revoked_at = by_id[body["id"]]["revoked_at"]
    assert client.delete(f"{URL}/{body['id']}", headers=admin).status_code == 204
    assert client.get(f"{URL}/{body['id']}", headers=admin).json()["revoked_at"] == revoked_at


def test_revoke_honours_if_match(client: TestClient, admin: dict[str, str], service: dict[str, Any]) -> None:
    r = create(client, admin, service["id"])
    token_id, etag = r.json()["id"], r.headers["etag"]
    assert client.get(f"{URL}/{token_id}", headers=admin).headers["etag"] == etag
    assert_problem(client.delete(f"{URL}/{token_id}", headers={**admin, "If-Match": '"stale-1"'}), 412)
    assert client.get(ORGS, headers=bearer(r.json()["token"])).status_code == 200
    assert client.delete(f"{URL}/{token_id}", headers={**admin, "If-Match": etag}).status_code == 204
    assert_problem(client.delete(f"{URL}/00000000-0000-4000-8000-000000000000", headers=admin), 404)


def test_an_expired_row_refuses_the_token_though_its_jwt_has_not_expired(
    client: TestClient, admin: dict[str, str], service: dict[str, Any]
) -> None:
    body = create(client, admin, service["id"], expires_in_days=1).json()
    assert client.get(ORGS, headers=bearer(body["token"])).status_code == 200
    with Session(get_engine()) as s:
        row = s.get(ApiToken, uuid.UUID(body["id"]))
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        s.add(row)
        s.commit()
    assert_unauthorized(client.get(ORGS, headers=bearer(body["token"])), "invalid_token")


def test_a_reissued_token_with_the_same_id_but_other_scopes_is_refused(
    client: TestClient, admin: dict[str, str], service: dict[str, Any]
) -> None:
    """Even a correctly signed token is only an API token if its digest is the stored one."""
    body = create(client, admin, service["id"], scopes=["reader"]).json()
    forged = "svk_" + create_token(
        service["id"], kind="api", scopes=["fund_manager", "reader"], lifetime=timedelta(days=1), jti=body["id"]
    )
    assert client.get(ORGS, headers=bearer(body["token"])).status_code == 200
    assert_unauthorized(client.get(ORGS, headers=bearer(forged)), "invalid_token")


def test_a_deactivated_service_loses_its_tokens(
    client: TestClient, admin: dict[str, str], service: dict[str, Any]
) -> None:
    body = create(client, admin, service["id"]).json()
    assert client.get(ORGS, headers=bearer(body["token"])).status_code == 200
    assert (
        client.patch(f"/api/v1/principals/{service['id']}", json={"is_active": False}, headers=admin).status_code == 200
    )
    assert_unauthorized(client.get(ORGS, headers=bearer(body["token"])), "invalid_token")


def test_two_requests_recording_a_use_at_once_both_succeed(
    client: TestClient,
    admin: dict[str, str],
    service: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    db: Any,
) -> None:
    """Another process records a use between this request reading the token row and writing its own use."""
    from app.auth import service as auth_service

    body = create(client, admin, service["id"]).json()
    real = auth_service.same_digest

    def other_request_first(a: str, b: str) -> bool:
        monkeypatch.setattr(auth_service, "same_digest", real)
        with Session(get_engine()) as s:
            row = s.get(ApiToken, uuid.UUID(body["id"]))
            assert row is not None
            row.last_used_at = datetime.now(UTC)
            s.commit()
        return real(a, b)

    monkeypatch.setattr(auth_service, "same_digest", other_request_first)
    r = client.get(ORGS, headers=bearer(body["token"]))
    assert r.status_code == 200, r.text
    assert auth_service.same_digest is real
