"""HTTP for agenda items."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import PUBLIC_READ, DbSession, PublicReader, Reader
from app.core.errors import not_found
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.meetings import items as service
from app.meetings import service as meetings
from app.meetings.models import AgendaItemCreate, AgendaItemOut, AgendaItemUpdate, ItemKind

router = APIRouter(prefix="/agenda-items", tags=["agenda-items"])
DUPLICATE_NUMBER = problems({409: ["duplicate_item_number"]})
Params = Annotated[ListParams, Depends(list_params("AgendaItem", list(service.SORT_COLUMNS), "position"))]


@router.get(
    "",
    name="agenda_items_list",
    summary="List agenda items",
    response_model=Page[AgendaItemOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def list_items(
    request: Request,
    session: DbSession,
    actor: PublicReader,
    params: Params,
    meeting_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    body_id: uuid.UUID | None = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    kind: Annotated[list[ItemKind] | None, Query()] = None,
) -> Response:
    """Agenda items (§) with their meeting, case, presenters and format. Any reader (and without a token,
    items of held meetings, when public reading is on); also as CSV."""
    flt = service.ItemFilter(meeting_id, case_id, body_id, year, kind, public_only=actor is None)
    result = service.list_page(session, flt, params)
    page = page_of(request, result, service.SHAPE.render)
    service.with_presenters(session, (i for i in page["data"] if "presenters" in i))
    return list_response(request, page, "agenda-items")


@router.post(
    "",
    name="agenda_items_create",
    summary="Put an item on a meeting's agenda",
    status_code=201,
    responses=problems({404: ["not_found"], 409: ["duplicate_item_number"]}),
)
def create_item(request: Request, session: DbSession, actor: Reader, body: AgendaItemCreate) -> AgendaItemOut:
    """Put an item on a meeting's agenda, optionally linked to cases and with presenters. Secretaries of one of
    the meeting's bodies and admins. 409 `duplicate_item_number` when the number is taken on that agenda."""
    item = service.create(session, actor, body)
    return created(request, item, service.render(session, item), "agenda_items_get")  # type: ignore[return-value]


@router.get(
    "/{id}",
    name="agenda_items_get",
    summary="Get an agenda item",
    response_model=AgendaItemOut,
    openapi_extra=PUBLIC_READ,
)
def get_item(id: uuid.UUID, session: DbSession, actor: PublicReader) -> Response:
    """One agenda item. Any reader (and without a token, an item of a held meeting, when public reading is
    on)."""
    item = service.get(session, id)
    if actor is None:
        meeting = meetings.get(session, item.meeting_id)
        if not item.public or meeting.status not in meetings.PUBLISHED:
            raise not_found("agenda_item", id)
    return answer(service.render(session, item), item)


@router.patch(
    "/{id}",
    name="agenda_items_update",
    summary="Update an agenda item",
    response_model=AgendaItemOut,
    responses=DUPLICATE_NUMBER,
)
def update_item(
    id: uuid.UUID,
    body: AgendaItemUpdate,
    session: DbSession,
    actor: Reader,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent. Secretaries of one of the meeting's bodies and admins."""
    item = service.get(session, id)
    check_if_match(if_match, item)
    service.update(session, actor, item, body)
    with_etag(response, item)
    return service.render(session, item)


@router.delete(
    "/{id}",
    name="agenda_items_delete",
    summary="Delete an agenda item",
    status_code=204,
    responses=problems({409: ["in_use"]}),
)
def delete_item(id: uuid.UUID, session: DbSession, actor: Reader, if_match: IfMatch = None) -> Response:
    """Delete an item without decisions (409 `in_use` otherwise). Secretaries of one of the meeting's bodies
    and admins."""
    item = service.get(session, id)
    check_if_match(if_match, item)
    service.remove(session, actor, item)
    return Response(status_code=204)
