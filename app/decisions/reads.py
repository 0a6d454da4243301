"""How decisions are shown and listed: the tally of a recommendation's answers, read in the decision's own
statement, and the filters of the list (the rules for writing them: service.py)."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Date, bindparam, case, func, null
from sqlalchemy.engine import Row
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, col, select

from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.reads import execute, id_array, shape
from app.core.textsearch import TextFields, matching
from app.core.time import today
from app.decisions.models import (
    AssignmentStatus,
    Decision,
    DecisionKind,
    DecisionOut,
    RecommendationResponse,
    ResponseStatus,
    Tally,
)
from app.meetings import service as meetings

SORT_COLUMNS: SortColumns = {
    "decided_on": col(Decision.decided_on),
    "created_at": col(Decision.created_at),
    "updated_at": col(Decision.updated_at),
}
TEXT_FIELDS: TextFields = (col(Decision.text),)
OPEN_ASSIGNMENT = (AssignmentStatus.open, AssignmentStatus.in_progress)


# Today in Stockholm, taken when a statement runs (not when it is built): "overdue" moves with the calendar.
_TODAY = bindparam("today", callable_=today, type_=Date)
_LIVE_ANSWER = (
    col(RecommendationResponse.decision_id) == Decision.id,
    col(RecommendationResponse.deleted_at).is_(None),
)
_OVERDUE = (col(RecommendationResponse.status) == ResponseStatus.pending, col(Decision.response_deadline) < _TODAY)


def _count(*where: ColumnElement[bool]) -> ColumnElement[int]:
    """How many live answers of the row's decision match; for recommendations only (null for the rest, and the
    database does not count them)."""
    counted = select(func.count()).where(*_LIVE_ANSWER, *where).scalar_subquery()
    return case((col(Decision.kind) == DecisionKind.recommendation, counted))


# The tally's counts, in Tally's order, read in the row's own statement beside the decision's fields.
_TALLY = {
    name: _count(col(RecommendationResponse.status) == ResponseStatus(name)) if name != "overdue" else _count(*_OVERDUE)
    for name in Tally.model_fields
}
# A decision as it is shown. Its tally is assembled from the _TALLY columns (see render).
SHAPE = shape(
    Decision,
    DecisionOut,
    computed={
        "tally": null(),
        "overdue_principal_ids": id_array(
            select(RecommendationResponse.organisation_id)
            .where(*_LIVE_ANSWER, *_OVERDUE)
            .order_by(col(RecommendationResponse.organisation_id))
        ),
    },
)


def select_shown() -> Select[Any]:
    """The statement a decision is shown from (add filters and order)."""
    return SHAPE.select().add_columns(*(count.label(f"_tally_{name}") for name, count in _TALLY.items()))


_ONE = select_shown().where(col(Decision.id) == bindparam("id"))


def render(row: Row[Any]) -> dict[str, Any]:
    out = SHAPE.render(row)
    if out["kind"] == DecisionKind.recommendation:
        values = row._mapping
        out["tally"] = {name: values[f"_tally_{name}"] for name in _TALLY}
    else:
        out["overdue_principal_ids"] = None
    return out


def shown(session: Session, ident: uuid.UUID) -> dict[str, Any]:
    """One decision as it is shown (after a write, in the same transaction, or for a GET)."""
    session.flush()
    return render(execute(session, _ONE, {"id": ident}).one())


@dataclass(frozen=True)
class DecisionFilter:
    kind: list[DecisionKind] | None = None
    body_id: uuid.UUID | None = None
    meeting_id: uuid.UUID | None = None
    agenda_item_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    overdue: bool | None = None
    principal_id: uuid.UUID | None = None
    assignment_status: list[AssignmentStatus] | None = None
    due_by: date | None = None
    assignee_body_id: uuid.UUID | None = None
    target_body_id: uuid.UUID | None = None
    published_only: bool = False
    q: str | None = None


def list_page(session: Session, flt: DecisionFilter, params: ListParams) -> PageResult:
    stmt = matching(select_shown(), TEXT_FIELDS, flt.q)
    if flt.kind:
        stmt = stmt.where(col(Decision.kind).in_(flt.kind))
    for field in ("body_id", "meeting_id", "agenda_item_id", "case_id", "assignee_body_id", "target_body_id"):
        if (value := getattr(flt, field)) is not None:
            stmt = stmt.where(getattr(Decision, field) == value)
    if flt.decided_from:
        stmt = stmt.where(col(Decision.decided_on) >= flt.decided_from)
    if flt.decided_to:
        stmt = stmt.where(col(Decision.decided_on) <= flt.decided_to)
    if flt.overdue is not None or flt.principal_id is not None:
        pending = select(RecommendationResponse.decision_id).where(
            RecommendationResponse.status == ResponseStatus.pending
        )
        if flt.principal_id:
            pending = pending.where(RecommendationResponse.organisation_id == flt.principal_id)
        unanswered = col(Decision.id).in_(pending)
        late = unanswered & (col(Decision.response_deadline) < today())
        if flt.overdue is None:
            stmt = stmt.where(unanswered)
        elif flt.overdue:
            stmt = stmt.where(late)
        else:
            stmt = stmt.where(col(Decision.kind) == DecisionKind.recommendation, ~late)
    if flt.assignment_status:
        stmt = stmt.where(col(Decision.assignment_status).in_(flt.assignment_status))
    if flt.due_by:
        # "Assignments due or overdue": still open, due on or before the date.
        stmt = stmt.where(
            col(Decision.kind) == DecisionKind.assignment,
            col(Decision.due_date) <= flt.due_by,
            col(Decision.assignment_status).in_(OPEN_ASSIGNMENT),
        )
    if flt.published_only:
        published = select(meetings.Meeting.id).where(col(meetings.Meeting.status).in_(meetings.PUBLISHED))
        stmt = stmt.where(col(Decision.meeting_id).in_(published))
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)
