"""POST /auth/token: the password and client-credentials grants, scopes, and the login throttle.

Every person here is made over HTTP, so their password goes through the real Argon2 hash; there are few of them.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import LoginThrottle
from app.core import security
from app.core.db import get_engine
from app.core.settings import get_settings
from tests.auth.conftest import ME, PASSWORD, PRINCIPALS, TOKEN, assert_problem, assert_unauthorized, grants
from tests.conftest import bearer

ANNA = "anna.lind"


def login(client: TestClient, username: str | None, password: str | None, **form: str) -> Any:
    data = {"grant_type": "password", "username": username, "password": password, **form}
    return client.post(TOKEN, data={k: v for k, v in data.items() if v is not None})


def client_login(client: TestClient, client_id: str | None, secret: str | None, **form: str) -> Any:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, **form}
    return client.post(TOKEN, data={k: v for k, v in data.items() if v is not None})


def throttle(login_name: str) -> LoginThrottle | None:
    """The throttle row as another app process would see it: a fresh session, not the request's."""
    with Session(get_engine()) as s:
        return s.get(LoginThrottle, login_name)


def me(client: TestClient, access_token: str) -> dict[str, Any]:
    r = client.get(ME, headers=bearer(access_token))
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


@pytest.fixture
def anna(new_principal: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return new_principal(ANNA, display_name="Anna Lind", grants=grants("reader", "fund_manager"))


@pytest.fixture
def service(new_principal: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    created = new_principal("intranet", kind="service", password=None, grants=grants("reader"))
    assert created["client_secret"]
    return created


class CountingHasher:
    """Stands in for security._hasher: counts verify() calls and still runs the real Argon2 verify."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.verifies = 0

    def verify(self, hash: str, password: str) -> bool:
        self.verifies += 1
        return bool(self.real.verify(hash, password))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch, quick_argon2: PasswordHasher) -> Iterator[CountingHasher]:
    spy = CountingHasher(quick_argon2)
    monkeypatch.setattr(security, "_hasher", spy)
    yield spy


# --- grants ---


def test_password_grant_gives_a_token_that_works(client: TestClient, anna: dict[str, Any]) -> None:
    r = login(client, ANNA, PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == get_settings().access_token_minutes * 60
    assert body["scope"] == "fund_manager reader"
    who = me(client, body["access_token"])
    assert (who["id"], who["kind"], who["login"], who["display_name"]) == (anna["id"], "person", ANNA, "Anna Lind")
    assert sorted(g["role"] for g in who["grants"]) == ["fund_manager", "reader"]
    assert client.get("/api/v1/organisations", headers=bearer(body["access_token"])).status_code == 200


def test_the_token_endpoint_ignores_unknown_form_parameters(client: TestClient, anna: dict[str, Any]) -> None:
    # RFC 6749 (3.2): the token endpoint ignores parameters it does not know, unlike an upload form.
    r = login(client, ANNA, PASSWORD, state="xyz", audience="intranet")
    assert r.status_code == 200, r.text


def test_login_name_is_case_insensitive(client: TestClient, anna: dict[str, Any]) -> None:
    r = login(client, "  Anna.LIND ", PASSWORD)
    assert r.status_code == 200, r.text
    assert me(client, r.json()["access_token"])["id"] == anna["id"]


def test_client_credentials_with_form_fields_and_with_basic(client: TestClient, service: dict[str, Any]) -> None:
    secret = service["client_secret"]
    by_form = client_login(client, "intranet", secret)
    assert by_form.status_code == 200, by_form.text
    by_basic = client.post(TOKEN, data={"grant_type": "client_credentials"}, auth=("intranet", secret))
    assert by_basic.status_code == 200, by_basic.text
    for r in (by_form, by_basic):
        who = me(client, r.json()["access_token"])
        assert (who["id"], who["kind"], who["token_id"] is not None) == (service["id"], "service", True)
    wrong_basic = client.post(TOKEN, data={"grant_type": "client_credentials"}, auth=("intranet", secret + "x"))
    assert_unauthorized(wrong_basic, "invalid_grant")


def test_a_person_cannot_use_client_credentials_nor_a_service_the_password_grant(
    client: TestClient, anna: dict[str, Any], service: dict[str, Any]
) -> None:
    assert_unauthorized(client_login(client, ANNA, PASSWORD), "invalid_grant")
    assert_unauthorized(login(client, "intranet", service["client_secret"]), "invalid_grant")


def test_wrong_password_and_unknown_user_answer_alike(client: TestClient, anna: dict[str, Any]) -> None:
    wrong = login(client, ANNA, "fel lösenord, helt klart")
    unknown = login(client, "nobody.here", "fel lösenord, helt klart")
    for r in (wrong, unknown):
        assert_unauthorized(r, "invalid_grant")
    assert wrong.json() == unknown.json()
    assert wrong.headers["www-authenticate"] == unknown.headers["www-authenticate"]


def test_a_principal_without_a_secret_cannot_log_in(client: TestClient, admin: dict[str, str]) -> None:
    login_name = client.get(ME, headers=admin).json()["login"]
    assert_unauthorized(login(client, login_name, PASSWORD), "invalid_grant")


def test_a_deactivated_person_cannot_log_in(client: TestClient, admin: dict[str, str], anna: dict[str, Any]) -> None:
    r = client.patch(f"{PRINCIPALS}/{anna['id']}", json={"is_active": False}, headers=admin)
    assert r.status_code == 200, r.text
    assert_unauthorized(login(client, ANNA, PASSWORD), "invalid_grant")


@pytest.mark.parametrize(
    "form",
    [
        {"grant_type": "password", "username": ANNA},
        {"grant_type": "password", "password": PASSWORD},
        {"grant_type": "password", "username": "", "password": PASSWORD},
        {"grant_type": "client_credentials", "client_id": "intranet"},
        {"grant_type": "client_credentials", "client_secret": "hemligt"},
        {"grant_type": "client_credentials", "username": "intranet", "password": "hemligt"},
    ],
    ids=["no_password", "no_username", "empty_username", "no_secret", "no_client_id", "password_fields_for_client"],
)
def test_missing_fields_are_a_400_problem(client: TestClient, form: dict[str, str]) -> None:
    assert_problem(client.post(TOKEN, data=form), 400, "invalid_request")
    with Session(get_engine()) as s:
        assert s.execute(select(LoginThrottle)).all() == [], "a request that names no secret is not a failed login"


def test_missing_or_unknown_grant_type_is_a_validation_problem(client: TestClient) -> None:
    for form in ({"username": ANNA, "password": PASSWORD}, {"grant_type": "implicit", "username": ANNA}):
        problem = assert_problem(client.post(TOKEN, data=form), 422, "validation_failed")
        assert problem["errors"][0]["loc"] == ["body", "grant_type"]
    assert_problem(client.post(TOKEN, json={"grant_type": "password"}), 422, "validation_failed")


# --- scopes ---


def test_fewer_scopes_than_held_work_and_me_shows_only_those(client: TestClient, anna: dict[str, Any]) -> None:
    r = login(client, ANNA, PASSWORD, scope="reader")
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == "reader"
    assert me(client, r.json()["access_token"])["grants"] == [{"role": "reader", "organisation_id": None}]
    r = client.post(TOKEN, data={"grant_type": "password", "username": ANNA, "password": PASSWORD, "scope": ""})
    assert r.json()["scope"] == "fund_manager reader"


@pytest.mark.parametrize("role", ["secretary", "editor", "fund_manager"])
def test_every_role_may_narrow_its_token_to_reader(
    client: TestClient, admin: dict[str, str], new_principal: Callable[..., dict[str, Any]], role: str
) -> None:
    """Every role may read, so `scope=reader` is fewer rights than any role holds, not more."""
    org = client.post("/api/v1/organisations", json={"kind": "joint_body", "name": "Samråd"}, headers=admin)
    grant = {"role": role, "organisation_id": org.json()["id"]} if role != "fund_manager" else {"role": role}
    new_principal("karin", grants=[grant])
    r = login(client, "karin", PASSWORD, scope="reader")
    assert r.status_code == 200, r.text
    assert r.json()["scope"] == "reader"
    token = r.json()["access_token"]
    assert me(client, token)["grants"] == [{"role": "reader", "organisation_id": None}]
    assert client.get("/api/v1/organisations", headers=bearer(token)).status_code == 200
    refused = client.post("/api/v1/organisations", json={"kind": "joint_body", "name": "AU"}, headers=bearer(token))
    assert_problem(refused, 403, "missing_role")
    # Narrowed to reader, but still never wider: admin stays out of reach.
    assert_problem(login(client, "karin", PASSWORD, scope="reader admin"), 400, "invalid_scope")


@pytest.mark.parametrize(
    "scope",
    ["admin", "reader admin", "secretary:00000000-0000-4000-8000-000000000000", "superuser", "editor"],
    ids=["not_held", "one_not_held", "scoped_not_held", "unknown_role", "malformed"],
)
def test_a_scope_not_held_is_invalid_scope(client: TestClient, anna: dict[str, Any], scope: str) -> None:
    assert_problem(login(client, ANNA, PASSWORD, scope=scope), 400, "invalid_scope")


# --- throttle ---


def test_lockout_after_max_failures_even_with_the_right_password(client: TestClient, anna: dict[str, Any]) -> None:
    settings = get_settings()
    for i in range(settings.login_max_failures):
        # The count is per folded name, whatever case the attempts used.
        assert_unauthorized(login(client, ANNA.upper() if i % 2 else ANNA, "fel lösenord"), "invalid_grant")
    row = throttle(ANNA)
    assert row is not None
    assert row.failures == settings.login_max_failures
    assert row.locked_until is not None and row.locked_until > datetime.now(UTC)

    locked = login(client, ANNA, PASSWORD)
    problem = assert_problem(locked, 429, "login_locked")
    wait = int(locked.headers["retry-after"])
    assert 0 < wait <= settings.login_lock_seconds + 1
    assert str(wait) in problem["detail"]
    assert_problem(client_login(client, ANNA, PASSWORD), 429, "login_locked")


def test_an_unknown_name_locks_the_same_way(client: TestClient, anna: dict[str, Any]) -> None:
    max_failures = get_settings().login_max_failures
    for name in (ANNA, "no.such.person"):
        for _ in range(max_failures):
            assert_unauthorized(login(client, name, "fel lösenord"), "invalid_grant")
    known, unknown = login(client, ANNA, PASSWORD), login(client, "no.such.person", PASSWORD)
    for r in (known, unknown):
        assert_problem(r, 429, "login_locked")
        assert int(r.headers["retry-after"]) > 0
    assert (known.json()["title"], known.headers.keys()) == (unknown.json()["title"], unknown.headers.keys())
    stored = throttle("no.such.person")
    assert stored is not None
    assert stored.failures == max_failures
    assert stored.locked_until is not None


def test_each_failure_while_locked_is_not_verified(
    client: TestClient, anna: dict[str, Any], hasher: CountingHasher
) -> None:
    for _ in range(get_settings().login_max_failures):
        login(client, ANNA, "fel lösenord")
    before = hasher.verifies
    assert_problem(login(client, ANNA, PASSWORD), 429, "login_locked")
    assert hasher.verifies == before


def test_a_successful_login_resets_the_count(client: TestClient, anna: dict[str, Any]) -> None:
    almost = get_settings().login_max_failures - 1
    for _ in range(almost):
        assert_unauthorized(login(client, ANNA, "fel lösenord"), "invalid_grant")
    row = throttle(ANNA)
    assert row is not None and row.failures == almost and row.locked_until is None
    assert login(client, ANNA, PASSWORD).status_code == 200
    assert throttle(ANNA) is None
    for _ in range(almost):
        assert_unauthorized(login(client, ANNA, "fel lösenord"), "invalid_grant")
    assert login(client, ANNA, PASSWORD).status_code == 200


def test_argon2_runs_for_an_unknown_user_too(client: TestClient, anna: dict[str, Any], hasher: CountingHasher) -> None:
    """Timing must not tell whether a user exists: the slow verify runs once per attempt, known name or not."""
    start = hasher.verifies
    assert_unauthorized(login(client, "no.such.person", "fel lösenord"), "invalid_grant")
    assert hasher.verifies == start + 1
    assert_unauthorized(login(client, ANNA, "fel lösenord"), "invalid_grant")
    assert hasher.verifies == start + 2
    assert_unauthorized(client_login(client, "no.such.client", "fel"), "invalid_grant")
    assert hasher.verifies == start + 3


def test_a_password_is_the_same_composed_or_decomposed(client: TestClient, admin: dict[str, str]) -> None:
    """Every request body is taken as NFC, passwords too; a login typed with a decomposed å must match."""
    body = {"kind": "person", "login": "asa.oberg", "display_name": "Åsa Öberg", "password": "la\u030angt-lösenord-1"}
    assert client.post("/api/v1/principals", json=body, headers=admin).status_code == 201
    for typed in ("l\u00e5ngt-lösenord-1", "la\u030angt-lo\u0308senord-1"):
        r = client.post(
            "/api/v1/auth/token", data={"grant_type": "password", "username": "asa.oberg", "password": typed}
        )
        assert r.status_code == 200, (typed, r.text)
