"""The one place that turns errors into `application/problem+json` (RFC 9457) responses."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.core.errors import AppError

log = logging.getLogger("samverkan.errors")
PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://samverkan.example/problems/"

_HTTP_CODES = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload_too_large", "Payload too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
    422: ("validation_failed", "Validation failed"),
}


def problem(
    request: Request | None,
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path if request is not None else None,
        "code": code,
        **extra,
    }
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _clean_errors(errors: Any) -> list[dict[str, Any]]:
    cleaned = []
    for err in errors:
        # Echoing the input back could leak a password; loc/msg/type say enough.
        cleaned.append({"loc": list(err.get("loc", [])), "msg": str(err.get("msg", "")), "type": err.get("type")})
    return cleaned


async def _app_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AppError)
    extra = dict(exc.extra)
    if errors := getattr(exc, "errors", None):
        extra["errors"] = errors
    return problem(request, exc.status, exc.code, exc.title, exc.detail, exc.headers or None, **extra)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _clean_errors(exc.errors())
    first = errors[0] if errors else {"loc": [], "msg": "invalid input"}
    where = ".".join(str(p) for p in first["loc"])
    detail = f"{where}: {first['msg']}" if where else str(first["msg"])
    if len(errors) > 1:
        detail += f" (and {len(errors) - 1} more)"
    return problem(request, 422, "validation_failed", "Validation failed", detail, errors=errors)


def _allowed_methods(request: Request, allow: str) -> str:
    """Starlette's Allow names the methods of the first route on the path only; RFC 9110 wants every one."""
    methods = {m.strip() for m in allow.split(",") if m.strip()}
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            methods.add(method)
    return ", ".join(sorted(methods))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "HTTP error"))
    detail = exc.detail if isinstance(exc.detail, str) else title
    headers = dict(exc.headers or {})
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No route or resource at {request.url.path}."
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
        if "Allow" in headers:
            headers["Allow"] = _allowed_methods(request, headers["Allow"])
    return problem(request, exc.status_code, code, title, detail, headers or None)


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # Services check uniqueness first and name the field; this is the backstop for races between processes.
    log.info("integrity error: %s", type(exc).__name__)
    return problem(request, 409, "conflict", "Conflict", "The change conflicts with existing data.")


# PostgreSQL: deadlock_detected, serialization_failure, lock_not_available. SQLite: its one write lock stayed busy
# past the busy timeout. Either way the request lost a race with another writer and may simply be sent again.
_TRANSIENT_SQLSTATES = frozenset({"40P01", "40001", "55P03"})
_TRANSIENT_SQLITE = ("database is locked", "database table is locked")
RETRY_AFTER_SECONDS = 1


def _is_transient(exc: OperationalError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate in _TRANSIENT_SQLSTATES or str(exc.orig).startswith(_TRANSIENT_SQLITE)


async def _operational_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OperationalError)
    if not _is_transient(exc):
        return await _unexpected(request, exc)
    log.warning("write lost a race on %s %s: %s", request.method, request.url.path, type(exc.orig).__name__)
    return problem(
        request,
        503,
        "busy",
        "Busy, try again",
        "Another request was writing the same data at the same moment; nothing was changed. Send it again.",
        {"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _stale_error(request: Request, exc: Exception) -> JSONResponse:
    return problem(
        request,
        412,
        "precondition_failed",
        "Precondition failed",
        "The resource was changed by someone else.",
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(request, 500, "internal_error", "Internal server error", "An unexpected error occurred.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(StaleDataError, _stale_error)
    app.add_exception_handler(OperationalError, _operational_error)
    app.add_exception_handler(Exception, _unexpected)


PROBLEM_SCHEMA = {
    "description": (
        "An error, as RFC 9457 problem details. `code` is stable and meant for programs (each operation lists the "
        "codes it can answer with); `title` and `detail` are for people; for 422, `errors` names each field."
    ),
    "type": "object",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": ["string", "null"]},
        "code": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}
