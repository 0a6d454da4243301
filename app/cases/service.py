"""Rules for cases: references, allowed status transitions, queues, and the timeline of a case."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlalchemy import select as select_columns
from sqlalchemy.sql import Executable
from sqlmodel import Session, col, select

from app.cases.models import (
    Case,
    CaseCreate,
    CaseEvent,
    CaseEventKind,
    CaseOut,
    CaseStatus,
    CaseStrategy,
    CaseUpdate,
    TimelineEntry,
)
from app.core import crud
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import execute, id_array, shape
from app.core.textsearch import TextFields, matching
from app.core.time import local_date, today
from app.organisations import service as organisations
from app.organisations.models import Organisation
from app.search import service as search
from app.search.models import SearchKind
from app.strategies.models import Strategy

KIND = "case"
SORT_COLUMNS: SortColumns = {
    "reference": col(Case.reference_sort),
    "title": col(Case.title_sort),
    "created_at": col(Case.created_at),
    "updated_at": col(Case.updated_at),
}
S = CaseStatus
TRANSITIONS: dict[CaseStatus, set[CaseStatus]] = {
    S.open: {S.in_preparation, S.ready, S.decided, S.closed, S.withdrawn},
    S.in_preparation: {S.open, S.ready, S.withdrawn},
    S.ready: {S.in_preparation, S.decided, S.withdrawn},
    S.decided: {S.in_follow_up, S.closed, S.ready},
    S.in_follow_up: {S.decided, S.closed},
    S.closed: {S.open},
    S.withdrawn: {S.open},
}
FINISHED = (S.closed, S.withdrawn)
TEXT_FIELDS: TextFields = (col(Case.title), col(Case.reference), col(Case.description))
# Within one meeting the timeline reads: handled, what was decided, where the case went next.
_SAME_TIME_ORDER = {"created": 0, "status_changed": 1, "handled": 2, "report_back": 2, "decision": 3, "referred": 4}
# A case as it is shown: its strategies come in the row's own statement.
SHAPE = shape(
    Case,
    CaseOut,
    computed={
        "strategy_ids": id_array(
            select(CaseStrategy.strategy_id)
            .where(CaseStrategy.case_id == Case.id)
            .order_by(col(CaseStrategy.strategy_id))
        )
    },
)


@dataclass(frozen=True)
class CaseFilter:
    status: list[CaseStatus] | None = None
    responsible_body_id: uuid.UUID | None = None
    queue_body_id: uuid.UUID | None = None
    target_group: str | None = None
    strategy_id: uuid.UUID | None = None
    q: str | None = None


def get(session: Session, ident: uuid.UUID) -> Case:
    return crud.get_live(session, Case, ident, KIND)


def list_page(session: Session, flt: CaseFilter, params: ListParams) -> PageResult:
    stmt = matching(SHAPE.select(), TEXT_FIELDS, flt.q)
    if flt.status:
        stmt = stmt.where(col(Case.status).in_(flt.status))
    if flt.responsible_body_id:
        stmt = stmt.where(col(Case.responsible_body_id) == flt.responsible_body_id)
    if flt.queue_body_id:
        # A body's queue: the cases waiting for it, not the finished ones.
        stmt = stmt.where(col(Case.queue_body_id) == flt.queue_body_id, col(Case.status).not_in(FINISHED))
    if flt.target_group:
        stmt = stmt.where(col(Case.target_group) == flt.target_group)
    if flt.strategy_id:
        linked = select(CaseStrategy.case_id).where(CaseStrategy.strategy_id == flt.strategy_id)
        stmt = stmt.where(col(Case.id).in_(linked))
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def render(session: Session, case: Case) -> dict[str, Any]:
    return SHAPE.one(session, case.id)


def _require_editor(actor: Actor, case: Case | None, body_id: uuid.UUID | None) -> None:
    """Admins, and secretaries of the responsible body (any secretary while a case has none)."""
    body = body_id or (case.responsible_body_id if case else None)
    allowed = actor.is_admin or (actor.holds(Role.secretary, body) if body else actor.has_role(Role.secretary))
    if not allowed:
        raise Forbidden("Only admins and the responsible body's secretaries may change this case.", code="missing_role")


def _check(session: Session, case: Case) -> None:
    if case.responsible_body_id is not None:
        organisations.require_body(session, case.responsible_body_id, "responsible_body_id")
    taken = select(Case.id).where(Case.reference == case.reference, Case.id != case.id, col(Case.deleted_at).is_(None))
    if session.exec(taken).first():
        raise Conflict(
            f"A case with reference {case.reference!r} exists.", code="duplicate_reference", field="reference"
        )


def _check_strategies(session: Session, wanted: list[uuid.UUID]) -> None:
    found = set(
        session.exec(select(Strategy.id).where(col(Strategy.id).in_(wanted), col(Strategy.deleted_at).is_(None)))
    )
    for i, sid in enumerate(wanted):
        if sid not in found:
            raise ValidationFailed(("body", "strategy_ids", i), "no such strategy")


def _store_strategies(session: Session, case: Case, wanted: list[uuid.UUID]) -> None:
    session.execute(delete(CaseStrategy).where(col(CaseStrategy.case_id) == case.id))
    for sid in dict.fromkeys(wanted):
        session.add(CaseStrategy(case_id=case.id, strategy_id=sid))


def _new_reference(session: Session, body_id: uuid.UUID | None) -> str:
    body = session.get(Organisation, body_id) if body_id else None
    prefix = f"{(body.short_name or body.name) if body else 'SAM'} {today().year}/"
    existing = session.exec(select(Case.reference).where(col(Case.reference).startswith(prefix, autoescape=True)))
    numbers = [int(r[len(prefix) :]) for r in existing if r[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _index(session: Session, case: Case) -> None:
    search.index(
        session,
        SearchKind.case,
        case.id,
        f"{case.reference} {case.title}",
        case.description,
        case.responsible_body_id,
        local_date(case.created_at).year,
    )


def _event(
    session: Session, actor: Actor, case: Case, kind: CaseEventKind, on: date | None = None, **fields: Any
) -> None:
    session.add(CaseEvent(case_id=case.id, kind=kind, principal_name=actor.name, on=on or today(), **fields))


def create(session: Session, actor: Actor, data: CaseCreate) -> Case:
    _require_editor(actor, None, data.responsible_body_id)
    fields = data.model_dump(exclude={"reference", "strategy_ids"})
    case = Case(
        **fields,
        reference=data.reference or _new_reference(session, data.responsible_body_id),
        queue_body_id=data.responsible_body_id,
    )
    _check(session, case)
    _check_strategies(session, data.strategy_ids or [])
    crud.create(
        session, actor, case, KIND, data.model_dump(mode="json", exclude_none=True) | {"reference": case.reference}
    )
    _store_strategies(session, case, data.strategy_ids or [])
    _event(session, actor, case, CaseEventKind.created, to_status=case.status)
    _index(session, case)
    # No autoflush: the strategy links must reach the database before the answer is rendered from it.
    session.flush()
    return case


def update(session: Session, actor: Actor, case: Case, data: CaseUpdate) -> Case:
    _require_editor(actor, case, None)
    changes = data.model_dump(exclude_unset=True, exclude={"strategy_ids"})
    old_status, old_body = case.status, case.responsible_body_id
    new_status = changes.get("status")
    if new_status is not None and new_status != old_status and new_status not in TRANSITIONS[old_status]:
        allowed = ", ".join(sorted(TRANSITIONS[old_status]))
        raise Conflict(
            f"A case that is {old_status} cannot become {new_status}; allowed: {allowed}.", code="invalid_transition"
        )
    diff = crud.apply_changes(case, changes, required={"title", "reference", "status"})
    if "responsible_body_id" in diff:
        _require_editor(actor, case, None)
        if case.queue_body_id in (None, old_body):
            case.queue_body_id = case.responsible_body_id
    _check(session, case)
    if data.strategy_ids is not None:
        _check_strategies(session, data.strategy_ids)
    if data.strategy_ids is not None:
        _store_strategies(session, case, data.strategy_ids)
        diff["strategy_ids"] = [None, [str(s) for s in data.strategy_ids]]
    if case.status != old_status:
        _event(session, actor, case, CaseEventKind.status_changed, from_status=old_status, to_status=case.status)
    _index(session, case)
    crud.save_update(session, actor, case, KIND, diff)
    return case


def refer(session: Session, actor: Actor, case: Case, body_id: uuid.UUID, decision_id: uuid.UUID, on: date) -> None:
    """A referral moves the case into the target body's queue and onto the timeline, dated by its decision."""
    diff = crud.apply_changes(case, {"queue_body_id": body_id})
    _event(session, actor, case, CaseEventKind.referred, on=on, body_id=body_id, decision_id=decision_id)
    crud.save_update(session, actor, case, KIND, diff)


def remove(session: Session, actor: Actor, case: Case) -> None:
    from app.decisions.models import Decision
    from app.meetings.models import ItemCase

    _require_editor(actor, case, None)
    decided = select(Decision.id).where(Decision.case_id == case.id, col(Decision.deleted_at).is_(None))
    if (
        session.exec(select(ItemCase.item_id).where(ItemCase.case_id == case.id)).first()
        or session.exec(decided).first()
    ):
        raise Conflict("The case has been on an agenda; withdraw or close it instead.", code="in_use")
    search.unindex(session, SearchKind.case, case.id)
    crud.soft_delete(session, actor, case, KIND)


def timeline(session: Session, case: Case) -> dict[str, Any]:
    """Every handling at a meeting, decision, referral and status change, oldest first, in six queries of plain
    rows, as Timeline's plain data.

    Decisions and referrals carry the time of their meeting, so that a day's entries keep the meeting's order.
    """
    from app.decisions.models import Decision, DecisionKind
    from app.meetings.models import AgendaItem, ItemCase, Meeting

    decisions = list(
        execute(
            session,
            select_columns(
                col(Decision.id),
                col(Decision.kind),
                col(Decision.decided_on),
                col(Decision.body_id),
                col(Decision.meeting_id),
                col(Decision.agenda_item_id),
                col(Decision.report_item_id),
                col(Meeting.starts_at),
            )
            .join(Meeting, col(Meeting.id) == Decision.meeting_id)
            .join(AgendaItem, col(AgendaItem.id) == Decision.agenda_item_id)
            .where(col(Decision.case_id) == case.id, col(Decision.deleted_at).is_(None))
            .order_by(col(Meeting.starts_at), col(AgendaItem.position), col(Decision.position)),
        )
    )
    held_at = {d.id: d.starts_at for d in decisions}
    entries: list[dict[str, Any]] = []
    events = (
        select_columns(
            *(col(c) for c in (CaseEvent.on, CaseEvent.at, CaseEvent.kind, CaseEvent.body_id, CaseEvent.decision_id)),
            col(CaseEvent.from_status),
            col(CaseEvent.to_status),
        )
        .where(col(CaseEvent.case_id) == case.id)
        .order_by(col(CaseEvent.at))
    )
    for e in execute(session, events):
        entries.append(
            _entry(
                on=e.on or local_date(e.at),
                at=held_at.get(e.decision_id, e.at) if e.decision_id else e.at,
                kind=e.kind.value,
                body_id=e.body_id,
                decision_id=e.decision_id,
                from_status=e.from_status,
                to_status=e.to_status,
            )
        )
    handled = select(ItemCase.item_id).where(ItemCase.case_id == case.id)
    for row in _items_at_meetings(session, handled):
        entries.append(_at_meeting("handled", row))
    for d in decisions:
        entries.append(
            _entry(
                on=d.decided_on,
                at=d.starts_at,
                kind="decision",
                body_id=d.body_id,
                meeting_id=d.meeting_id,
                agenda_item_id=d.agenda_item_id,
                decision_id=d.id,
                title=d.kind.value,
            )
        )
    reports = {d.report_item_id: d for d in decisions if d.kind is DecisionKind.assignment and d.report_item_id}
    if reports:
        for row in _items_at_meetings(session, list(reports)):
            entries.append(_at_meeting("report_back", row, decision_id=reports[row.item_id].id))
    entries.sort(key=lambda e: (e["on"] is None, e["on"], e["at"] is None, e["at"], _SAME_TIME_ORDER.get(e["kind"], 5)))
    return {"case": render(session, case), "entries": entries}


def _entry(**fields: Any) -> dict[str, Any]:
    """One timeline entry as plain data, in TimelineEntry's field order, the fields not given null."""
    return dict.fromkeys(TimelineEntry.model_fields) | fields


def _items_at_meetings(session: Session, item_ids: Any) -> list[Any]:
    """Live agenda items among `item_ids` (a list or a subquery), each with its meeting, in meeting order."""
    from app.meetings.models import AgendaItem, Meeting

    stmt: Executable = (
        select_columns(
            col(AgendaItem.id).label("item_id"),
            col(AgendaItem.body_id),
            col(AgendaItem.number),
            col(AgendaItem.title),
            col(Meeting.id).label("meeting_id"),
            col(Meeting.starts_at),
        )
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .where(col(AgendaItem.id).in_(item_ids), col(AgendaItem.deleted_at).is_(None))
        .order_by(col(Meeting.starts_at), col(AgendaItem.position))
    )
    return list(execute(session, stmt))


def _at_meeting(kind: str, row: Any, decision_id: uuid.UUID | None = None) -> dict[str, Any]:
    return _entry(
        on=local_date(row.starts_at),
        at=row.starts_at,
        kind=kind,
        body_id=row.body_id,
        meeting_id=row.meeting_id,
        agenda_item_id=row.item_id,
        item_number=row.number,
        title=row.title,
        decision_id=decision_id,
    )
