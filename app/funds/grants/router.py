"""HTTP for grants: money from a pot to an application, by a decision."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from app.core.deps import Admin, DbSession, FundManager, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.funds.grants import service as grants
from app.funds.grants.models import FundGrantCreate, FundGrantOut, FundGrantUpdate

router = APIRouter(prefix="/grants", tags=["funds"])
Params = Annotated[ListParams, Depends(list_params("Grant", list(grants.SORT_COLUMNS), "created_at"))]


@router.get("", name="grants_list", summary="List grants", response_model=Page[FundGrantOut], responses=CSV_LIST)
def list_grants(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: Params,
    round_id: uuid.UUID | None = None,
    pot_id: uuid.UUID | None = None,
    application_id: uuid.UUID | None = None,
    decision_id: uuid.UUID | None = None,
) -> Response:
    """Grants, oldest first, with what has been paid and repaid on each. Granted applications are public, so any
    reader reads them; also as CSV."""
    result = grants.list_page(session, grants.GrantFilter(round_id, pot_id, application_id, decision_id), params)
    return list_response(request, page_of(request, result, grants.render), "grants")


@router.post(
    "",
    name="grants_create",
    summary="Grant money to an application",
    status_code=201,
    responses=problems({409: ["pot_overdrawn", "round_not_active", "invalid_transition"]}),
)
def create_grant(request: Request, session: DbSession, actor: FundManager, body: FundGrantCreate) -> FundGrantOut:
    """Grant an application in review money from a pot of its round (by default the application's pot), by a
    decision in the record (`decision_id`) or a delegated one (`delegated`), with the report-back due dates. The
    application becomes `granted` (the amount asked for) or `partially_granted` (less). Never more than asked for
    (422) nor more than the pot has remaining (409 `pot_overdrawn` states it). Admins and fund managers."""
    grant = grants.create(session, actor, body)
    return created(request, grant, grants.one(session, grant.id), "grants_get")  # type: ignore[return-value]


@router.get("/{id}", name="grants_get", summary="Get a grant", response_model=FundGrantOut)
def get_grant(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One grant, with an `ETag` for a later If-Match. Any reader."""
    grant = grants.get(session, id)
    return answer(grants.one(session, grant.id), grant)


@router.patch("/{id}", name="grants_update", summary="Change a grant's conditions", response_model=FundGrantOut)
def update_grant(
    id: uuid.UUID,
    body: FundGrantUpdate,
    session: DbSession,
    actor: FundManager,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the conditions; the amount, pot and decision are the decision's own. Admins and fund managers."""
    grant = grants.get(session, id)
    check_if_match(if_match, grant)
    grants.update(session, actor, grant, body)
    with_etag(response, grant)
    return grants.one(session, grant.id)


@router.delete(
    "/{id}",
    name="grants_delete",
    summary="Delete a grant entered by mistake",
    status_code=204,
    responses=problems({409: ["grant_in_use"]}),
)
def delete_grant(id: uuid.UUID, session: DbSession, actor: Admin, if_match: IfMatch = None) -> Response:
    """Undo a grant entered by mistake while nothing is paid on it, no report is sent and the application has not
    moved on (409 `grant_in_use` otherwise): the application returns to `in_review`, in its history. Admins."""
    grant = grants.get(session, id)
    check_if_match(if_match, grant)
    grants.remove(session, actor, grant)
    return Response(status_code=204)
