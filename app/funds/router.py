"""HTTP for funds and their focus areas."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import DbSession, FundManager, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.funds import service
from app.funds.models import FundCreate, FundOut, FundUpdate

router = APIRouter(prefix="/funds", tags=["funds"])
DUPLICATE = problems({409: ["duplicate_code"]})
Params = Annotated[ListParams, Depends(list_params("Fund", list(service.SORT_COLUMNS), "name"))]


@router.get("", name="funds_list", summary="List funds", response_model=Page[FundOut], responses=CSV_LIST)
def list_funds(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: Params,
    code: Annotated[str | None, Query(max_length=20, description="Only the fund with this code, e.g. UPH.")] = None,
) -> Response:
    """Funds (länsgemensamma medel) with their focus areas, by name; `code=UPH` finds one by its code. Any reader;
    also as CSV."""
    page = page_of(request, service.list_page(session, params, code), service.SHAPE.render)
    service.with_focus_areas(session, page["data"])
    return list_response(request, page, "funds")


@router.post("", name="funds_create", summary="Create a fund", status_code=201, responses=DUPLICATE)
def create_fund(request: Request, session: DbSession, actor: FundManager, body: FundCreate) -> FundOut:
    """Create a fund with its focus areas. Admins and fund managers. 409 `duplicate_code` when the code is
    taken."""
    fund = service.create(session, actor, body)
    return created(request, fund, service.read(session, fund.id), "funds_get")  # type: ignore[return-value]


@router.get("/{id}", name="funds_get", summary="Get a fund", response_model=FundOut)
def get_fund(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One fund with its focus areas, and an `ETag` for a later If-Match. Any reader."""
    fund = service.get(session, id)
    return answer(service.read(session, fund.id), fund)


@router.patch("/{id}", name="funds_update", summary="Update a fund", response_model=FundOut, responses=DUPLICATE)
def update_fund(
    id: uuid.UUID,
    body: FundUpdate,
    session: DbSession,
    actor: FundManager,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent; `focus_areas` replaces the list (an area keeps its id while its number stays).
    Admins and fund managers."""
    fund = service.get(session, id)
    check_if_match(if_match, fund)
    service.update(session, actor, fund, body)
    with_etag(response, fund)
    return service.read(session, fund.id)


@router.delete(
    "/{id}",
    name="funds_delete",
    summary="Delete a fund",
    status_code=204,
    responses=problems({409: ["fund_has_rounds"]}),
)
def delete_fund(id: uuid.UUID, session: DbSession, actor: FundManager, if_match: IfMatch = None) -> Response:
    """Delete a fund without rounds. Admins and fund managers."""
    fund = service.get(session, id)
    check_if_match(if_match, fund)
    service.remove(session, actor, fund)
    return Response(status_code=204)
