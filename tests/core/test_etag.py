"""ETags and If-Match: optimistic concurrency on PATCH and DELETE."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.core.conftest import ORGS, STRATEGIES

MakeBody = Callable[..., dict[str, Any]]


@pytest.fixture
def body(make_body: MakeBody) -> dict[str, Any]:
    return make_body("Samråd", short_name="S")


def _get(client: TestClient, admin: dict[str, str], org: dict[str, Any]) -> Any:
    r = client.get(f"{ORGS}/{org['id']}", headers=admin)
    assert r.status_code == 200
    return r


def test_get_returns_a_quoted_etag_that_changes_only_with_the_resource(
    client: TestClient, admin: dict[str, str], body: dict[str, Any], make_body: MakeBody
) -> None:
    etag = _get(client, admin, body).headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert _get(client, admin, body).headers["etag"] == etag
    assert _get(client, admin, make_body("Annat")).headers["etag"] != etag
    unchanged = client.patch(f"{ORGS}/{body['id']}", json={"short_name": "S"}, headers=admin)
    assert unchanged.headers["etag"] == etag


def test_patch_with_the_current_etag_succeeds_and_gives_a_new_one(
    client: TestClient, admin: dict[str, str], body: dict[str, Any]
) -> None:
    etag = _get(client, admin, body).headers["etag"]
    r = client.patch(f"{ORGS}/{body['id']}", json={"short_name": "Sam"}, headers={**admin, "If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json()["short_name"] == "Sam"
    assert r.headers["etag"] != etag
    assert _get(client, admin, body).headers["etag"] == r.headers["etag"]
    # The new ETag is the current one: it is accepted in turn.
    r2 = client.patch(
        f"{ORGS}/{body['id']}", json={"short_name": "Sa"}, headers={**admin, "If-Match": r.headers["etag"]}
    )
    assert r2.status_code == 200


def test_stale_etag_is_refused_and_changes_nothing(
    client: TestClient, admin: dict[str, str], body: dict[str, Any]
) -> None:
    stale = _get(client, admin, body).headers["etag"]
    assert client.patch(f"{ORGS}/{body['id']}", json={"short_name": "Ny"}, headers=admin).status_code == 200
    before = _get(client, admin, body)

    r = client.patch(f"{ORGS}/{body['id']}", json={"short_name": "Gammal"}, headers={**admin, "If-Match": stale})
    assert r.status_code == 412
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "precondition_failed"
    after = _get(client, admin, body)
    assert after.json() == before.json()
    assert after.headers["etag"] == before.headers["etag"]


@pytest.mark.parametrize("if_match", ['"nonsense"', "nonsense", '"", ""', 'W/"x-1"'])
def test_unknown_etag_is_refused(
    client: TestClient, admin: dict[str, str], body: dict[str, Any], if_match: str
) -> None:
    r = client.patch(f"{ORGS}/{body['id']}", json={"short_name": "X"}, headers={**admin, "If-Match": if_match})
    assert r.status_code == 412
    assert _get(client, admin, body).json()["short_name"] == "S"


def test_if_match_star_and_lists(client: TestClient, admin: dict[str, str], body: dict[str, Any]) -> None:
    url = f"{ORGS}/{body['id']}"
    r = client.patch(url, json={"short_name": "Stjärna"}, headers={**admin, "If-Match": "*"})
    assert r.status_code == 200
    current = r.headers["etag"]
    r = client.patch(url, json={"short_name": "Lista"}, headers={**admin, "If-Match": f'"other", {current}'})
    assert r.status_code == 200
    assert _get(client, admin, body).json()["short_name"] == "Lista"
    assert client.delete(url, headers={**admin, "If-Match": "*"}).status_code == 204
    assert client.get(url, headers=admin).status_code == 404


def test_delete_with_a_stale_etag_is_refused(client: TestClient, admin: dict[str, str], body: dict[str, Any]) -> None:
    url = f"{ORGS}/{body['id']}"
    stale = _get(client, admin, body).headers["etag"]
    assert client.patch(url, json={"short_name": "Ny"}, headers=admin).status_code == 200
    r = client.delete(url, headers={**admin, "If-Match": stale})
    assert r.status_code == 412
    assert r.headers["content-type"] == "application/problem+json"
    assert client.get(url, headers=admin).status_code == 200
    current = _get(client, admin, body).headers["etag"]
    assert client.delete(url, headers={**admin, "If-Match": current}).status_code == 204
    assert client.get(url, headers=admin).status_code == 404


def test_etags_on_another_resource(client: TestClient, admin: dict[str, str]) -> None:
    created = client.post(STRATEGIES, json={"number": 3, "name": "Nära vård"}, headers=admin)
    url, etag = created.headers["location"], created.headers["etag"]
    assert client.get(url, headers=admin).headers["etag"] == etag
    ok = client.patch(url, json={"name": "Nära vård 2030"}, headers={**admin, "If-Match": etag})
    assert ok.status_code == 200
    stale = client.patch(url, json={"name": "Gammal"}, headers={**admin, "If-Match": etag})
    assert stale.status_code == 412
    assert client.get(url, headers=admin).json()["name"] == "Nära vård 2030"
