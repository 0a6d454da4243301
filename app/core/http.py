"""HTTP helpers routers share: ETags and If-Match, Location headers, CSV answers for lists."""

import csv
import io
import os
import re
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Annotated, Any, BinaryIO, Protocol

import anyio
from fastapi import Header, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel
from pydantic_core import to_jsonable_python
from starlette.responses import MalformedRangeHeader
from starlette.responses import RangeNotSatisfiable as StarletteRangeNotSatisfiable
from starlette.types import Send

from app.core.errors import BadRequest, PreconditionFailed, RangeNotSatisfiable
from app.core.models import Resource
from app.core.money import csv_text
from app.core.reads import JSONBody

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        description="ETag from a GET; 412 when the resource has changed since.",
    ),
]


class Versioned(Protocol):
    """What an ETag is made of: a stored object, or the id and version a read selected with its row."""

    @property
    def id(self) -> uuid.UUID: ...

    @property
    def version(self) -> int: ...


def etag(obj: Versioned) -> str:
    return f'"{obj.id.hex[:12]}-{obj.version}"'


def check_if_match(if_match: str | None, obj: Resource) -> None:
    if if_match is None:
        return
    # RFC 9110: If-Match compares strongly, so a weak tag (W/"…") never matches.
    wanted = {t.strip() for t in if_match.split(",")}
    if "*" not in wanted and etag(obj) not in wanted:
        raise PreconditionFailed(f"If-Match {if_match} does not match the current ETag {etag(obj)}.")


def with_etag(response: Response, obj: Resource) -> None:
    response.headers["ETag"] = etag(obj)


def answer(body: Any, obj: Versioned) -> JSONBody:
    """A read of one object, written once as JSON (see JSONBody), with its ETag."""
    return JSONBody(body, headers={"ETag": etag(obj)})


def created(request: Request, obj: Resource, body: BaseModel | dict[str, Any], route_name: str) -> JSONResponse:
    location = str(request.url_for(route_name, id=str(obj.id)))
    return JSONResponse(to_jsonable_python(body), status_code=201, headers={"Location": location, "ETag": etag(obj)})


def wants_csv(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept.split("text/csv")[0]


def _flatten(row: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted columns (`person.name`), which a spreadsheet can sort and filter."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return csv_text(value)
    if isinstance(value, float):
        # A figure answered as a JSON number (app.metrics.numbers.as_number): Swedish Excel reads "52,4" as a
        # number and "52.4" as a date or text. repr is the shortest text that reads back as the same float.
        return f"{Decimal(repr(value)):f}".replace(".", ",")
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "true" if value else "false"
    return _defuse(str(value))


_FORMULA = re.compile(r"^[=@\t\r+-]")
_NUMBER_OR_PHONE = re.compile(r"^[+-]?[\d][\d ()-]*(?:[.,]\d+)?$")


def _defuse(text: str) -> str:
    """A cell that Excel would run as a formula gets a leading apostrophe (phone numbers like +46 stay)."""
    return "'" + text if _FORMULA.match(text) and not _NUMBER_OR_PHONE.match(text) else text


def csv_response(rows: list[dict[str, Any]], filename: str, next_url: str | None = None) -> Response:
    """UTF-8 with BOM and `;`: what Swedish Excel opens with å/ä/ö intact.

    A CSV body has no room for `links.next`, so the next page is named in a `Link` header (RFC 8288).
    """
    rows = [_flatten(row) for row in rows]
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    # An object that is null in some rows (a decision's tally) is already spread over its dotted columns.
    columns = [c for c in columns if not any(o.startswith(f"{c}.") for o in columns)]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    headers = {"Content-Disposition": f'attachment; filename="{filename}.csv"'}
    if next_url:
        headers["Link"] = f'<{next_url}>; rel="next"'
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _amounts_kept(value: Any) -> Any:
    """Amounts in a row become their CSV text (a decimal comma) before the row is made JSON-like, which would
    turn them into strings with a point that no longer look like money."""
    if isinstance(value, Decimal):
        return csv_text(value)
    if isinstance(value, dict):
        return {k: _amounts_kept(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_amounts_kept(v) for v in value]
    return value


def list_response(request: Request, page: dict[str, Any], filename: str, of: Resource | None = None) -> Any:
    """A page as JSON, written once (see JSONBody), or as CSV when the client asks for it. `of`: the object whose
    ETag a whole list carries (a meeting's attendance)."""
    if wants_csv(request):
        rows = [to_jsonable_python(_amounts_kept(item)) for item in page["data"]]
        links = page["links"]
        answer: Response = csv_response(rows, filename, links["next"] if isinstance(links, dict) else links.next)
    else:
        answer = JSONBody(page)
    if of is not None:
        with_etag(answer, of)
    return answer


CSV_LIST: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The page (JSON or CSV)."}
}


def check_range(range_header: str | None, size: int, if_range: str | None, current_etag: str) -> None:
    """Refuse a bad `Range` as a problem before the file response would answer it in plain text.

    A stale If-Range means the whole file is sent, so the range is not looked at then.
    """
    if range_header is None or (if_range is not None and if_range != current_etag):
        return
    try:
        FileResponse._parse_range_header(range_header, size)
    except MalformedRangeHeader as exc:
        raise BadRequest(
            f"The Range header is malformed: {exc.content or range_header}", code="range_malformed"
        ) from exc
    except StarletteRangeNotSatisfiable as exc:
        raise RangeNotSatisfiable(size) from exc


class OpenedFileResponse(FileResponse):
    """A FileResponse whose bytes come from a file the caller opens (a local file, or an object in a bucket), so
    Range, If-Range and multipart ranges behave exactly as for a file on disk. The size and time are given, not
    read with os.stat; the file is opened when the body is sent, and read a chunk at a time."""

    def __init__(
        self, opener: Callable[[], BinaryIO], size: int, modified: float, *, filename: str, **kwargs: Any
    ) -> None:
        self.opener = opener
        # Only the size and time are read from it: Content-Length, Last-Modified and the fallback ETag.
        seconds = int(modified)
        stat = os.stat_result((0o100644, 0, 0, 1, 0, 0, size, seconds, seconds, seconds))
        super().__init__(filename, filename=filename, stat_result=stat, **kwargs)

    @asynccontextmanager
    async def _open_file(self) -> AsyncIterator[anyio.AsyncFile[bytes]]:
        file = anyio.wrap_file(await anyio.to_thread.run_sync(self.opener))
        try:
            yield file
        finally:
            with anyio.CancelScope(shield=True):  # closing must finish even when the transfer is cancelled
                await file.aclose()

    async def _handle_simple(self, send: Send, send_header_only: bool, send_pathsend: bool) -> None:
        # There is no path a server could send by itself.
        await super()._handle_simple(send, send_header_only, send_pathsend=False)
