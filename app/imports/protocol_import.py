"""Importing a protocol: the meeting, its items, decisions, attendance, people and next meetings.

The plan resolves every name against the database first (bodies also by their former names, people by
aliases and names); applying it goes through the same services as the API, so every rule and the audit
log apply, inside the request's one transaction: a failure half-way leaves nothing behind.
"""

import uuid
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from app.core.errors import Forbidden, ValidationFailed
from app.core.principal import Actor, Role
from app.core.time import STOCKHOLM, local_date, to_utc
from app.decisions import service as decisions
from app.decisions.models import Decision, DecisionCreate, DecisionKind
from app.imports import common
from app.imports.matching import OrganisationIndex, PeopleIndex, person_name
from app.imports.models import (
    ImportKind,
    MatchStatus,
    PersonMatch,
    PlannedAttendee,
    PlannedDecision,
    PlannedItem,
    PlannedMeeting,
    PlannedNextMeeting,
    PlannedPerson,
    ProtocolPlan,
)
from app.imports.parsed import ParsedProtocol
from app.imports.protocol import ProtocolFormatError, parse_protocol, protocol_text
from app.meetings import items as agenda
from app.meetings import service as meetings
from app.meetings.models import (
    AgendaItem,
    AgendaItemCreate,
    AgendaItemUpdate,
    AttendanceIn,
    AttendanceRole,
    AttendanceSource,
    AttendanceStatus,
    Meeting,
    MeetingBody,
    MeetingCreate,
    MeetingKind,
    MeetingStatus,
    MeetingUpdate,
    PresenterIn,
)
from app.people import service as people
from app.people.models import PersonCreate

DEFAULT_START = time(9, 0)


def read(data: bytes, filename: str) -> ParsedProtocol:
    try:
        return parse_protocol(protocol_text(data, filename))
    except (ProtocolFormatError, ValueError) as exc:
        raise ValidationFailed("file", str(exc)) from exc


def plan(session: Session, actor: Actor, data: bytes, filename: str) -> ProtocolPlan:
    common.require_importer(actor)
    return plan_parsed(session, actor, read(data, filename), common.file_info(data, filename, layout="protocol"))


def plan_parsed(session: Session, actor: Actor, parsed: ParsedProtocol, info: "common.FileInfo") -> ProtocolPlan:
    orgs, index = OrganisationIndex.load(session), PeopleIndex.load(session)
    warnings = list(parsed.warnings)
    lead = orgs.find(parsed.body)
    if lead is None:
        raise ValidationFailed("file", f"the protocol's body {parsed.body!r} is not a known organisation")
    others = []
    for name in parsed.other_bodies:
        if (found := orgs.find(name)) is None:
            warnings.append(f"body {name!r} is not known; its part is kept under the leading body")
        elif found != lead:
            others.append(found)
    starts = _start(parsed)
    existing = _existing_meeting(session, lead, starts, parsed.diary_number)
    meeting = PlannedMeeting(
        action="update" if existing else "create",
        meeting_id=existing.id if existing else None,
        body=parsed.body,
        body_ids=[lead, *dict.fromkeys(others)],
        diary_number=parsed.diary_number,
        starts_at=starts,
        ends_at=_end(parsed),
        place=parsed.place,
    )
    held = _decisions_held(session, existing)
    items = [_plan_item(it, orgs, lead, warnings, held) for it in parsed.items]
    deciding = {d.body_id for i in items for d in i.decisions if d.action == "create" and d.body_id}
    _require_rights(session, actor, orgs, existing, lead, deciding)
    # A body that decides in a joint part (Systemledningen) takes part in the meeting.
    meeting.body_ids = list(
        dict.fromkeys([*meeting.body_ids, *(d.body_id for i in items for d in i.decisions if d.body_id)])
    )
    attendance = [
        PlannedAttendee(
            name=a.name,
            status=a.status,
            role=a.role,
            body=a.body,
            body_id=orgs.find(a.body) or (lead if a.body else None),
            organisation=a.organisation,
            on_behalf_of_id=orgs.principal(a.organisation),
            substitute_for=a.substitute_for,
            from_item=a.from_item,
            to_item=a.to_item,
            note=a.note,
        )
        for a in parsed.attendance
    ]
    persons = _plan_people(parsed, index)
    next_meetings = [
        PlannedNextMeeting(
            on=n.on,
            title=n.title,
            body_id=orgs.find(n.body) or lead,
            place=n.place,
            action="skip" if _existing_meeting(session, orgs.find(n.body) or lead, _at(n.on), None) else "create",
        )
        for n in parsed.next_meetings
    ]
    counts = {
        "items": len(items),
        "decisions": sum(d.action == "create" for i in items for d in i.decisions),
        "attendance": len(attendance),
        "people_created": sum(p.match.status is MatchStatus.created for p in persons),
        "people_ambiguous": sum(p.match.status is MatchStatus.ambiguous for p in persons),
        "next_meetings": sum(n.action == "create" for n in next_meetings),
    }
    result = ProtocolPlan(
        file=info,
        already_imported=common.already_imported(session, ImportKind.protocol, info.sha256),
        meeting=meeting,
        items=items,
        attendance=attendance,
        people=persons,
        next_meetings=next_meetings,
        warnings=warnings,
        counts=counts,
    )
    common.seal(result)
    return result


def _at(day: date) -> datetime:
    return to_utc(datetime.combine(day, DEFAULT_START))


def _start(parsed: ParsedProtocol) -> datetime:
    if parsed.starts_at is None:
        raise ValidationFailed("file", "the protocol gives no date")
    return to_utc(parsed.starts_at)


def _end(parsed: ParsedProtocol) -> datetime | None:
    return to_utc(parsed.ends_at) if parsed.ends_at else None


def _existing_meeting(session: Session, body_id: uuid.UUID, starts: datetime, diary: str | None) -> Meeting | None:
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


def _require_rights(
    session: Session,
    actor: Actor,
    orgs: OrganisationIndex,
    existing: Meeting | None,
    lead: uuid.UUID,
    deciding: set[uuid.UUID],
) -> None:
    """The dry run refuses what applying would: the meeting must be the importer's, and every deciding body."""
    if existing is not None:
        meetings.require_secretary(session, actor, existing)
    elif not actor.holds(Role.secretary, lead):
        raise Forbidden(f"Only a secretary of {orgs.names[lead]} may import its protocols.", code="missing_role")
    for body in sorted(deciding - {lead}, key=str):
        if not actor.holds(Role.secretary, body):
            raise Forbidden(
                f"The protocol records decisions of {orgs.names[body]}: only its secretary may import it.",
                code="missing_role",
            )


def _decisions_held(session: Session, meeting: Meeting | None) -> set[tuple[str, str | None]]:
    """(item number, text) of the decisions a meeting already holds: a protocol imported again adds no copies."""
    if meeting is None:
        return set()
    rows = session.exec(
        select(AgendaItem.number, Decision.text)
        .join(Decision, col(Decision.agenda_item_id) == AgendaItem.id)
        .where(AgendaItem.meeting_id == meeting.id, col(Decision.deleted_at).is_(None))
    )
    return {(number, text) for number, text in rows}


def _plan_item(
    item: object,
    orgs: OrganisationIndex,
    lead: uuid.UUID,
    warnings: list[str],
    held: set[tuple[str, str | None]],
) -> PlannedItem:
    from app.imports.parsed import ParsedItem

    assert isinstance(item, ParsedItem)
    planned_decisions = []
    for d in item.decisions:
        body_id = orgs.find(d.body) if d.body else lead
        assignee = orgs.find(d.assignee) if d.assignee else None
        target = orgs.find(d.target) if d.target else None
        for name, found in ((d.body, body_id), (d.assignee, assignee), (d.target, target)):
            if name and found is None:
                warnings.append(f"item {item.number}: {name!r} is not a known body")
        planned_decisions.append(
            PlannedDecision(
                action="skip" if (item.number, d.text) in held else "create",
                kind=d.kind,
                text=d.text,
                clauses=d.clauses,
                body_id=body_id or lead,
                assignee_body_id=assignee,
                target_body_id=target,
            )
        )
    return PlannedItem(
        number=item.number,
        title=item.title,
        kind=item.kind,
        format=item.format,
        section=item.section,
        presenters=[{"name": p.name, "organisation": p.organisation} for p in item.presenters],
        attachments=item.attachments,
        minutes_text=item.minutes_text,
        decisions=planned_decisions,
    )


def _plan_people(parsed: ParsedProtocol, index: PeopleIndex) -> list[PlannedPerson]:
    """Everyone the protocol names on its attendance lists: matched, or to be created (never guessed)."""
    seen: dict[str, PlannedPerson] = {}
    parties = {a.name: a.party for a in parsed.attendance}
    names = [a.name for a in parsed.attendance] + [a.substitute_for for a in parsed.attendance if a.substitute_for]
    for name in names:
        if name is None or name in seen:
            continue
        match = index.match(name)
        if match.status is MatchStatus.unmatched:
            match = PersonMatch(status=MatchStatus.created)
        seen[name] = PlannedPerson(name=name, party=parties.get(name), match=match)
    return list(seen.values())


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
MEMBER_ROLES = {"chair": "chair", "member": "member", "substitute": "substitute", "adjuster": "member"}


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
                    starts_at=_at(n.on),
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
    adjusters = [person_ids[a.name] for a in planned.attendance if a.role == "adjuster" and a.name in person_ids]
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
    """Members named on a body's list who hold no membership yet get one from the meeting's date."""
    from app.core.errors import AppError
    from app.people.models import MembershipCreate, MembershipRole

    day = local_date(meeting.starts_at)
    for a in planned.attendance:
        role = MEMBER_ROLES.get(a.role)
        pid = person_ids.get(a.name)
        if role is None or pid is None or a.body_id is None or a.on_behalf_of_id is None:
            continue
        current = people.memberships_in_force(session, pid, a.body_id, day)
        if current:
            continue
        try:
            people.create_membership(
                session,
                actor,
                MembershipCreate(
                    person_id=pid,
                    body_id=a.body_id,
                    role=MembershipRole(role),
                    on_behalf_of_id=a.on_behalf_of_id,
                    start_date=day,
                ),
            )
        except AppError:
            continue  # not a body, or the importer may not edit it: the attendance is recorded all the same
