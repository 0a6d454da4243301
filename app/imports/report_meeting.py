"""Which meeting an attendance report in a folder belongs to: the one on the report's own date and start time,
among the meetings of the bodies the folder belongs to. None, or more than one, is said and nothing is imported;
a report never falls back to another meeting (a report of 2025-03-12 once went into a meeting years earlier).

The folder's bodies are those of its protocols' meetings and the body the folder (or zip) is named after.
The candidates are the meetings already recorded and those the folder's protocols are about to create.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath

from sqlmodel import Session, col, select

from app.core.time import STOCKHOLM, local, local_date, to_utc
from app.imports.matching import OrganisationIndex
from app.imports.models import ProtocolPlan
from app.meetings.models import Meeting, MeetingBody, MeetingStatus

# Teams opens the meeting early and people join late: a report starts up to an hour before the meeting, or any
# time before its end (four hours when the end is not recorded).
EARLY = timedelta(hours=1)
DEFAULT_LENGTH = timedelta(hours=4)


@dataclass(frozen=True)
class Candidate:
    key: str  # what the plan shows: the diary number, else the local start
    meeting_id: uuid.UUID | None  # None: the meeting a protocol of the folder creates
    starts_at: datetime
    ends_at: datetime | None

    def holds(self, instant: datetime) -> bool:
        return self.starts_at - EARLY <= instant <= (self.ends_at or self.starts_at + DEFAULT_LENGTH)


def key_of(diary_number: str | None, starts_at: datetime | None) -> str:
    return diary_number or (f"{local(starts_at):%Y-%m-%d %H:%M}" if starts_at else "")


def protocol_key(p: ProtocolPlan) -> str:
    return key_of(p.meeting.diary_number, p.meeting.starts_at)


def folder_bodies(session: Session, name: str, paths: list[str], protocols: list[ProtocolPlan]) -> set[uuid.UUID]:
    """The bodies of the folder's protocols, and the body the folder, the zip or its top folder is named after."""
    orgs = OrganisationIndex.load(session)
    names = {PurePosixPath(name).stem, *(PurePosixPath(p).parts[0] for p in paths if len(PurePosixPath(p).parts) > 1)}
    named = {found for n in names if (found := orgs.find(n)) is not None and found not in orgs.principals}
    return named | {b for p in protocols for b in p.meeting.body_ids}


def other_reading(start: datetime) -> datetime | None:
    """The same local time with day and month swapped (5/6/25: 6 May or 5 June); None when only one reading is a
    date, or both are the same day."""
    at = local(start).replace(tzinfo=None)
    if at.day > 12 or at.day == at.month:
        return None
    return to_utc(at.replace(month=at.day, day=at.month))


def meeting_for(
    session: Session, bodies: set[uuid.UUID], protocols: list[ProtocolPlan], start: datetime, either_way: bool = False
) -> tuple[Candidate | None, str | None]:
    """The one meeting of these bodies the report started in, or None and why. `either_way`: the report's dates
    read both ways and the file did not say which, so both readings are tried; the one on whose day the bodies
    met is taken, and when they met on both days, or on neither, nothing is."""
    if not bodies:
        return None, "the folder belongs to no known body (no protocol, not named after a body): nothing imported"
    other = other_reading(start) if either_way else None
    found = _on_the_day(session, bodies, protocols, start)
    if other is not None:
        found_other = _on_the_day(session, bodies, protocols, other)
        days = f"{local_date(start)} or {local_date(other)}"
        if found and found_other:
            listed = "; ".join(sorted(c.key for c in found + found_other))
            return None, (
                f"its dates read both ways ({days}) and the bodies met on both days: {listed}. Nothing imported: "
                "import the report with its meeting"
            )
        if found_other:
            start, found = other, found_other
        elif not found:
            return None, f"no meeting of the folder's bodies on {days} (its dates read both ways): nothing imported"
    when = f"{local_date(start)} {local(start):%H:%M}"
    if not found:
        return None, f"no meeting of the folder's bodies on {when}: nothing imported from it"
    if len(found) > 1:
        found = [c for c in found if c.holds(start)] or found
    if len(found) > 1:
        listed = "; ".join(sorted(f"{c.key} (id {c.meeting_id})" if c.meeting_id else c.key for c in found))
        return None, f"{len(found)} meetings fit {when}: {listed}. Nothing imported: import the report with its meeting"
    return found[0], None


def _on_the_day(
    session: Session, bodies: set[uuid.UUID], protocols: list[ProtocolPlan], start: datetime
) -> list[Candidate]:
    """The bodies' meetings on the report's local day: recorded, or to be created by a protocol of the folder."""
    day = local_date(start)
    found = _recorded(session, bodies, day)
    for p in protocols:
        m = p.meeting
        if m.meeting_id is None and m.starts_at and local_date(m.starts_at) == day:
            found.append(Candidate(protocol_key(p), None, m.starts_at, m.ends_at))
    return found


def _recorded(session: Session, bodies: set[uuid.UUID], day: date) -> list[Candidate]:
    """The bodies' recorded meetings on that local day, cancelled ones left out."""
    lo = to_utc(datetime.combine(day, time.min).replace(tzinfo=STOCKHOLM))
    hi = to_utc(datetime.combine(day, time.max).replace(tzinfo=STOCKHOLM))
    rows = session.exec(
        select(Meeting).where(
            col(Meeting.id).in_(select(MeetingBody.meeting_id).where(col(MeetingBody.body_id).in_(bodies))),
            col(Meeting.starts_at) >= lo,
            col(Meeting.starts_at) <= hi,
            col(Meeting.deleted_at).is_(None),
            Meeting.status != MeetingStatus.cancelled,
        )
    )
    return [Candidate(key_of(m.diary_number, m.starts_at), m.id, m.starts_at, m.ends_at) for m in rows]
