"""HTTP for strategies."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from app.core.deps import Admin, DbSession, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.strategies import service
from app.strategies.models import StrategyCreate, StrategyOut, StrategyUpdate

router = APIRouter(prefix="/strategies", tags=["strategies"])
DUPLICATE = problems({409: ["duplicate_number"]})
Params = Annotated[ListParams, Depends(list_params("Strategy", list(service.SORT_COLUMNS), "number"))]


@router.get("", name="strategies_list", summary="List strategies", response_model=Page[StrategyOut], responses=CSV_LIST)
def list_strategies(request: Request, session: DbSession, _actor: Reader, params: Params) -> Response:
    """The strategies of the roadmap Nära vård 2030, by number. Any reader; also as CSV."""
    page = page_of(request, service.list_page(session, params), service.SHAPE.render)
    return list_response(request, page, "strategies")


@router.post("", name="strategies_create", summary="Create a strategy", status_code=201, responses=DUPLICATE)
def create_strategy(request: Request, session: DbSession, actor: Admin, body: StrategyCreate) -> StrategyOut:
    """Create a strategy. Admins only. 409 `duplicate_number` when the number is taken."""
    s = service.create(session, actor, body)
    return created(request, s, service.SHAPE.one(session, s.id), "strategies_get")  # type: ignore[return-value]


@router.get("/{id}", name="strategies_get", summary="Get a strategy", response_model=StrategyOut)
def get_strategy(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One strategy. Any reader."""
    s = service.get(session, id)
    return answer(service.SHAPE.one(session, s.id), s)


@router.patch(
    "/{id}", name="strategies_update", summary="Update a strategy", response_model=StrategyOut, responses=DUPLICATE
)
def update_strategy(
    id: uuid.UUID,
    body: StrategyUpdate,
    session: DbSession,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent. Admins only."""
    s = service.get(session, id)
    check_if_match(if_match, s)
    service.update(session, actor, s, body)
    with_etag(response, s)
    return service.SHAPE.one(session, s.id)


@router.delete("/{id}", name="strategies_delete", summary="Delete a strategy", status_code=204)
def delete_strategy(id: uuid.UUID, session: DbSession, actor: Admin, if_match: IfMatch = None) -> Response:
    """Delete a strategy. Admins only."""
    s = service.get(session, id)
    check_if_match(if_match, s)
    service.remove(session, actor, s)
    return Response(status_code=204)
