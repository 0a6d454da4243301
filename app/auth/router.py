"""HTTP for logging in, who-am-I, principals and API tokens."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlmodel import select

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
    TokenResponse,
)
from app.core import crud
from app.core.deps import PUBLIC, Admin, Authenticated, DbSession, UnlockedSession
from app.core.errors import BadRequest
from app.core.http import CSV_LIST, IfMatch, check_if_match, created, list_response, with_etag
from app.core.pagination import ListParams, Page, list_params, paginate, to_page
from app.core.principal import PrincipalKind

router = APIRouter()
basic = HTTPBasic(auto_error=False)
GrantType = Annotated[str, Form(pattern="^(password|client_credentials)$", description="OAuth 2 grant type.")]


@router.post(
    "/auth/token",
    name="auth_token",
    summary="Get an access token (OAuth 2 password or client-credentials grant)",
    tags=["auth"],
    openapi_extra=PUBLIC,
    responses={429: {"description": "Too many failed logins for this name; see Retry-After."}},
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
def me(session: DbSession, actor: Authenticated) -> Me:
    principal = crud.get_live(session, Principal, actor.id, "principal")
    grants = [GrantOut(role=g.role, organisation_id=g.organisation_id) for g in sorted(actor.grants, key=str)]
    return Me(
        id=principal.id,
        kind=principal.kind,
        login=principal.login,
        display_name=principal.display_name,
        person_id=principal.person_id,
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


def _principal_out(session: DbSession, principals: list[Principal]) -> dict[uuid.UUID, PrincipalOut]:
    grants = service.grants_by_principal(session, [p.id for p in principals])
    return {
        p.id: PrincipalOut.model_validate(
            p,
            update={
                "grants": [
                    GrantOut(role=g.role, organisation_id=g.organisation_id) for g in sorted(grants[p.id], key=str)
                ]
            },
        )
        for p in principals
    }


@router.get("/principals", name="principals_list", summary="List principals", tags=["principals"], responses=CSV_LIST)
def list_principals(
    request: Request,
    session: DbSession,
    _actor: Admin,
    params: PrincipalParams,
    kind: PrincipalKind | None = None,
) -> Page[PrincipalOut]:
    stmt = select(Principal)
    if kind is not None:
        stmt = stmt.where(Principal.kind == kind)
    result = paginate(session, stmt, Principal, params, PRINCIPAL_SORT)
    rendered = _principal_out(session, result.items)
    return list_response(request, to_page(request, result, lambda p: rendered[p.id]), "principals")


@router.post(
    "/principals",
    name="principals_create",
    summary="Create a principal",
    tags=["principals"],
    status_code=201,
)
def create_principal(request: Request, session: DbSession, actor: Admin, body: PrincipalCreate) -> PrincipalCreated:
    principal, secret = service.create_principal(session, actor, body)
    out = PrincipalCreated(**_principal_out(session, [principal])[principal.id].model_dump(), client_secret=secret)
    return created(request, principal, out, "principals_get")  # type: ignore[return-value]


@router.get("/principals/{id}", name="principals_get", summary="Get a principal", tags=["principals"])
def get_principal(id: uuid.UUID, session: DbSession, _actor: Admin, response: Response) -> PrincipalOut:
    principal = crud.get_live(session, Principal, id, "principal")
    with_etag(response, principal)
    return _principal_out(session, [principal])[principal.id]


@router.patch("/principals/{id}", name="principals_update", summary="Update a principal", tags=["principals"])
def update_principal(
    id: uuid.UUID,
    body: PrincipalUpdate,
    session: DbSession,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> PrincipalOut:
    principal = crud.get_live(session, Principal, id, "principal")
    check_if_match(if_match, principal)
    service.update_principal(session, actor, principal, body)
    with_etag(response, principal)
    return _principal_out(session, [principal])[principal.id]


# --- API tokens (admin) ---

TokenParams = Annotated[
    ListParams, Depends(list_params("ApiToken", ["name", "created_at", "updated_at"], "-created_at"))
]
TOKEN_SORT = {"name": ApiToken.name_sort, "created_at": ApiToken.created_at, "updated_at": ApiToken.updated_at}


def _token_out(row: ApiToken) -> ApiTokenOut:
    return ApiTokenOut.model_validate(row, update={"scopes": row.scopes.split()})


@router.get("/api-tokens", name="api_tokens_list", summary="List API tokens, with last use", tags=["api-tokens"])
def list_api_tokens(
    request: Request,
    session: DbSession,
    _actor: Admin,
    params: TokenParams,
    principal_id: uuid.UUID | None = None,
) -> Page[ApiTokenOut]:
    stmt = select(ApiToken)
    if principal_id is not None:
        stmt = stmt.where(ApiToken.principal_id == principal_id)
    result = paginate(session, stmt, ApiToken, params, TOKEN_SORT)
    return to_page(request, result, _token_out)  # type: ignore[return-value]


@router.post(
    "/api-tokens",
    name="api_tokens_create",
    summary="Create an API token (shown once)",
    tags=["api-tokens"],
    status_code=201,
)
def create_api_token(request: Request, session: DbSession, actor: Admin, body: ApiTokenCreate) -> ApiTokenCreated:
    row, token_text = service.create_api_token(
        session, actor, body.principal_id, body.name, body.scopes, body.expires_in_days
    )
    out = ApiTokenCreated(**_token_out(row).model_dump(), token=token_text)
    return created(request, row, out, "api_tokens_get")  # type: ignore[return-value]


@router.get("/api-tokens/{id}", name="api_tokens_get", summary="Get an API token's record", tags=["api-tokens"])
def get_api_token(id: uuid.UUID, session: DbSession, _actor: Admin, response: Response) -> ApiTokenOut:
    row = crud.get_live(session, ApiToken, id, "API token")
    with_etag(response, row)
    return _token_out(row)


@router.delete(
    "/api-tokens/{id}",
    name="api_tokens_revoke",
    summary="Revoke an API token",
    tags=["api-tokens"],
    status_code=204,
)
def revoke_api_token(id: uuid.UUID, session: DbSession, actor: Admin, if_match: IfMatch = None) -> Response:
    row = crud.get_live(session, ApiToken, id, "API token")
    check_if_match(if_match, row)
    service.revoke_api_token(session, actor, row)
    return Response(status_code=204)
