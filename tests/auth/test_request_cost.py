"""What authenticating a request costs in SQL: one statement (the principal, its grants and an API token's row,
joined), whatever the token; `/auth/me` adds none; a list adds only its own. Refusals cost no more."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.auth.conftest import ME, PASSWORD, PRINCIPALS, TOKEN, assert_unauthorized, grants, principal_id
from tests.conftest import bearer

Recorder = Callable[[], AbstractContextManager[list[str]]]
TOKENS = "/api/v1/api-tokens"
PEOPLE = "/api/v1/people"


def is_authentication(sql: str) -> bool:
    flat = " ".join(sql.split())
    return flat.startswith("SELECT principals.id") and "FROM principals LEFT OUTER JOIN api_tokens" in flat


def touches_auth_tables(sql: str) -> bool:
    return any(f" {table}" in sql for table in ("principals", "role_grants"))


@pytest.fixture
def api_token(client: TestClient, admin: dict[str, str], new_principal: Callable[..., dict[str, Any]]) -> str:
    service = new_principal("intranet", kind="service", password=None, grants=grants("reader", "fund_manager"))
    r = client.post(TOKENS, json={"principal_id": service["id"], "name": "Intranätet"}, headers=admin)
    assert r.status_code == 201, r.text
    token: str = r.json()["token"]
    return token


def test_me_with_a_login_token_is_the_one_statement_of_authentication(
    client: TestClient, admin: dict[str, str], new_principal: Callable[..., dict[str, Any]], sql_statements: Recorder
) -> None:
    person = client.post(PEOPLE, json={"given_name": "Åsa", "family_name": "Öberg"}, headers=admin).json()["id"]
    created = new_principal("asa.oberg", display_name="Åsa Öberg", person_id=person, grants=grants("reader", "admin"))
    login = client.post(TOKEN, data={"grant_type": "password", "username": "asa.oberg", "password": PASSWORD})
    assert login.status_code == 200, login.text
    headers = bearer(login.json()["access_token"])

    with sql_statements() as seen:
        r = client.get(ME, headers=headers)
    assert r.status_code == 200, r.text
    assert len(seen) == 1 and is_authentication(seen[0]), seen
    me = r.json()
    assert (me["id"], me["kind"], me["login"], me["display_name"], me["person_id"]) == (
        created["id"],
        "person",
        "asa.oberg",
        "Åsa Öberg",
        person,
    )
    assert me["grants"] == [{"role": "admin", "organisation_id": None}, {"role": "reader", "organisation_id": None}]
    assert me["token_id"]


def test_me_with_an_api_token_is_one_statement_and_records_the_use_after_the_answer(
    client: TestClient, api_token: str, sql_statements: Recorder
) -> None:
    with sql_statements() as seen:
        first = client.get(ME, headers=bearer(api_token))
    assert first.status_code == 200, first.text
    assert len(seen) == 2 and is_authentication(seen[0]), seen
    assert seen[1].lstrip().upper().startswith("UPDATE API_TOKENS"), seen  # the use, in a background task

    with sql_statements() as seen:
        again = client.get(ME, headers=bearer(api_token))
    assert again.status_code == 200
    assert len(seen) == 1 and is_authentication(seen[0]), seen  # used a moment ago: nothing to record
    assert again.json() == first.json()
    assert sorted(g["role"] for g in again.json()["grants"]) == ["fund_manager", "reader"]


def test_a_list_adds_only_its_own_statements(
    client: TestClient, admin: dict[str, str], sql_statements: Recorder
) -> None:
    for count, expected in (("false", 2), ("true", 3)):
        with sql_statements() as seen:
            r = client.get(TOKENS, params={"count": count}, headers=admin)
        assert r.status_code == 200, r.text
        assert len(seen) == expected, seen
        assert is_authentication(seen[0])
        assert not any(touches_auth_tables(sql) for sql in seen[1:]), seen


def test_a_refused_token_costs_no_more_than_the_one_statement(
    client: TestClient,
    admin: dict[str, str],
    api_token: str,
    make_principal: Callable[..., dict[str, str]],
    sql_statements: Recorder,
) -> None:
    tampered = api_token[:-2] + ("BB" if api_token.endswith("AA") else "AA")
    with sql_statements() as seen:
        assert_unauthorized(client.get(ME, headers=bearer(tampered)), "invalid_token")
    assert seen == []  # a bad signature is refused before the database is asked

    disabled = make_principal("admin")
    r = client.patch(f"{PRINCIPALS}/{principal_id(disabled)}", json={"is_active": False}, headers=admin)
    assert r.status_code == 200, r.text
    with sql_statements() as seen:
        assert_unauthorized(client.get(ME, headers=disabled), "invalid_token")
    assert len(seen) == 1 and is_authentication(seen[0]), seen
