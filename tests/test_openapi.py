"""openapi/openapi.json is the contract: it must be what the app serves, and complete."""

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.core.models import ApiModel
from tests.contract_check import documented_codes, response_checker

CONTRACT = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"
METHODS = {"get", "post", "put", "patch", "delete"}
FORMATS = Draft202012Validator.FORMAT_CHECKER


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


def test_every_operation_and_schema_is_described(app: Any) -> None:
    spec = app.openapi()
    undescribed = [f"{m.upper()} {p}" for p, m, op in _operations(spec) if not op.get("description", "").strip()]
    assert not undescribed, f"operations without a description (the route function's docstring): {undescribed}"
    schemas = spec["components"]["schemas"]
    undescribed = [name for name, schema in schemas.items() if not schema.get("description", "").strip()]
    assert not undescribed, f"schemas without a description (the model's docstring): {undescribed}"


def _body_examples(spec: dict[str, Any], media: dict[str, Any]) -> list[Any]:
    """A request body's examples: on the media type, or on the schema it refers to."""
    found = [e["value"] for e in media.get("examples", {}).values()]
    if "example" in media:
        found.append(media["example"])
    ref = media["schema"].get("$ref")
    if ref:
        found += spec["components"]["schemas"][ref.rsplit("/", 1)[-1]].get("examples", [])
    return found


def test_every_request_body_has_examples_that_fit_its_schema(app: Any) -> None:
    spec = app.openapi()
    registry = Registry().with_resource("urn:contract", Resource.from_contents(spec, default_specification=DRAFT202012))
    checked = 0
    for path, method, op in _operations(spec):
        for media_type, media in op.get("requestBody", {}).get("content", {}).items():
            examples = _body_examples(spec, media)
            assert examples, f"{method.upper()} {path} ({media_type}) has no example"
            schema = {"$ref": "urn:contract#/components/schemas/" + media["schema"]["$ref"].rsplit("/", 1)[-1]}
            validator = Draft202012Validator(schema, registry=registry, format_checker=FORMATS)
            for example in examples:
                errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(example)]
                assert not errors, (method, path, example, errors)
                checked += 1
    assert checked >= 27


def _models_with_examples() -> list[type[ApiModel]]:
    import app.main  # noqa: F401  (imports every domain, so every request model exists)

    seen, todo = [], list(ApiModel.__subclasses__())
    while todo:
        model = todo.pop()
        seen.append(model)
        todo += model.__subclasses__()
    return [m for m in seen if (m.model_config.get("json_schema_extra") or {}).get("examples")]  # type: ignore[union-attr]


def test_every_example_is_accepted_by_its_model() -> None:
    """The schema cannot say everything (a Luhn check digit, a scoped role): the model itself must accept them."""
    models = _models_with_examples()
    assert len(models) >= 22
    for model in models:
        for example in model.model_config["json_schema_extra"]["examples"]:  # type: ignore[index]
            model.model_validate(example)


def test_every_error_response_lists_its_codes(app: Any) -> None:
    spec = app.openapi()
    for path, method, op in _operations(spec):
        for status in op["responses"]:
            if status < "400":
                continue
            codes = documented_codes(spec, path, method, int(status))
            assert codes, (method, path, status)
            assert all(c == c.lower() and " " not in c for c in codes), (method, path, status, codes)


def test_error_codes_cover_what_the_service_answers(client: TestClient, admin: dict[str, str]) -> None:
    """The client fixture checks every error answer against the contract (tests/contract_check.py); these are
    answers of each kind the core gives: malformed body, bad header, unknown id, stale If-Match, reused
    Idempotency-Key, too large, missing token."""
    url = "/api/v1/strategies"
    assert client.post(url, content=b"{nope", headers={**admin, "Content-Type": "application/json"}).status_code
    assert client.post(url, json={"number": 1, "name": "Nära vård"}, headers={**admin, "Idempotency-Key": ""})
    first = client.post(url, json={"number": 1, "name": "Nära vård"}, headers={**admin, "Idempotency-Key": "k1"})
    assert first.status_code == 201
    reused = client.post(url, json={"number": 2, "name": "Nära vård"}, headers={**admin, "Idempotency-Key": "k1"})
    assert reused.status_code == 409 and reused.json()["code"] == "idempotency_key_reused"
    duplicate = client.post(url, json={"number": 1, "name": "Annan"}, headers=admin)
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate_number"
    one = f"{url}/{first.json()['id']}"
    stale = client.patch(one, json={"name": "Ny"}, headers={**admin, "If-Match": '"stale"'})
    assert stale.status_code == 412
    assert client.get(f"{url}/{uuid.uuid4()}", headers=admin).status_code == 404
    assert client.get(url).status_code == 401
    huge = client.post(url, content=b" " * (2 << 20), headers={**admin, "Content-Type": "application/json"})
    assert huge.status_code == 413


def test_the_check_refuses_a_code_the_contract_does_not_list(app: Any) -> None:
    """The contract check itself: an answer with a code the operation does not list fails the test."""
    check = response_checker(app)
    request = httpx.Request("POST", "http://testserver/api/v1/strategies")
    body = {"type": "x", "title": "Conflict", "status": 409, "detail": "x", "code": "in_use"}
    response = httpx.Response(409, json=body, request=request, headers={"Content-Type": "application/problem+json"})
    with pytest.raises(AssertionError, match="in_use"):
        check(response)
    undocumented = httpx.Response(416, json=body, request=request, headers={"Content-Type": "application/problem+json"})
    with pytest.raises(AssertionError, match="not in the contract"):
        check(undocumented)
