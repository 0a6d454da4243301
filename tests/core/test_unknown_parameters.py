"""Unknown query parameters are refused with 422 on every operation, as unknown body fields are: a misspelt
filter must not silently return the whole list."""

from typing import Any

from fastapi.testclient import TestClient

from tests.core.conftest import ORGS
from tests.test_route_table import _api_routes, _concrete


def _refused(r: Any, *names: str) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["code"] == "validation_failed"
    assert [e["loc"] for e in problem["errors"]] == [["query", n] for n in names]
    assert {e["type"] for e in problem["errors"]} == {"extra_forbidden"}


def test_every_operation_refuses_an_unknown_query_parameter(client: TestClient, app: Any) -> None:
    checked = 0
    for path, route in _api_routes(app):
        for method in route.methods - {"HEAD", "OPTIONS"}:
            _refused(client.request(method, _concrete(path), params={"no_such_parameter": "1"}), "no_such_parameter")
            checked += 1
    assert checked > 70


def test_a_misspelt_filter_is_named_not_ignored(client: TestClient, admin: dict[str, str], make_body: Any) -> None:
    make_body("Samråd vård")
    _refused(client.get(ORGS, params={"bodyid": "x"}, headers=admin), "bodyid")
    _refused(client.get(ORGS, params={"kind": "joint_body", "Kind": "x", "limt": "2"}, headers=admin), "Kind", "limt")
    _refused(client.get(f"{ORGS}/{make_body('AU')['id']}", params={"count": "true"}, headers=admin), "count")
    # What the list declares is still taken, repeated or not.
    listed = client.get(ORGS, params=[("kind", "joint_body"), ("limit", "1"), ("count", "true")], headers=admin)
    assert listed.status_code == 200, listed.text
    assert listed.json()["pagination"] == {"limit": 1, "total": 2}


def test_a_write_with_an_unknown_query_parameter_writes_nothing(client: TestClient, admin: dict[str, str]) -> None:
    body = {"kind": "joint_body", "name": "Samråd"}
    _refused(client.post(ORGS, params={"dry_run": "true"}, json=body, headers=admin), "dry_run")
    assert client.get(ORGS, params={"count": "true"}, headers=admin).json()["pagination"]["total"] == 0
