"""A meeting read back as one document: its items, decisions, attendance and documents, in a constant
number of queries whatever the meeting's size (the protocol a coordinator reads)."""

from enum import StrEnum
from typing import Any

from sqlalchemy import Uuid, literal, union_all
from sqlmodel import Field, Session, col, select

from app.core.reads import execute
from app.decisions import service as decisions
from app.decisions.models import Decision, DecisionOut
from app.documents import service as documents
from app.documents.models import DocumentOut
from app.meetings import items as agenda
from app.meetings import service as meetings
from app.meetings.models import AgendaItem, AgendaItemOut, AttendanceOut, Meeting, MeetingOut


class Include(StrEnum):
    """Parts of a meeting to return with it."""

    items = "items"
    decisions = "decisions"
    attendance = "attendance"
    documents = "documents"


class MeetingDetail(MeetingOut):
    """A meeting, with its items, decisions, attendance and documents when asked for with `include`."""

    items: list[AgendaItemOut] | None = Field(default=None, description="With include=items.")
    decisions: list[DecisionOut] | None = Field(default=None, description="With include=decisions.")
    attendance: list[AttendanceOut] | None = Field(default=None, description="With include=attendance.")
    documents: list[DocumentOut] | None = Field(default=None, description="With include=documents.")


def read(session: Session, meeting: Meeting, include: set[Include], public_only: bool) -> dict[str, Any]:
    """The meeting as plain data, in MeetingDetail's shape: the parts not asked for are null. Each part is one
    statement (the items' presenters and the documents' links one more each), whatever the meeting's size."""
    detail = meetings.render(session, meeting) | dict.fromkeys(("items", "decisions", "attendance", "documents"))
    # The items shown: live ones, and for public reading the public ones only; decisions and documents follow them.
    item_ids = agenda.item_ids_of(meeting.id, public_only=public_only)
    if Include.items in include:
        detail["items"] = agenda.shown_items(session, meeting.id, public_only=public_only)
    if Include.decisions in include:
        stmt = (
            decisions.select_shown()
            .join(AgendaItem, col(AgendaItem.id) == Decision.agenda_item_id)
            .where(col(Decision.agenda_item_id).in_(item_ids), col(Decision.deleted_at).is_(None))
            .order_by(col(AgendaItem.position), col(AgendaItem.id), col(Decision.position), col(Decision.id))
        )
        detail["decisions"] = [decisions.render(row) for row in execute(session, stmt)]
    if Include.attendance in include:
        detail["attendance"] = meetings.attendance_of(session, meeting.id)
    if Include.documents in include and not public_only:
        targets = union_all(select(literal(meeting.id, Uuid)), item_ids)
        detail["documents"] = documents.for_targets(session, targets)
    return detail
