"""The bare ceiling of the read-path benchmark: the meeting list's page 1 (newest first, 50 rows) from Starlette,
raw SQL (sqlite3 or psycopg) and orjson, with nothing of the app imported. bench/read_path.py checks that it
answers the same JSON as `GET /api/v1/meetings?limit=50` before it measures either.

    BENCH_CEILING_DATABASE=sqlite:////path/file.sqlite3 uvicorn bench.ceiling:app

Four statements, as the app's list makes them: the page, and the bodies, adjusters and item ranges of its rows.
No authentication, no validation, no ORM: what one worker can do at most with this data.
"""

import base64
import hashlib
import json
import os
import sqlite3
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import orjson
import psycopg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

STOCKHOLM = ZoneInfo("Europe/Stockholm")
URL = os.environ.get("BENCH_CEILING_DATABASE", "")
SQLITE = URL.startswith("sqlite")
COLUMNS = (
    "id, created_at, updated_at, kind, status, title, starts_at, ends_at, place, online, diary_number, chair_id, "
    "notes, source"
)


def _connect() -> Any:
    if SQLITE:
        connection = sqlite3.connect(URL.split("///", 1)[1], check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA query_only=ON")
        return connection
    return psycopg.connect(URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


DB = _connect() if URL else None
# SQLite keeps UUIDs as 32 hex digits and times as text in UTC; PostgreSQL gives uuid and datetime objects.
if SQLITE:

    def as_uuid(v: Any) -> str | None:
        return None if v is None else f"{v[:8]}-{v[8:12]}-{v[12:16]}-{v[16:20]}-{v[20:]}"

    def as_time(v: Any) -> datetime | None:
        return None if v is None else datetime.fromisoformat(v).replace(tzinfo=UTC)

    def utc_text(v: Any) -> str:
        # "2026-01-01 00:00:00.000000" as pydantic writes it: "2026-01-01T00:00:00Z" (fraction only when not 0).
        fraction = v[19:].rstrip("0").rstrip(".")
        return f"{v[:10]}T{v[11:19]}{fraction and v[19:]}Z"

    MARK = "?"
else:

    def as_uuid(v: Any) -> str | None:
        return None if v is None else str(v)

    def as_time(v: Any) -> datetime | None:
        return v

    def utc_text(v: Any) -> str:
        return v.astimezone(UTC).isoformat()[:-6] + "Z"

    MARK = "%s"


def _local(v: datetime | None) -> str | None:
    return None if v is None else v.astimezone(STOCKHOLM).isoformat()


def _query(sql: str, params: list[Any]) -> list[Any]:
    assert DB is not None
    cursor = DB.execute(sql.replace("?", MARK), params)
    return list(cursor.fetchall())


def _cursor(request: Request, starts_at: datetime, ident: str) -> str:
    """The app's cursor format: bound to the list (path and filters), sort and last row."""
    filters = sorted((k, v) for k, v in request.query_params.multi_items() if k not in {"cursor", "limit", "count"})
    binding = hashlib.sha256(
        json.dumps([request.url.path, filters], ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()[:16]
    raw = json.dumps(
        {"l": binding, "s": "-starts_at", "v": ["dt", starts_at.astimezone(UTC).isoformat()], "id": ident},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


async def meetings(request: Request) -> Response:
    limit = int(request.query_params.get("limit", "50"))
    rows = _query(
        f"SELECT {COLUMNS} FROM meetings WHERE deleted_at IS NULL ORDER BY starts_at DESC, id DESC LIMIT ?",
        [limit + 1],
    )
    more = len(rows) > limit
    rows = rows[:limit]
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    bodies: dict[Any, list[str | None]] = {i: [] for i in ids}
    for meeting_id, body_id in _query(
        f"SELECT meeting_id, body_id FROM meeting_bodies WHERE meeting_id IN ({marks}) ORDER BY position", ids
    ):
        bodies[meeting_id].append(as_uuid(body_id))
    adjusters: dict[Any, list[str]] = {i: [] for i in ids}
    for meeting_id, person_id in _query(
        f"SELECT meeting_id, person_id FROM meeting_adjusters WHERE meeting_id IN ({marks})", ids
    ):
        adjusters[meeting_id].append(as_uuid(person_id) or "")
    ranges = {
        meeting_id: f"{lo}-{hi}" if lo != hi else str(lo)
        for meeting_id, lo, hi in _query(
            "SELECT meeting_id, min(number_value), max(number_value) FROM agenda_items "
            f"WHERE meeting_id IN ({marks}) AND deleted_at IS NULL GROUP BY meeting_id",
            ids,
        )
    }
    data = []
    for r in rows:
        starts_at = as_time(r[6])
        assert starts_at is not None
        data.append(
            {
                "id": as_uuid(r[0]),
                "created_at": utc_text(r[1]),
                "updated_at": utc_text(r[2]),
                "body_ids": bodies[r[0]],
                "kind": r[3],
                "status": r[4],
                "title": r[5],
                "starts_at": _local(starts_at),
                "ends_at": _local(as_time(r[7])),
                "place": r[8],
                "online": bool(r[9]),
                "diary_number": r[10],
                "chair_id": as_uuid(r[11]),
                "adjuster_ids": sorted(adjusters[r[0]]),
                "notes": r[12],
                "item_range": ranges.get(r[0]),
                "source": r[13],
            }
        )
    next_url = None
    if more:
        last = rows[-1]
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        params.append(("cursor", _cursor(request, as_time(last[6]), as_uuid(last[0]))))  # type: ignore[arg-type]
        next_url = str(request.url.replace(query=urlencode(params)))
    page = {
        "data": data,
        "links": {"self": str(request.url), "next": next_url},
        "pagination": {"limit": limit, "total": None},
    }
    return Response(orjson.dumps(page), media_type="application/json")


app = Starlette(routes=[Route("/api/v1/meetings", meetings)])
