"""HTTP for the link between funds and the follow-up: a report's figures on indicators, and the funded
applications that report on an indicator."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, Security

from app.core.deps import DbSession, Reader, require_role
from app.core.http import CSV_LIST, IfMatch, check_if_match, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of, whole_list
from app.core.principal import Actor, Role
from app.core.reads import JSONBody
from app.funds.grants import report_values
from app.funds.grants.report_values import IndicatorApplicationOut, ReportValueOut, ReportValuesIn
from app.metrics.indicators import service as indicators

router = APIRouter()
# Refused by role before the report is looked at, as writing the report's text is (app.funds.grants.reports).
ApplicantEditor = Annotated[Actor, Security(require_role(Role.editor))]
Params = Annotated[
    ListParams, Depends(list_params("IndicatorApplication", list(report_values.APPLICATION_SORT), "number"))
]


@router.get(
    "/reports/{id}/indicator-values",
    name="report_values_list",
    summary="A report's figures on indicators",
    response_model=Page[ReportValueOut],
    responses=CSV_LIST,
    tags=["funds"],
)
def get_report_values(request: Request, id: uuid.UUID, session: DbSession, actor: Reader) -> Response:
    """The figures a funded project reports on indicators with this report, by indicator code, period and
    gender, with the report's `ETag` for a later If-Match. Any reader who may see the application (404
    otherwise); also as CSV."""
    report = report_values.visible_report(session, actor, id)
    rows = report_values.figures_of(session, report.id)
    return list_response(request, whole_list(request, rows), "report-indicator-values", of=report)


@router.put(
    "/reports/{id}/indicator-values",
    name="report_values_replace",
    summary="Replace a report's figures on indicators",
    response_model=Page[ReportValueOut],
    responses=problems({409: ["report_not_editable"]}),
    tags=["funds"],
)
def replace_report_values(
    request: Request,
    id: uuid.UUID,
    body: ReportValuesIn,
    session: DbSession,
    actor: ApplicantEditor,
    if_match: IfMatch = None,
) -> Response:
    """Replace the report's whole set of figures with the one sent, each checked by its indicator's rules (422
    names every bad figure by its place in `values`). Whoever may write the report: editors of the applicant
    principal and admins, while it is due or sent back (409 `report_not_editable`)."""
    # Locked first: concurrent replacements of one report's figures queue up (the last one wins).
    report = report_values.visible_report(session, actor, id, for_update=True)
    check_if_match(if_match, report)
    report_values.replace(session, actor, report, body.values)
    answer = JSONBody(whole_list(request, report_values.figures_of(session, report.id)))
    with_etag(answer, report)
    return answer


@router.get(
    "/indicators/{id}/applications",
    name="indicator_applications",
    summary="Funded applications that report on an indicator",
    response_model=Page[IndicatorApplicationOut],
    responses=CSV_LIST,
    tags=["metrics"],
)
def list_indicator_applications(
    request: Request, id: uuid.UUID, session: DbSession, actor: Reader, params: Params
) -> Response:
    """The funded applications (granted or later) whose reports carry figures on the indicator, by number,
    each with those figures. Only the applications the caller may see. Any reader; also as CSV."""
    indicator = indicators.get_indicator(session, id)
    result = report_values.applications_of(session, actor, indicator.id, params)
    page = page_of(request, result, report_values.APPLICATION_SHAPE.render)
    report_values.with_figures(session, indicator.id, page["data"])
    return list_response(request, page, "indicator-applications")
