"""HTTP for indicators of the follow-up."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import PUBLIC_READ, DbSession, FundManager, PublicReader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.metrics.indicators import service
from app.metrics.indicators.models import KOLADA_KPI, IndicatorCreate, IndicatorOut, IndicatorUpdate
from app.metrics.models import Unit

router = APIRouter(prefix="/indicators", tags=["metrics"])
Params = Annotated[ListParams, Depends(list_params("Indicator", list(service.SORT_COLUMNS), "name"))]
DUPLICATES = ["duplicate_code", "duplicate_kolada_kpi"]


@router.get(
    "",
    name="indicators_list",
    summary="List indicators",
    response_model=Page[IndicatorOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def list_indicators(
    request: Request,
    session: DbSession,
    _actor: PublicReader,
    params: Params,
    strategy_id: Annotated[uuid.UUID | None, Query(description="Those that follow up this strategy.")] = None,
    body_id: uuid.UUID | None = None,
    unit: Unit | None = None,
    kolada_kpi: Annotated[str | None, Query(pattern=KOLADA_KPI)] = None,
    code: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """Indicators of the follow-up, by name (Swedish order). Any reader; also as CSV."""
    flt = service.IndicatorFilter(strategy_id, body_id, unit, kolada_kpi, code)
    result = service.list_page(session, flt, params)
    return list_response(request, page_of(request, result, service.SHAPE.render), "indicators")


@router.post(
    "",
    name="indicators_create",
    summary="Create an indicator",
    status_code=201,
    responses=problems({409: DUPLICATES}),
)
def create_indicator(request: Request, session: DbSession, actor: FundManager, body: IndicatorCreate) -> IndicatorOut:
    """A new indicator with its unit, direction, aggregation and strategies. 409 `duplicate_code` or
    `duplicate_kolada_kpi` when another live indicator has the code or Kolada id; 422 on `aggregation` for
    `ratio` with a unit that is not a share. Admins and fund managers."""
    indicator = service.create_indicator(session, actor, body)
    out = service.render(session, indicator)
    return created(request, indicator, out, "indicators_get")  # type: ignore[return-value]


@router.get(
    "/{id}", name="indicators_get", summary="Get an indicator", response_model=IndicatorOut, openapi_extra=PUBLIC_READ
)
def get_indicator(id: uuid.UUID, session: DbSession, _actor: PublicReader) -> Response:
    """One indicator, with an `ETag` for a later If-Match. Any reader."""
    indicator = service.get_indicator(session, id)
    return answer(service.render(session, indicator), indicator)


@router.patch(
    "/{id}",
    name="indicators_update",
    summary="Update an indicator",
    response_model=IndicatorOut,
    responses=problems({409: [*DUPLICATES, "indicator_has_values", "indicator_has_targets"]}),
)
def update_indicator(
    id: uuid.UUID,
    body: IndicatorUpdate,
    session: DbSession,
    actor: FundManager,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent; `strategy_ids` replaces the list. `unit`, `aggregation` and `by_gender` stay
    while the indicator has values (409 `indicator_has_values`), and it stays split by gender while it has
    targets for women or men (409 `indicator_has_targets`). Admins and fund managers."""
    indicator = service.get_indicator(session, id, for_update=True)
    check_if_match(if_match, indicator)
    service.update_indicator(session, actor, indicator, body)
    with_etag(response, indicator)
    return service.render(session, indicator)


@router.delete(
    "/{id}",
    name="indicators_delete",
    summary="Delete an indicator",
    status_code=204,
    responses=problems({409: ["indicator_in_use"]}),
)
def delete_indicator(id: uuid.UUID, session: DbSession, actor: FundManager, if_match: IfMatch = None) -> Response:
    """Delete an indicator that has no values and no targets (409 `indicator_in_use`). Admins and fund
    managers."""
    indicator = service.get_indicator(session, id, for_update=True)
    check_if_match(if_match, indicator)
    service.remove_indicator(session, actor, indicator)
    return Response(status_code=204)
