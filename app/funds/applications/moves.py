"""Moving an application along its workflow (the transitions are in app.funds.applications.workflow), the
submission with its deadline and its number, and the history of the moves.

The number (`UPH-2025-014`) is given at the first submission from the round's counter, raised while the round's
row is locked: two submissions to one round at the same moment, even in two server processes, queue on that lock,
so numbers are unique and gap-free. A draft withdrawn before it was submitted never took one.
"""

from typing import Any

from sqlalchemy import select as select_columns
from sqlalchemy import update
from sqlmodel import Session, col

from app.core.db import utcnow
from app.core.errors import Conflict, ValidationFailed
from app.core.principal import Actor
from app.core.reads import execute
from app.core.time import today
from app.funds import rounds
from app.funds.applications import service, workflow
from app.funds.applications.models import Application, ApplicationEvent, ApplicationStatus, TransitionIn
from app.funds.models import Fund, Round, RoundStatus

S = ApplicationStatus


def transition(session: Session, actor: Actor, a: Application, data: TransitionIn) -> None:
    """Check and make the move. A grant is made by POST /grants and the final report's moves by the report, not by
    a bare move; a submission is checked and numbered."""
    workflow.check(actor, a, data.to)
    if data.to in workflow.BY_GRANT:
        allowed = [s for s in workflow.allowed_for(actor, a) if s not in workflow.BY_GRANT]
        raise Conflict(
            f"An application becomes {data.to} by a grant: POST /api/v1/grants with its amount and decision.",
            code="grant_required",
            allowed=allowed,
        )
    if (a.status, data.to) in workflow.BY_REPORT:
        allowed = [s for s in workflow.allowed_for(actor, a) if (a.status, s) not in workflow.BY_REPORT]
        raise Conflict(
            f"An application moves from {a.status} to {data.to} with its final report: "
            "POST /api/v1/reports/{id}/transitions.",
            code="report_required",
            allowed=allowed,
        )
    changed: dict[str, Any] = {}
    if data.to is S.submitted:
        changed = _submit(session, a)
    workflow.move(session, actor, a, data.to, data.comment, changed)


def _submit(session: Session, a: Application) -> dict[str, Any]:
    """Refuse a submission after the deadline or an incomplete one; give the number at the first submission.
    Returns the fields set, for the move's audit entry."""
    # Locked first: a round closed at this moment, and the counter, are read under the lock.
    r = rounds.get(session, a.round_id, for_update=True)
    if r.status is not RoundStatus.open or today() > r.closes_on:
        state = "is not open" if r.status is not RoundStatus.open else "has closed"
        raise Conflict(
            f"The round {state}: its deadline for submissions is {r.closes_on.isoformat()}.",
            code="round_closed",
            closes_on=r.closes_on.isoformat(),
        )
    if a.focus_area_id is None:
        raise ValidationFailed("focus_area_id", "is required to submit")
    service.check_budget(a.requested, service.budget_amounts(session, a), required=True)
    if a.sequence is not None:
        return {}
    n = _next_sequence(session, r)
    fund = session.get_one(Fund, r.fund_id)
    a.sequence, a.number, a.submitted_at = n, f"{fund.code}-{r.year}-{n:03d}", utcnow()
    return {"number": [None, a.number], "submitted_at": [None, a.submitted_at.isoformat()]}


def _next_sequence(session: Session, r: Round) -> int:
    """Raise the round's counter (its row is locked). The counter is the round's bookkeeping, not part of what a
    round shows: written past the ORM, it leaves the round's version and ETag alone."""
    raised = (
        update(Round)
        .where(col(Round.id) == r.id)
        .values(last_sequence=col(Round.last_sequence) + 1)
        .returning(col(Round.last_sequence))
    )
    return int(execute(session, raised).scalar_one())


def history(session: Session, a: Application) -> list[dict[str, Any]]:
    """Every move of the application, oldest first, from its creation as a draft."""
    stmt = (
        select_columns(
            col(ApplicationEvent.from_status),
            col(ApplicationEvent.to_status),
            col(ApplicationEvent.at),
            col(ApplicationEvent.actor_name),
            col(ApplicationEvent.comment),
        )
        .where(col(ApplicationEvent.application_id) == a.id)
        .order_by(col(ApplicationEvent.at))
    )
    return [dict(row._mapping) for row in execute(session, stmt)]
