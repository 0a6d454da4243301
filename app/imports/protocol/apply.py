"""Applying a protocol's plan: people, the meeting, items, decisions, attendance, memberships, next meetings.

Everything goes through the same services as the API, so every rule and the audit log apply, inside the
caller's one transaction: a failure half-way leaves nothing behind.
"""

import uuid
from dataclasses import replace

from sqlmodel import Session

from app.core.principal import Actor
from app.core.time import local_date
from app.decisions import service as decisions
from app.decisions.models import DecisionCreate, DecisionKind
from app.imports import common
from app.imports.matching import PeopleIndex, person_name
from app.imports.models import ImportKind, MatchStatus, ProtocolPlan
from app.imports.protocol import memberships
from app.imports.protocol.plan import at_default_time
from app.meetings import items as agenda
from app.meetings import service as meetings
from app.meetings.models import (
    AgendaItemCreate,
    AgendaItemUpdate,
    AttendanceIn,
    AttendanceRole,
    AttendanceSource,
    AttendanceStatus,
    Meeting,
    MeetingCreate,
    MeetingKind,
    MeetingStatus,
    MeetingUpdate,
    PresenterIn,
)
from app.people import service as people
from app.people.models import PersonCreate

ROLE_MAP = {
    "chair": AttendanceRole.chair,
    "adjuster": AttendanceRole.adjuster,
    "member": AttendanceRole.member,
    "substitute": AttendanceRole.substitute,
    "official": AttendanceRole.official,
    "co_opted": AttendanceRole.co_opted,
    "presenter": AttendanceRole.presenter,
    "guest": AttendanceRole.guest,
}


def apply(session: Session, actor: Actor, planned: ProtocolPlan) -> uuid.UUID | None:
    """Write exactly the plan, through the services; returns the meeting's id."""
    if planned.already_imported:
        return planned.meeting.meeting_id
    person_ids = _apply_people(session, actor, planned)
    meeting = _apply_meeting(session, actor, planned, person_ids)
    index = PeopleIndex.load(session)
    existing = {i.number: i for i in agenda.items_of(session, meeting.id)}
    for position, item in enumerate(planned.items, start=1):
        presenters = []
        for p in item.presenters:
            match = index.match(p["name"] or "")
            if match.status is MatchStatus.matched and not p["organisation"]:
                presenters.append(PresenterIn(person_id=match.person_id))
            else:
                presenters.append(PresenterIn(name=p["name"], organisation=p["organisation"]))
        fields: dict[str, object] = {
            "title": item.title,
            "kind": item.kind,
            "format": item.format,
            "section": item.section,
            "minutes_text": item.minutes_text,
            "presenters": presenters,
            "position": position,
        }
        if item.number in existing:
            row = agenda.update(session, actor, existing[item.number], AgendaItemUpdate.model_validate(fields))
        else:
            new = AgendaItemCreate.model_validate({**fields, "meeting_id": meeting.id, "number": item.number})
            row = agenda.create(session, actor, new)
        for d in item.decisions:
            if d.action != "create":
                continue
            kind = DecisionKind(d.kind)
            if (kind is DecisionKind.assignment and not d.assignee_body_id) or (
                kind is DecisionKind.referral and not d.target_body_id
            ):
                kind = DecisionKind.resolved  # the plan warned that the body is unknown
            data = DecisionCreate(
                agenda_item_id=row.id,
                kind=kind,
                text=d.text,
                clauses=d.clauses,
                body_id=d.body_id,
                assignee_body_id=d.assignee_body_id if kind is DecisionKind.assignment else None,
                target_body_id=d.target_body_id if kind is DecisionKind.referral else None,
            )
            decisions.create(session, actor, data)
    _apply_attendance(session, actor, meeting, planned, person_ids)
    _apply_memberships(session, actor, meeting, planned, person_ids)
    for n in planned.next_meetings:
        if n.action == "create" and n.body_id:
            meetings.create(
                session,
                actor,
                MeetingCreate(
                    body_ids=[n.body_id],
                    title=n.title,
                    place=n.place,
                    starts_at=at_default_time(n.on),
                    kind=MeetingKind.seminar if n.title and "seminari" in n.title.casefold() else MeetingKind.ordinary,
                ),
            )
    session.flush()
    common.record_import(session, actor, ImportKind.protocol, planned.file, meeting.id, planned.counts)
    return meeting.id


def _split_name(name: str) -> tuple[str, str]:
    given, _, family = person_name(name).partition(" ")
    return given, family or given


def _apply_people(session: Session, actor: Actor, planned: ProtocolPlan) -> dict[str, uuid.UUID]:
    ids: dict[str, uuid.UUID] = {}
    for p in planned.people:
        if p.match.status is MatchStatus.matched and p.match.person_id:
            ids[p.name] = p.match.person_id
        elif p.match.status is MatchStatus.created:
            given, family = _split_name(p.name)
            ids[p.name] = people.create_person(
                session, actor, PersonCreate(given_name=given, family_name=family, party=p.party)
            ).id
    return ids


def _apply_meeting(session: Session, actor: Actor, planned: ProtocolPlan, person_ids: dict[str, uuid.UUID]) -> Meeting:
    m = planned.meeting
    chair = next(
        (person_ids.get(a.name) for a in planned.attendance if a.role == "chair" and a.status == "present"), None
    )
    adjusters = [
        person_ids[a.name] for a in planned.attendance if (a.adjuster or a.role == "adjuster") and a.name in person_ids
    ]
    common_fields: dict[str, object] = {
        "diary_number": m.diary_number,
        "place": m.place,
        "chair_id": chair,
        "adjuster_ids": adjusters,
    }
    if m.meeting_id is None:
        new = {
            **common_fields,
            "body_ids": m.body_ids,
            "status": MeetingStatus.held,
            "starts_at": m.starts_at,
            "ends_at": m.ends_at,
            "kind": MeetingKind.joint if len(m.body_ids) > 1 else MeetingKind.ordinary,
        }
        return meetings.create(session, actor, MeetingCreate.model_validate(new))
    meeting = meetings.get(session, m.meeting_id)
    changes = {k: v for k, v in common_fields.items() if v}
    if meeting.status in (MeetingStatus.planned, MeetingStatus.convened):
        changes["status"] = MeetingStatus.held
    return meetings.update(session, actor, meeting, MeetingUpdate.model_validate(changes))


def _apply_attendance(
    session: Session, actor: Actor, meeting: Meeting, planned: ProtocolPlan, person_ids: dict[str, uuid.UUID]
) -> None:
    entries: list[AttendanceIn] = []
    listed: set[uuid.UUID] = set()
    for a in planned.attendance:
        pid = person_ids.get(a.name)
        if pid is None or pid in listed:
            continue
        listed.add(pid)
        substitute_for = person_ids.get(a.substitute_for) if a.substitute_for else None
        role = ROLE_MAP.get(a.role, AttendanceRole.member)
        if role is AttendanceRole.substitute and substitute_for is None:
            role = AttendanceRole.member  # a substitute for someone not named: kept, with the note
        entries.append(
            AttendanceIn(
                person_id=pid,
                status=AttendanceStatus(a.status),
                role=role,
                body_id=a.body_id if a.body_id in planned.meeting.body_ids else None,
                on_behalf_of_id=a.on_behalf_of_id,
                substitute_for_id=substitute_for if role is AttendanceRole.substitute else None,
                from_item=a.from_item,
                to_item=a.to_item,
                absent_items=a.absent_items,
                source=AttendanceSource.protocol,
                # An organisation that is no principal ("FoU Socialtjänst") is kept in the note, not lost.
                note=", ".join(filter(None, [None if a.on_behalf_of_id else a.organisation, a.note])) or None,
            )
        )
    # Who joined on Teams but is not in the protocol stays: the two sources complement each other.
    for row in meetings.attendance_of(session, [meeting.id])[meeting.id]:
        if row.person_id not in listed and row.source == AttendanceSource.teams:
            entries.append(AttendanceIn(**row.model_dump(include=set(AttendanceIn.model_fields))))
    meetings.replace_attendance(session, actor, meeting, entries)


def _apply_memberships(
    session: Session, actor: Actor, meeting: Meeting, planned: ProtocolPlan, person_ids: dict[str, uuid.UUID]
) -> None:
    """The plan's memberships, worked out again with the people's ids: an earlier protocol of the same folder
    may have seated them in this transaction (app/imports/protocol/memberships.py has the rules)."""
    found = [
        replace(s, person_id=s.person_id or person_ids.get(s.name))
        for s in memberships.seats(planned.attendance, planned.people)
    ]
    inferred = memberships.infer(session, actor, found, local_date(meeting.starts_at), [])
    memberships.apply(session, actor, inferred, person_ids)
