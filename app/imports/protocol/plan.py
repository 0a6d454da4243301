"""Importing a protocol: the meeting, its items, decisions, attendance, people and next meetings.

The plan resolves every name against the database first (bodies also by their former names, people by
aliases and names); applying it goes through the same services as the API, so every rule and the audit
log apply, inside the request's one transaction: a failure half-way leaves nothing behind.
"""

import uuid
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from app.core.errors import Forbidden, ValidationFailed
from app.core.file_limits import FileLimits
from app.core.principal import Actor, Role
from app.core.time import STOCKHOLM, local_date, to_utc
from app.decisions.models import Decision
from app.imports import common
from app.imports.matching import OrganisationIndex, PeopleIndex
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
from app.imports.protocol import memberships
from app.imports.protocol.parse import ProtocolFormatError, read_protocol
from app.meetings import service as meetings
from app.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingBody,
)

DEFAULT_START = time(9, 0)


def read(data: bytes, filename: str) -> ParsedProtocol:
    """Read and parse within the file limits; over one, LimitExceeded (not a skippable bad file)."""
    try:
        return read_protocol(data, filename, FileLimits.current())
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
            absent_items=a.absent_items,
            adjuster=a.adjuster,
            note=a.note,
        )
        for a in parsed.attendance
    ]
    persons = _plan_people(parsed, index)
    inferred = memberships.infer(session, actor, memberships.seats(attendance, persons), local_date(starts), warnings)
    next_meetings = [
        PlannedNextMeeting(
            on=n.on,
            title=n.title,
            body_id=orgs.find(n.body) or lead,
            place=n.place,
            action="skip"
            if _existing_meeting(session, orgs.find(n.body) or lead, at_default_time(n.on), None)
            else "create",
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
        memberships=inferred,
        next_meetings=next_meetings,
        warnings=warnings,
        counts=counts,
    )
    common.seal(result)
    return result


def at_default_time(day: date) -> datetime:
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
