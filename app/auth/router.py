"""HTTP for logging in, who-am-I, principals and API tokens."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlalchemy import null, select
from sqlmodel import col

from app.auth import service
from app.auth.models import (
    ApiToken,
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenOut,
    GrantOut,
    Me,
    Principal,
    PrincipalCreate,
    PrincipalCreated,
    PrincipalOut,
    PrincipalUpdate,
    RoleGrant,
    TokenResponse,
)
from app.core import crud
from app.core.deps import PUBLIC, Admin, Authenticated, DbSession, UnlockedSession
from app.core.errors import BadRequest
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import form_examples, problems
from app.core.pagination import ListParams, Page, list_params, page_of, read_page
from app.core.principal import Grant, PrincipalKind
from app.core.reads import JSONBody, execute, shape

router = APIRouter()
basic = HTTPBasic(auto_error=False)
GrantType = Annotated[str, Form(pattern="^(password|client_credentials)$", description="OAuth 2 grant type.")]


@router.post(
    "/auth/token",
    name="auth_token",
    summary="Get an access token (OAuth 2 password or client-credentials grant)",
    tags=["auth"],
    openapi_extra=PUBLIC
    | form_examples(
        "application/x-www-form-urlencoded",
        password={"grant_type": "password", "username": "anna.lindstrom", "password": "korrekt-häst-batteri"},
        narrowed={
            "grant_type": "password",
            "username": "anna.lindstrom",
            "password": "korrekt-häst-batteri",
            "scope": "reader",
        },
        client_credentials={"grant_type": "client_credentials", "client_id": "intranat-umea", "client_secret": "…"},
    ),
    responses=problems(
        {400: ["invalid_request", "invalid_scope"], 401: ["invalid_grant"], 429: ["login_locked"]},
        {429: "Too many failed logins for this name; see Retry-After."},
    ),
)
def token(
    session: UnlockedSession,
    grant_type: GrantType,
    username: Annotated[str | None, Form(max_length=200)] = None,
    password: Annotated[str | None, Form(max_length=200)] = None,
    client_id: Annotated[str | None, Form(max_length=200)] = None,
    client_secret: Annotated[str | None, Form(max_length=200)] = None,
    scope: Annotated[str | None, Form(max_length=4000, description="Space-separated; fewer than held.")] = None,
    basic_credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)] = None,
) -> TokenResponse:
    """Log in and get a bearer token (OAuth 2, form-encoded). People use `grant_type=password` with
    `username`/`password`; service clients use `client_credentials` with `client_id`/`client_secret` (or HTTP Basic).
    `scope` asks for fewer roles than the principal holds (e.g. `reader`). Public. Errors: 401 `invalid_grant` for a
    wrong name or secret, 400 `invalid_scope` for a scope not held, 429 `login_locked` after repeated failures."""
    if grant_type == "password":
        login, secret, kind = username, password, PrincipalKind.person
    else:
        if basic_credentials is not None:
            client_id, client_secret = basic_credentials.username, basic_credentials.password
        login, secret, kind = client_id, client_secret, PrincipalKind.service
    if not login or not secret:
        names = "username and password" if kind is PrincipalKind.person else "client_id and client_secret"
        raise BadRequest(f"The {grant_type} grant needs {names}.", code="invalid_request")
    return TokenResponse(**service.login(session, kind, login, secret, scope))


@router.get("/auth/me", name="auth_me", summary="Who the token belongs to, and what it may do", tags=["auth"])
async def me(actor: Authenticated) -> Me:
    """The principal behind the token and the roles this token carries (fewer than held when narrowed with `scope`).
    Any valid token; use it after login to decide what the user interface offers."""
    # Authentication loaded all of it (and refused a disabled or deleted principal): no query, and no thread.
    grants = [GrantOut(role=g.role, organisation_id=g.organisation_id) for g in sorted(actor.grants, key=str)]
    return Me(
        id=actor.id,
        kind=actor.kind,
        login=actor.login,
        display_name=actor.name,
        person_id=actor.person_id,
        grants=grants,
        token_id=actor.token_id,
    )


# --- principals (admin) ---

PrincipalParams = Annotated[
    ListParams, Depends(list_params("Principal", ["login", "name", "created_at", "updated_at"], "login"))
]
PRINCIPAL_SORT = {
    "login": Principal.login,
    "name": Principal.name_sort,
    "created_at": Principal.created_at,
    "updated_at": Principal.updated_at,
}


# The roles are not a column: `_with_grants` fills them, for a whole page in one query.
PRINCIPAL_SHAPE = shape(Principal, PrincipalOut, computed={"grants": null()})
TOKEN_SHAPE = shape(ApiToken, ApiTokenOut, convert={"scopes": str.split})


def _with_grants(session: DbSession, principals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each principal's roles (in the order of their text form, as in a token's scope), in one query of plain
    tuples whatever the number of principals."""
    held: dict[uuid.UUID, list[Grant]] = {p["id"]: [] for p in principals}
    if held:
        stmt = select(col(RoleGrant.principal_id), col(RoleGrant.role), col(RoleGrant.organisation_id))
        for row in execute(session, stmt.where(col(RoleGrant.principal_id).in_(held))):
            held[row.principal_id].append(Grant(row.role, row.organisation_id))
    for p in principals:
        p["grants"] = [{"role": g.role, "organisation_id": g.organisation_id} for g in sorted(held[p["id"]], key=str)]
    return principals


def _principal_out(session: DbSession, principal: Principal) -> dict[str, Any]:
    return _with_grants(session, [PRINCIPAL_SHAPE.one(session, principal.id)])[0]


@router.get(
    "/principals",
    name="principals_list",
    summary="List principals",
    tags=["principals"],
    response_model=Page[PrincipalOut],
    responses=CSV_LIST,
)
def list_principals(
    request: Request,
    session: DbSession,
    _actor: Admin,
    params: PrincipalParams,
    kind: PrincipalKind | None = None,
) -> Response:
    """Everyone who can log in or call the API: people and service clients, with their roles.
    Admins only."""
    stmt = PRINCIPAL_SHAPE.select()
    if kind is not None:
        stmt = stmt.where(col(Principal.kind) == kind)
    page = page_of(request, read_page(session, PRINCIPAL_SHAPE, stmt, params, PRINCIPAL_SORT), PRINCIPAL_SHAPE.render)
    _with_grants(session, [p for p in page["data"] if not p.get("deleted")])
    return list_response(request, page, "principals")


@router.post(
    "/principals",
    name="principals_create",
    summary="Create a principal",
    tags=["principals"],
    status_code=201,
    responses=problems({409: ["duplicate_login"]}),
)
def create_principal(request: Request, session: DbSession, actor: Admin, body: PrincipalCreate) -> PrincipalCreated:
    """Create a person who logs in, or a service client. A service client created without a password gets
    a generated `client_secret`, returned once in this answer and never again. Admins only. 409 `duplicate_login`
    when the login name is taken."""
    principal, secret = service.create_principal(session, actor, body)
    out = _principal_out(session, principal) | {"client_secret": secret}
    return created(request, principal, out, "principals_get")  # type: ignore[return-value]


@router.get(
    "/principals/{id}",
    name="principals_get",
    summary="Get a principal",
    tags=["principals"],
    response_model=PrincipalOut,
)
def get_principal(id: uuid.UUID, session: DbSession, _actor: Admin) -> Response:
    """One principal with its roles. Admins only."""
    principal = crud.get_live(session, Principal, id, "principal")
    return answer(_principal_out(session, principal), principal)


@router.patch(
    "/principals/{id}",
    name="principals_update",
    summary="Update a principal",
    tags=["principals"],
    response_model=PrincipalOut,
)
def update_principal(
    id: uuid.UUID,
    body: PrincipalUpdate,
    session: DbSession,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change a principal's name, password, activity or roles (`grants` replaces the whole list). A role
    taken away stops working at once, also in tokens already issued. Admins only."""
    principal = crud.get_live(session, Principal, id, "principal")
    check_if_match(if_match, principal)
    service.update_principal(session, actor, principal, body)
    with_etag(response, principal)
    return _principal_out(session, principal)


# --- API tokens (admin) ---

TokenParams = Annotated[
    ListParams, Depends(list_params("ApiToken", ["name", "created_at", "updated_at"], "-created_at"))
]
TOKEN_SORT = {"name": ApiToken.name_sort, "created_at": ApiToken.created_at, "updated_at": ApiToken.updated_at}


@router.get(
    "/api-tokens",
    name="api_tokens_list",
    summary="List API tokens, with last use",
    tags=["api-tokens"],
    response_model=Page[ApiTokenOut],
)
def list_api_tokens(
    request: Request,
    session: DbSession,
    _actor: Admin,
    params: TokenParams,
    principal_id: uuid.UUID | None = None,
) -> Response:
    """The long-lived API tokens issued to service clients, with when each was last used. The tokens
    themselves are never shown again. Admins only."""
    stmt = TOKEN_SHAPE.select()
    if principal_id is not None:
        stmt = stmt.where(col(ApiToken.principal_id) == principal_id)
    result = read_page(session, TOKEN_SHAPE, stmt, params, TOKEN_SORT)
    return JSONBody(page_of(request, result, TOKEN_SHAPE.render))


@router.post(
    "/api-tokens",
    name="api_tokens_create",
    summary="Create an API token (shown once)",
    tags=["api-tokens"],
    status_code=201,
    responses=problems({400: ["invalid_scope"], 404: ["not_found"]}),
)
def create_api_token(request: Request, session: DbSession, actor: Admin, body: ApiTokenCreate) -> ApiTokenCreated:
    """Issue a long-lived API token to a service client, optionally narrowed to some of its roles. The
    token is in this answer only; it is stored as a digest. Admins only. 400 `invalid_scope` for a role the
    client does not hold."""
    row, token_text = service.create_api_token(
        session, actor, body.principal_id, body.name, body.scopes, body.expires_in_days
    )
    out = TOKEN_SHAPE.one(session, row.id) | {"token": token_text}
    return created(request, row, out, "api_tokens_get")  # type: ignore[return-value]


@router.get(
    "/api-tokens/{id}",
    name="api_tokens_get",
    summary="Get an API token's record",
    tags=["api-tokens"],
    response_model=ApiTokenOut,
)
def get_api_token(id: uuid.UUID, session: DbSession, _actor: Admin) -> Response:
    """One API token's record (name, scopes, expiry, last use), never the token. Admins only."""
    row = crud.get_live(session, ApiToken, id, "API token")
    return answer(TOKEN_SHAPE.one(session, row.id), row)


@router.delete(
    "/api-tokens/{id}",
    name="api_tokens_revoke",
    summary="Revoke an API token",
    tags=["api-tokens"],
    status_code=204,
)
def revoke_api_token(id: uuid.UUID, session: DbSession, actor: Admin, if_match: IfMatch = None) -> Response:
    """Revoke an API token: it is refused from the next request on. Admins only."""
    row = crud.get_live(session, ApiToken, id, "API token")
    check_if_match(if_match, row)
    service.revoke_api_token(session, actor, row)
    return Response(status_code=204)
