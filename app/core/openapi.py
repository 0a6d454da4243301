"""The OpenAPI document: FastAPI's, plus the problem responses every operation can give."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from app.core.problems import PROBLEM_MEDIA_TYPE, PROBLEM_SCHEMA

_DESCRIPTIONS = {
    "400": "Bad request (for example an invalid Idempotency-Key or scope).",
    "401": "Missing, expired, revoked or invalid token.",
    "403": "The token lacks the right.",
    "404": "No such resource, or not visible to this principal.",
    "409": "Conflict with existing data or a rule of the domain.",
    "412": "If-Match does not match the current ETag.",
    "413": "The request body is over the limit.",
    "422": "The input is invalid; `errors` names each field.",
    "503": "Another request wrote the same data at the same moment; nothing was changed. Retry after Retry-After.",
}


def _problem_ref() -> dict[str, Any]:
    return {"content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}


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
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            codes = ["422"]
            if not op.get("x-public"):
                codes += ["401", "403"]
            if "{" in path:
                codes.append("404")
            if method in ("post", "patch", "put"):
                codes += ["409", "413"]
            if method in ("patch", "delete"):
                codes.append("412")
            if method == "post":
                codes.append("400")
            if method in ("post", "patch", "put", "delete"):
                codes.append("503")
            responses = op.setdefault("responses", {})
            for code in sorted(codes):
                existing = responses.get(code, {})
                responses[code] = {"description": existing.get("description") or _DESCRIPTIONS[code]} | _problem_ref()
                if existing.get("headers"):
                    responses[code]["headers"] = existing["headers"]
            for code, response in responses.items():
                if code >= "400" and "content" not in response:
                    response.update(_problem_ref())
    return spec
