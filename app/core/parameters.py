"""Unknown query parameters and multipart fields are refused with 422, as unknown body fields are (ApiModel):
a misspelt filter (`?bodyid=`) must not silently return the whole list, nor a misspelt upload field be dropped.
An empty multipart field is refused too, as an empty string in a JSON body is.

One dependency for the whole application (see app.main), comparing the request with what its route declares.
"""

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.params import File, Form
from fastapi.routing import APIRoute

UNKNOWN = "Extra inputs are not permitted"  # pydantic's words for an unknown body field, so both read alike


@dataclass(frozen=True)
class Declared:
    query: frozenset[str]
    # The form fields of a route that takes a file upload (multipart); None for any other route. The OAuth 2
    # token endpoint takes a plain form, whose unknown parameters RFC 6749 (3.2) says to ignore.
    upload_fields: frozenset[str] | None


_declared: dict[int, Declared] = {}


def declared(route: APIRoute) -> Declared:
    """What a route accepts, from the same dependency tree FastAPI validates against (computed once per route)."""
    known = _declared.get(id(route))
    if known is None:
        query: list[Any] = []
        body: list[Any] = []
        pending: list[Dependant] = [route.dependant]
        while pending:
            dependant = pending.pop()
            query += dependant.query_params
            body += dependant.body_params
            pending += dependant.dependencies
        form = [f for f in body if isinstance(f.field_info, Form)]
        uploads = any(isinstance(f.field_info, File) for f in form)
        known = Declared(
            query=frozenset(f.alias for f in query),
            upload_fields=frozenset(f.alias for f in form) if uploads else None,
        )
        _declared[id(route)] = known
    return known


def _unknown(where: str, name: str) -> dict[str, Any]:
    return {"loc": (where, name), "msg": UNKNOWN, "type": "extra_forbidden"}


def _empty(name: str) -> dict[str, Any]:
    # A form would take an empty field as left out (so an empty label became null); in a JSON body an empty
    # string is refused, and so it is here: leave the field out instead.
    return {"loc": ("body", name), "msg": "may not be empty (leave the field out instead)", "type": "string_too_short"}


async def refuse_unknown_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    accepted = declared(route)
    errors = [_unknown("query", name) for name in dict.fromkeys(request.query_params) if name not in accepted.query]
    content_type = request.headers.get("content-type", "")
    if accepted.upload_fields is not None and content_type.startswith("multipart/form-data"):
        # Already parsed by FastAPI before any dependency runs; Starlette hands back the same form.
        form = await request.form()
        errors += [_unknown("body", name) for name in dict.fromkeys(form) if name not in accepted.upload_fields]
        errors += [_empty(name) for name, value in form.multi_items() if isinstance(value, str) and not value.strip()]
    if errors:
        raise RequestValidationError(errors)
