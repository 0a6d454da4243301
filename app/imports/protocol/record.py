"""A meeting's record as an import finds it: the meeting a protocol is about, read once for the plan, and
fingerprinted, so applying can tell whether it is still the record the plan was made from."""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import Session, col, select

from app.core.time import STOCKHOLM, local_date, to_utc
from app.decisions.models import Decision
from app.meetings.models import AgendaItem, Attendance, ItemPresenter, Meeting, MeetingAdjuster, MeetingBody


@dataclass
class Record:
    """The meeting's record as it stands, read in a constant number of queries."""

    meeting: Meeting
    body_ids: list[uuid.UUID]
    adjuster_ids: list[uuid.UUID]
    items: list[AgendaItem]
    presenters: dict[uuid.UUID, list[ItemPresenter]]
    decisions: dict[uuid.UUID, list[Decision]]
    attendance: list[Attendance]

    @classmethod
    def load(cls, session: Session, meeting: Meeting) -> "Record":
        items = list(
            session.exec(
                select(AgendaItem)
                .where(AgendaItem.meeting_id == meeting.id, col(AgendaItem.deleted_at).is_(None))
                .order_by(col(AgendaItem.position), col(AgendaItem.id))
            )
        )
        ids = [i.id for i in items]
        presenters: dict[uuid.UUID, list[ItemPresenter]] = {i: [] for i in ids}
        for p in session.exec(
            select(ItemPresenter).where(col(ItemPresenter.item_id).in_(ids)).order_by(col(ItemPresenter.position))
        ):
            presenters[p.item_id].append(p)
        decisions: dict[uuid.UUID, list[Decision]] = {i: [] for i in ids}
        for d in session.exec(
            select(Decision)
            .where(Decision.meeting_id == meeting.id, col(Decision.deleted_at).is_(None))
            .order_by(col(Decision.position), col(Decision.created_at))
        ):
            decisions.setdefault(d.agenda_item_id, []).append(d)
        bodies = session.exec(
            select(MeetingBody.body_id).where(MeetingBody.meeting_id == meeting.id).order_by(col(MeetingBody.position))
        )
        adjusters = session.exec(select(MeetingAdjuster.person_id).where(MeetingAdjuster.meeting_id == meeting.id))
        attendance = session.exec(
            select(Attendance).where(Attendance.meeting_id == meeting.id).order_by(col(Attendance.position))
        )
        return cls(meeting, list(bodies), sorted(adjusters, key=str), items, presenters, decisions, list(attendance))

    def fingerprint(self) -> str:
        """Changes whenever anything the plan was made from changes (versions, and the rows that have none)."""
        state = {
            "meeting": [str(self.meeting.id), self.meeting.version],
            "bodies": [str(b) for b in self.body_ids],
            "adjusters": [str(a) for a in self.adjuster_ids],
            "items": [[str(i.id), i.version] for i in self.items],
            "presenters": [
                [str(p.item_id), p.position, str(p.person_id), p.name, p.organisation]
                for rows in self.presenters.values()
                for p in rows
            ],
            "decisions": [[str(d.id), d.version] for rows in self.decisions.values() for d in rows],
            "attendance": [a.model_dump(mode="json", exclude={"id"}) for a in self.attendance],
        }
        return hashlib.sha256(json.dumps(state, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def presenters_of(session: Session, item_id: uuid.UUID) -> list[ItemPresenter]:
    return list(
        session.exec(
            select(ItemPresenter).where(ItemPresenter.item_id == item_id).order_by(col(ItemPresenter.position))
        )
    )


def existing_meeting(session: Session, body_id: uuid.UUID, starts: datetime, diary: str | None) -> Meeting | None:
    """The same body's meeting on the same day (and with the same diary number, when both have one)."""
    day = local_date(starts)
    lo = to_utc(datetime.combine(day, time.min).replace(tzinfo=STOCKHOLM))
    hi = to_utc(datetime.combine(day, time.max).replace(tzinfo=STOCKHOLM))
    candidates = session.exec(
        select(Meeting).where(
            col(Meeting.id).in_(select(MeetingBody.meeting_id).where(MeetingBody.body_id == body_id)),
            col(Meeting.starts_at) >= lo,
            col(Meeting.starts_at) <= hi,
            col(Meeting.deleted_at).is_(None),
        )
    ).all()
    for m in candidates:
        if not diary or not m.diary_number or m.diary_number == diary:
            return m
    return None
