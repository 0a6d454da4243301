"""Dependencies every router uses: the request's database session and the caller."""

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request, Security
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from app.core.db import session_scope
from app.core.errors import Forbidden, Unauthorized
from app.core.principal import Actor, Role
from app.core.security import API_TOKEN_PREFIX
from app.core.settings import get_settings

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def request_session(request: Request) -> Iterator[Session]:
    yield from session_scope(writes=request.method not in READ_METHODS)


def unlocked_session() -> Iterator[Session]:
    yield from session_scope(writes=False)


# scope="function": the commit happens before the response is sent, so a failed commit still becomes a problem.
DbSession = Annotated[Session, Depends(request_session, scope="function")]
# For a POST whose writes are all committed in transactions of their own (logging in counts failures even
# when the request fails): holding SQLite's write lock for the request would block those very writes.
UnlockedSession = Annotated[Session, Depends(unlocked_session, scope="function")]

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

# Routes that answer without a token. The route-table test fails for any other route that does.
PUBLIC = {"x-public": True}
# Routes that answer without a token only when SAMVERKAN_PUBLIC_READ is on (published meeting data).
PUBLIC_READ = {"x-public-read": True}


def authenticate(session: Session, token: str, background: BackgroundTasks) -> Actor:
    from app.auth.service import actor_from_token, record_token_use

    actor, use_due = actor_from_token(session, token)
    if use_due is not None:
        background.add_task(record_token_use, use_due)
    return actor


def current_actor(
    session: DbSession, background: BackgroundTasks, token: Annotated[str | None, Depends(oauth2)]
) -> Actor:
    if not token:
        raise Unauthorized()
    return authenticate(session, token, background)


def require_read(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    if not actor.can_read:
        raise Forbidden("This token carries no role that may read.", code="missing_role")
    return actor


def require_role(*roles: Role) -> Callable[[Actor], Actor]:
    def dependency(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if not actor.has_role(*roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.", code="missing_role")
        return actor

    return dependency


def reader_or_nobody(
    session: Session, token: str | None, background: BackgroundTasks, url_token: str | None = None
) -> Actor | None:
    """Published meeting data: a reader, or nobody at all when the deployment turns public reading on.

    `url_token` is one given in the query string, for calendars that cannot send headers: only a long-lived API
    token may come that way. A login token is short-lived and personal; it belongs in the Authorization header.
    """
    if not token and url_token is not None:
        if not url_token.startswith(API_TOKEN_PREFIX):
            raise Unauthorized("Only an API token may be given in the URL.", code="invalid_token")
        token = url_token
    if not token:
        if get_settings().public_read:
            return None
        raise Unauthorized()
    return require_read(authenticate(session, token, background))


def reader_or_public(
    session: DbSession, background: BackgroundTasks, token: Annotated[str | None, Depends(oauth2)]
) -> Actor | None:
    return reader_or_nobody(session, token, background)


Authenticated = Annotated[Actor, Security(current_actor)]
PublicReader = Annotated[Actor | None, Security(reader_or_public)]
Reader = Annotated[Actor, Security(require_read)]
Admin = Annotated[Actor, Security(require_role(Role.admin))]
# Imports: refused before an uploaded file is unpacked, since unpacking alone costs memory and time.
Importer = Annotated[Actor, Security(require_role(Role.secretary))]
