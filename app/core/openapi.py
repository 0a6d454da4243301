"""The OpenAPI document: FastAPI's, plus every problem response an operation can give, with its `code`s.

Routers declare the domain codes an operation can answer with (`responses=problems({409: ["duplicate_name"]})`);
this module adds the codes app/core answers with on every operation of a kind (validation, tokens, roles, ids in
the path, If-Match, Idempotency-Key, body limits), so each error response's schema lists its `code`s as an enum.
"""

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from app.core.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA

CODES_KEY = "x-problem-codes"
WRITES = {"post", "put", "patch", "delete"}

_DESCRIPTIONS = {
    "400": "Bad request: a malformed body or header (for example an invalid Idempotency-Key).",
    "401": "Missing, expired, revoked or invalid token (with `WWW-Authenticate: Bearer`).",
    "403": "The token lacks the right.",
    "404": "No such resource, or not visible to this principal.",
    "406": "None of the media types in `Accept` can be served.",
    "409": "Conflict with existing data or a rule of the domain, or an Idempotency-Key reused with another body.",
    "412": "If-Match does not match the current ETag, or someone changed the resource meanwhile.",
    "413": "The request body is over the limit.",
    "415": "The content's media type is not accepted here.",
    "416": "The range lies outside the file.",
    "422": "The input is invalid; `errors` names each field.",
    "429": "Too many requests; see `Retry-After`.",
    "503": "Another request wrote the same data at the same moment; nothing was changed. Retry after Retry-After.",
}


def problems(
    codes: Mapping[int, Iterable[str]], descriptions: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for the domain codes an operation can answer with, by status, and optionally what those
    statuses mean here (build_openapi adds the generic codes). Merge with other responses with `|`."""
    described = descriptions or {}
    return {
        status: {CODES_KEY: sorted(set(codes.get(status, ())))}
        | ({"description": described[status]} if status in described else {})
        for status in {*codes, *described}
    }


def form_examples(media_type: str, **named: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra=` with examples of a form body (a form has no model to carry them), by name."""
    examples = {name: {"value": value} for name, value in named.items()}
    return {"requestBody": {"content": {media_type: {"examples": examples}}}}


# Models of bodies that an operation reads itself (one path taking JSON or CSV): build_openapi adds their schemas.
_READ_BODIES: dict[str, type[BaseModel]] = {}


def read_body_models(media: Mapping[str, type[BaseModel]]) -> dict[str, Any]:
    """`openapi_extra=` for an operation that reads its body itself: the model of each media type it takes
    (`{"application/json": Model, "text/csv": CsvModel}`); the models' docstrings and examples document it."""
    content = {}
    for media_type, model in media.items():
        _READ_BODIES[model.__name__] = model
        content[media_type] = {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
    return {"requestBody": {"required": True, "content": content}}


def _add_read_bodies(schemas: dict[str, Any]) -> None:
    for name, model in _READ_BODIES.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for inner, defined in schema.pop("$defs", {}).items():
            schemas.setdefault(inner, defined)
        schemas.setdefault(name, schema)


def _generic_codes(path: str, method: str, op: dict[str, Any]) -> dict[str, set[str]]:
    """The codes app/core itself answers with on an operation of this kind."""
    headers = {p["name"].lower() for p in op.get("parameters", []) if p.get("in") == "header"}
    codes: dict[str, set[str]] = {"422": {"validation_failed"}}

    def add(status: str, *names: str) -> None:
        codes.setdefault(status, set()).update(names)

    if not op.get("x-public"):
        add("401", "unauthorized", "invalid_token")
        add("403", "missing_role")
    if "{" in path:
        add("404", "not_found")
    if any(p["name"] == "cursor" and p.get("in") == "query" for p in op.get("parameters", [])):
        add("422", "invalid_cursor")  # a cursor from another list, or with other filters or sort
    if "requestBody" in op:
        add("400", "bad_request")  # a multipart body the parser cannot read
    if method in ("post", "put", "patch"):
        add("413", "payload_too_large")  # the body limit applies to whatever is sent
    if method in WRITES:
        add("409", "conflict")  # the database's uniqueness backstop for races between processes
    if method == "post":
        add("400", "idempotency_key_invalid")
        add("409", "idempotency_key_reused", "idempotency_key_in_progress")
    if method in ("put", "patch", "delete") or "if-match" in headers:
        add("412", "precondition_failed")  # If-Match, and the version check in the UPDATE itself
    if method in WRITES:
        add("503", "busy")  # a lost lock race (deadlock, serialisation failure, SQLite busy): send it again
    return codes


def _problem_response(status: str, description: str, codes: Iterable[str]) -> dict[str, Any]:
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Problem"},
            {
                "type": "object",
                "properties": {
                    "status": {"type": "integer", "enum": [int(status)]},
                    "code": {"type": "string", "enum": sorted(codes)},
                },
            },
        ]
    }
    return {"description": description, "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}}}


def _default_description(status: str, given: str | None) -> str:
    phrase = HTTPStatus(int(status)).phrase
    if given and given not in (phrase, "Additional Response", "Validation Error"):  # FastAPI's defaults
        return given
    return _DESCRIPTIONS.get(status, phrase)


def _describe_generated_schemas(spec: dict[str, Any], schemas: dict[str, Any]) -> None:
    """FastAPI names a form body `Body_<operation id>`; it has no class to carry a docstring."""
    for item in spec.get("paths", {}).values():
        for op in item.values():
            for media in op.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                name = ref.rsplit("/", 1)[-1]
                if name.startswith("Body_") and name in schemas:
                    schemas[name].setdefault("description", f"The form fields of “{op.get('summary', name)}”.")


def build_openapi(app: FastAPI) -> dict[str, Any]:
    spec = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=app.openapi_tags,
    )
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    _add_read_bodies(schemas)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    _describe_generated_schemas(spec, schemas)
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            responses = op.setdefault("responses", {})
            codes = _generic_codes(path, method, op)
            for status, response in responses.items():
                if status >= "400":
                    codes.setdefault(status, set()).update(response.pop(CODES_KEY, []))
            for status in sorted(codes):
                existing = responses.get(status, {})
                responses[status] = _problem_response(
                    status, _default_description(status, existing.get("description")), codes[status]
                )
                if existing.get("headers"):
                    responses[status]["headers"] = existing["headers"]
            op["responses"] = dict(sorted(responses.items()))
    return spec
