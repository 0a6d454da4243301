"""Applying a protocol's plan: people, the meeting, items, decisions, attendance, memberships, next meetings.

It writes what the plan says and nothing else: creates, and the changes that are no unresolved conflict (a plan
with any is refused, 409). Everything goes through the same services as the API, so every rule and the audit
log apply, inside the caller's one transaction: a failure half-way leaves nothing behind. `rehearse` runs the
same code in a savepoint for the dry run, so a refusal is known before anyone applies.

The people, their attendance and their memberships are written by apply_people.py; the rest here, in order.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time

from pydantic import ValidationError as PydanticValidationError
from sqlmodel import Session

from app.core.errors import AppError, Conflict, ValidationFailed
from app.core.principal import Actor
from app.core.time import to_utc
from app.decisions import service as decisions
from app.decisions.models import DecisionCreate, DecisionUpdate
from app.imports import common
from app.imports.matching import PeopleIndex
from app.imports.models import (
    Action,
    ImportKind,
    MatchStatus,
    Planned,
    PlannedDecision,
    PlannedItem,
    PlanProblem,
    ProtocolPlan,
    Resolution,
)
from app.imports.protocol import merge
from app.imports.protocol.apply_people import PersonOf, apply_attendance, apply_memberships, apply_people
from app.imports.protocol.merge import WRITES
from app.imports.protocol.record import Record, existing_meeting, presenters_of
from app.meetings import items as agenda
from app.meetings import service as meetings
from app.meetings.models import (
    AgendaItem,
    AgendaItemCreate,
    AgendaItemUpdate,
    Meeting,
    MeetingCreate,
    MeetingKind,
    MeetingStatus,
    MeetingUpdate,
    PresenterIn,
    RecordSource,
)

DEFAULT_START = time(9, 0)


def at_default_time(day: date) -> datetime:
    return to_utc(datetime.combine(day, DEFAULT_START))


def has_changes(planned: ProtocolPlan) -> bool:
    objects = [
        planned.meeting,
        *planned.items,
        *(d for i in planned.items for d in i.decisions),
        *(p for i in planned.items for p in i.presenters),
        *planned.attendance,
    ]
    return (
        any(o.action in WRITES for o in objects)
        or any(p.match.status is MatchStatus.created for p in planned.people)
        or any(n.action is Action.create for n in planned.next_meetings)
        or bool(planned.memberships)
    )


def apply(session: Session, actor: Actor, planned: ProtocolPlan) -> uuid.UUID | None:
    """Write exactly the plan, through the services; returns the meeting's id. Nothing to write writes nothing."""
    if planned.written is not None:  # its rehearsal in this transaction was kept: it is written
        return planned.written[0]
    if planned.conflicts:
        raise Conflict(
            f"{len(planned.conflicts)} change(s) would overwrite what was entered by hand: resolve each "
            "(keep or take) and apply again.",
            code="import_conflicts",
            conflicts=planned.conflicts,
        )
    if not has_changes(planned):
        return planned.meeting.meeting_id
    _require_unchanged(session, planned)
    index = PeopleIndex.load(session)
    person_ids = apply_people(session, actor, planned, index)

    def person_of(name: str | None) -> uuid.UUID | None:
        if not name:
            return None
        return person_ids.get(name) or index.match(name).person_id

    with _at("meeting"):
        meeting = _apply_meeting(session, actor, planned, person_of)
    rows = _apply_items(session, actor, meeting, planned.items, person_of)
    _apply_decisions(session, actor, planned.items, rows)
    with _at("attendance"):
        apply_attendance(session, actor, meeting, planned, person_ids, person_of)
    in_protocol = planned.model_copy(update={"attendance": [a for a in planned.attendance if a.in_protocol]})
    apply_memberships(session, actor, meeting, in_protocol, person_ids)
    for n in planned.next_meetings:
        # Matched again: an earlier protocol of the same folder may have created it in this transaction.
        if (
            n.action is Action.create
            and n.body_id
            and not existing_meeting(session, n.body_id, at_default_time(n.on), None)
        ):
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
                source=RecordSource.protocol,
            )
    session.flush()
    common.record_import(session, actor, ImportKind.protocol, planned.file, meeting.id, planned.counts)
    return meeting.id


def rehearse(session: Session, actor: Actor, planned: ProtocolPlan, keep: bool = False) -> list[PlanProblem]:
    """Apply the plan in a savepoint and roll it back: what applying would refuse, with its own status and
    message. Conflicts not yet resolved are rehearsed as kept (the hand-entered value stays).
    `keep` (an apply request): a plan with no conflict left that applies cleanly is kept, for the rehearsal was
    the apply itself; `apply` then writes nothing more. Whatever refuses the request later still rolls it back."""
    keep = keep and not planned.conflicts
    trial = planned.model_copy(deep=True)
    trial.conflicts = []
    for obj in [trial.meeting, *trial.items, *trial.attendance]:
        for c in obj.changes:
            c.resolution = c.resolution or (Resolution.keep if c.conflict else None)
    for item in trial.items:
        for c in [c for o in [*item.presenters, *item.decisions] for c in o.changes]:
            c.resolution = c.resolution or (Resolution.keep if c.conflict else None)
    savepoint = session.begin_nested()
    try:
        meeting_id = apply(session, actor, trial)
    except AppError as exc:
        savepoint.rollback()
        at = exc.extra.pop("at", None)
        return [
            PlanProblem(status=exc.status, code=exc.code, detail=exc.detail, at=at, errors=getattr(exc, "errors", []))
        ]
    except BaseException:
        savepoint.rollback()
        raise
    if keep:
        savepoint.commit()
        planned.mark_written(meeting_id)
    else:
        savepoint.rollback()
    return []


def _source(obj: Planned) -> RecordSource:
    """The source the plan gives the object once written (it stays `manual` while a hand-entered value is kept)."""
    return RecordSource(obj.source or RecordSource.manual)


@contextmanager
def _at(key: str) -> Iterator[None]:
    """Name the object a refusal is about (`item/24/decision/resolved`) in the problem, dry run and apply alike."""
    try:
        yield
    except AppError as exc:
        exc.extra.setdefault("at", key)
        raise
    except PydanticValidationError as exc:  # a value the API's models refuse: the client's 422, never a 500
        first = exc.errors()[0]
        failed = ValidationFailed(("body", *first["loc"]), first["msg"], type=first["type"])
        failed.extra["at"] = key
        raise failed from None


@contextmanager
def _at_row(keys: list[str]) -> Iterator[None]:
    """Name the object of a batch that a refusal is about: the row the service names, else the batch's first."""
    try:
        yield
    except AppError as exc:
        row = getattr(exc, "row", None)
        exc.extra.setdefault("at", keys[row] if row is not None and row < len(keys) else keys[0])
        raise


def _require_unchanged(session: Session, planned: ProtocolPlan) -> None:
    if planned.meeting.meeting_id is None:
        return
    record = Record.load(session, meetings.get(session, planned.meeting.meeting_id))
    if record.fingerprint() != planned.meeting.fingerprint:
        raise Conflict(
            "The meeting's record changed since the plan was made. Run the dry run again.", code="plan_changed"
        )


def _apply_meeting(session: Session, actor: Actor, planned: ProtocolPlan, person_of: PersonOf) -> Meeting:
    m = planned.meeting
    if m.meeting_id is None:
        attendance = [a for a in planned.attendance if a.action is not Action.skip]
        chair = next((a.name for a in attendance if a.role == "chair" and a.status == "present"), None)
        adjusters = [person_of(a.name) for a in attendance if a.adjuster or a.role == "adjuster"]
        assert m.starts_at is not None  # the plan refuses a protocol without a date
        new = MeetingCreate(
            body_ids=m.body_ids,
            status=MeetingStatus.held,
            starts_at=m.starts_at,
            ends_at=m.ends_at,
            kind=MeetingKind.joint if len(m.body_ids) > 1 else MeetingKind.ordinary,
            diary_number=m.diary_number,
            place=m.place,
            chair_id=person_of(chair),
            adjuster_ids=[a for a in adjusters if a],
        )
        return meetings.create(session, actor, new, source=RecordSource.protocol)
    meeting = meetings.get(session, m.meeting_id)
    fields = merge.writes(m.changes)
    if not fields:
        return meeting
    if "chair" in fields:
        fields["chair_id"] = person_of(fields.pop("chair"))
    if "adjusters" in fields:
        fields["adjuster_ids"] = [person_of(n) for n in fields.pop("adjusters")]
    update = MeetingUpdate.model_validate(fields)
    return meetings.update(session, actor, meeting, update, source=_source(m))


def _presenter_in(person_of: PersonOf, name: str, organisation: str | None, person: str | None) -> PresenterIn:
    if person is not None and (pid := person_of(person)) is not None:
        return PresenterIn(person_id=pid)
    return PresenterIn(name=name, organisation=organisation)


def _apply_items(
    session: Session, actor: Actor, meeting: Meeting, items: list[PlannedItem], person_of: PersonOf
) -> list[AgendaItem]:
    """The items in the plan's order, as rows: the changed ones updated, the new ones created together."""
    stored = {i.id: i for i in agenda.items_of(session, meeting.id)}
    out: list[AgendaItem | None] = []
    new: list[tuple[int, str, AgendaItemCreate]] = []
    for item in items:
        with _at(f"item/{item.number}"):
            if item.action is Action.create:
                new.append((len(out), f"item/{item.number}", _new_item(meeting, item, person_of)))
                out.append(None)
            else:
                out.append(_update_item(session, actor, item, stored, person_of))
    if new:
        with _at_row([key for _, key, _ in new]):
            made = agenda.create_many(session, actor, [data for *_, data in new], source=RecordSource.protocol)
        for (n, _, _), row in zip(new, made, strict=True):
            out[n] = row
    return [row for row in out if row is not None]


def _new_item(meeting: Meeting, item: PlannedItem, person_of: PersonOf) -> AgendaItemCreate:
    presenters = [_presenter_in(person_of, p.name, p.organisation, p.person) for p in item.presenters]
    return AgendaItemCreate(
        meeting_id=meeting.id,
        number=item.number,
        title=item.title,
        kind=item.kind,  # type: ignore[arg-type]
        format=item.format,  # type: ignore[arg-type]
        section=item.section,
        minutes_text=item.minutes_text,
        presenters=presenters,
        position=item.position,
    )


def _update_item(
    session: Session, actor: Actor, item: PlannedItem, rows: dict[uuid.UUID, AgendaItem], person_of: PersonOf
) -> AgendaItem:
    assert item.item_id is not None
    row = rows[item.item_id]
    if item.action not in WRITES:
        return row
    fields = merge.writes(item.changes)
    if any(p.action in WRITES for p in item.presenters):
        fields["presenters"] = _presenters_after(session, row, item, person_of)
    return agenda.update(session, actor, row, AgendaItemUpdate.model_validate(fields), source=_source(item))


def _presenters_after(session: Session, row: AgendaItem, item: PlannedItem, person_of: PersonOf) -> list[PresenterIn]:
    """The item's presenters as stored (in the plan's order, which is theirs), changed as planned, then the new."""
    stored = presenters_of(session, row.id)
    out = []
    for current, planned in zip(stored, item.presenters, strict=False):
        value = {"person_id": current.person_id, "name": current.name, "organisation": current.organisation}
        change = merge.writes(planned.changes)
        if "organisation" in change:
            value["organisation"] = change["organisation"]
        if "person" in change:
            value["person_id"] = person_of(change["person"])
        out.append(PresenterIn.model_validate(value))
    for p in item.presenters[len(stored) :]:
        out.append(_presenter_in(person_of, p.name, p.organisation, p.person))
    return out


def _apply_decisions(session: Session, actor: Actor, items: list[PlannedItem], rows: list[AgendaItem]) -> None:
    """The changed decisions updated, the new ones created together."""
    new: list[tuple[str, DecisionCreate]] = []
    for item, row in zip(items, rows, strict=True):
        for d in item.decisions:
            key = f"item/{item.number}/decision/{d.kind}"
            with _at(key):
                if d.action is Action.create:
                    new.append((key, _new_decision(row, d)))
                elif d.action in WRITES and d.decision_id is not None and (fields := merge.writes(d.changes)):
                    stored = decisions.get(session, d.decision_id)
                    change = DecisionUpdate.model_validate(fields)
                    decisions.update(session, actor, stored, change, source=_source(d))
    if new:
        with _at_row([key for key, _ in new]):
            decisions.create_many(session, actor, [data for _, data in new], source=RecordSource.protocol)


def _new_decision(item: AgendaItem, d: PlannedDecision) -> DecisionCreate:
    return DecisionCreate(
        agenda_item_id=item.id,
        kind=d.kind,  # type: ignore[arg-type]
        text=d.text,
        clauses=d.clauses,
        body_id=d.body_id,
        assignee_body_id=d.assignee_body_id,
        target_body_id=d.target_body_id,
    )
