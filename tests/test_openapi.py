"""openapi/openapi.json is the contract: it must be what the app serves, and complete."""

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

CONTRACT = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, op) for p, item in spec["paths"].items() for m, op in item.items() if m in METHODS]


def test_committed_contract_matches_the_app(app: Any) -> None:
    committed = json.loads(CONTRACT.read_text(encoding="utf-8"))
    assert committed == app.openapi(), "openapi/openapi.json is stale: run `samverkan openapi` and commit it"


def test_served_contract_is_the_same(client: TestClient, app: Any) -> None:
    assert client.get("/openapi.json").json() == app.openapi()


def test_every_operation_has_stable_id_summary_and_problem_responses(app: Any) -> None:
    spec = app.openapi()
    ids = [op["operationId"] for _, _, op in _operations(spec)]
    assert len(ids) == len(set(ids))
    for path, method, op in _operations(spec):
        assert op.get("summary"), (method, path)
        assert "_" in op["operationId"] and "api_v1" not in op["operationId"], op["operationId"]
        responses = op["responses"]
        assert "422" in responses
        if not op.get("x-public"):
            assert {"401", "403"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        for code, response in responses.items():
            if code >= "400":
                assert "application/problem+json" in response["content"], (method, path, code)


# Not lists of resources: who-am-I, ranked search hits, and the calendar feed.
NOT_LISTS = {"/api/v1/auth/me", "/api/v1/search", "/api/v1/meetings.ics"}


def test_list_operations_document_the_conventions(app: Any) -> None:
    spec = app.openapi()
    for path, method, op in _operations(spec):
        if method != "get" or "{" in path or not path.startswith("/api/v1/") or path in NOT_LISTS:
            continue
        params = {p["name"] for p in op.get("parameters", [])}
        assert {"limit", "cursor", "sort", "count", "updated_since", "created_since"} <= params, path
