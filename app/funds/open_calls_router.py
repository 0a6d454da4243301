"""HTTP for open calls: what an intranet publishes about the rounds open for applications."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.core.deps import PUBLIC_READ, DbSession, PublicReader
from app.core.http import CSV_LIST, list_response
from app.core.pagination import ListParams, Page, list_params, page_of
from app.funds import open_calls
from app.funds.open_calls import OpenCallOut

router = APIRouter(prefix="/open-calls", tags=["funds"])
Params = Annotated[ListParams, Depends(list_params("OpenCall", list(open_calls.SORT_COLUMNS), "closes_on"))]


@router.get(
    "",
    name="open_calls_list",
    summary="List open calls",
    response_model=Page[OpenCallOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def list_open_calls(
    request: Request, session: DbSession, _actor: PublicReader, params: Params, fund_id: uuid.UUID | None = None
) -> Response:
    """The rounds open for applications, the nearest deadline first, each with its fund, dates, priorities and
    the fund's focus areas. Any reader, and without a token when public reading is on; also as CSV. With
    `updated_since`, a round no longer open comes as a tombstone."""
    page = page_of(request, open_calls.list_page(session, fund_id, params), open_calls.render)
    open_calls.with_focus_areas(session, page["data"])
    return list_response(request, page, "open-calls")
