"""Importing a protocol: the plan. Every name is resolved against the database first (bodies also by their former
names, people by aliases and names); over a meeting that already exists, every object is matched and each change
shown with its old and new value (see merge.py). The plan is then rehearsed: applied in a savepoint and rolled
back, so whatever the apply would refuse is in the dry run with the apply's own message (one rule, one place).
"""

import uuid
from datetime import datetime

from sqlmodel import Session

from app.core.errors import Forbidden, ValidationFailed
from app.core.file_limits import FileLimits
from app.core.principal import Actor, Role
from app.core.text import fold
from app.core.time import local_date, to_utc
from app.imports import common
from app.imports.matching import OrganisationIndex, PeopleIndex
from app.imports.models import (
    Action,
    ImportKind,
    MatchStatus,
    PersonMatch,
    PlannedAttendee,
    PlannedDecision,
    PlannedItem,
    PlannedMeeting,
    PlannedNextMeeting,
    PlannedPerson,
    PlannedPresenter,
    ProtocolPlan,
    Resolutions,
)
from app.imports.parsed import ParsedItem, ParsedProtocol
from app.imports.protocol import apply as protocol_apply
from app.imports.protocol import memberships, merge
from app.imports.protocol.apply import at_default_time
from app.imports.protocol.parse import ProtocolFormatError, read_protocol
from app.imports.protocol.record import Record, existing_meeting
from app.meetings import service as meetings
from app.meetings.models import Meeting, MeetingStatus

WRITES = (Action.create, Action.update)
UNTITLED = "(rubrik saknas i protokollet)"


def read(data: bytes, filename: str) -> ParsedProtocol:
    """Read and parse within the file limits; over one, LimitExceeded (not a skippable bad file)."""
    try:
        return read_protocol(data, filename, FileLimits.current())
    except (ProtocolFormatError, ValueError) as exc:
        raise ValidationFailed("file", str(exc)) from exc


def plan(
    session: Session, actor: Actor, data: bytes, filename: str, resolutions: Resolutions | None = None
) -> ProtocolPlan:
    common.require_importer(actor)
    info = common.file_info(data, filename, layout="protocol")
    return plan_parsed(session, actor, read(data, filename), info, resolutions)


def plan_parsed(
    session: Session,
    actor: Actor,
    parsed: ParsedProtocol,
    info: "common.FileInfo",
    resolutions: Resolutions | None = None,
    strict: bool = True,
    applying: bool = False,
) -> ProtocolPlan:
    """`strict`: every key of `resolutions` must be a conflict of this plan (not so for one protocol of a folder,
    which checks the keys against all its protocols). `applying`: the plan is made to be applied in this
    transaction, so a clean rehearsal is kept as the apply (the rows are written once; see apply.rehearse)."""
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
    existing = existing_meeting(session, lead, starts, parsed.diary_number)
    record = Record.load(session, existing) if existing else None
    persons = _plan_people(parsed, index)
    ids = {p.name: p.match.person_id for p in persons if p.match.person_id}
    known = {p.name for p in persons if p.match.status in (MatchStatus.matched, MatchStatus.created)}
    items = [_plan_item(it, n, orgs, lead, warnings, index, ids, known) for n, it in enumerate(parsed.items, 1)]
    # A body that decides in a joint part (Systemledningen) takes part in the meeting.
    bodies = list(dict.fromkeys([lead, *others, *(d.body_id for i in items for d in i.decisions if d.body_id)]))
    if record is not None:
        bodies = record.body_ids + [b for b in bodies if b not in record.body_ids]
    attendance = _plan_attendance(parsed, orgs, lead, ids, known)
    inferred = memberships.infer(session, actor, memberships.seats(attendance, persons), local_date(starts), warnings)
    meeting = PlannedMeeting(
        source=merge.PROTOCOL,
        meeting_id=None,
        body=parsed.body,
        body_ids=bodies,
        diary_number=parsed.diary_number,
        starts_at=starts,
        ends_at=_end(parsed),
        place=parsed.place,
    )
    if record is not None:
        _merge_meeting(meeting, record, attendance, index.names, ids)
        items = merge.merge_items(record, items, index.names, ids)
        attendance = merge.merge_attendance(record, attendance, bodies, index.names, ids, known)
    decisions = [d for i in items for d in i.decisions]
    conflicts = [c for c in merge.all_changes([meeting, *items, *decisions, *attendance]) if c.conflict]
    conflicts += [c for c in merge.all_changes(p for i in items for p in i.presenters) if c.conflict]
    merge.resolve(conflicts, resolutions or Resolutions(), strict)
    merge.settle(meeting)
    for item in items:
        for presenter in item.presenters:
            merge.settle(presenter)
        merge.settle(item, item.presenters)
    for obj in [*decisions, *attendance]:
        merge.settle(obj)
    deciding = {d.body_id for d in decisions if d.action in WRITES and d.body_id}
    _require_rights(session, actor, orgs, existing, lead, deciding)
    next_meetings = [
        PlannedNextMeeting(
            on=n.on,
            title=n.title,
            body_id=orgs.find(n.body) or lead,
            place=n.place,
            action=Action.unchanged
            if existing_meeting(session, orgs.find(n.body) or lead, at_default_time(n.on), None)
            else Action.create,
        )
        for n in parsed.next_meetings
    ]
    in_protocol = [i for i in items if i.in_protocol]
    counts = {
        "items": len(in_protocol),
        "decisions": sum(d.action is Action.create for d in decisions),
        "attendance": len(parsed.attendance),
        "people_created": sum(p.match.status is MatchStatus.created for p in persons),
        "people_ambiguous": sum(p.match.status is MatchStatus.ambiguous for p in persons),
        "next_meetings": sum(n.action is Action.create for n in next_meetings),
        "updates": sum(o.action is Action.update for o in [meeting, *items, *decisions, *attendance]),
        "conflicts": sum(c.resolution is None for c in conflicts),
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
        conflicts=[c.key for c in conflicts if c.resolution is None],
        warnings=warnings,
        counts=counts,
    )
    result.problems = protocol_apply.rehearse(session, actor, result, keep=applying)
    common.seal(result)
    return result


def _merge_meeting(
    meeting: PlannedMeeting,
    record: Record,
    attendance: list[PlannedAttendee],
    names: dict[uuid.UUID, str],
    ids: dict[str, uuid.UUID],
) -> None:
    """The meeting's own fields against the protocol's: bodies are only added, the status only moves on."""
    m = record.meeting
    meeting.meeting_id, meeting.action, meeting.source = m.id, Action.unchanged, m.source.value
    meeting.fingerprint = record.fingerprint()
    chair = next((a.name for a in attendance if a.role == "chair" and a.status == "present"), None)
    adjusters = [a.name for a in attendance if (a.adjuster or a.role == "adjuster") and a.action is not Action.skip]
    old_adjusters = [names.get(p, "") for p in record.adjuster_ids]
    if all(n in ids for n in adjusters) and {ids[n] for n in adjusters} == set(record.adjuster_ids):
        adjusters = old_adjusters
    status = MeetingStatus.held if m.status in (MeetingStatus.planned, MeetingStatus.convened) else m.status
    meeting.changes = merge.changes(
        "meeting",
        [
            ("body_ids", [str(b) for b in record.body_ids], [str(b) for b in meeting.body_ids]),
            ("diary_number", m.diary_number, meeting.diary_number),
            ("place", m.place, meeting.place),
            ("starts_at", m.starts_at, meeting.starts_at),
            ("ends_at", m.ends_at, meeting.ends_at),
            (
                "chair",
                names.get(m.chair_id) if m.chair_id else None,
                merge.same_person(m.chair_id, ids.get(chair or ""), chair, names),
            ),
            ("adjusters", old_adjusters, adjusters),
            ("status", m.status.value, status.value),
        ],
        m.source.value in merge.MANUAL,
        layout=frozenset({"status"}),
    )


def _start(parsed: ParsedProtocol) -> datetime:
    if parsed.starts_at is None:
        raise ValidationFailed("file", "the protocol gives no date")
    return to_utc(parsed.starts_at)


def _end(parsed: ParsedProtocol) -> datetime | None:
    return to_utc(parsed.ends_at) if parsed.ends_at else None


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


def _plan_item(
    item: ParsedItem,
    position: int,
    orgs: OrganisationIndex,
    lead: uuid.UUID,
    warnings: list[str],
    index: PeopleIndex,
    ids: dict[str, uuid.UUID],
    known: set[str],
) -> PlannedItem:
    """An item as the protocol has it. A presenter named without an organisation is the person of that name."""
    planned_decisions = []
    for d in item.decisions:
        body_id = orgs.find(d.body) if d.body else lead
        assignee = orgs.find(d.assignee) if d.assignee else None
        target = orgs.find(d.target) if d.target else None
        for name, found in ((d.body, body_id), (d.assignee, assignee), (d.target, target)):
            if name and found is None:
                warnings.append(f"item {item.number}: {name!r} is not a known body")
        kind = d.kind
        if (kind == "assignment" and not assignee) or (kind == "referral" and not target):
            kind = "resolved"  # the warning above names the body that is not known
        planned_decisions.append(
            PlannedDecision(
                source=merge.PROTOCOL,
                kind=kind,
                text=d.text,
                clauses=d.clauses,
                body_id=body_id or lead,
                assignee_body_id=assignee if kind == "assignment" else None,
                target_body_id=target if kind == "referral" else None,
            )
        )
    presenters = []
    for p in item.presenters:
        person = None
        if not p.organisation:
            match = index.match(p.name)
            if match.status is MatchStatus.matched and match.person_id:
                # Known by name from here on, so the merge can tell an existing presenter row is this person.
                person, ids[p.name] = p.name, match.person_id
            elif p.name in known:
                person = p.name
        presenters.append(
            PlannedPresenter(source=merge.PROTOCOL, name=p.name, organisation=p.organisation, person=person)
        )
    if not item.title:
        warnings.append(f"item {item.number} has no title in the protocol: it is recorded as {UNTITLED!r}")
    return PlannedItem(
        source=merge.PROTOCOL,
        number=item.number,
        title=item.title or UNTITLED,
        kind=item.kind,
        format=item.format,
        section=item.section,
        position=position,
        presenters=presenters,
        attachments=item.attachments,
        minutes_text=item.minutes_text,
        decisions=planned_decisions,
    )


def _plan_attendance(
    parsed: ParsedProtocol, orgs: OrganisationIndex, lead: uuid.UUID, ids: dict[str, uuid.UUID], known: set[str]
) -> list[PlannedAttendee]:
    """One row a person: someone named twice is written once, someone ambiguous not at all (see the people)."""
    listed: set[object] = set()
    out = []
    for a in parsed.attendance:
        who = ids.get(a.name) or fold(a.name)
        action = Action.create if a.name in known and who not in listed else Action.skip
        listed.add(who)
        out.append(
            PlannedAttendee(
                action=action,
                source=merge.PROTOCOL,
                name=a.name,
                person_id=ids.get(a.name),
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
        )
    return out


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
