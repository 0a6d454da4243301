"""HTTP for strategies."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from app.core.deps import Admin, DbSession, Reader
from app.core.http import CSV_LIST, IfMatch, check_if_match, created, list_response, with_etag
from app.core.pagination import ListParams, Page, list_params, to_page
from app.strategies import service
from app.strategies.models import StrategyCreate, StrategyOut, StrategyUpdate

router = APIRouter(prefix="/strategies", tags=["strategies"])
Params = Annotated[ListParams, Depends(list_params("Strategy", list(service.SORT_COLUMNS), "number"))]


@router.get("", name="strategies_list", summary="List strategies", responses=CSV_LIST)
def list_strategies(request: Request, session: DbSession, _actor: Reader, params: Params) -> Page[StrategyOut]:
    page = to_page(request, service.list_page(session, params), StrategyOut.model_validate)
    return list_response(request, page, "strategies")


@router.post("", name="strategies_create", summary="Create a strategy", status_code=201)
def create_strategy(request: Request, session: DbSession, actor: Admin, body: StrategyCreate) -> StrategyOut:
    s = service.create(session, actor, body)
    return created(request, s, StrategyOut.model_validate(s), "strategies_get")  # type: ignore[return-value]


@router.get("/{id}", name="strategies_get", summary="Get a strategy")
def get_strategy(id: uuid.UUID, session: DbSession, _actor: Reader, response: Response) -> StrategyOut:
    s = service.get(session, id)
    with_etag(response, s)
    return StrategyOut.model_validate(s)


@router.patch("/{id}", name="strategies_update", summary="Update a strategy")
def update_strategy(
    id: uuid.UUID,
    body: StrategyUpdate,
    session: DbSession,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> StrategyOut:
    s = service.get(session, id)
    check_if_match(if_match, s)
    service.update(session, actor, s, body)
    with_etag(response, s)
    return StrategyOut.model_validate(s)


@router.delete("/{id}", name="strategies_delete", summary="Delete a strategy", status_code=204)
def delete_strategy(id: uuid.UUID, session: DbSession, actor: Admin, if_match: IfMatch = None) -> Response:
    s = service.get(session, id)
    check_if_match(if_match, s)
    service.remove(session, actor, s)
    return Response(status_code=204)
