"""The application workflow: which status may follow which, and who may make each move. Every move goes through
`move()`, which records it in the application's history (who, when, comment) and in the audit log.

Two parties act on an application: the applicant (an editor of the applicant principal) and the fund's managers
(fund managers and admins). A move not allowed from the current status is 409 `invalid_transition`; one allowed
but not for this caller is 403 `transition_forbidden`. Both name the moves allowed (`allowed`).

Some moves are made by another resource, because they need more than a comment: a grant (app.funds.grants) makes
`granted` or `partially_granted`; a final report's submission, acceptance or return makes `reported`, `closed` or
`report_due` again.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar

from sqlmodel import Session

from app.core import crud
from app.core.errors import Conflict, Forbidden
from app.core.principal import Actor, Role
from app.core.text import clean
from app.funds.applications.models import Application, ApplicationEvent, ApplicationStatus

KIND = "fund_application"
E = TypeVar("E", bound=StrEnum)
S = ApplicationStatus


class Party(StrEnum):
    applicant = "applicant"
    manager = "manager"


A, M = Party.applicant, Party.manager
# From each status: the statuses it may move to, and who may make each move.
TRANSITIONS: dict[ApplicationStatus, dict[ApplicationStatus, frozenset[Party]]] = {
    S.draft: {S.submitted: frozenset({A}), S.withdrawn: frozenset({A})},
    S.submitted: {S.in_review: frozenset({M}), S.withdrawn: frozenset({A})},
    S.in_review: {
        S.more_info_requested: frozenset({M}),
        S.granted: frozenset({M}),
        S.partially_granted: frozenset({M}),
        S.rejected: frozenset({M}),
        S.withdrawn: frozenset({A}),
    },
    S.more_info_requested: {S.in_review: frozenset({A, M}), S.withdrawn: frozenset({A})},
    S.granted: {S.in_progress: frozenset({A, M})},
    S.partially_granted: {S.in_progress: frozenset({A, M})},
    S.in_progress: {S.report_due: frozenset({M})},
    S.report_due: {S.reported: frozenset({A})},
    S.reported: {S.closed: frozenset({M}), S.report_due: frozenset({M})},
    S.rejected: {},
    S.withdrawn: {},
    S.closed: {},
}
# Statuses an application reaches only through a grant, not by a bare move.
BY_GRANT = frozenset({S.granted, S.partially_granted})
# Moves that follow the final report (app.funds.grants.reports): its submission, acceptance or return.
BY_REPORT = frozenset({(S.report_due, S.reported), (S.reported, S.closed), (S.reported, S.report_due)})
# From these on, an application is public: other principals' editors and readers see it.
GRANTED_OR_LATER = frozenset({S.granted, S.partially_granted, S.in_progress, S.report_due, S.reported, S.closed})
# Before a decision: the applicant edits in these, and may withdraw.
EDITABLE = frozenset({S.draft, S.more_info_requested})


def parties(actor: Actor, application: Application) -> frozenset[Party]:
    """What the caller is to this application: its applicant (editor of the applicant principal), a manager, both
    (an admin) or neither."""
    found = set()
    if actor.holds(Role.editor, application.applicant_id):
        found.add(A)
    if actor.has_role(Role.fund_manager):
        found.add(M)
    return frozenset(found)


# A table of moves: from each status, the statuses it may move to and who may make each move.
Moves = Mapping[E, Mapping[E, frozenset[Party]]]


def allowed_in(table: "Moves[E]", old: E, mine: frozenset[Party]) -> list[E]:
    """The statuses a caller who is `mine` may move a thing from `old` to."""
    return sorted(to for to, who in table[old].items() if who & mine)


def refuse_unless_allowed(table: "Moves[E]", old: E, to: E, mine: frozenset[Party], thing: str) -> None:
    """Refuse a move not allowed from `old` (409 `invalid_transition`) or not for a caller who is `mine` (403
    `transition_forbidden`), naming the allowed ones. `thing` names what moves: "application", "report"."""
    possible = table[old]
    if to not in possible:
        allowed = sorted(possible)
        raise Conflict(
            f"A{'n' if thing[0] in 'aeiou' else ''} {thing} that is {old} cannot become {to}; "
            f"allowed: {', '.join(allowed) or 'none'}.",
            code="invalid_transition",
            allowed=allowed,
        )
    if not possible[to] & mine:
        yours = allowed_in(table, old, mine)
        who = " or ".join(sorted(possible[to]))
        article = "an" if thing[0] in "aeiou" else "a"
        raise Forbidden(
            f"Only the {who} may move {article} {thing} from {old} to {to}; you may: {', '.join(yours) or 'none'}.",
            code="transition_forbidden",
            allowed=yours,
        )


def allowed_for(actor: Actor, application: Application) -> list[ApplicationStatus]:
    """The statuses this caller may move the application to now."""
    return allowed_in(TRANSITIONS, application.status, parties(actor, application))


def check(actor: Actor, application: Application, to: ApplicationStatus) -> None:
    """Refuse a move not allowed from the current status (409) or not for this caller (403), naming the allowed."""
    refuse_unless_allowed(TRANSITIONS, application.status, to, parties(actor, application), "application")


def move(
    session: Session,
    actor: Actor,
    application: Application,
    to: ApplicationStatus,
    comment: str | None = None,
    changed: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Check the move, make it and record it in the history and the audit log."""
    check(actor, application, to)
    return record_move(session, actor, application, to, comment, changed)


def record_move(
    session: Session,
    actor: Actor,
    application: Application,
    to: ApplicationStatus,
    comment: str | None = None,
    changed: dict[str, Any] | None = None,
) -> ApplicationEvent:
    """Make a move the caller's own rule has already checked (e.g. a report's acceptance closing the application).
    `changed`: fields the caller set with the move ({field: [old, new]}, e.g. the number given at submission),
    audited in the move's one entry."""
    old = application.status
    event = ApplicationEvent(
        application_id=application.id,
        from_status=old,
        to_status=to,
        actor_id=actor.id,
        actor_name=actor.name,
        comment=clean(comment) if comment else None,
    )
    application.status = to
    session.add(event)
    crud.save_update(session, actor, application, KIND, {**(changed or {}), "status": [str(old), str(to)]})
    return event


def first_event(session: Session, actor: Actor, application: Application) -> ApplicationEvent:
    """The history's first line: the application created as a draft."""
    event = ApplicationEvent(
        application_id=application.id,
        from_status=None,
        to_status=application.status,
        actor_id=actor.id,
        actor_name=actor.name,
    )
    session.add(event)
    return event
