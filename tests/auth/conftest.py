"""Helpers the auth tests share: principals made over HTTP (with a real, slow password hash) and token plumbing."""

from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from jose import jwt

from app.core import security

PRINCIPALS = "/api/v1/principals"
TOKEN = "/api/v1/auth/token"
ME = "/api/v1/auth/me"
PASSWORD = "korrekt häst batteri"


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch: pytest.MonkeyPatch) -> PasswordHasher:
    """Argon2id with the cheapest parameters: the same code paths, without a tenth of a second per login.

    The dummy hash that unknown users are verified against is swapped too, so both still cost the same.
    """
    quick = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", quick)
    monkeypatch.setattr(security, "_DUMMY_HASH", quick.hash("dummy"))
    return quick


def token_of(headers: dict[str, str]) -> str:
    scheme, _, token = headers["Authorization"].partition(" ")
    assert scheme == "Bearer"
    return token


def principal_id(headers: dict[str, str]) -> str:
    """The principal a test token was issued to (`make_principal` returns only the headers)."""
    return str(jwt.get_unverified_claims(token_of(headers).removeprefix("svk_"))["sub"])


def assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert {"type", "title", "detail", "instance", "code"} <= problem.keys()
    if code is not None:
        assert problem["code"] == code, problem
    return problem


def assert_unauthorized(response: Any, code: str | None = None) -> dict[str, Any]:
    problem = assert_problem(response, 401, code)
    assert response.headers["www-authenticate"].startswith("Bearer")
    return problem


def grants(*roles: str) -> list[dict[str, str]]:
    return [{"role": r} for r in roles]


@pytest.fixture
def new_principal(client: TestClient, admin: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """POST /principals as an admin; the created body, with `client_secret` for a service made without a password."""

    def make(login: str, *, kind: str = "person", password: str | None = PASSWORD, **body: Any) -> dict[str, Any]:
        payload = {"kind": kind, "login": login, "display_name": body.pop("display_name", login.title()), **body}
        if password is not None:
            payload["password"] = password
        r = client.post(PRINCIPALS, json=payload, headers=admin)
        assert r.status_code == 201, r.text
        created: dict[str, Any] = r.json()
        return created

    return make
