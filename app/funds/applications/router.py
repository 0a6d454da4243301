"""HTTP for applications to a fund's rounds, their workflow moves and their history."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import PUBLIC_READ, DbSession, PublicReader, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of, whole_list
from app.core.reads import JSONBody
from app.core.textsearch import text_query
from app.funds.applications import moves, reads, service
from app.funds.applications.models import (
    ApplicationCreate,
    ApplicationOut,
    ApplicationStatus,
    ApplicationUpdate,
    HistoryEntry,
    TransitionIn,
)
from app.funds.applications.visibility import get_visible

router = APIRouter(prefix="/applications", tags=["funds"])
Params = Annotated[ListParams, Depends(list_params("Application", list(reads.SORT_COLUMNS), "-created_at"))]
WHO_SEES = (
    "Fund managers and admins see every application; editors of a principal its own in every state; everyone "
    "else only granted ones (and later states). One you may not see is 404."
)


@router.get(
    "",
    name="applications_list",
    summary="List applications",
    response_model=Page[ApplicationOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
    description="Applications to the funds' rounds, with their budget lines; also as CSV (amounts with a decimal "
    "comma). Without a token, when public reading is on, granted ones only. " + WHO_SEES,
)
def list_applications(
    request: Request,
    session: DbSession,
    actor: PublicReader,
    params: Params,
    round_id: uuid.UUID | None = None,
    fund_id: uuid.UUID | None = None,
    status: Annotated[list[ApplicationStatus] | None, Query()] = None,
    applicant_id: uuid.UUID | None = None,
    focus_area_id: uuid.UUID | None = None,
    pot_id: uuid.UUID | None = None,
    q: Annotated[str | None, text_query("title")] = None,
) -> Response:
    flt = reads.ApplicationFilter(round_id, fund_id, status, applicant_id, focus_area_id, pot_id, q)
    page = page_of(request, reads.list_page(session, actor, flt, params), reads.render)
    reads.with_budget_lines(session, page["data"])
    return list_response(request, page, "applications")


@router.post(
    "",
    name="applications_create",
    summary="Draft an application",
    status_code=201,
    responses=problems({409: ["round_closed"]}),
)
def create_application(request: Request, session: DbSession, actor: Reader, body: ApplicationCreate) -> ApplicationOut:
    """Draft an application for a unit of a principal. Editors of the applicant principal (and admins). Budget
    lines, when given, must add up to `requested` (422 `budget_lines` names both sums). 409 `round_closed` for a
    round that is closed, decided or archived."""
    a = service.create(session, actor, body)
    return created(request, a, reads.read(session, actor, a.id), "applications_get")  # type: ignore[return-value]


@router.get(
    "/{id}",
    name="applications_get",
    summary="Get an application",
    response_model=ApplicationOut,
    openapi_extra=PUBLIC_READ,
    description="One application, with an `ETag` for a later If-Match. " + WHO_SEES,
)
def get_application(id: uuid.UUID, session: DbSession, actor: PublicReader) -> Response:
    a = get_visible(session, actor, id)
    return answer(reads.read(session, actor, a.id), a)


@router.get(
    "/{id}/history",
    name="applications_history",
    summary="The application's moves",
    response_model=Page[HistoryEntry],
)
def application_history(request: Request, id: uuid.UUID, session: DbSession, actor: Reader) -> Response:
    """Every change of status, oldest first, from its creation as a draft: from, to, when, who and the comment.
    Whoever sees the application."""
    a = get_visible(session, actor, id)
    return JSONBody(whole_list(request, moves.history(session, a)))


@router.patch(
    "/{id}",
    name="applications_update",
    summary="Edit an application",
    response_model=ApplicationOut,
    responses=problems({409: ["not_editable"]}),
)
def update_application(
    id: uuid.UUID, body: ApplicationUpdate, session: DbSession, actor: Reader, if_match: IfMatch = None
) -> Response:
    """Change the fields sent, in `draft` and `more_info_requested` only (409 `not_editable` names the status).
    Editors of the applicant principal (and admins)."""
    a = service.for_applicant(session, actor, id)
    check_if_match(if_match, a)
    service.update(session, actor, a, body)
    return answer(reads.read(session, actor, a.id), a)


@router.delete(
    "/{id}",
    name="applications_delete",
    summary="Delete a draft",
    status_code=204,
    responses=problems({409: ["not_draft"]}),
)
def delete_application(id: uuid.UUID, session: DbSession, actor: Reader, if_match: IfMatch = None) -> Response:
    """Delete a draft (409 `not_draft` otherwise: withdraw it instead). Editors of the applicant principal and
    admins."""
    a = service.for_applicant(session, actor, id)
    check_if_match(if_match, a)
    service.remove(session, actor, a)
    return Response(status_code=204)


@router.post(
    "/{id}/transitions",
    name="applications_transition",
    summary="Move an application to another status",
    response_model=ApplicationOut,
    responses=problems(
        {
            403: ["transition_forbidden"],
            409: ["invalid_transition", "grant_required", "report_required", "round_closed"],
        }
    ),
)
def transition_application(
    id: uuid.UUID, body: TransitionIn, session: DbSession, actor: Reader, if_match: IfMatch = None
) -> Response:
    """Move the application along its workflow, with a comment for its history: the applicant submits,
    answers (`in_review` from `more_info_requested`) and withdraws; fund managers review and ask for more.
    A move not allowed from the status is 409 `invalid_transition`, one this caller may not make 403
    `transition_forbidden`; both name the allowed ones (`allowed`). `granted` and `partially_granted` come
    from POST /grants (409 `grant_required`); `reported`, `closed` and a return to `report_due` follow the final
    report (409 `report_required`). Submitting needs an open round before its deadline (409
    `round_closed` names `closes_on`), a focus area and budget lines that add up; the first submission gives
    the number (`UPH-2025-014`)."""
    a = service.for_move(session, actor, id)
    check_if_match(if_match, a)
    moves.transition(session, actor, a, body)
    return answer(reads.read(session, actor, a.id), a)
