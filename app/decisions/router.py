"""HTTP for decisions and the answers to recommendations."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import PUBLIC_READ, DbSession, PublicReader, Reader
from app.core.errors import not_found
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of, whole_list
from app.core.textsearch import text_query
from app.core.time import QueryDate
from app.decisions import reads, service
from app.decisions.models import (
    AssignmentStatus,
    DecisionCreate,
    DecisionKind,
    DecisionOut,
    DecisionUpdate,
    ResponseIn,
    ResponseOut,
    ResponseStatus,
)
from app.meetings import service as meetings

router = APIRouter(prefix="/decisions", tags=["decisions"])
Params = Annotated[ListParams, Depends(list_params("Decision", list(reads.SORT_COLUMNS), "-decided_on"))]


@router.get(
    "",
    name="decisions_list",
    summary="List decisions",
    response_model=Page[DecisionOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def list_decisions(
    request: Request,
    session: DbSession,
    actor: PublicReader,
    params: Params,
    kind: Annotated[list[DecisionKind] | None, Query()] = None,
    body_id: uuid.UUID | None = None,
    meeting_id: uuid.UUID | None = None,
    agenda_item_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    decided_from: QueryDate = None,
    decided_to: QueryDate = None,
    overdue: Annotated[bool | None, Query(description="Recommendations with answers past their deadline.")] = None,
    principal_id: Annotated[
        uuid.UUID | None, Query(description="Recommendations this principal has not answered (with overdue: late).")
    ] = None,
    assignment_status: Annotated[list[AssignmentStatus] | None, Query()] = None,
    due_by: Annotated[QueryDate, Query(description="Open assignments due on or before this date.")] = None,
    assignee_body_id: uuid.UUID | None = None,
    target_body_id: uuid.UUID | None = None,
    q: Annotated[str | None, text_query("decision's text")] = None,
) -> Response:
    """Decisions (beslut) with many filters: by body, meeting, item, case and date; recommendations not
    yet answered by a principal or past their deadline; assignments by status, due date and assignee. Any reader
    (and without a token, decisions of held meetings, when public reading is on); also as CSV."""
    flt = reads.DecisionFilter(
        kind,
        body_id,
        meeting_id,
        agenda_item_id,
        case_id,
        decided_from,
        decided_to,
        overdue,
        principal_id,
        assignment_status,
        due_by,
        assignee_body_id,
        target_body_id,
        published_only=actor is None,
        q=q,
    )
    result = reads.list_page(session, flt, params)
    return list_response(request, page_of(request, result, reads.render), "decisions")


@router.post(
    "", name="decisions_create", summary="Record a decision", status_code=201, responses=problems({404: ["not_found"]})
)
def create_decision(request: Request, session: DbSession, actor: Reader, body: DecisionCreate) -> DecisionOut:
    """Record a decision taken under an agenda item: a plain decision, a recommendation to the principals
    (with a deadline for their answers), an assignment (with assignee and report-back) or a referral. Secretaries of
    the deciding body and admins."""
    decision = service.create(session, actor, body)
    return created(request, decision, reads.shown(session, decision.id), "decisions_get")  # type: ignore[return-value]


@router.get(
    "/{id}",
    name="decisions_get",
    summary="Get a decision, with its tally",
    response_model=DecisionOut,
    openapi_extra=PUBLIC_READ,
)
def get_decision(id: uuid.UUID, session: DbSession, actor: PublicReader) -> Response:
    """One decision, with its tally of answers when it is a recommendation. Any reader (and without a token,
    when public reading is on and the meeting is held)."""
    decision = service.get(session, id)
    if actor is None and meetings.get(session, decision.meeting_id).status not in meetings.PUBLISHED:
        raise not_found("decision", id)
    return answer(reads.shown(session, decision.id), decision)


@router.patch("/{id}", name="decisions_update", summary="Update a decision", response_model=DecisionOut)
def update_decision(
    id: uuid.UUID, body: DecisionUpdate, session: DbSession, actor: Reader, response: Response, if_match: IfMatch = None
) -> dict[str, Any]:
    """Change the fields sent. Secretaries of the deciding body and admins."""
    decision = service.get(session, id)
    check_if_match(if_match, decision)
    service.update(session, actor, decision, body)
    with_etag(response, decision)
    return reads.shown(session, decision.id)


@router.delete("/{id}", name="decisions_delete", summary="Delete a decision", status_code=204)
def delete_decision(id: uuid.UUID, session: DbSession, actor: Reader, if_match: IfMatch = None) -> Response:
    """Delete a decision. Secretaries of the deciding body and admins."""
    decision = service.get(session, id)
    check_if_match(if_match, decision)
    service.remove(session, actor, decision)
    return Response(status_code=204)


@router.get(
    "/{id}/responses",
    name="responses_list",
    summary="Every recipient's answer to a recommendation",
    response_model=Page[ResponseOut],
)
def list_responses(
    request: Request,
    id: uuid.UUID,
    session: DbSession,
    _actor: Reader,
    status: Annotated[list[ResponseStatus] | None, Query(description="Only answers with these statuses.")] = None,
) -> Response:
    """Every recipient principal's answer to a recommendation (adopted, rejected, pending, …), including
    those not yet answered. Any reader."""
    rows = service.responses_of(session, service.get(session, id), status)
    return list_response(request, whole_list(request, rows), "responses")


@router.post(
    "/{id}/responses",
    name="responses_answer",
    summary="Answer a recommendation for a principal",
    response_model=ResponseOut,
)
def answer_recommendation(id: uuid.UUID, body: ResponseIn, session: DbSession, actor: Reader) -> dict[str, Any]:
    """Answer a recommendation for one principal organisation (e.g. Umeå kommun adopts it). Editors of that
    principal and admins."""
    return service.answer(session, actor, service.get(session, id), body)
