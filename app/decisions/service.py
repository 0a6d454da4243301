"""Rules for decisions and their follow-up: what each kind needs, who records them, recommendation responses.

How a decision is shown and listed, with its tally: reads.py.
"""

import uuid
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import null
from sqlmodel import Session, col, select

from app.cases import service as cases
from app.cases.models import Case
from app.core import crud
from app.core.errors import Forbidden, ValidationFailed
from app.core.principal import Actor, Role
from app.core.reads import shape
from app.core.time import local_date, today
from app.decisions.models import (
    AssignmentStatus,
    Decision,
    DecisionCreate,
    DecisionKind,
    DecisionUpdate,
    RecommendationResponse,
    ResponseIn,
    ResponseOut,
    ResponseStatus,
)
from app.meetings import service as meetings
from app.meetings.models import AgendaItem, ItemCase, Meeting, RecordSource
from app.organisations import service as organisations
from app.organisations.models import Organisation
from app.search import service as search
from app.search.models import SearchKind

KIND = "decision"
RESPONSE = "recommendation_response"
# Which fields belong to which kind; any other kind-specific field is refused, naming it.
KIND_FIELDS: dict[DecisionKind, set[str]] = {
    DecisionKind.noted: set(),
    DecisionKind.resolved: set(),
    DecisionKind.recommendation: {"response_deadline"},
    DecisionKind.assignment: {"assignee_body_id", "due_date", "assignment_status", "report_item_id"},
    DecisionKind.referral: {"target_body_id"},
}
# A recommendation's deadline is often not in the protocol that records it: it may come later.
REQUIRED_FOR_KIND: dict[DecisionKind, set[str]] = {
    DecisionKind.assignment: {"assignee_body_id"},
    DecisionKind.referral: {"target_body_id"},
}
ALL_KIND_FIELDS = set().union(*KIND_FIELDS.values())


def get(session: Session, ident: uuid.UUID) -> Decision:
    return crud.get_live(session, Decision, ident, KIND)


def _require_secretary(actor: Actor, body_id: uuid.UUID) -> None:
    if not actor.holds(Role.secretary, body_id):
        raise Forbidden("Only a secretary of the deciding body may record its decisions.", code="missing_role")


def _check_kind(session: Session, d: Decision, given: set[str]) -> None:
    for field in sorted((given & ALL_KIND_FIELDS) - KIND_FIELDS[d.kind]):
        if getattr(d, field) is not None:
            raise ValidationFailed(field, f"does not apply to a decision of kind {d.kind}")
    for field in sorted(REQUIRED_FOR_KIND.get(d.kind, set())):
        if getattr(d, field) is None:
            raise ValidationFailed(field, f"is required for a {d.kind}")
    for field in ("assignee_body_id", "target_body_id"):
        if (body_id := getattr(d, field)) is not None:
            organisations.require_body(session, body_id, field)
    if d.report_item_id is not None:
        report = crud.live_or_invalid(session, AgendaItem, d.report_item_id, "report_item_id", "agenda item")
        if "report_item_id" in given:
            held = meetings.get(session, d.meeting_id).starts_at
            if meetings.get(session, report.meeting_id).starts_at <= held:
                raise ValidationFailed("report_item_id", "is not on a meeting after the decision's")
    if d.response_deadline is not None and d.response_deadline < d.decided_on:
        raise ValidationFailed("response_deadline", f"is before the decision itself ({d.decided_on.isoformat()})")
    if d.case_id is not None:
        crud.live_or_invalid(session, Case, d.case_id, "case_id", "case")
    if d.kind is DecisionKind.assignment and d.assignment_status is None:
        d.assignment_status = AssignmentStatus.open


def _principals(session: Session) -> set[uuid.UUID]:
    live = select(Organisation.id).where(col(Organisation.is_principal), col(Organisation.deleted_at).is_(None))
    return set(session.exec(live))


def _recipients(principals: set[uuid.UUID], ids: list[uuid.UUID] | None) -> list[uuid.UUID]:
    if ids is None:
        return sorted(principals, key=str)
    for i, org_id in enumerate(ids):
        if org_id not in principals:
            raise ValidationFailed(("body", "recipient_ids", i), "is not a principal")
    return list(dict.fromkeys(ids))


def _indexed(d: Decision) -> search.Indexed:
    text = "\n".join(filter(None, [d.text, *d.clauses]))
    title = f"{d.kind.value}: {(d.text or ' '.join(d.clauses))[:200]}"
    return search.Indexed(d.id, title, text, d.body_id, d.decided_on.year)


def _index(session: Session, d: Decision) -> None:
    search.index_many(session, SearchKind.decision, [_indexed(d)])


@dataclass
class Known:
    """What the checks of a set of new decisions read, each kind in one query (the items, meetings and bodies
    they name are read into the session, so the checks of each decision find them there)."""

    bodies: dict[uuid.UUID, list[uuid.UUID]]
    linked: dict[uuid.UUID, list[uuid.UUID]]
    positions: Counter[uuid.UUID]
    principals: set[uuid.UUID]
    held: list[object]  # the rows read: the session's identity map keeps only the rows someone refers to

    @classmethod
    def load(cls, session: Session, data: list[DecisionCreate]) -> "Known":
        item_ids = {d.agenda_item_id for d in data}
        items = list(session.exec(select(AgendaItem).where(col(AgendaItem.id).in_(item_ids))))
        meeting_ids = list({i.meeting_id for i in items})
        held: list[object] = [*items, *session.exec(select(Meeting).where(col(Meeting.id).in_(meeting_ids)))]
        orgs = {b for d in data for b in (d.assignee_body_id, d.target_body_id) if b}
        if orgs:
            found = session.exec(select(Organisation).where(col(Organisation.id).in_(orgs)))
            held += list(found)
        linked: dict[uuid.UUID, list[uuid.UUID]] = {i: [] for i in item_ids}
        for item_id, case_id in session.exec(
            select(ItemCase.item_id, ItemCase.case_id).where(col(ItemCase.item_id).in_(item_ids))
        ):
            linked[item_id].append(case_id)
        # Positions count every decision ever on the item, deleted ones too (as they always have).
        taken = select(Decision.agenda_item_id).where(col(Decision.agenda_item_id).in_(item_ids))
        return cls(
            bodies=meetings.body_ids_of(session, meeting_ids),
            linked=linked,
            positions=Counter(session.exec(taken)),
            principals=_principals(session) if any(d.kind is DecisionKind.recommendation for d in data) else set(),
            held=held,
        )


def create(
    session: Session,
    actor: Actor,
    data: DecisionCreate,
    source: RecordSource = RecordSource.manual,
    known: Known | None = None,
) -> Decision:
    """One new decision. Given `known` (from create_many), it reads nothing more and leaves the flush and the
    search index to the caller."""
    if known is None:
        return create_many(session, actor, [data], source)[0]
    item = crud.live_or_invalid(session, AgendaItem, data.agenda_item_id, "agenda_item_id", "agenda item")
    meeting = meetings.get(session, item.meeting_id)
    body_id = data.body_id or item.body_id
    _require_secretary(actor, body_id)
    if body_id not in known.bodies.get(meeting.id, []):
        raise ValidationFailed("body_id", "is not one of the meeting's bodies")
    case_id = data.case_id
    if case_id is None:
        linked = known.linked.get(item.id, [])
        case_id = linked[0] if len(linked) == 1 else None
    position = known.positions[item.id]
    known.positions[item.id] += 1
    fields = data.model_dump(exclude={"recipient_ids", "body_id", "case_id", "decided_on"})
    fields["clauses"] = fields["clauses"] or []
    decision = Decision(
        **fields,
        meeting_id=meeting.id,
        body_id=body_id,
        case_id=case_id,
        position=position,
        decided_on=data.decided_on or local_date(meeting.starts_at),
        source=source,
    )
    if data.recipient_ids is not None and data.kind is not DecisionKind.recommendation:
        raise ValidationFailed("recipient_ids", "only recommendations have recipients")
    _check_kind(session, decision, data.model_fields_set)
    crud.add_new(session, actor, decision, KIND, data.model_dump(mode="json", exclude_none=True))
    if decision.kind is DecisionKind.recommendation:
        for org_id in _recipients(known.principals, data.recipient_ids):
            session.add(
                RecommendationResponse(decision_id=decision.id, organisation_id=org_id, status=ResponseStatus.pending)
            )
    if decision.kind is DecisionKind.referral and decision.case_id and decision.target_body_id:
        session.flush()
        cases.refer(
            session,
            actor,
            cases.get(session, decision.case_id),
            decision.target_body_id,
            decision.id,
            decision.decided_on,
        )
    return decision


def create_many(
    session: Session, actor: Actor, data: list[DecisionCreate], source: RecordSource = RecordSource.manual
) -> list[Decision]:
    """New decisions, written together (an import records hundreds): each by `create`, with its rules, after one
    query per kind of thing they refer to; inserted in one flush."""
    if not data:
        return []
    known = Known.load(session, data)
    made = []
    for row, d in enumerate(data):
        with crud.for_row(row):
            made.append(create(session, actor, d, source, known))
    session.flush()
    search.index_many(session, SearchKind.decision, [_indexed(d) for d in made])
    session.flush()
    return made


def update(
    session: Session, actor: Actor, decision: Decision, data: DecisionUpdate, source: RecordSource = RecordSource.manual
) -> Decision:
    """`source`: who wrote the change (an edit through the API is `manual`, so an import will not overwrite it)."""
    _require_secretary(actor, decision.body_id)
    if data.kind is not None and data.kind != decision.kind:
        raise ValidationFailed("kind", "cannot change; delete the decision and record it anew")
    changes = data.model_dump(exclude_unset=True)
    diff = crud.apply_changes(decision, changes, required={"kind", "decided_on", "clauses"})
    _check_kind(session, decision, data.model_fields_set)
    _index(session, decision)
    crud.mark_source(decision, source, diff)
    crud.save_update(session, actor, decision, KIND, diff)
    return decision


def remove(session: Session, actor: Actor, decision: Decision) -> None:
    _require_secretary(actor, decision.body_id)
    search.unindex(session, SearchKind.decision, decision.id)
    crud.soft_delete(session, actor, decision, KIND)


# --- responses ---


# An answer as it is shown, with its principal's name joined in the same statement; `overdue` depends on the
# decision's deadline (see responses_of).
RESPONSE_SHAPE = shape(
    RecommendationResponse,
    ResponseOut,
    computed={"organisation_name": col(Organisation.name).label("organisation_name"), "overdue": null()},
)


def responses_of(
    session: Session, decision: Decision, statuses: list[ResponseStatus] | None = None, ident: uuid.UUID | None = None
) -> list[dict[str, Any]]:
    """The live answers to a recommendation (those with these statuses, or the one answer `ident`), by name."""
    stmt = (
        RESPONSE_SHAPE.select()
        .join(Organisation, col(Organisation.id) == RecommendationResponse.organisation_id)
        .where(col(RecommendationResponse.decision_id) == decision.id)
    )
    if ident is not None:
        stmt = stmt.where(col(RecommendationResponse.id) == ident)
    else:
        stmt = stmt.where(col(RecommendationResponse.deleted_at).is_(None))
    if statuses:
        stmt = stmt.where(col(RecommendationResponse.status).in_(statuses))
    late = decision.response_deadline is not None and decision.response_deadline < today()
    rows = RESPONSE_SHAPE.rows(session, stmt.order_by(col(Organisation.name_sort)))
    for row in rows:
        row["overdue"] = late and row["status"] == ResponseStatus.pending
    return rows


def answer(session: Session, actor: Actor, decision: Decision, data: ResponseIn) -> dict[str, Any]:
    """A principal's answer: only an editor of that principal (or an admin) may give it."""
    if decision.kind is not DecisionKind.recommendation:
        raise ValidationFailed(("body",), "only recommendations are answered")
    if not actor.holds(Role.editor, data.organisation_id):
        raise Forbidden("Only an editor of that principal may answer for it.", code="missing_role")
    row = session.exec(
        select(RecommendationResponse).where(
            RecommendationResponse.decision_id == decision.id,
            RecommendationResponse.organisation_id == data.organisation_id,
        )
    ).one_or_none()
    if row is None:
        raise ValidationFailed("organisation_id", "is not a recipient of this recommendation")
    if data.document_id is not None:
        from app.documents.models import Document

        crud.live_or_invalid(session, Document, data.document_id, "document_id", "document")
    if data.decided_on and data.decided_on < decision.decided_on:
        raise ValidationFailed("decided_on", "is before the recommendation itself")
    # Answering again changes what is sent and keeps the rest (a later answer may only add the reference).
    diff = crud.apply_changes(row, data.model_dump(exclude={"organisation_id"}, exclude_unset=True))
    crud.save_update(session, actor, row, RESPONSE, diff)
    session.flush()
    (shown,) = responses_of(session, decision, ident=row.id)
    return shown
