"""A meeting read back as one document: its items, decisions, attendance and documents, in a constant
number of queries whatever the meeting's size (the protocol a coordinator reads)."""

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Uuid, bindparam, union_all
from sqlalchemy.sql import Select
from sqlmodel import Field, Session, col, select

from app.core.errors import not_found
from app.core.reads import execute
from app.decisions import reads as decisions
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


def _decisions(public_only: bool) -> Select[Any]:
    """The live decisions under the items shown, in agenda order and then each item's order."""
    return (
        decisions.select_shown()
        .join(AgendaItem, col(AgendaItem.id) == Decision.agenda_item_id)
        .where(col(Decision.agenda_item_id).in_(agenda.item_ids_of(public_only)), col(Decision.deleted_at).is_(None))
        .order_by(col(AgendaItem.position), col(AgendaItem.id), col(Decision.position), col(Decision.id))
    )


# Built once, each run with the meeting's id as its one parameter (building a statement and its cache key costs
# more than running it on a meeting's few rows). Documents are never shown to the public.
# The meeting's row carries its version for the ETag, so the read needs no ORM load of it; without a token
# (public reading) only a held meeting exists.
_MEETING = {
    public_only: meetings.SHAPE.select()
    .add_columns(col(Meeting.version).label("_version"))
    .where(
        col(Meeting.id) == bindparam("meeting_id"),
        col(Meeting.deleted_at).is_(None),
        *([col(Meeting.status).in_(meetings.PUBLISHED)] if public_only else []),
    )
    for public_only in (False, True)
}
_DECISIONS = {p: _decisions(p) for p in (False, True)}
_DOCUMENTS = documents.linked_to(
    union_all(select(bindparam("meeting_id", type_=Uuid)), agenda.item_ids_of(public_only=False))
)


@dataclass(frozen=True)
class Read:
    detail: dict[str, Any]
    id: uuid.UUID
    version: int  # for the ETag


def read(session: Session, meeting_id: uuid.UUID, include: set[Include], public_only: bool) -> Read:
    """The meeting as plain data, in MeetingDetail's shape: the parts not asked for are null. Each part is one
    statement (the items' presenters and the documents' links one more each), whatever the meeting's size; the
    items shown are the live ones (the public ones only, for public reading), and decisions follow them."""
    session.flush()
    params = {"meeting_id": meeting_id}
    row = execute(session, _MEETING[public_only], params).one_or_none()
    if row is None:
        raise not_found("meeting", meeting_id)
    detail = meetings.SHAPE.render(row) | dict.fromkeys(("items", "decisions", "attendance", "documents"))
    if Include.items in include:
        detail["items"] = agenda.shown_items(session, meeting_id, public_only=public_only)
    if Include.decisions in include:
        detail["decisions"] = [decisions.render(row) for row in execute(session, _DECISIONS[public_only], params)]
    if Include.attendance in include:
        detail["attendance"] = meetings.attendance_of(session, meeting_id)
    if Include.documents in include and not public_only:
        detail["documents"] = documents.for_targets(session, _DOCUMENTS, params)
    return Read(detail, meeting_id, row._mapping["_version"])
