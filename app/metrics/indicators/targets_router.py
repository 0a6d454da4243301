"""HTTP for targets of indicators."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import PUBLIC_READ, DbSession, FundManager, PublicReader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.metrics import scopes
from app.metrics.indicators import targets
from app.metrics.indicators.models import TargetCreate, TargetOut, TargetUpdate
from app.metrics.models import Gender

router = APIRouter(prefix="/targets", tags=["metrics"])
Params = Annotated[ListParams, Depends(list_params("Target", list(targets.SORT_COLUMNS), "period"))]
OVERLAPS = "target_overlaps"


@router.get(
    "",
    name="targets_list",
    summary="List targets",
    response_model=Page[TargetOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def list_targets(
    request: Request,
    session: DbSession,
    _actor: PublicReader,
    params: Params,
    indicator_id: uuid.UUID | None = None,
    scope: Annotated[str | None, Query(max_length=40, description=scopes.DESCRIPTION)] = None,
    gender: Gender | None = None,
) -> Response:
    """Targets of the indicators, the earliest period first. Any reader; also as CSV."""
    flt = targets.TargetFilter(indicator_id, scopes.resolve(session, scope) if scope else None, gender)
    result = targets.list_page(session, flt, params)
    return list_response(request, page_of(request, result, targets.SHAPE.render), "targets")


@router.post("", name="targets_create", summary="Set a target", status_code=201, responses=problems({409: [OVERLAPS]}))
def create_target(request: Request, session: DbSession, actor: FundManager, body: TargetCreate) -> TargetOut:
    """A target for an indicator in a scope (`county`, a sub-region or a principal, by id or municipality code)
    and gender, from `period_from` on. `tolerance` only with `eq`; `female`/`male` only for an indicator split by
    gender. 409 `target_overlaps` (with `existing_id`) when another target of the indicator, scope and gender
    covers one of its periods. Admins and fund managers."""
    target = targets.create_target(session, actor, body)
    return created(request, target, targets.render(session, target), "targets_get")  # type: ignore[return-value]


@router.get("/{id}", name="targets_get", summary="Get a target", response_model=TargetOut, openapi_extra=PUBLIC_READ)
def get_target(id: uuid.UUID, session: DbSession, _actor: PublicReader) -> Response:
    """One target, with an `ETag` for a later If-Match. Any reader."""
    target = targets.get_target(session, id)
    return answer(targets.render(session, target), target)


@router.patch(
    "/{id}",
    name="targets_update",
    summary="Update a target",
    response_model=TargetOut,
    responses=problems({409: [OVERLAPS]}),
)
def update_target(
    id: uuid.UUID,
    body: TargetUpdate,
    session: DbSession,
    actor: FundManager,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent, e.g. `period_to` to end a target before a new one begins. The same rules as a
    new target. Admins and fund managers."""
    target = targets.get_target(session, id)
    check_if_match(if_match, target)
    targets.update_target(session, actor, target, body)
    with_etag(response, target)
    return targets.render(session, target)


@router.delete("/{id}", name="targets_delete", summary="Delete a target", status_code=204)
def delete_target(id: uuid.UUID, session: DbSession, actor: FundManager, if_match: IfMatch = None) -> Response:
    """Delete a target. Admins and fund managers."""
    target = targets.get_target(session, id)
    check_if_match(if_match, target)
    targets.remove_target(session, actor, target)
    return Response(status_code=204)
