"""Request body limits, enforced before any handler reads the body."""

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def send_problem(send: Send, scope: Scope, status: int, code: str, title: str, detail: str) -> None:
    body = json.dumps(
        {
            "type": f"https://samverkan.example/problems/{code}",
            "title": title,
            "status": status,
            "detail": detail,
            "instance": scope.get("path"),
            "code": code,
        }
    ).encode()
    headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int | None = None) -> bytes | None:
    """The whole request body; None when the client went away first. Past `limit` bytes: _TooLarge."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise _TooLarge
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class BodyLimitMiddleware:
    """413 for a body over the limit: uploads (multipart, or a CSV file as the body) have their own, larger limit."""

    def __init__(self, app: ASGIApp, max_body: int, max_upload: int) -> None:
        self.app, self.max_body, self.max_upload = app, max_body, max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            detail = "The query string contains the NUL character, which no parameter may hold."
            await send_problem(send, scope, 422, "validation_failed", "Validation failed", detail)
            return
        headers = dict(scope.get("headers") or [])
        # A CSV body (the values import) is a file sent as it is: it has the upload limit, not the JSON one.
        is_upload = headers.get(b"content-type", b"").startswith((b"multipart/form-data", b"text/csv"))
        limit = self.max_upload if is_upload else self.max_body
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, scope, limit)
            return

        if is_upload:
            await self._stream(scope, receive, send, limit)
            return
        # Small bodies are read whole first (bounded by the limit), so a lying Content-Length cannot pass.
        try:
            body = await read_body(receive, limit)
        except _TooLarge:
            await self._refuse(send, scope, limit)
            return
        if body is not None:
            await self.app(scope, replaying(body, receive), send)

    async def _stream(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Uploads are not buffered here: the count is checked as the handler reads them."""
        size = 0
        started = False

        async def counting() -> Message:
            nonlocal size
            message = await receive()
            size += len(message.get("body", b""))
            if size > limit:
                raise _TooLarge
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except _TooLarge:
            if not started:
                await self._refuse(send, scope, limit)

    async def _refuse(self, send: Send, scope: Scope, limit: int) -> None:
        detail = f"The request body is larger than the limit of {limit} bytes."
        await send_problem(send, scope, 413, "payload_too_large", "Payload too large", detail)
