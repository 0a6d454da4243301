"""Rules for meetings and their attendance: who may edit them, status transitions, times, the attendance list."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import String, bindparam, case, cast, delete, func
from sqlalchemy import update as sql_update
from sqlmodel import Session, col, select

from app.core import crud
from app.core.audit import AuditAction, record
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import execute, id_array, shape
from app.core.textsearch import TextFields, matching
from app.core.time import STOCKHOLM, local, to_utc
from app.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceIn,
    AttendanceOut,
    AttendanceRole,
    AttendanceStatus,
    Meeting,
    MeetingAdjuster,
    MeetingBody,
    MeetingCreate,
    MeetingOut,
    MeetingStatus,
    MeetingUpdate,
    RecordSource,
)
from app.organisations.models import BODY_KINDS, Organisation
from app.people.models import Person

KIND = "meeting"
SORT_COLUMNS: SortColumns = {
    "starts_at": col(Meeting.starts_at),
    "title": col(Meeting.title_sort),
    "created_at": col(Meeting.created_at),
    "updated_at": col(Meeting.updated_at),
}
TEXT_FIELDS: TextFields = (col(Meeting.title), col(Meeting.place), col(Meeting.diary_number))
_number = col(AgendaItem.number_value)
_lo, _hi = cast(func.min(_number), String), cast(func.max(_number), String)
# A meeting as it is shown: its bodies (the lead first), adjusters and item range come in the row's own statement.
SHAPE = shape(
    Meeting,
    MeetingOut,
    computed={
        "body_ids": id_array(
            select(MeetingBody.body_id).where(MeetingBody.meeting_id == Meeting.id).order_by(col(MeetingBody.position))
        ),
        "adjuster_ids": id_array(
            select(MeetingAdjuster.person_id)
            .where(MeetingAdjuster.meeting_id == Meeting.id)
            .order_by(col(MeetingAdjuster.person_id))
        ),
        "item_range": select(case((func.min(_number) == func.max(_number), _lo), else_=_lo + "-" + _hi))
        .where(AgendaItem.meeting_id == Meeting.id, col(AgendaItem.deleted_at).is_(None))
        .scalar_subquery(),
    },
    # Meeting times are shown in Europe/Stockholm (API.md).
    convert={"starts_at": local, "ends_at": local},
)
# Where a meeting's status may go next. Cancelling is possible until the minutes are approved.
TRANSITIONS: dict[MeetingStatus, set[MeetingStatus]] = {
    MeetingStatus.planned: {MeetingStatus.convened, MeetingStatus.held, MeetingStatus.cancelled},
    MeetingStatus.convened: {MeetingStatus.planned, MeetingStatus.held, MeetingStatus.cancelled},
    MeetingStatus.held: {MeetingStatus.minutes_approved, MeetingStatus.convened},
    MeetingStatus.minutes_approved: {MeetingStatus.held},
    MeetingStatus.cancelled: {MeetingStatus.planned},
}
PUBLISHED = (MeetingStatus.held, MeetingStatus.minutes_approved)


@dataclass(frozen=True)
class MeetingFilter:
    body_id: uuid.UUID | None = None
    status: list[MeetingStatus] | None = None
    from_date: date | None = None
    to_date: date | None = None
    year: int | None = None
    person_id: uuid.UUID | None = None
    published_only: bool = False
    q: str | None = None


def get(session: Session, ident: uuid.UUID, *, for_update: bool = False) -> Meeting:
    return crud.get_live(session, Meeting, ident, KIND, for_update=for_update)


def body_ids_of(session: Session, meeting_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    out: dict[uuid.UUID, list[uuid.UUID]] = {i: [] for i in meeting_ids}
    if meeting_ids:
        rows = session.exec(
            select(MeetingBody).where(col(MeetingBody.meeting_id).in_(meeting_ids)).order_by(col(MeetingBody.position))
        )
        for row in rows:
            out[row.meeting_id].append(row.body_id)
    return out


def require_secretary(session: Session, actor: Actor, meeting: Meeting) -> None:
    """Secretaries edit the meetings of their own bodies only; admins all."""
    if actor.is_admin:
        return
    bodies = body_ids_of(session, [meeting.id])[meeting.id]
    if not any(actor.holds(Role.secretary, b) for b in bodies):
        raise Forbidden("Only a secretary of one of the meeting's bodies may change it.", code="missing_role")


def _in_utc(loc: str | tuple[str | int, ...], value: datetime) -> datetime:
    """A client's time in UTC. Near year 1 or 9999 UTC may fall outside the calendar: a named 422, not a 500."""
    try:
        return to_utc(value)
    except OverflowError:
        raise ValidationFailed(loc, "is out of range", type="datetime_out_of_range") from None


def _stockholm_midnight(day: date, param: str, days_after: int = 0) -> datetime:
    """The start of a Stockholm day, in UTC, for the date filters."""
    try:
        day += timedelta(days=days_after)
    except OverflowError:
        raise ValidationFailed(("query", param), "is out of range", type="date_out_of_range") from None
    return _in_utc(("query", param), datetime.combine(day, datetime.min.time(), STOCKHOLM))


def list_page(session: Session, flt: MeetingFilter, params: ListParams) -> PageResult:
    stmt = matching(SHAPE.select(), TEXT_FIELDS, flt.q)
    if flt.body_id:
        stmt = stmt.where(col(Meeting.id).in_(select(MeetingBody.meeting_id).where(MeetingBody.body_id == flt.body_id)))
    if flt.status:
        stmt = stmt.where(col(Meeting.status).in_(flt.status))
    if flt.published_only:
        stmt = stmt.where(col(Meeting.status).in_(PUBLISHED))
    if flt.year:
        stmt = stmt.where(
            col(Meeting.starts_at) >= _stockholm_midnight(date(flt.year, 1, 1), "year"),
            col(Meeting.starts_at) < _stockholm_midnight(date(flt.year, 12, 31), "year", days_after=1),
        )
    if flt.from_date:
        stmt = stmt.where(col(Meeting.starts_at) >= _stockholm_midnight(flt.from_date, "from"))
    if flt.to_date:
        stmt = stmt.where(col(Meeting.starts_at) < _stockholm_midnight(flt.to_date, "to", days_after=1))
    if flt.person_id:
        stmt = stmt.where(
            col(Meeting.id).in_(
                select(Attendance.meeting_id).where(
                    Attendance.person_id == flt.person_id, Attendance.status == AttendanceStatus.present
                )
            )
        )
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def render(session: Session, meeting: Meeting) -> dict[str, Any]:
    return SHAPE.one(session, meeting.id)


def _check_bodies(session: Session, body_ids: list[uuid.UUID]) -> None:
    if len(set(body_ids)) != len(body_ids):
        raise ValidationFailed("body_ids", "a body is listed twice")
    found = {
        o.id: o
        for o in session.exec(
            select(Organisation).where(col(Organisation.id).in_(body_ids), col(Organisation.deleted_at).is_(None))
        )
    }
    for i, body_id in enumerate(body_ids):
        if body_id not in found:
            raise ValidationFailed(("body", "body_ids", i), "no such organisation")
        if found[body_id].kind not in BODY_KINDS:
            raise ValidationFailed(("body", "body_ids", i), "is not a body (joint body or working group)")


def _check_people(session: Session, field: str, ids: list[uuid.UUID]) -> None:
    if not ids:
        return
    found = set(session.exec(select(Person.id).where(col(Person.id).in_(ids), col(Person.deleted_at).is_(None))))
    for i, pid in enumerate(ids):
        if pid not in found:
            loc: tuple[str | int, ...] = ("body", field, i) if field.endswith("_ids") else ("body", field)
            raise ValidationFailed(loc, "no such person")


def _check_times(meeting: Meeting) -> None:
    if meeting.ends_at is not None and meeting.ends_at <= meeting.starts_at:
        raise ValidationFailed("ends_at", "must be after starts_at")


def _store_bodies(session: Session, meeting: Meeting, body_ids: list[uuid.UUID]) -> None:
    session.execute(delete(MeetingBody).where(col(MeetingBody.meeting_id) == meeting.id))
    for position, body_id in enumerate(body_ids):
        session.add(MeetingBody(meeting_id=meeting.id, body_id=body_id, position=position))
    meeting.lead_body_id = body_ids[0]


def _store_adjusters(session: Session, meeting: Meeting, person_ids: list[uuid.UUID]) -> None:
    session.execute(delete(MeetingAdjuster).where(col(MeetingAdjuster.meeting_id) == meeting.id))
    for pid in dict.fromkeys(person_ids):
        session.add(MeetingAdjuster(meeting_id=meeting.id, person_id=pid))


def create(session: Session, actor: Actor, data: MeetingCreate, source: RecordSource = RecordSource.manual) -> Meeting:
    if not actor.is_admin and not actor.holds(Role.secretary, data.body_ids[0]):
        raise Forbidden("Only a secretary of the leading body may plan its meetings.", code="missing_role")
    _check_bodies(session, data.body_ids)
    _check_people(session, "chair_id", [data.chair_id] if data.chair_id else [])
    _check_people(session, "adjuster_ids", data.adjuster_ids or [])
    fields = data.model_dump(exclude={"body_ids", "adjuster_ids"})
    fields["starts_at"] = _in_utc("starts_at", data.starts_at)
    fields["ends_at"] = _in_utc("ends_at", data.ends_at) if data.ends_at else None
    if fields["online"] is None:
        fields["online"] = (data.place or "").casefold() == "teams"
    meeting = Meeting(**fields, lead_body_id=data.body_ids[0], source=source)
    _check_times(meeting)
    crud.create(session, actor, meeting, KIND, data.model_dump(mode="json", exclude_none=True))
    _store_bodies(session, meeting, data.body_ids)
    _store_adjusters(session, meeting, data.adjuster_ids or [])
    session.flush()
    return meeting


def update(
    session: Session, actor: Actor, meeting: Meeting, data: MeetingUpdate, source: RecordSource = RecordSource.manual
) -> Meeting:
    """`source`: who wrote the change (an edit through the API is `manual`, so an import will not overwrite it)."""
    require_secretary(session, actor, meeting)
    changes = data.model_dump(exclude_unset=True, exclude={"body_ids", "adjuster_ids"})
    for field in ("starts_at", "ends_at"):
        if changes.get(field) is not None:
            changes[field] = _in_utc(field, changes[field])
    if changes.get("status") is not None and changes["status"] != meeting.status:
        allowed = TRANSITIONS[meeting.status]
        if changes["status"] not in allowed:
            raise Conflict(
                f"A {meeting.status} meeting cannot become {changes['status']}; allowed: {', '.join(sorted(allowed))}.",
                code="invalid_transition",
            )
    diff = crud.apply_changes(meeting, changes, required={"kind", "status", "starts_at", "online"})
    _check_times(meeting)
    if meeting.chair_id:
        _check_people(session, "chair_id", [meeting.chair_id])
    if data.body_ids is not None:
        _check_bodies(session, data.body_ids)
        if not actor.is_admin and not actor.holds(Role.secretary, data.body_ids[0]):
            raise Forbidden("Only a secretary of the new leading body may hand the meeting to it.", code="missing_role")
    if data.adjuster_ids is not None:
        _check_people(session, "adjuster_ids", data.adjuster_ids)
    if data.body_ids is not None:
        _store_bodies(session, meeting, data.body_ids)
        diff["body_ids"] = [None, [str(b) for b in data.body_ids]]
    if data.adjuster_ids is not None:
        _store_adjusters(session, meeting, data.adjuster_ids)
        diff["adjuster_ids"] = [None, [str(p) for p in data.adjuster_ids]]
    if "starts_at" in diff:
        _renumber_year(session, meeting)
    crud.mark_source(meeting, source, diff)
    crud.save_update(session, actor, meeting, KIND, diff)
    return meeting


def _renumber_year(session: Session, meeting: Meeting) -> None:
    """Items follow their meeting into another year, so 'the next free number' counts them there."""
    year = local(meeting.starts_at).year
    session.execute(
        sql_update(AgendaItem)
        .where(col(AgendaItem.meeting_id) == meeting.id, col(AgendaItem.year) != year)
        .values(year=year)
    )


def remove(session: Session, actor: Actor, meeting: Meeting) -> None:
    require_secretary(session, actor, meeting)
    live_items = select(AgendaItem.id).where(AgendaItem.meeting_id == meeting.id, col(AgendaItem.deleted_at).is_(None))
    if session.exec(live_items).first():
        raise Conflict("The meeting has agenda items; delete them first.", code="in_use")
    crud.soft_delete(session, actor, meeting, KIND)


# --- attendance ---


# An attendance row as it is shown: only the person's name and party, joined in the same statement.
ATTENDANCE_SHAPE = shape(
    Attendance,
    AttendanceOut,
    computed={
        "person_name": col(Person.given_name) + " " + col(Person.family_name),
        "party": col(Person.party).label("party"),
    },
    # Meeting times are shown in Europe/Stockholm (API.md), join and leave times too.
    convert={"joined_at": local, "left_at": local},
)


# Built once, run with the meeting's id as its parameter.
_ATTENDANCE = (
    ATTENDANCE_SHAPE.select()
    .join(Person, col(Person.id) == Attendance.person_id)
    .where(col(Attendance.meeting_id) == bindparam("meeting_id"))
    .order_by(col(Attendance.position))
)


def attendance_of(session: Session, meeting_id: uuid.UUID) -> list[dict[str, Any]]:
    """A meeting's attendance list as it is shown, with names, in one statement."""
    return [ATTENDANCE_SHAPE.render(row) for row in execute(session, _ATTENDANCE, {"meeting_id": meeting_id})]


def _check_attendance(session: Session, meeting: Meeting, entries: list[AttendanceIn]) -> None:
    bodies = set(body_ids_of(session, [meeting.id])[meeting.id])
    seen: dict[uuid.UUID, int] = {}
    for i, e in enumerate(entries):
        loc = ("body", "attendance", i)
        if e.person_id in seen:
            raise ValidationFailed((*loc, "person_id"), f"the person is already listed at position {seen[e.person_id]}")
        seen[e.person_id] = i
        if e.role is AttendanceRole.substitute and e.substitute_for_id is None:
            raise ValidationFailed((*loc, "substitute_for_id"), "a substitute must name whom they replace")
        if e.substitute_for_id is not None and e.substitute_for_id == e.person_id:
            raise ValidationFailed((*loc, "substitute_for_id"), "a person cannot replace themselves")
        if e.body_id is not None and e.body_id not in bodies:
            raise ValidationFailed((*loc, "body_id"), "is not one of the meeting's bodies")
        for field in ("joined_at", "left_at"):
            if getattr(e, field) is not None:
                _in_utc((*loc, field), getattr(e, field))
        if e.joined_at and e.left_at and e.left_at < e.joined_at:
            raise ValidationFailed((*loc, "left_at"), "is before joined_at")
    wanted = {e.person_id for e in entries} | {e.substitute_for_id for e in entries if e.substitute_for_id}
    found = set(session.exec(select(Person.id).where(col(Person.id).in_(wanted), col(Person.deleted_at).is_(None))))
    for i, e in enumerate(entries):
        for field in ("person_id", "substitute_for_id"):
            value = getattr(e, field)
            if value is not None and value not in found:
                raise ValidationFailed(("body", "attendance", i, field), "no such person")
    behalf = {e.on_behalf_of_id for e in entries if e.on_behalf_of_id}
    if behalf:
        principals = set(
            session.exec(
                select(Organisation.id).where(
                    col(Organisation.id).in_(behalf),
                    col(Organisation.is_principal),
                    col(Organisation.deleted_at).is_(None),
                )
            )
        )
        for i, e in enumerate(entries):
            if e.on_behalf_of_id is not None and e.on_behalf_of_id not in principals:
                raise ValidationFailed(("body", "attendance", i, "on_behalf_of_id"), "is not a principal")


def replace_attendance(session: Session, actor: Actor, meeting: Meeting, entries: list[AttendanceIn]) -> None:
    """The whole list at once: what is not in it is no longer recorded."""
    require_secretary(session, actor, meeting)
    _check_attendance(session, meeting, entries)
    session.execute(delete(Attendance).where(col(Attendance.meeting_id) == meeting.id))
    for position, e in enumerate(entries):
        session.add(Attendance(meeting_id=meeting.id, position=position, **e.model_dump()))
    # The list is part of the meeting's record: its ETag and updated_at move with it.
    meeting.updated_at = utcnow()
    session.add(meeting)
    session.flush()
    record(session, actor, AuditAction.update, KIND, meeting.id, {"attendance": [None, len(entries)]})
