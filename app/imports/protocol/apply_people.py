"""Applying a protocol's plan, the part about its people: the people it creates, the attendance rows, and the
memberships the attendance shows (the rest of the apply, and how a refusal is named: apply.py)."""

import uuid
from collections.abc import Callable
from dataclasses import replace

from sqlmodel import Session

from app.core.principal import Actor
from app.core.time import local_date
from app.imports.matching import PeopleIndex, person_name
from app.imports.models import Action, MatchStatus, PlannedAttendee, ProtocolPlan
from app.imports.protocol import memberships, merge
from app.imports.protocol.merge import WRITES
from app.meetings import service as meetings
from app.meetings.models import AttendanceIn, AttendanceSource, Meeting
from app.people import service as people
from app.people.models import PersonCreate

# How a name in the protocol becomes a person's id (None: no one known by it).
PersonOf = Callable[[str | None], uuid.UUID | None]


def _split_name(name: str) -> tuple[str, str]:
    given, _, family = person_name(name).partition(" ")
    return given, family or given


def apply_people(session: Session, actor: Actor, planned: ProtocolPlan, index: PeopleIndex) -> dict[str, uuid.UUID]:
    """A person planned as created is matched again first: the plan was made before anything was written, and an
    earlier protocol of the same folder may have created them in this transaction (reused, never duplicated).
    The new people are created together; `index` learns them."""
    ids: dict[str, uuid.UUID] = {}
    pending = PeopleIndex()  # the people about to be created: a second spelling of one is the same person
    new: dict[uuid.UUID, PersonCreate] = {}
    for p in planned.people:
        if p.match.status is MatchStatus.matched and p.match.person_id:
            ids[p.name] = p.match.person_id
        elif p.match.status is MatchStatus.created:
            again = index.match(p.name)
            if again.status is not MatchStatus.matched:
                again = pending.match(p.name)
            if again.status is MatchStatus.matched and again.person_id:
                ids[p.name] = again.person_id
                continue
            given, family = _split_name(p.name)
            ids[p.name] = placeholder = uuid.uuid4()
            new[placeholder] = PersonCreate(given_name=given, family_name=family, party=p.party)
            pending.add(placeholder, given, family, None)
    created = dict(zip(new, people.create_people(session, actor, list(new.values())), strict=True))
    for person in created.values():
        index.add(person.id, person.given_name, person.family_name, None)
    return {name: created[i].id if i in created else i for name, i in ids.items()}


def apply_attendance(
    session: Session,
    actor: Actor,
    meeting: Meeting,
    planned: ProtocolPlan,
    person_ids: dict[str, uuid.UUID],
    person_of: PersonOf,
) -> None:
    """The rows already recorded stay in their order (changed as planned); the protocol's new rows follow."""
    if not any(a.action in WRITES for a in planned.attendance):
        return
    by_person = {a.person_id: a for a in planned.attendance if a.person_id and a.action is not Action.skip}
    entries: list[AttendanceIn] = []
    for row in meetings.attendance_of(session, meeting.id):
        value = {field: row[field] for field in AttendanceIn.model_fields}
        a = by_person.get(row["person_id"])
        if a is not None and a.action in WRITES:
            change = merge.writes(a.changes)
            if "substitute_for" in change:
                change["substitute_for_id"] = person_of(change.pop("substitute_for"))
            value |= change | {"source": a.source}
        entries.append(AttendanceIn.model_validate(value))
    for a in planned.attendance:
        if a.action is Action.create:
            entries.append(_new_row(a, planned, person_ids))
    meetings.replace_attendance(session, actor, meeting, entries)


def _new_row(a: PlannedAttendee, planned: ProtocolPlan, person_ids: dict[str, uuid.UUID]) -> AttendanceIn:
    value = merge.written_row(a, planned.meeting.body_ids, set(person_ids))
    substitute_for = value.pop("substitute_for")
    return AttendanceIn.model_validate(
        {
            **value,
            "person_id": person_ids[a.name],
            "substitute_for_id": person_ids.get(substitute_for) if substitute_for else None,
            "source": AttendanceSource.protocol,
        }
    )


def apply_memberships(
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
