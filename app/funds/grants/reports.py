"""Rules for report-back. A grant's reports (interim and final) are made with it, due on dates set then; the
applicant (an editor of the applicant principal) writes a report and submits it, and a fund manager accepts it or
asks for a revision: `due` → `submitted` → `accepted` | `revision_requested` (→ `submitted` again). A move not
allowed from the report's status is 409 `invalid_transition`, one not for this caller 403 `transition_forbidden`;
both name the moves allowed, as the application workflow does.

The application follows its final report, through the application workflow (never by writing its status):
submitting it makes the application `reported` (an application still `in_progress` first becomes `report_due`,
moved by the report's due date), accepting it `closed`, and asking for a revision `report_due` again. Interim
reports leave the application as it is.

What a report says it spent is not checked against what was paid: a project may spend more than the grant (its
own money) or less (and repay the rest, a payment of its own), and the council reads both side by side."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, not_
from sqlmodel import Session, col, select

from app.core import crud
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import shape
from app.core.time import today
from app.funds.applications import workflow
from app.funds.applications.models import Application, ApplicationStatus
from app.funds.applications.workflow import Party
from app.funds.grants.models import (
    FundGrant,
    Report,
    ReportKind,
    ReportOut,
    ReportStatus,
    ReportTransition,
    ReportUpdate,
)

KIND = "fund_report"
S = ReportStatus
A, M = Party.applicant, Party.manager
# From each status: the statuses a report may move to, and who may make each move.
TRANSITIONS: dict[ReportStatus, dict[ReportStatus, frozenset[Party]]] = {
    S.due: {S.submitted: frozenset({A})},
    S.revision_requested: {S.submitted: frozenset({A})},
    S.submitted: {S.accepted: frozenset({M}), S.revision_requested: frozenset({M})},
    S.accepted: {},
}
# Still to be written: the applicant edits the report in these, and they count as overdue after the due date.
OUTSTANDING = frozenset({S.due, S.revision_requested})
SORT_COLUMNS: SortColumns = {
    "due_on": col(Report.due_on),
    "created_at": col(Report.created_at),
    "updated_at": col(Report.updated_at),
}
SHAPE = shape(
    Report,
    ReportOut,
    computed={
        "application_id": select(FundGrant.application_id).where(FundGrant.id == Report.grant_id).scalar_subquery(),
        "applicant_id": select(Application.applicant_id)
        .join(FundGrant, col(FundGrant.application_id) == Application.id)
        .where(FundGrant.id == Report.grant_id)
        .scalar_subquery(),
    },
)
APP = ApplicationStatus


@dataclass(frozen=True)
class ReportFilter:
    grant_id: uuid.UUID | None = None
    application_id: uuid.UUID | None = None
    round_id: uuid.UUID | None = None
    status: list[ReportStatus] | None = None
    overdue: bool | None = None
    due_by: date | None = None
    kind: ReportKind | None = None


def get(session: Session, ident: uuid.UUID, *, for_update: bool = False) -> Report:
    return crud.get_live(session, Report, ident, KIND, for_update=for_update)


def list_page(session: Session, flt: ReportFilter, params: ListParams) -> PageResult:
    stmt = SHAPE.select()
    if flt.grant_id is not None:
        stmt = stmt.where(col(Report.grant_id) == flt.grant_id)
    if flt.application_id is not None:
        grants = select(FundGrant.id).where(col(FundGrant.application_id) == flt.application_id)
        stmt = stmt.where(col(Report.grant_id).in_(grants))
    if flt.round_id is not None:
        grants = (
            select(FundGrant.id)
            .join(Application, col(Application.id) == FundGrant.application_id)
            .where(col(Application.round_id) == flt.round_id)
        )
        stmt = stmt.where(col(Report.grant_id).in_(grants))
    if flt.status:
        stmt = stmt.where(col(Report.status).in_(flt.status))
    if flt.kind is not None:
        stmt = stmt.where(col(Report.kind) == flt.kind)
    if flt.overdue is not None:
        # Past its due date (a Stockholm date) and still to be written.
        late = and_(col(Report.due_on) < today(), col(Report.status).in_(OUTSTANDING))
        stmt = stmt.where(late if flt.overdue else not_(late))
    if flt.due_by is not None:
        stmt = stmt.where(col(Report.due_on) <= flt.due_by, col(Report.status).in_(OUTSTANDING))
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def application_of(session: Session, report: Report, *, for_update: bool = False) -> Application:
    grant = crud.get_live(session, FundGrant, report.grant_id, "grant")
    return crud.get_live(session, Application, grant.application_id, "application", for_update=for_update)


def require_writer(actor: Actor, application: Application, report: Report) -> None:
    """Who may write a report, and when: an editor of the applicant principal, while it is due or sent back (its
    text and its figures on indicators alike)."""
    if not actor.holds(Role.editor, application.applicant_id):
        raise Forbidden("Only an editor of the applicant principal may write its report.", code="missing_role")
    if report.status not in OUTSTANDING:
        raise Conflict(
            f"A report is written while it is due or sent back for revision; this one is {report.status}.",
            code="report_not_editable",
            report_status=str(report.status),
        )


def update(session: Session, actor: Actor, report: Report, data: ReportUpdate) -> Report:
    """The applicant writes the report (text, amount spent, results) while it is due or sent back."""
    require_writer(actor, application_of(session, report), report)
    changes = data.model_dump(exclude_unset=True)
    for field in ("text", "results"):
        if changes.get(field) is not None:
            changes[field] = changes[field].strip() or None
    diff = crud.apply_changes(report, changes)
    crud.save_update(session, actor, report, KIND, diff)
    return report


def allowed_for(actor: Actor, application: Application, report: Report) -> list[ReportStatus]:
    """The statuses this caller may move the report to now."""
    return workflow.allowed_in(TRANSITIONS, report.status, workflow.parties(actor, application))


def check(actor: Actor, application: Application, report: Report, to: ReportStatus) -> None:
    """Refuse a move not allowed from the report's status (409) or not for this caller (403), naming the
    allowed ones."""
    workflow.refuse_unless_allowed(TRANSITIONS, report.status, to, workflow.parties(actor, application), "report")


# What a final report's move makes of its application: the statuses the application may be in, and where it goes.
_FOLLOWS: dict[ReportStatus, tuple[frozenset[ApplicationStatus], ApplicationStatus]] = {
    S.submitted: (frozenset({APP.in_progress, APP.report_due}), APP.reported),
    S.accepted: (frozenset({APP.reported}), APP.closed),
    S.revision_requested: (frozenset({APP.reported}), APP.report_due),
}


def _check_application(application: Application, report: Report, to: ReportStatus) -> None:
    """Refuse, before anything is written, a final report's move that its application cannot follow."""
    expected, _ = _FOLLOWS[to]
    if application.status not in expected:
        raise Conflict(
            f"The application is {application.status}; a final report can become {to} only while it is "
            f"{' or '.join(sorted(expected))}.",
            code="application_not_reporting",
            application_status=str(application.status),
        )


def _follow(session: Session, actor: Actor, application: Application, report: Report, comment: str | None) -> None:
    """Move the application after its final report, through the workflow's history and audit."""
    to = _FOLLOWS[report.status][1]
    if to is APP.reported and application.status is APP.in_progress:
        workflow.record_move(
            session,
            actor,
            application,
            APP.report_due,
            f"Slutrapporten (att lämna senast {report.due_on.isoformat()}) lämnas in.",
        )
    # In Swedish, as the comments people write beside them: the history is read by the council's coordinators.
    note = {S.submitted: "Slutrapporten inlämnad", S.accepted: "Slutrapporten godkänd"}.get(
        report.status, "Slutrapporten behöver kompletteras"
    )
    workflow.record_move(session, actor, application, to, f"{note}: {comment}" if comment else f"{note}.")


def transition(session: Session, actor: Actor, report: Report, data: ReportTransition) -> Report:
    final = report.kind is ReportKind.final
    application = application_of(session, report, for_update=final)
    check(actor, application, report, data.to)
    if data.to is S.submitted and not (report.text or "").strip():
        raise ValidationFailed(("report", "text"), "is required before the report is submitted")
    if data.to is S.revision_requested and not data.comment:
        raise ValidationFailed("comment", "is required: say what to revise")
    if final:
        _check_application(application, report, data.to)
    now = utcnow()
    changes: dict[str, object] = {"status": data.to}
    if data.to is S.submitted:
        changes |= {"submitted_at": now, "submitted_by_id": actor.id}
    else:
        changes |= {"reviewed_at": now, "review_comment": data.comment}
    diff = crud.apply_changes(report, changes)
    if data.comment:
        diff["comment"] = [None, data.comment]
    crud.save_update(session, actor, report, KIND, diff)
    if final:
        _follow(session, actor, application, report, data.comment)
    return report
