"""Dependencies every router uses: the request's database session and the caller.

A sync dependency costs a thread-pool hop, and a sync generator two (to enter and to leave). So the one
dependency that does I/O, `open_request`, opens the session and authenticates the bearer token in a single hop;
everything built on it (the session, the actor, the role checks) is `async def` and only reads what it found.
A typical authenticated request thus makes that hop, the endpoint's, and the teardown's (the commit); FastAPI
adds one to validate what a plain `def` endpoint returns, since that may still load from the session.
"""

from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import BackgroundTasks, Depends, Query, Request, Security
from fastapi.security import OAuth2PasswordBearer
from fastapi.security.utils import get_authorization_scheme_param
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from app.core.db import session_scope
from app.core.errors import Forbidden, Unauthorized
from app.core.principal import Actor, Role
from app.core.security import API_TOKEN_PREFIX
from app.core.settings import get_settings

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

# Routes that answer without a token. The route-table test fails for any other route that does.
PUBLIC = {"x-public": True}
# Routes that answer without a token only when SAMVERKAN_PUBLIC_READ is on (published meeting data).
PUBLIC_READ = {"x-public-read": True}


@dataclass(frozen=True)
class RequestContext:
    """The request's session, and the caller its bearer token names.

    `actor` is None when no token came; `refusal` says why a token that came was refused. The refusal is kept,
    not raised, so that only a route that asks for the caller answers 401 (and after its own 422s, as before).
    """

    session: Session
    actor: Actor | None = None
    refusal: Unauthorized | None = None


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header, read exactly as `oauth2` reads it."""
    authorization = request.headers.get("Authorization")
    scheme, token = get_authorization_scheme_param(authorization)
    if not authorization or scheme.lower() != "bearer":
        return None
    return token


def authenticate(session: Session, token: str, background: BackgroundTasks) -> Actor:
    from app.auth.service import actor_from_token, record_token_use

    actor, use_due = actor_from_token(session, token)
    if use_due is not None:
        background.add_task(record_token_use, use_due)
    return actor


def open_request(request: Request, background: BackgroundTasks) -> Iterator[RequestContext]:
    """The session (holding SQLite's write lock for a writing method) and the caller, in one thread-pool hop."""
    token = bearer_token(request)
    with session_scope(writes=request.method not in READ_METHODS) as session:
        if not token:
            yield RequestContext(session)
            return
        try:
            actor = authenticate(session, token, background)
        except Unauthorized as refusal:
            yield RequestContext(session, refusal=refusal)
            return
        yield RequestContext(session, actor)


# scope="function": the commit happens before the response is sent, so a failed commit still becomes a problem.
# Every use goes through this one Depends, so that the session and the actor share one resolved dependency.
Context = Annotated[RequestContext, Depends(open_request, scope="function")]


async def request_session(context: Context) -> Session:
    return context.session


def unlocked_session() -> Iterator[Session]:
    with session_scope(writes=False) as session:
        yield session


DbSession = Annotated[Session, Depends(request_session)]
# For a POST whose writes are all committed in transactions of their own (logging in counts failures even
# when the request fails): holding SQLite's write lock for the request would block those very writes.
UnlockedSession = Annotated[Session, Depends(unlocked_session, scope="function")]
# `oauth2` in the caller's dependencies documents the bearer scheme (OpenAPI); open_request read the same header.
HeaderToken = Annotated[str | None, Depends(oauth2)]


def _caller(context: RequestContext) -> Actor:
    if context.refusal is not None:
        raise context.refusal
    if context.actor is None:
        raise Unauthorized()
    return context.actor


async def current_actor(context: Context, _token: HeaderToken) -> Actor:
    return _caller(context)


def open_parsing_request(request: Request, background: BackgroundTasks) -> Iterator[RequestContext]:
    """For a write that parses an upload first (imports): the caller is authenticated on a read of its own, and
    the writing transaction begins (taking SQLite's write lock) at its first statement, after the parse, so no
    other writer waits on a parse."""
    token = bearer_token(request)
    actor, refusal = None, None
    with session_scope(writes=False) as reading:
        try:
            actor = authenticate(reading, token, background) if token else None
        except Unauthorized as refused:
            refusal = refused
    with session_scope(writes=True, lazily=True) as session:
        yield RequestContext(session, actor, refusal)


ParsingContext = Annotated[RequestContext, Depends(open_parsing_request, scope="function")]


async def parsing_session(context: ParsingContext) -> Session:
    return context.session


async def parsing_importer(context: ParsingContext, _token: HeaderToken) -> Actor:
    return _holding(_caller(context), Role.secretary)


def _reader(actor: Actor) -> Actor:
    if not actor.can_read:
        raise Forbidden("This token carries no role that may read.", code="missing_role")
    return actor


async def require_read(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    return _reader(actor)


def require_role(*roles: Role) -> Callable[[Actor], Coroutine[Any, Any, Actor]]:
    async def dependency(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        return _holding(actor, *roles)

    return dependency


def _holding(actor: Actor, *roles: Role) -> Actor:
    if not actor.has_role(*roles):
        raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.", code="missing_role")
    return actor


def reader_or_nobody(context: RequestContext) -> Actor | None:
    """Published meeting data: a reader, or nobody at all when the deployment turns public reading on."""
    if context.refusal is None and context.actor is None and get_settings().public_read:
        return None
    return _reader(_caller(context))


async def reader_or_public(context: Context, _token: HeaderToken) -> Actor | None:
    return reader_or_nobody(context)


async def reader_by_header_or_url(
    context: RequestContext, url_token: str | None, background: BackgroundTasks
) -> Actor | None:
    """As reader_or_nobody, for calendars that cannot send headers: a token may come in the query string instead.

    Only a long-lived API token may come that way; a login token is short-lived and personal, and belongs in the
    Authorization header. Authenticating it is this path's own thread-pool hop: open_request saw no header token.
    """
    if context.actor is None and context.refusal is None and url_token is not None:
        if not url_token.startswith(API_TOKEN_PREFIX):
            raise Unauthorized("Only an API token may be given in the URL.", code="invalid_token")
        return _reader(await run_in_threadpool(authenticate, context.session, url_token, background))
    return reader_or_nobody(context)


async def url_token_reader(
    context: Context,
    background: BackgroundTasks,
    _header_token: HeaderToken,
    token: Annotated[
        str | None,
        Query(max_length=4096, description="An API token, for clients that cannot send headers (calendars, `<img>`)."),
    ] = None,
) -> Actor | None:
    return await reader_by_header_or_url(context, token, background)


# For what calendar apps and `<img>` tags fetch: the token in the header or, an API token only, in `token=`.
UrlTokenReader = Annotated[Actor | None, Depends(url_token_reader)]


Authenticated = Annotated[Actor, Security(current_actor)]
PublicReader = Annotated[Actor | None, Security(reader_or_public)]
Reader = Annotated[Actor, Security(require_read)]
Admin = Annotated[Actor, Security(require_role(Role.admin))]
# Funds: admins and fund managers keep funds, rounds, pots and transfers.
FundManager = Annotated[Actor, Security(require_role(Role.fund_manager))]
# Imports: refused before an uploaded file is unpacked, since unpacking alone costs memory and time.
Importer = Annotated[Actor, Security(require_role(Role.secretary))]
# Imports: the upload is parsed before the writing transaction begins (see open_parsing_request).
ParsedFirstSession = Annotated[Session, Depends(parsing_session)]
ParsedFirstImporter = Annotated[Actor, Security(parsing_importer)]


async def parsing_reporter(context: ParsingContext, _token: HeaderToken) -> Actor:
    return _holding(_caller(context), Role.fund_manager, Role.editor)


# Metrics: a bulk file of values is read before its writing transaction begins, as imports are. Editors report
# for their own principal and fund managers for any scope: the values' scopes are checked by the service.
ParsedFirstReporter = Annotated[Actor, Security(parsing_reporter)]
