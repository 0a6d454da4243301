"""Principals over HTTP (admin only), and GET /auth/me for a person and for a service client."""

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.db import get_engine
from app.core.principal import PrincipalKind
from tests.auth.conftest import ME, PASSWORD, PRINCIPALS, TOKEN, assert_problem, assert_unauthorized, grants
from tests.conftest import bearer

MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def organisation(client: TestClient, admin: dict[str, str]) -> str:
    r = client.post("/api/v1/organisations", json={"kind": "joint_body", "name": "Samråd vård"}, headers=admin)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def create(client: TestClient, admin: dict[str, str], **body: Any) -> Any:
    return client.post(PRINCIPALS, json={"kind": "service", "display_name": "Klient", **body}, headers=admin)


def test_create_a_person_and_get_it(client: TestClient, admin: dict[str, str], organisation: str) -> None:
    body = {
        "kind": "person",
        "login": "Karin.Aberg@Region.se",
        "display_name": "Karin Åberg",
        "email": "karin.aberg@region.se",
        "password": PASSWORD,
        "grants": [{"role": "secretary", "organisation_id": organisation}, {"role": "reader"}],
    }
    r = client.post(PRINCIPALS, json=body, headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["login"] == "karin.aberg@region.se"
    assert created["display_name"] == "Karin Åberg"
    assert created["client_secret"] is None
    assert created["is_active"] is True
    assert sorted(created["grants"], key=lambda g: g["role"]) == [
        {"role": "reader", "organisation_id": None},
        {"role": "secretary", "organisation_id": organisation},
    ]
    assert not {"password", "secret_hash"} & created.keys()
    assert r.headers["location"].endswith(f"{PRINCIPALS}/{created['id']}")

    got = client.get(f"{PRINCIPALS}/{created['id']}", headers=admin)
    assert got.status_code == 200
    assert got.headers["etag"] == r.headers["etag"]
    assert got.json() == {k: v for k, v in created.items() if k != "client_secret"}

    with Session(get_engine()) as s:
        stored = s.execute(sa.text("SELECT secret_hash FROM principals WHERE login = :l"), {"l": created["login"]})
        secret_hash = stored.scalar_one()
        audit = s.execute(sa.text("SELECT changes FROM audit_log")).scalars().all()
    assert secret_hash.startswith("$argon2id$")
    assert PASSWORD not in secret_hash
    assert audit and not any(PASSWORD in str(changes) for changes in audit)

    r = client.post(TOKEN, data={"grant_type": "password", "username": created["login"], "password": PASSWORD})
    assert r.status_code == 200, r.text


def test_a_service_without_a_password_gets_a_secret_once(client: TestClient, admin: dict[str, str]) -> None:
    r = create(client, admin, login="import-script", grants=grants("reader"))
    assert r.status_code == 201, r.text
    secret = r.json()["client_secret"]
    assert isinstance(secret, str) and len(secret) >= 32
    got = client.get(f"{PRINCIPALS}/{r.json()['id']}", headers=admin).json()
    assert "client_secret" not in got
    assert secret not in str(client.get(PRINCIPALS, headers=admin).json())
    with_password = create(client, admin, login="sync-job", password="ett långt lösenord")
    assert with_password.status_code == 201
    assert with_password.json()["client_secret"] is None


def test_list_envelope_filter_and_pages(client: TestClient, admin: dict[str, str]) -> None:
    for name in ("c-client", "a-client", "b-client"):
        assert create(client, admin, login=name).status_code == 201
    r = client.get(PRINCIPALS, params={"kind": "service", "limit": 2, "count": "true"}, headers=admin)
    assert r.status_code == 200, r.text
    page = r.json()
    assert set(page) == {"data", "links", "pagination"}
    assert [p["login"] for p in page["data"]] == ["a-client", "b-client"]
    assert page["pagination"] == {"limit": 2, "total": 3}
    assert page["links"]["self"].endswith(f"{PRINCIPALS}?kind=service&limit=2&count=true")
    assert "kind=service" in page["links"]["next"]
    rest = client.get(page["links"]["next"], headers=admin).json()
    assert [p["login"] for p in rest["data"]] == ["c-client"]
    assert rest["links"]["next"] is None
    people = client.get(PRINCIPALS, params={"kind": "person"}, headers=admin).json()["data"]
    assert [p["kind"] for p in people] == ["person"]  # the admin the test runs as


def test_patch_with_if_match_and_a_stale_etag(client: TestClient, admin: dict[str, str]) -> None:
    r = create(client, admin, login="intranet")
    pid, etag = r.json()["id"], r.headers["etag"]
    ok = client.patch(f"{PRINCIPALS}/{pid}", json={"display_name": "Intranätet"}, headers={**admin, "If-Match": etag})
    assert ok.status_code == 200, ok.text
    assert ok.json()["display_name"] == "Intranätet"
    assert ok.headers["etag"] != etag
    assert client.get(f"{PRINCIPALS}/{pid}", headers=admin).headers["etag"] == ok.headers["etag"]

    stale = client.patch(f"{PRINCIPALS}/{pid}", json={"display_name": "X"}, headers={**admin, "If-Match": etag})
    assert_problem(stale, 412, "precondition_failed")
    regrant = client.patch(
        f"{PRINCIPALS}/{pid}", json={"grants": grants("reader")}, headers={**admin, "If-Match": etag}
    )
    assert_problem(regrant, 412, "precondition_failed")
    after = client.get(f"{PRINCIPALS}/{pid}", headers=admin).json()
    assert (after["display_name"], after["grants"]) == ("Intranätet", [])

    granted = client.patch(
        f"{PRINCIPALS}/{pid}", json={"grants": grants("reader")}, headers={**admin, "If-Match": ok.headers["etag"]}
    )
    assert granted.status_code == 200, granted.text
    assert granted.json()["grants"] == [{"role": "reader", "organisation_id": None}]
    assert granted.headers["etag"] != ok.headers["etag"]


def test_duplicate_login_conflicts_whatever_the_case(client: TestClient, admin: dict[str, str]) -> None:
    assert create(client, admin, login="intranet").status_code == 201
    for login in ("intranet", "INTRANET"):
        assert_problem(create(client, admin, login=login), 409, "duplicate_login")
    assert len(client.get(PRINCIPALS, params={"kind": "service"}, headers=admin).json()["data"]) == 1


@pytest.mark.parametrize(
    "body, loc",
    [
        ({"grants": [{"role": "secretary"}]}, ["body", "grants"]),
        ({"grants": [{"role": "editor", "organisation_id": None}]}, ["body", "grants"]),
        (
            {"grants": [{"role": "reader"}, {"role": "editor", "organisation_id": MISSING}]},
            ["body", "grants", 1, "organisation_id"],
        ),
        ({"grants": [{"role": "owner"}]}, ["body", "grants", 0, "role"]),
        ({"unknown_field": 1}, ["body", "unknown_field"]),
        ({"grants": [{"role": "reader", "extra": 1}]}, ["body", "grants", 0, "extra"]),
        ({"login": "has space"}, ["body", "login"]),
        ({"kind": "robot"}, ["body", "kind"]),
        ({"email": "not-an-email"}, ["body", "email"]),
        ({"password": "short"}, ["body", "password"]),
        ({"kind": "person"}, ["body", "password"]),
    ],
    ids=[
        "secretary_without_org",
        "editor_with_null_org",
        "unknown_org",
        "unknown_role",
        "unknown_field",
        "unknown_grant_field",
        "bad_login",
        "bad_kind",
        "bad_email",
        "short_password",
        "person_without_password",
    ],
)
def test_create_refusals_name_the_field(
    client: TestClient, admin: dict[str, str], body: dict[str, Any], loc: list[Any]
) -> None:
    problem = assert_problem(create(client, admin, **{"login": "klient", **body}), 422, "validation_failed")
    assert loc in [e["loc"] for e in problem["errors"]], problem
    page = client.get(PRINCIPALS, params={"kind": "service", "count": "true"}, headers=admin).json()
    assert page["pagination"]["total"] == 0


def test_an_admin_role_takes_no_organisation(client: TestClient, admin: dict[str, str], organisation: str) -> None:
    body = {"login": "klient", "grants": [{"role": "admin", "organisation_id": organisation}]}
    problem = assert_problem(create(client, admin, **body), 422, "validation_failed")
    assert problem["errors"][0]["loc"][:2] == ["body", "grants"]


@pytest.mark.parametrize(
    "body, loc",
    [
        ({"grants": [{"role": "secretary"}]}, ["body", "grants"]),
        ({"grants": [{"role": "editor", "organisation_id": MISSING}]}, ["body", "grants", 0, "organisation_id"]),
        ({"login": "renamed"}, ["body", "login"]),
        ({"kind": "person"}, ["body", "kind"]),
        ({"is_active": None}, ["body", "is_active"]),
        ({"display_name": None}, ["body", "display_name"]),
    ],
    ids=["secretary_without_org", "unknown_org", "login_is_fixed", "kind_is_fixed", "null_active", "null_name"],
)
def test_patch_refusals_name_the_field_and_change_nothing(
    client: TestClient, admin: dict[str, str], body: dict[str, Any], loc: list[Any]
) -> None:
    r = create(client, admin, login="klient", grants=grants("reader"))
    pid, etag = r.json()["id"], r.headers["etag"]
    problem = assert_problem(client.patch(f"{PRINCIPALS}/{pid}", json=body, headers=admin), 422, "validation_failed")
    assert loc in [e["loc"] for e in problem["errors"]], problem
    after = client.get(f"{PRINCIPALS}/{pid}", headers=admin)
    assert after.headers["etag"] == etag
    assert after.json()["grants"] == [{"role": "reader", "organisation_id": None}]


def test_patch_grants_null_clears_them_as_json_merge_says(client: TestClient, admin: dict[str, str]) -> None:
    r = create(client, admin, login="klient", grants=grants("reader", "fund_manager"))
    pid, etag = r.json()["id"], r.headers["etag"]
    cleared = client.patch(f"{PRINCIPALS}/{pid}", json={"grants": None}, headers={**admin, "If-Match": etag})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["grants"] == []
    assert cleared.headers["etag"] != etag
    assert client.get(f"{PRINCIPALS}/{pid}", headers=admin).json()["grants"] == []
    # Left out, the grants stay as they are.
    kept = client.patch(f"{PRINCIPALS}/{pid}", json={"grants": grants("reader")}, headers=admin)
    renamed = client.patch(f"{PRINCIPALS}/{pid}", json={"display_name": "Klienten"}, headers=admin)
    assert renamed.json()["grants"] == kept.json()["grants"] == [{"role": "reader", "organisation_id": None}]


def test_scoped_grant_with_a_real_organisation(client: TestClient, admin: dict[str, str], organisation: str) -> None:
    r = create(client, admin, login="klient", grants=[{"role": "editor", "organisation_id": organisation}])
    assert r.status_code == 201, r.text
    assert r.json()["grants"] == [{"role": "editor", "organisation_id": organisation}]


def test_only_admins_and_only_with_a_token(
    client: TestClient, admin: dict[str, str], reader: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    pid = create(client, admin, login="klient").json()["id"]
    narrowed_admin = make_principal("admin", scopes=["reader"])
    for headers in (reader, narrowed_admin):
        assert_problem(client.get(PRINCIPALS, headers=headers), 403, "missing_role")
        assert_problem(client.get(f"{PRINCIPALS}/{pid}", headers=headers), 403, "missing_role")
        assert_problem(create(client, headers, login="other"), 403, "missing_role")
        assert_problem(client.patch(f"{PRINCIPALS}/{pid}", json={"is_active": False}, headers=headers), 403)
    assert_unauthorized(client.get(PRINCIPALS), "unauthorized")
    assert_unauthorized(client.get(f"{PRINCIPALS}/{pid}"), "unauthorized")
    assert_unauthorized(client.post(PRINCIPALS, json={"kind": "service", "login": "x", "display_name": "X"}))
    assert_unauthorized(client.patch(f"{PRINCIPALS}/{pid}", json={"is_active": False}))
    assert client.get(f"{PRINCIPALS}/{pid}", headers=admin).json()["is_active"] is True
    assert [p["login"] for p in client.get(PRINCIPALS, params={"kind": "service"}, headers=admin).json()["data"]] == [
        "klient"
    ]


def test_unknown_id_is_404(client: TestClient, admin: dict[str, str]) -> None:
    assert_problem(client.get(f"{PRINCIPALS}/{MISSING}", headers=admin), 404, "not_found")
    assert_problem(client.patch(f"{PRINCIPALS}/{MISSING}", json={"is_active": False}, headers=admin), 404)
    assert_problem(client.get(f"{PRINCIPALS}/not-a-uuid", headers=admin), 422, "validation_failed")


def test_me_for_a_person(client: TestClient, make_principal: Callable[..., dict[str, str]], organisation: str) -> None:
    headers = make_principal("reader", f"editor:{organisation}")
    r = client.get(ME, headers=headers)
    assert r.status_code == 200, r.text
    me = r.json()
    assert me["kind"] == "person"
    assert me["login"].startswith("user-")
    assert me["person_id"] is None
    assert me["token_id"]
    assert sorted(me["grants"], key=lambda g: g["role"]) == [
        {"role": "editor", "organisation_id": organisation},
        {"role": "reader", "organisation_id": None},
    ]


def test_me_for_a_service_client(client: TestClient, admin: dict[str, str]) -> None:
    created = create(client, admin, login="intranet", display_name="Intranätet", grants=grants("reader")).json()
    r = client.post(
        TOKEN,
        data={"grant_type": "client_credentials", "client_id": "intranet", "client_secret": created["client_secret"]},
    )
    assert r.status_code == 200, r.text
    me = client.get(ME, headers=bearer(r.json()["access_token"])).json()
    assert (me["id"], me["kind"], me["login"], me["display_name"]) == (
        created["id"],
        "service",
        "intranet",
        "Intranätet",
    )
    assert me["grants"] == [{"role": "reader", "organisation_id": None}]
    assert me["person_id"] is None


def test_me_needs_a_token_but_no_role(client: TestClient, make_principal: Callable[..., dict[str, str]]) -> None:
    assert_unauthorized(client.get(ME), "unauthorized")
    me = client.get(ME, headers=make_principal(kind=PrincipalKind.service))
    assert me.status_code == 200
    assert (me.json()["kind"], me.json()["grants"]) == ("service", [])
