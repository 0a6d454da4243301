"""Importing a Teams attendance report into a meeting: match people, plan, then apply exactly that plan."""

import uuid

from sqlmodel import Session, col, select

from app.core import crud
from app.core.db import utcnow
from app.core.errors import LimitExceeded, ValidationFailed
from app.core.principal import Actor
from app.core.text import clean, fold
from app.core.time import local_date
from app.imports import common
from app.imports.attendance.parse import MAX_BYTES, AttendanceFormatError, parse_attendance
from app.imports.matching import PeopleIndex, email_from_upn, person_name
from app.imports.models import AttendancePlan, ImportKind, MatchStatus, PersonMatch, PlannedParticipant
from app.meetings import service as meetings
from app.meetings.models import Attendance, AttendanceRole, AttendanceSource, AttendanceStatus, Meeting
from app.people.models import Person, PersonAlias


def plan(
    session: Session,
    actor: Actor,
    data: bytes,
    filename: str,
    meeting_id: uuid.UUID,
    resolutions: dict[str, uuid.UUID] | None = None,
) -> AttendancePlan:
    """What importing the report would do. `resolutions` maps a participant's name to a person, as a
    coordinator decided for unmatched or ambiguous ones; applying stores that as an alias."""
    common.require_importer(actor)
    meeting = crud.live_or_invalid(session, Meeting, meeting_id, "meeting_id", "meeting")
    meetings.require_secretary(session, actor, meeting)
    if len(data) > MAX_BYTES:
        raise LimitExceeded(
            "attendance_report_too_large",
            f"The file is {len(data)} bytes; attendance reports are limited to {MAX_BYTES} bytes.",
            setting=None,
        )
    try:
        parsed = parse_attendance(data, filename, meeting.starts_at, meeting.ends_at)
    except AttendanceFormatError as exc:
        raise ValidationFailed("file", str(exc)) from exc
    info = common.file_info(data, filename, layout=parsed.layout, encoding=parsed.encoding, language=parsed.language)
    index = PeopleIndex.load(session)
    chosen = check_resolutions(session, resolutions or {})
    listed = {a.person_id: a for a in session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id))}
    participants = []
    planned_people: set[uuid.UUID | None] = set()
    for p in parsed.participants:
        email = (p.email or email_from_upn(p.upn) or "").lower() or None
        if p.name in chosen:
            person = chosen[p.name]
            match = PersonMatch(
                status=MatchStatus.matched,
                person_id=person.id,
                person_name=f"{person.given_name} {person.family_name}",
                by="resolution",
            )
        else:
            match = index.match(p.name, email, p.upn)
            if match.status is MatchStatus.unmatched and p.guest:
                match = PersonMatch(status=MatchStatus.guest)
        action = "skip"
        if match.status is MatchStatus.matched:
            action = "update" if match.person_id in listed or match.person_id in planned_people else "create"
            planned_people.add(match.person_id)
        participants.append(
            PlannedParticipant(
                name=p.name,
                email=email,
                guest=p.guest,
                role=p.role,
                status="present",
                joined_at=p.first_join,
                left_at=p.last_leave,
                duration_seconds=p.duration_seconds,
                intervals=len(p.intervals),
                match=match,
                action=action,
            )
        )
    warnings = list(parsed.warnings)
    if parsed.starts_at is not None and local_date(parsed.starts_at) != local_date(meeting.starts_at):
        warnings.append(
            f"the report starts {local_date(parsed.starts_at)}, the meeting {local_date(meeting.starts_at)}"
        )
    counts = {s.value: sum(p.match.status is s for p in participants) for s in MatchStatus}
    counts |= {
        "create": sum(p.action == "create" for p in participants),
        "update": sum(p.action == "update" for p in participants),
    }
    result = AttendancePlan(
        file=info,
        meeting_id=meeting.id,
        already_imported=common.already_imported(session, ImportKind.attendance, info.sha256, meeting.id),
        participants=participants,
        unmatched=[p.name for p in participants if p.match.status is not MatchStatus.matched],
        warnings=warnings,
        counts=counts,
    )
    common.seal(result)
    return result


def check_resolutions(session: Session, resolutions: dict[str, uuid.UUID]) -> dict[str, Person]:
    people = {p.id: p for p in session.exec(select(Person).where(col(Person.id).in_(list(resolutions.values()))))}
    chosen = {}
    for name, person_id in resolutions.items():
        person = people.get(person_id)
        if person is None or person.deleted_at is not None:
            raise ValidationFailed(("body", "resolve", name), "no such person")
        chosen[clean(name)] = person
    return chosen


def apply(session: Session, actor: Actor, planned: AttendancePlan) -> None:
    """Write exactly the plan: attendance rows for matched people (source teams), aliases for resolutions."""
    if planned.already_imported:
        return
    meeting = meetings.get(session, planned.meeting_id)
    rows = {a.person_id: a for a in session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id))}
    position = max((a.position for a in rows.values()), default=-1) + 1
    done: set[uuid.UUID] = set()
    for p in planned.participants:
        if p.action == "skip" or p.match.person_id is None:
            continue
        row = rows.get(p.match.person_id)
        if row is None:
            role = AttendanceRole.guest if p.guest else AttendanceRole.member
            row = Attendance(
                meeting_id=meeting.id,
                person_id=p.match.person_id,
                position=position,
                status=AttendanceStatus.present,
                role=role,
                source=AttendanceSource.teams,
            )
            position += 1
        row.status = AttendanceStatus.present
        if p.match.person_id in done:
            _join(row, p)
        else:
            row.joined_at, row.left_at, row.duration_seconds = p.joined_at, p.left_at, p.duration_seconds
        row.source = AttendanceSource.teams
        session.add(row)
        rows[p.match.person_id] = row
        done.add(p.match.person_id)
        if p.match.by == "resolution":
            _remember(session, p.match.person_id, p.name, p.email)
    _touch(session, meeting)
    session.flush()
    common.record_import(session, actor, ImportKind.attendance, planned.file, meeting.id, planned.counts)


def _join(row: Attendance, p: PlannedParticipant) -> None:
    """The same person twice in one report (from a laptop and a phone): one attendance, like a rejoin."""
    joined = [t for t in (row.joined_at, p.joined_at) if t is not None]
    left = [t for t in (row.left_at, p.left_at) if t is not None]
    row.joined_at, row.left_at = min(joined, default=None), max(left, default=None)
    total = (row.duration_seconds or 0) + (p.duration_seconds or 0)
    if row.joined_at and row.left_at:
        total = min(total, int((row.left_at - row.joined_at).total_seconds()))  # the two may have overlapped
    row.duration_seconds = total


def _remember(session: Session, person_id: uuid.UUID, name: str, email: str | None) -> None:
    """A coordinator's resolution becomes an alias, so the next import matches by itself."""
    known = {a.alias_folded for a in session.exec(select(PersonAlias).where(PersonAlias.person_id == person_id))}
    for alias in filter(None, [person_name(name), email]):
        if fold(alias) not in known:
            session.add(PersonAlias(person_id=person_id, alias=alias, alias_folded=fold(alias)))
            known.add(fold(alias))


def _touch(session: Session, meeting: Meeting) -> None:
    meeting.updated_at = utcnow()
    session.add(meeting)
