"""HTTP for report-back on grants: lists (overdue, due by a date), one report, the applicant's writing and the
report's moves. Reports are made with their grant (app.funds.grants)."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, Security

from app.core.deps import DbSession, Reader, require_role
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.core.principal import Actor, Role
from app.core.time import QueryDate
from app.funds.grants import reports
from app.funds.grants.models import ReportKind, ReportOut, ReportStatus, ReportTransition, ReportUpdate

router = APIRouter(prefix="/reports", tags=["funds"])
Params = Annotated[ListParams, Depends(list_params("Report", list(reports.SORT_COLUMNS), "due_on"))]
# Refused by role before the report is looked at: the applicant's editors write reports, and they and the fund
# managers move them; which principal's editor may touch which report is the service's rule.
ApplicantEditor = Annotated[Actor, Security(require_role(Role.editor))]
ReportMover = Annotated[Actor, Security(require_role(Role.editor, Role.fund_manager))]


@router.get("", name="reports_list", summary="List reports", response_model=Page[ReportOut], responses=CSV_LIST)
def list_reports(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: Params,
    grant_id: uuid.UUID | None = None,
    application_id: uuid.UUID | None = None,
    round_id: uuid.UUID | None = None,
    status: Annotated[list[ReportStatus] | None, Query()] = None,
    kind: ReportKind | None = None,
    overdue: Annotated[
        bool | None,
        Query(description="true: past the due date (Stockholm) and still due or sent back; false: all others."),
    ] = None,
    due_by: Annotated[
        QueryDate, Query(description="Due on or before this date and not yet submitted nor accepted.")
    ] = None,
) -> Response:
    """Reports on grants, the earliest due first. `kind=final` lists the final ones, `overdue=true` the overdue
    ones, `due_by=2026-06-30` those due by then. Any reader; also as CSV."""
    flt = reports.ReportFilter(grant_id, application_id, round_id, status, overdue, due_by, kind)
    result = reports.list_page(session, flt, params)
    return list_response(request, page_of(request, result, reports.SHAPE.render), "reports")


@router.get("/{id}", name="reports_get", summary="Get a report", response_model=ReportOut)
def get_report(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One report, with an `ETag` for a later If-Match. Any reader. Its documents: `GET
    /documents?target_type=fund_report&target_id=…`."""
    report = reports.get(session, id)
    return answer(reports.SHAPE.one(session, report.id), report)


@router.patch(
    "/{id}",
    name="reports_update",
    summary="Write a report",
    response_model=ReportOut,
    responses=problems({409: ["report_not_editable"]}),
)
def update_report(
    id: uuid.UUID,
    body: ReportUpdate,
    session: DbSession,
    actor: ApplicantEditor,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent (text, amount spent, results) while the report is due or sent back for revision
    (409 `report_not_editable` otherwise). Editors of the applicant principal and admins."""
    report = reports.get(session, id)
    check_if_match(if_match, report)
    reports.update(session, actor, report, body)
    with_etag(response, report)
    return reports.SHAPE.one(session, report.id)


@router.post(
    "/{id}/transitions",
    name="reports_transition",
    summary="Submit, accept or send back a report",
    response_model=ReportOut,
    responses=problems(
        {
            403: ["transition_forbidden"],
            409: ["invalid_transition", "application_not_reporting"],
        }
    ),
)
def transition_report(
    id: uuid.UUID,
    body: ReportTransition,
    session: DbSession,
    actor: ReportMover,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Move the report: `submitted` by an editor of the applicant principal (its text written, 422 otherwise),
    `accepted` or `revision_requested` (with a comment saying what to revise) by fund managers, from
    `submitted`. 409 `invalid_transition` and 403 `transition_forbidden` name the moves allowed. A final
    report moves its application: submitted → `reported` (from `in_progress` by way of `report_due`), accepted
    → `closed`, sent back → `report_due`; 409 `application_not_reporting` when the application is elsewhere."""
    report = reports.get(session, id, for_update=True)
    check_if_match(if_match, report)
    reports.transition(session, actor, report, body)
    with_etag(response, report)
    return reports.SHAPE.one(session, report.id)
