"""A meeting read back as one document: its items, decisions, attendance and documents, in a constant
number of queries whatever the meeting's size (the protocol a coordinator reads)."""

from enum import StrEnum
from typing import Any

from sqlmodel import Field, Session, col, select

from app.decisions import service as decisions
from app.decisions.models import Decision, DecisionOut
from app.documents import service as documents
from app.documents.models import DocumentOut
from app.meetings import items as agenda
from app.meetings import service as meetings
from app.meetings.models import AgendaItemOut, AttendanceOut, Meeting, MeetingOut


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
    """The meeting as plain data, in MeetingDetail's shape: the parts not asked for are null."""
    detail = meetings.render(session, meeting) | dict.fromkeys(("items", "decisions", "attendance", "documents"))
    items = agenda.items_of(session, meeting.id, public_only=public_only)
    if Include.items in include:
        rendered = agenda.render_many(session, items)
        detail["items"] = [rendered[i.id] for i in items]
    if Include.decisions in include:
        rows = list(
            session.exec(
                select(Decision)
                .where(col(Decision.agenda_item_id).in_([i.id for i in items]), col(Decision.deleted_at).is_(None))
                .order_by(col(Decision.position), col(Decision.id))
            )
        )
        order = {i.id: n for n, i in enumerate(items)}
        rows.sort(key=lambda d: (order[d.agenda_item_id], d.position))
        rendered_decisions = decisions.render_many(session, rows)
        detail["decisions"] = [rendered_decisions[d.id] for d in rows]
    if Include.attendance in include:
        detail["attendance"] = meetings.attendance_of(session, [meeting.id])[meeting.id]
    if Include.documents in include and not public_only:
        docs = documents.for_targets(session, [meeting.id, *(i.id for i in items)])
        rendered_docs = documents.render_many(session, docs)
        detail["documents"] = [rendered_docs[d.id] for d in docs]
    return detail
