"""HTTP for cases and their timeline."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.cases import service
from app.cases.models import CaseCreate, CaseOut, CaseStatus, CaseUpdate, TargetGroup, Timeline
from app.core.deps import DbSession, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.core.reads import JSONBody
from app.core.textsearch import text_query

router = APIRouter(prefix="/cases", tags=["cases"])
Params = Annotated[ListParams, Depends(list_params("Case", list(service.SORT_COLUMNS), "-created_at"))]


@router.get("", name="cases_list", summary="List cases", response_model=Page[CaseOut], responses=CSV_LIST)
def list_cases(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: Params,
    status: Annotated[list[CaseStatus] | None, Query()] = None,
    responsible_body_id: uuid.UUID | None = None,
    queue_body_id: Annotated[
        uuid.UUID | None, Query(description="The body's queue: cases referred to it, open.")
    ] = None,
    target_group: TargetGroup | None = None,
    strategy_id: uuid.UUID | None = None,
    q: Annotated[str | None, text_query("title, reference or description")] = None,
) -> Response:
    """Cases (ärenden) with their status, responsible body and target groups. Any reader; also as CSV.
    `queue_body_id` gives a body's queue: open cases referred to it."""
    flt = service.CaseFilter(status, responsible_body_id, queue_body_id, target_group, strategy_id, q)
    result = service.list_page(session, flt, params)
    return list_response(request, page_of(request, result, service.SHAPE.render), "cases")


@router.post(
    "", name="cases_create", summary="Open a case", status_code=201, responses=problems({409: ["duplicate_reference"]})
)
def create_case(request: Request, session: DbSession, actor: Reader, body: CaseCreate) -> CaseOut:
    """Open a case with its diary reference (e.g. `RS 2024/17`). Admins and secretaries of the responsible
    body. 409 `duplicate_reference` when the reference is taken."""
    case = service.create(session, actor, body)
    return created(request, case, service.render(session, case), "cases_get")  # type: ignore[return-value]


@router.get("/{id}", name="cases_get", summary="Get a case", response_model=CaseOut)
def get_case(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One case, with an `ETag` for a later If-Match. Any reader."""
    case = service.get(session, id)
    return answer(service.render(session, case), case)


@router.get(
    "/{id}/timeline",
    name="cases_timeline",
    summary="Every handling, decision, referral and status change",
    response_model=Timeline,
)
def case_timeline(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """Everything that happened to a case, in date order: each time it was on an agenda, the decisions
    taken, referrals to other bodies and status changes. Any reader."""
    return JSONBody(service.timeline(session, service.get(session, id)))


@router.patch(
    "/{id}",
    name="cases_update",
    summary="Update a case (status: allowed transitions only)",
    response_model=CaseOut,
    responses=problems({409: ["duplicate_reference", "invalid_transition"]}),
)
def update_case(
    id: uuid.UUID, body: CaseUpdate, session: DbSession, actor: Reader, response: Response, if_match: IfMatch = None
) -> dict[str, Any]:
    """Change the fields sent. `status` may only move along the allowed transitions (409
    `invalid_transition` names them). Admins and secretaries of the responsible body."""
    case = service.get(session, id)
    check_if_match(if_match, case)
    service.update(session, actor, case, body)
    with_etag(response, case)
    return service.render(session, case)


@router.delete(
    "/{id}",
    name="cases_delete",
    summary="Delete a case never put on an agenda",
    status_code=204,
    responses=problems({409: ["in_use"]}),
)
def delete_case(id: uuid.UUID, session: DbSession, actor: Reader, if_match: IfMatch = None) -> Response:
    """Delete a case that was never on an agenda (409 `in_use` otherwise: withdraw or close it instead).
    Admins and secretaries of the responsible body."""
    case = service.get(session, id)
    check_if_match(if_match, case)
    service.remove(session, actor, case)
    return Response(status_code=204)
