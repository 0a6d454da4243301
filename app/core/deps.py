"""Dependencies every router uses: the request's database session and the caller."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Security
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from app.core.db import session_scope
from app.core.errors import Forbidden, Unauthorized
from app.core.principal import Actor, Role

# scope="function": the commit happens before the response is sent, so a failed commit still becomes a problem.
DbSession = Annotated[Session, Depends(session_scope, scope="function")]

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)

# Routes that answer without a token. The route-table test fails for any other route that does.
PUBLIC = {"x-public": True}


def current_actor(session: DbSession, token: Annotated[str | None, Depends(oauth2)]) -> Actor:
    from app.auth.service import actor_from_token

    if not token:
        raise Unauthorized()
    return actor_from_token(session, token)


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


Authenticated = Annotated[Actor, Security(current_actor)]
Reader = Annotated[Actor, Security(require_read)]
Admin = Annotated[Actor, Security(require_role(Role.admin))]
