"""HTTP for rounds of a fund and their summary."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import DbSession, FundManager, Reader
from app.core.http import (
    CSV_LIST,
    IfMatch,
    answer,
    check_if_match,
    created,
    csv_response,
    list_response,
    wants_csv,
    with_etag,
)
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.core.reads import JSONBody
from app.funds import figures, rounds
from app.funds.models import RoundCreate, RoundOut, RoundStatus, RoundSummary, RoundUpdate

router = APIRouter(prefix="/rounds", tags=["funds"])
Params = Annotated[ListParams, Depends(list_params("Round", list(rounds.SORT_COLUMNS), "-year"))]
SUMMARY_CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The summary (JSON or CSV)."}
}


@router.get("", name="rounds_list", summary="List rounds", response_model=Page[RoundOut], responses=CSV_LIST)
def list_rounds(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: Params,
    fund_id: uuid.UUID | None = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    status: Annotated[list[RoundStatus] | None, Query()] = None,
) -> Response:
    """Rounds of the funds, the latest year first. Any reader; also as CSV."""
    result = rounds.list_page(session, rounds.RoundFilter(fund_id, year, status), params)
    return list_response(request, page_of(request, result, rounds.SHAPE.render), "rounds")


@router.post(
    "",
    name="rounds_create",
    summary="Create a round",
    status_code=201,
    responses=problems({409: ["duplicate_year"]}),
)
def create_round(request: Request, session: DbSession, actor: FundManager, body: RoundCreate) -> RoundOut:
    """Create a fund's round for a year, as a draft. Admins and fund managers. 409 `duplicate_year` when the fund
    has a round that year."""
    r = rounds.create(session, actor, body)
    return created(request, r, rounds.SHAPE.one(session, r.id), "rounds_get")  # type: ignore[return-value]


@router.get("/{id}", name="rounds_get", summary="Get a round", response_model=RoundOut)
def get_round(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One round, with an `ETag` for a later If-Match. Any reader."""
    r = rounds.get(session, id)
    return answer(rounds.SHAPE.one(session, r.id), r)


@router.get(
    "/{id}/summary",
    name="rounds_summary",
    summary="The round's figures",
    response_model=RoundSummary,
    responses=SUMMARY_CSV,
)
def round_summary(request: Request, id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """Per pot and for the whole round: budget, carried over, transferred in and out, requested, granted, paid,
    repaid and remaining, computed at this moment. Any reader; as CSV (`Accept: text/csv`) the table the
    council sees, with a decimal comma."""
    r = rounds.get(session, id)
    summary = figures.round_summary(session, r)
    if wants_csv(request):
        return csv_response(figures.summary_rows(summary), f"summary-{r.year}")
    return JSONBody(summary)


@router.patch(
    "/{id}",
    name="rounds_update",
    summary="Update a round",
    response_model=RoundOut,
    responses=problems({409: ["duplicate_year", "invalid_transition"]}),
)
def update_round(
    id: uuid.UUID,
    body: RoundUpdate,
    session: DbSession,
    actor: FundManager,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent. `status` moves one step: draft → open → closed → decided → archived (409
    `invalid_transition` names the allowed one). Admins and fund managers."""
    r = rounds.get(session, id)
    check_if_match(if_match, r)
    rounds.update(session, actor, r, body)
    with_etag(response, r)
    return rounds.SHAPE.one(session, r.id)


@router.delete(
    "/{id}",
    name="rounds_delete",
    summary="Delete a round",
    status_code=204,
    responses=problems({409: ["round_not_draft", "round_has_pots"]}),
)
def delete_round(id: uuid.UUID, session: DbSession, actor: FundManager, if_match: IfMatch = None) -> Response:
    """Delete a draft round without pots. Admins and fund managers."""
    r = rounds.get(session, id)
    check_if_match(if_match, r)
    rounds.remove(session, actor, r)
    return Response(status_code=204)
