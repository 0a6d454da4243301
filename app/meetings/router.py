"""HTTP for meetings, their attendance, and the iCalendar feed."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BeforeValidator
from sqlmodel import Session, col, select

from app.core.deps import PUBLIC_READ, DbSession, PublicReader, Reader, UrlTokenReader
from app.core.errors import not_found
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of, whole_list
from app.core.principal import Actor
from app.core.textsearch import text_query
from app.core.time import QueryDate
from app.meetings import ics, protocol, service
from app.meetings import items as agenda
from app.meetings.models import (
    AttendanceList,
    AttendanceOut,
    Meeting,
    MeetingCreate,
    MeetingOut,
    MeetingStatus,
    MeetingUpdate,
    NextNumber,
)
from app.organisations.models import Organisation

router = APIRouter(prefix="/meetings", tags=["meetings"])
calendar_router = APIRouter(tags=["meetings"])
Params = Annotated[ListParams, Depends(list_params("Meeting", list(service.SORT_COLUMNS), "-starts_at"))]
ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "iCalendar"}
}


def _split_commas(values: list[str] | None) -> list[str] | None:
    """`include=items,decisions` means what `include=items&include=decisions` means. An empty part is kept, so
    `include=` is refused as the contract says, not read as "nothing"."""
    if values is None:
        return None
    return [part.strip() for value in values for part in value.split(",")]


def _visible(session: Session, actor: Actor | None, ident: uuid.UUID) -> Meeting:
    """Without a token (public reading on), only held meetings exist."""
    meeting = service.get(session, ident)
    if actor is None and meeting.status not in service.PUBLISHED:
        raise not_found("meeting", ident)
    return meeting


@router.get(
    "",
    name="meetings_list",
    summary="List meetings",
    response_model=Page[MeetingOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def list_meetings(
    request: Request,
    session: DbSession,
    actor: PublicReader,
    params: Params,
    body_id: Annotated[uuid.UUID | None, Query(description="Meetings of this body (leading or joint).")] = None,
    status: Annotated[list[MeetingStatus] | None, Query()] = None,
    from_date: Annotated[QueryDate, Query(alias="from", description="Starting on or after (Stockholm date).")] = None,
    to_date: Annotated[QueryDate, Query(alias="to", description="Starting on or before.")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    person_id: Annotated[uuid.UUID | None, Query(description="Meetings this person attended.")] = None,
    q: Annotated[str | None, text_query("title, place or diary number")] = None,
) -> Response:
    """Meetings with their bodies, times, place and status. Filter by body and period. Any reader (and
    without a token, held meetings, when public reading is on); also as CSV."""
    flt = service.MeetingFilter(body_id, status, from_date, to_date, year, person_id, published_only=actor is None, q=q)
    result = service.list_page(session, flt, params)
    return list_response(request, page_of(request, result, service.SHAPE.render), "meetings")


@router.post("", name="meetings_create", summary="Plan a meeting", status_code=201)
def create_meeting(request: Request, session: DbSession, actor: Reader, body: MeetingCreate) -> MeetingOut:
    """Plan a meeting of one or more bodies (the first leads). Secretaries of the leading body and admins."""
    meeting = service.create(session, actor, body)
    return created(request, meeting, service.render(session, meeting), "meetings_get")  # type: ignore[return-value]


@router.get(
    "/{id}",
    name="meetings_get",
    summary="Get a meeting, optionally as its whole protocol",
    response_model=protocol.MeetingDetail,
    openapi_extra=PUBLIC_READ,
)
def get_meeting(
    id: uuid.UUID,
    session: DbSession,
    actor: PublicReader,
    include: Annotated[
        list[protocol.Include] | None,
        BeforeValidator(_split_commas),
        Query(description="Comma-separated or repeated: items, decisions, attendance, documents."),
    ] = None,
) -> Response:
    """One meeting; `include=items,decisions,attendance,documents` returns the whole protocol in one answer.
    Any reader (and without a token, a held meeting, when public reading is on)."""
    found = protocol.read(session, id, set(include or []), public_only=actor is None)
    return answer(found.detail, found)


@router.patch(
    "/{id}",
    name="meetings_update",
    summary="Update a meeting (also its status)",
    response_model=MeetingOut,
    responses=problems({409: ["invalid_transition"]}),
)
def update_meeting(
    id: uuid.UUID, body: MeetingUpdate, session: DbSession, actor: Reader, response: Response, if_match: IfMatch = None
) -> dict[str, Any]:
    """Change the fields sent; `status` moves planned → convened → held → minutes_approved (or cancelled),
    along the allowed transitions only (409 `invalid_transition`). Secretaries of one of the meeting's bodies and
    admins."""
    meeting = service.get(session, id)
    check_if_match(if_match, meeting)
    service.update(session, actor, meeting, body)
    with_etag(response, meeting)
    return service.render(session, meeting)


@router.delete(
    "/{id}", name="meetings_delete", summary="Delete a meeting", status_code=204, responses=problems({409: ["in_use"]})
)
def delete_meeting(id: uuid.UUID, session: DbSession, actor: Reader, if_match: IfMatch = None) -> Response:
    """Delete a meeting without agenda items (409 `in_use` otherwise). Secretaries of one of the meeting's
    bodies and admins."""
    meeting = service.get(session, id)
    check_if_match(if_match, meeting)
    service.remove(session, actor, meeting)
    return Response(status_code=204)


@router.get(
    "/{id}/attendance",
    name="attendance_list",
    summary="The meeting's attendance",
    response_model=Page[AttendanceOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def get_attendance(request: Request, id: uuid.UUID, session: DbSession, actor: PublicReader) -> Response:
    """Who was called to the meeting and who came, with their role (chair, member, substitute, …) and how it was
    recorded. Any reader."""
    meeting = _visible(session, actor, id)
    rows = service.attendance_of(session, meeting.id)
    return list_response(request, whole_list(request, rows), "attendance", of=meeting)


@router.put(
    "/{id}/attendance",
    name="attendance_replace",
    summary="Replace the whole attendance list",
    response_model=Page[AttendanceOut],
)
def replace_attendance(
    request: Request,
    id: uuid.UUID,
    body: AttendanceList,
    session: DbSession,
    actor: Reader,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Replace the meeting's whole attendance list with the one sent. Secretaries of one of the meeting's bodies
    and admins. Send If-Match with the list's ETag to avoid overwriting someone else's change."""
    # Locked first: concurrent replacements of one list queue up (the last one wins) rather than deadlock.
    meeting = service.get(session, id, for_update=True)
    check_if_match(if_match, meeting)
    service.replace_attendance(session, actor, meeting, body.attendance)
    with_etag(response, meeting)
    return whole_list(request, service.attendance_of(session, meeting.id))


@router.get("/{id}/next-item-number", name="meetings_next_item_number", summary="The next free item number")
def next_item_number(
    id: uuid.UUID, session: DbSession, _actor: Reader, body_id: Annotated[uuid.UUID | None, Query()] = None
) -> NextNumber:
    """The next free item number (§) on this meeting's agenda, counted per body for joint meetings. Any
    reader."""
    return agenda.next_number(session, service.get(session, id), body_id)


# Calendar apps cannot send headers: an API token may come as `token=`.
CalendarReader = UrlTokenReader


def _ics_response(session: Session, rows: list[Meeting], name: str) -> Response:
    names = dict(
        session.exec(
            select(Organisation.id, Organisation.name).where(col(Organisation.id).in_({m.lead_body_id for m in rows}))
        ).all()
    )
    body = ics.calendar([(m, names.get(m.lead_body_id, "")) for m in rows], name)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="meetings.ics"'},
    )


@calendar_router.get(
    "/meetings.ics",
    name="meetings_calendar",
    summary="Meetings as an iCalendar feed",
    responses=ICS,
    response_class=Response,
    openapi_extra=PUBLIC_READ,
)
def meetings_calendar(
    session: DbSession, actor: CalendarReader, body_id: Annotated[uuid.UUID | None, Query()] = None
) -> Response:
    """Meetings as an iCalendar (RFC 5545) feed for calendar apps. An API token may be given as `token=`
    for calendars that cannot send headers. Any reader (and without a token, held meetings, when public reading is
    on)."""
    stmt = select(Meeting).where(col(Meeting.deleted_at).is_(None))
    if body_id:
        stmt = stmt.where(
            col(Meeting.id).in_(select(service.MeetingBody.meeting_id).where(service.MeetingBody.body_id == body_id))
        )
    if actor is None:
        stmt = stmt.where(col(Meeting.status).in_(service.PUBLISHED))
    rows = list(session.exec(stmt.order_by(col(Meeting.starts_at)).limit(2000)))
    return _ics_response(session, rows, "Regional samverkan: möten")


@calendar_router.get(
    "/meetings/{id}.ics",
    name="meetings_calendar_one",
    summary="One meeting as iCalendar",
    responses=ICS,
    response_class=Response,
    openapi_extra=PUBLIC_READ,
)
def meeting_calendar(id: uuid.UUID, session: DbSession, actor: CalendarReader) -> Response:
    """One meeting as an iCalendar event, to add to a calendar. Any reader (and without a token, a held
    meeting, when public reading is on)."""
    meeting = _visible(session, actor, id)
    return _ics_response(session, [meeting], "Regional samverkan: möte")
