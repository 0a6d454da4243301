"""`Idempotency-Key` on POST: the same key and body get the first answer again; another body gets 409.

A pure ASGI middleware, so every POST route has it without declaring anything. Keys are per principal
(the token's subject) and kept for a day. The row is claimed before the handler runs, so two processes
racing with the same key cannot both create.
"""

import hashlib
import uuid
from datetime import datetime, timedelta
from typing import Any

import anyio
from sqlalchemy import JSON, Column, Text, UniqueConstraint, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from app.core.db import UTCDateTime, get_engine, utcnow
from app.core.errors import Unauthorized
from app.core.limits import ASGIApp, Message, Receive, Scope, Send, read_body, replaying, send_problem
from app.core.security import API_TOKEN_PREFIX, decode_token

KEY_HEADER = b"idempotency-key"
TTL = timedelta(hours=24)
# A claim never finished (the process died mid-request) is given up after this, so the key can be retried.
ABANDONED_AFTER = timedelta(minutes=5)
MAX_KEY_LENGTH = 200
REPLAYED_HEADERS = {b"content-type", b"location", b"etag"}


class IdempotencyRecord(SQLModel, table=True):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner: str = Field(max_length=80)
    key: str = Field(max_length=MAX_KEY_LENGTH)
    request_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    status: int | None = None
    headers: list[list[str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    body: str | None = Field(default=None, sa_column=Column(Text))


def _owner(scope: Scope) -> str | None:
    headers = dict(scope.get("headers") or [])
    auth = headers.get(b"authorization", b"").decode("latin-1")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return str(decode_token(token.strip().removeprefix(API_TOKEN_PREFIX))["sub"])
    except Unauthorized:
        return None


def _claim(owner: str, key: str, request_hash: str) -> IdempotencyRecord | str:
    """The stored record to replay, or a string naming why not, or "claimed" when this request goes ahead."""
    with Session(get_engine()) as session:
        session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - TTL))  # type: ignore[arg-type]
        session.commit()
        existing = session.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.owner == owner, IdempotencyRecord.key == key)
        ).scalar_one_or_none()
        if existing is not None and existing.status is None and existing.created_at < utcnow() - ABANDONED_AFTER:
            session.delete(existing)
            session.commit()
            existing = None
        if existing is not None:
            if existing.request_hash != request_hash:
                return "reused"
            return existing if existing.status is not None else "in_progress"
        session.add(IdempotencyRecord(owner=owner, key=key, request_hash=request_hash))
        try:
            session.commit()
        except IntegrityError:
            return "in_progress"
        return "claimed"


def _finish(owner: str, key: str, status: int, headers: list[list[str]], body: str) -> None:
    with Session(get_engine()) as session:
        row = session.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.owner == owner, IdempotencyRecord.key == key)
        ).scalar_one()
        if status >= 500:
            # A server failure is not an answer worth repeating: let the client retry for real.
            session.delete(row)
        else:
            row.status, row.headers, row.body = status, headers, body
            session.add(row)
        session.commit()


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        raw_key = headers.get(KEY_HEADER)
        if scope["type"] != "http" or scope["method"] != "POST" or raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not key or len(key) > MAX_KEY_LENGTH:
            detail = f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters."
            await send_problem(send, scope, 400, "idempotency_key_invalid", "Bad request", detail)
            return
        owner = _owner(scope)
        if owner is None:  # the route itself answers 401 (or is public, where keys mean nothing)
            await self.app(scope, receive, send)
            return

        body = await read_body(receive)
        if body is None:  # the client went away
            return
        receive = replaying(body, receive)
        digest = hashlib.sha256(scope["path"].encode() + b"\0" + body).hexdigest()
        outcome = await anyio.to_thread.run_sync(_claim, owner, key, digest)
        if isinstance(outcome, IdempotencyRecord):
            await _replay(send, outcome)
            return
        if outcome == "reused":
            detail = "This Idempotency-Key was used with a different request body."
            await send_problem(send, scope, 409, "idempotency_key_reused", "Conflict", detail)
            return
        if outcome == "in_progress":
            detail = "A request with this Idempotency-Key is still being processed."
            await send_problem(send, scope, 409, "idempotency_key_in_progress", "Conflict", detail)
            return

        captured: dict[str, Any] = {"status": 500, "headers": [], "body": b""}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = [
                    [k.decode("latin-1"), v.decode("latin-1")]
                    for k, v in message.get("headers", [])
                    if k.lower() in REPLAYED_HEADERS
                ]
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            await anyio.to_thread.run_sync(
                _finish,
                owner,
                key,
                captured["status"],
                captured["headers"],
                captured["body"].decode("utf-8", "replace"),
            )


async def _replay(send: Send, record: IdempotencyRecord) -> None:
    body = (record.body or "").encode()
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in record.headers]
    headers += [(b"content-length", str(len(body)).encode()), (b"idempotent-replayed", b"true")]
    await send({"type": "http.response.start", "status": record.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
