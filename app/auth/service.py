"""Rules of authentication: logins and their throttle, token scopes, principals and API tokens."""

import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Row, Table, bindparam, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from app.auth.models import (
    ApiToken,
    GrantIn,
    LoginThrottle,
    Principal,
    PrincipalCreate,
    PrincipalUpdate,
    RoleGrant,
)
from app.core import crud
from app.core.db import get_engine, utcnow
from app.core.errors import BadRequest, Conflict, TooManyRequests, Unauthorized, ValidationFailed
from app.core.principal import Actor, Grant, PrincipalKind, Role
from app.core.security import (
    API_TOKEN_PREFIX,
    create_token,
    decode_token,
    digest,
    hash_secret,
    new_secret,
    same_digest,
    verify_secret,
)
from app.core.settings import get_settings
from app.core.text import nfc

LAST_USED_RESOLUTION = timedelta(minutes=1)
log = logging.getLogger("samverkan.auth")


def grants_of(session: Session, principal_id: uuid.UUID) -> frozenset[Grant]:
    rows = session.execute(select(RoleGrant).where(RoleGrant.principal_id == principal_id)).scalars()
    return frozenset(Grant(r.role, r.organisation_id) for r in rows)


def _effective(held: frozenset[Grant], wanted: frozenset[Grant]) -> frozenset[Grant]:
    """A token may carry fewer rights than its principal holds, never more; an admin may narrow to anything.

    Every role may read, so any principal holding a role may narrow its token to `reader`.
    """
    if any(g.role is Role.admin for g in held):
        return wanted
    readable = held | {Grant(Role.reader)} if held else held
    return wanted & readable


def resolve_scopes(held: frozenset[Grant], requested: list[str] | None) -> frozenset[Grant]:
    if requested is None:
        return held
    try:
        wanted = frozenset(Grant.parse(s) for s in requested)
    except ValidationFailed as exc:
        # OAuth 2 (RFC 6749 5.2): an unknown or malformed scope is invalid_scope, like one that is not held.
        raise BadRequest(f"Invalid scope: {exc.errors[0]['msg']}.", code="invalid_scope") from exc
    extra = wanted - _effective(held, wanted)
    if extra:
        raise BadRequest(
            f"Scopes not held by this principal: {', '.join(sorted(map(str, extra)))}.", code="invalid_scope"
        )
    return wanted


# --- authenticating a request ---


# The caller in one statement: the token's principal, one row per grant it holds (outer join: a principal without
# grants is one row of nulls there), and for an API token its row (outer join on the `jti`: null when unknown).
# Plain Core on the tables, run on the session's connection: rows as tuples, without the ORM's machinery.
_principals: Table = Principal.__table__  # type: ignore[attr-defined]
_tokens: Table = ApiToken.__table__  # type: ignore[attr-defined]
_grants: Table = RoleGrant.__table__  # type: ignore[attr-defined]
_CALLER = (
    sa_select(
        _principals.c.id,
        _principals.c.kind,
        _principals.c.login,
        _principals.c.display_name,
        _principals.c.person_id,
        _principals.c.is_active,
        _principals.c.deleted_at,
        _tokens.c.id.label("token_id"),
        _tokens.c.principal_id.label("token_principal_id"),
        _tokens.c.token_digest,
        _tokens.c.expires_at,
        _tokens.c.revoked_at,
        _tokens.c.last_used_at,
        _grants.c.role,
        _grants.c.organisation_id,
    )
    .select_from(_principals)
    .outerjoin(_tokens, _tokens.c.id == bindparam("token_id"))
    .outerjoin(_grants, _grants.c.principal_id == _principals.c.id)
    .where(_principals.c.id == bindparam("principal_id"))
)


def actor_from_token(session: Session, token: str) -> tuple[Actor, uuid.UUID | None]:
    """The caller, and the API token whose use is due to be recorded (see record_token_use), if any."""
    is_api_token = token.startswith(API_TOKEN_PREFIX)
    claims = decode_token(token.removeprefix(API_TOKEN_PREFIX))
    try:
        principal_id = uuid.UUID(claims["sub"])
        token_grants = frozenset(Grant.parse(s) for s in str(claims.get("scope", "")).split())
    except (ValueError, ValidationFailed) as exc:
        raise Unauthorized("The token is malformed.", code="invalid_token") from exc
    api = claims.get("typ") == "api" and is_api_token
    token_id = _uuid_or_none(claims["jti"]) if api else None
    rows = session.connection().execute(_CALLER, {"principal_id": principal_id, "token_id": token_id}).all()
    principal = rows[0] if rows else None
    if principal is None or not principal.is_active or principal.deleted_at is not None:
        raise Unauthorized("The token's principal is unknown or disabled.", code="invalid_token")
    use_due = None
    if api:
        use_due = _check_api_token(principal, token, principal_id)
    elif claims.get("typ") != "access" or is_api_token:
        raise Unauthorized("The token is not an access token.", code="invalid_token")
    held = frozenset(Grant(r.role, r.organisation_id) for r in rows if r.role is not None)
    actor = Actor(
        principal.id,
        principal.kind,
        principal.display_name,
        _effective(held, token_grants),
        str(claims["jti"]),
        login=principal.login,
        person_id=principal.person_id,
    )
    return actor, use_due


def _uuid_or_none(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _check_api_token(row: Row[*tuple[Any, ...]], token: str, principal_id: uuid.UUID) -> uuid.UUID | None:
    """`row` is the caller's statement; its token columns are null for an unknown token."""
    now = utcnow()
    if (
        row.token_id is None
        or row.token_principal_id != principal_id
        or row.revoked_at is not None
        or row.expires_at <= now
        or not same_digest(row.token_digest, digest(token))
    ):
        raise Unauthorized("The API token is revoked, expired or unknown.", code="invalid_token")
    # Recording every use would turn each read into a write; a minute's resolution is enough for "last used".
    due = row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION
    return row.token_id if due else None


def record_token_use(token_id: uuid.UUID) -> None:
    """Bookkeeping after the response, in a transaction of its own: it never fails or blocks a request.

    A plain UPDATE, not the ORM's versioned one: a use is not an edit, so the ETag stays (a revoke with
    If-Match still matches) and two requests recording a use at once do not fail each other.
    """
    try:
        with Session(get_engine()) as own:
            own.execute(update(ApiToken).where(col(ApiToken.id) == token_id).values(last_used_at=utcnow()))
            own.commit()
    except OperationalError:
        log.warning("could not record the use of API token %s", token_id)


# --- logging in ---


def _throttle_check(session: Session, login: str) -> None:
    row = session.get(LoginThrottle, login)
    if row and row.locked_until and row.locked_until > utcnow():
        wait = int((row.locked_until - utcnow()).total_seconds()) + 1
        exc = TooManyRequests(f"Too many failed logins; try again in {wait} seconds.", code="login_locked")
        exc.headers = {"Retry-After": str(wait)}
        raise exc


def _throttle_record(session: Session, login: str, failed: bool) -> None:
    """Kept in its own transaction: a refused login must still count after the request rolls back."""
    settings = get_settings()
    bind = session.get_bind()
    with Session(bind) as own:
        row = own.get(LoginThrottle, login, with_for_update=True)
        if not failed:
            if row is not None:
                own.delete(row)
                own.commit()
            return
        now = utcnow()
        if row is None:
            row = LoginThrottle(login=login, failures=0, last_failure_at=now)
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= settings.login_max_failures:
            # Each further failure doubles the lock, up to a day.
            power = min(row.failures - settings.login_max_failures, 8)
            row.locked_until = now + timedelta(seconds=min(settings.login_lock_seconds * 2**power, 86400))
        own.add(row)
        own.commit()


def _issue(principal: Principal, grants: frozenset[Grant]) -> dict[str, Any]:
    minutes = get_settings().access_token_minutes
    scopes = sorted(map(str, grants))
    token = create_token(str(principal.id), kind="access", scopes=scopes, lifetime=timedelta(minutes=minutes))
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": minutes * 60,
        "scope": " ".join(scopes),
    }


def login(session: Session, kind: PrincipalKind, login_name: str, secret: str, scope: str | None) -> dict[str, Any]:
    """Password grant for people, client-credentials grant for service clients. Same answer whatever failed."""
    folded = login_name.strip().casefold()[:120]
    _throttle_check(session, folded)
    principal = session.execute(select(Principal).where(Principal.login == folded)).scalar_one_or_none()
    # Passwords set through the API are NFC (every request body is); a login typed decomposed must match them.
    ok = verify_secret(principal.secret_hash if principal else None, nfc(secret))
    if not ok or principal is None or principal.kind is not kind or not principal.is_active:
        _throttle_record(session, folded, failed=True)
        raise Unauthorized("Wrong login name or secret.", code="invalid_grant")
    _throttle_record(session, folded, failed=False)
    requested = scope.split() if scope else None
    return _issue(principal, resolve_scopes(grants_of(session, principal.id), requested))


# --- principals ---


def _check_grants(session: Session, grants: list[GrantIn]) -> None:
    from app.organisations.models import Organisation

    for i, g in enumerate(grants):
        if g.organisation_id is not None:
            crud.live_or_invalid(
                session, Organisation, g.organisation_id, ("body", "grants", i, "organisation_id"), "organisation"
            )


def _replace_grants(session: Session, principal_id: uuid.UUID, grants: list[GrantIn]) -> None:
    for old in session.execute(select(RoleGrant).where(RoleGrant.principal_id == principal_id)).scalars():
        session.delete(old)
    session.flush()
    for g in {(g.role, g.organisation_id) for g in grants}:
        session.add(RoleGrant(principal_id=principal_id, role=g[0], organisation_id=g[1]))


def create_principal(session: Session, actor: Actor, data: PrincipalCreate) -> tuple[Principal, str | None]:
    """Returns the principal and, for a service client given no secret, a generated one (shown once)."""
    actor.require(Role.admin)
    login_name = data.login.casefold()
    if session.execute(select(Principal.id).where(Principal.login == login_name)).first():
        raise Conflict(f"A principal with login {login_name!r} exists.", code="duplicate_login")
    _check_grants(session, data.grants)
    generated = None
    secret = data.password
    if secret is None:
        if data.kind is PrincipalKind.person:
            raise ValidationFailed("password", "a person needs a password")
        secret = generated = new_secret()
    principal = Principal(
        kind=data.kind,
        login=login_name,
        display_name=data.display_name,
        email=data.email,
        secret_hash=hash_secret(secret),
        person_id=data.person_id,
    )
    fields = data.model_dump(exclude={"password"}, exclude_none=True)
    crud.create(session, actor, principal, "principal", fields)
    _replace_grants(session, principal.id, data.grants)
    session.flush()
    return principal, generated


def update_principal(session: Session, actor: Actor, principal: Principal, data: PrincipalUpdate) -> None:
    actor.require(Role.admin)
    changes = data.model_dump(exclude_unset=True)
    grants_sent = "grants" in changes
    grants = changes.pop("grants", None)
    if grants_sent and grants is None:
        grants = []  # JSON merge semantics: `null` clears the list, as `[]` does; leaving the field out keeps it
    password = changes.pop("password", None)
    diff = crud.apply_changes(principal, changes, required={"display_name", "is_active"})
    if password is not None:
        principal.secret_hash = hash_secret(password)
        diff["password"] = ["***", "***"]
    if grants is not None:
        parsed = [GrantIn(**g) for g in grants]
        _check_grants(session, parsed)
        before = sorted(map(str, grants_of(session, principal.id)))
        _replace_grants(session, principal.id, parsed)
        after = sorted(str(Grant(g.role, g.organisation_id)) for g in parsed)
        if before != after:
            diff["grants"] = [before, after]
            principal.updated_at = utcnow()  # grants live in their own table; the principal still changed
    crud.save_update(session, actor, principal, "principal", diff)


# --- API tokens ---


def create_api_token(
    session: Session,
    actor: Actor,
    principal_id: uuid.UUID,
    name: str,
    scopes: list[str] | None,
    days: int | None,
) -> tuple[ApiToken, str]:
    actor.require(Role.admin)
    principal = crud.live_or_invalid(session, Principal, principal_id, "principal_id", "principal")
    if principal.kind is not PrincipalKind.service:
        raise ValidationFailed("principal_id", "API tokens are for service clients; people log in")
    grants = resolve_scopes(grants_of(session, principal.id), scopes)
    lifetime = timedelta(days=days or get_settings().api_token_days)
    row = ApiToken(
        principal_id=principal.id,
        name=name,
        token_digest="",
        scopes=" ".join(sorted(map(str, grants))),
        expires_at=datetime.now(UTC) + lifetime,
    )
    token = API_TOKEN_PREFIX + create_token(
        str(principal.id), kind="api", scopes=sorted(map(str, grants)), lifetime=lifetime, jti=str(row.id)
    )
    row.token_digest = digest(token)
    crud.create(session, actor, row, "api_token", {"principal_id": principal.id, "name": name, "scopes": row.scopes})
    return row, token


def revoke_api_token(session: Session, actor: Actor, token: ApiToken) -> None:
    actor.require(Role.admin)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        crud.save_update(session, actor, token, "api_token", {"revoked_at": [None, token.revoked_at.isoformat()]})
