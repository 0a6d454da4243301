"""Lists: the envelope, keyset cursors, sorting, incremental sync with tombstones, and counts."""

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Query, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, literal, select, tuple_
from sqlalchemy.sql import Select
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

from app.core.errors import ValidationFailed
from app.core.models import Tombstone
from app.core.reads import Shape, execute
from app.core.time import QueryDateTime

T = TypeVar("T")
# Sort field name → mapped column (SQLModel's `col(Model.field)`), as each resource documents them.
SortColumns = Mapping[str, Any]
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Links(BaseModel):
    """Links of a list page: `next` is null on the last page."""

    self: str
    next: str | None


class PaginationInfo(BaseModel):
    """The page size, and the total when `count=true` was asked for."""

    limit: int
    total: int | None


PAGE_DESCRIPTION = (
    "One page of a list: `data`, `links.next` for the following page (null on the last), and the page size (and, "
    "with `count=true`, the total). With `updated_since`, deleted objects come as tombstones."
)


class Page(BaseModel, Generic[T]):
    # Each Page[X] is a class of its own that does not inherit a docstring, but does inherit its config.
    model_config = ConfigDict(json_schema_extra={"description": PAGE_DESCRIPTION})

    data: list[T | Tombstone]
    links: Links
    pagination: PaginationInfo


@dataclass(frozen=True)
class ListParams:
    limit: int
    cursor: str | None
    sort: str
    count: bool
    updated_since: datetime | None
    created_since: datetime | None
    # The list a cursor belongs to (see list_binding): a cursor from another list or other filters is refused.
    binding: str = ""


# Parameters that page through one list without making it another: the rest (filters, `sort`) bind the cursor.
_PAGING_PARAMS = frozenset({"cursor", "limit", "count"})


def list_binding(request: Request) -> str:
    """A short digest of the list a request asks for: its path and every filter, as sent."""
    filters = sorted((k, v) for k, v in request.query_params.multi_items() if k not in _PAGING_PARAMS)
    raw = json.dumps([request.url.path, filters], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def list_params(
    name: str, sort_fields: Sequence[str], default_sort: str
) -> Callable[..., Coroutine[Any, Any, ListParams]]:
    """A dependency for one resource's list: its sort fields become a documented enum. No I/O, so `async def`: a
    plain one would cost a thread-pool hop."""
    choices = [f for s in sort_fields for f in (s, f"-{s}")]
    sort_enum = Enum(f"{name}Sort", {c.replace("-", "minus_"): c for c in choices}, type=str)  # type: ignore[misc]
    sort_enum.__doc__ = "A field to sort the list by; a leading `-` sorts descending. Ties are broken by id."

    async def dependency(
        request: Request,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query(max_length=4096, description="Opaque, from `links.next`.")] = None,
        sort: Annotated[sort_enum | None, Query(description="Field to sort by; `-` for descending.")] = None,
        count: Annotated[bool, Query(description="Fill `pagination.total`.")] = False,
        updated_since: Annotated[
            QueryDateTime, Query(description="Only objects changed since then, deleted ones as tombstones.")
        ] = None,
        created_since: Annotated[QueryDateTime, Query(description="Only objects created since then.")] = None,
    ) -> ListParams:
        for field, value in (("updated_since", updated_since), ("created_since", created_since)):
            if value is not None and value.tzinfo is None:
                raise ValidationFailed(("query", field), "must include a UTC offset", type="timezone_aware")
            if value is not None and not _fits_in_utc(value):
                raise ValidationFailed(("query", field), "is out of range", type="datetime_out_of_range")
        since_sort = "updated_at" if updated_since and "updated_at" in sort_fields else default_sort
        chosen = sort.value if sort is not None else since_sort
        return ListParams(limit, cursor, chosen, count, updated_since, created_since, list_binding(request))

    return dependency


def _fits_in_utc(value: datetime) -> bool:
    # Year 9999 at -14:00 is year 10000 in UTC, which the database columns (stored as UTC) cannot hold.
    try:
        value.astimezone(UTC)
    except OverflowError:
        return False
    return True


def _encode_value(value: Any) -> list[Any]:
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    return ["v", value]


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "dt": datetime.fromisoformat,
    "d": date.fromisoformat,
    "u": uuid.UUID,
    "v": lambda v: v,
}


def _decode_value(tagged: list[Any]) -> Any:
    kind, raw = tagged
    return _DECODERS[kind](raw)


def encode_cursor(binding: str, sort: str, value: Any, ident: uuid.UUID) -> str:
    raw = json.dumps(
        {"l": binding, "s": sort, "v": _encode_value(value), "id": str(ident)},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, binding: str, sort: str, expected: type) -> tuple[Any, uuid.UUID]:
    """The cursor is client input: it must come from this very list (path, filters and sort), and its value must
    have the sort column's type, or the database would fail on it."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if data["l"] != binding:
            raise ValueError("from another list, or the filters changed")
        if data["s"] != sort:
            raise ValueError("sort changed")
        value = _decode_value(data["v"])
        if expected is not object and type(value) is not expected:
            raise ValueError("value of the wrong type")
        if isinstance(value, datetime) and (value.tzinfo is None or not _fits_in_utc(value)):
            raise ValueError("naive or out of range")
        return value, uuid.UUID(data["id"])
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            ("query", "cursor"),
            "is not a cursor from this list (or its filters or sort changed): start again without it",
            type="invalid_cursor",
            code="invalid_cursor",
        ) from exc


@dataclass
class PageResult:
    items: list[Any]
    next_cursor: str | None
    total: int | None
    limit: int


def read_page(
    session: Session, shape: Shape, stmt: Select[Any], params: ListParams, sort_columns: SortColumns
) -> PageResult:
    """One page of `stmt` (`shape.select()`, already filtered) with keyset pagination on (sort column, id), as
    plain rows: render each with `shape.render` (see `page_of`).

    Without `updated_since` soft-deleted rows are left out; with it they come back, to be shown as tombstones.
    """
    model = shape.model
    if params.updated_since is not None:
        stmt = stmt.where(getattr(model, "updated_at", model.created_at) >= params.updated_since)
    elif hasattr(model, "deleted_at"):
        stmt = stmt.where(model.deleted_at.is_(None))
    if params.created_since is not None:
        stmt = stmt.where(model.created_at >= params.created_since)

    total = None
    if params.count:
        counted = stmt.with_only_columns(model.id, maintain_column_froms=True).order_by(None).subquery()
        total = execute(session, select(func.count()).select_from(counted)).scalar_one()

    descending = params.sort.startswith("-")
    column = sort_columns[params.sort.lstrip("-")]
    if params.cursor:
        value, ident = decode_cursor(params.cursor, params.binding, params.sort, _python_type(column))
        # A row-value comparison lets both databases seek the index instead of scanning an OR.
        key, bound = tuple_(column, model.id), tuple_(literal(value, column.type), literal(ident, model.id.type))
        stmt = stmt.where(key < bound if descending else key > bound)
    order = (column.desc(), model.id.desc()) if descending else (column.asc(), model.id.asc())
    hidden = [column.label(_SORT), model.id.label(_ID), getattr(model, "updated_at", model.created_at).label(_UPDATED)]
    if hasattr(model, "deleted_at"):
        hidden.append(model.deleted_at.label(_DELETED))
    rows = list(execute(session, stmt.add_columns(*hidden).order_by(*order).limit(params.limit + 1)))

    next_cursor = None
    if len(rows) > params.limit:
        rows = rows[: params.limit]
        last = rows[-1]._mapping
        next_cursor = encode_cursor(params.binding, params.sort, last[_SORT], last[_ID])
    return PageResult(rows, next_cursor, total, params.limit)


# The columns read_page adds to a page's rows for itself: the cursor's key and what a tombstone shows.
_SORT, _ID, _UPDATED, _DELETED = "_page_sort", "_page_id", "_page_updated_at", "_page_deleted_at"


def page_of(request: Request, result: PageResult, render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """The envelope of a page from `read_page`, as plain data: deleted rows (in a sync) become tombstones."""
    data = []
    for row in result.items:
        values = row._mapping
        if values.get(_DELETED) is not None:
            data.append({"id": values[_ID], "deleted": True, "updated_at": values[_UPDATED]})
        else:
            data.append(render(row))
    return {
        "data": data,
        "links": page_links(request, result.next_cursor).model_dump(),
        "pagination": {"limit": result.limit, "total": result.total},
    }


def _python_type(column: Any) -> type:
    """The type a cursor value must have. Type decorators (UTCDateTime, SQLModel's AutoString) say `object`."""
    sql_type = column.type
    try:
        expected: type = sql_type.python_type
        if expected is object and isinstance(sql_type, TypeDecorator):
            expected = sql_type.impl_instance.python_type
    except NotImplementedError:
        return object
    return expected


def page_links(request: Request, next_cursor: str | None) -> Links:
    """`links.next` is this very request with only the cursor replaced, so every filter is carried along."""
    next_url = None
    if next_cursor is not None:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        params.append(("cursor", next_cursor))
        next_url = str(request.url.replace(query=urlencode(params)))
    return Links(self=str(request.url), next=next_url)


def whole_list(request: Request, rows: list[Any], limit: int | None = None) -> dict[str, Any]:
    """The envelope for a list that comes whole (a meeting's attendance, a recommendation's answers):
    no next page, and the count is the list's length. `limit` is for ranked lists cut at the best hits."""
    return {
        "data": rows,
        "links": page_links(request, None),
        "pagination": PaginationInfo(limit=limit or len(rows), total=None if limit else len(rows)),
    }
