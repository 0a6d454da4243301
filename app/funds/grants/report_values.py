"""A funded project's figures on indicators, reported with its report-back (participants, waiting days), and the
other way round: the funded applications that report on an indicator.

The figures follow the indicator's rules like any value (app.metrics.rules): a share comes with its numerator and
denominator, a gender split only where the indicator has one. They are the project's own outcome, kept beside its
report, never among the principals' official values. Whoever may write the report writes its figures, while it
may be written; whoever may not see the application sees neither (404)."""

import uuid
from typing import Any

from sqlalchemy import delete, null
from sqlalchemy import select as select_columns
from sqlalchemy.sql import Executable
from sqlmodel import Field, Session, SQLModel, col, select

from app.core.audit import AuditAction, record
from app.core.db import utcnow
from app.core.errors import ValidationFailed, not_found
from app.core.models import ApiModel, examples
from app.core.pagination import ListParams, PageResult, read_page
from app.core.principal import Actor
from app.core.reads import RELATED_TO, attach, execute, shape
from app.funds.applications import reads as application_reads
from app.funds.applications.models import Application, ApplicationStatus
from app.funds.applications.visibility import visible_to
from app.funds.applications.workflow import GRANTED_OR_LATER
from app.funds.grants import reports
from app.funds.grants.models import FundGrant, Report, ReportKind, ReportValue
from app.metrics import periods, rules
from app.metrics.indicators.models import Period
from app.metrics.models import Gender, Indicator
from app.metrics.numbers import Figure, as_number
from app.organisations.models import Organisation

MAX_VALUES = 500
_FIGURES = ("value", "numerator", "denominator")


class ReportValueIn(ApiModel):
    """One figure of a report on an indicator, for a period and gender. A share may be sent as its numerator and
    denominator alone (the value is computed); an indicator aggregated as `ratio` needs them."""

    indicator_id: uuid.UUID
    period: Period
    gender: Gender = Gender.total
    value: Figure | None = None
    numerator: Figure | None = None
    denominator: Figure | None = None
    comment: str | None = Field(default=None, max_length=2000)


class ReportValuesIn(ApiModel):
    """A report's whole set of figures on indicators: what is not in it is no longer reported."""

    model_config = examples(
        {
            "values": [
                {"indicator_id": "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "period": "2025", "value": 42},
                {
                    "indicator_id": "8d2f3e40-5b6c-4d7e-9f80-ab1c2d3e4f50",
                    "period": "2025-H2",
                    "gender": "female",
                    "numerator": 18,
                    "denominator": 24,
                    "comment": "Deltagare som fullföljde hela utbildningen.",
                },
            ]
        }
    )

    values: list[ReportValueIn] = Field(max_length=MAX_VALUES)


class ReportValueOut(SQLModel):
    """A figure a funded project reported on an indicator."""

    indicator_id: uuid.UUID
    indicator_code: str
    period: str
    gender: Gender
    value: float
    numerator: float | None
    denominator: float | None
    comment: str | None


class ApplicationFigureOut(SQLModel):
    """A figure of one of an application's reports on the indicator."""

    report_id: uuid.UUID
    report_kind: ReportKind
    period: str
    gender: Gender
    value: float
    numerator: float | None
    denominator: float | None
    comment: str | None


class IndicatorApplicationOut(SQLModel):
    """A funded application that reports on the indicator, with the figures its reports give."""

    id: uuid.UUID
    number: str | None
    title: str
    status: ApplicationStatus
    round_id: uuid.UUID
    applicant_id: uuid.UUID
    applicant_name: str
    values: list[ApplicationFigureOut]


def _numbers(row: dict[str, Any]) -> dict[str, Any]:
    for name in _FIGURES:
        row[name] = as_number(row[name])
    return row


def visible_report(session: Session, actor: Actor, ident: uuid.UUID, *, for_update: bool = False) -> Report:
    """A live report whose application this caller may see, or 404."""
    report = reports.get(session, ident, for_update=for_update)
    seen = (
        select(Application.id)
        .join(FundGrant, col(FundGrant.application_id) == Application.id)
        .where(FundGrant.id == report.grant_id, col(Application.deleted_at).is_(None), visible_to(actor))
    )
    if session.exec(seen).first() is None:
        raise not_found(reports.KIND, ident)
    return report


def figures_of(session: Session, report_id: uuid.UUID) -> list[dict[str, Any]]:
    """The report's figures by indicator code, period and gender, in one statement."""
    stmt: Executable = (
        select_columns(
            col(ReportValue.indicator_id),
            col(Indicator.code).label("indicator_code"),
            col(ReportValue.period),
            col(ReportValue.gender),
            col(ReportValue.value),
            col(ReportValue.numerator),
            col(ReportValue.denominator),
            col(ReportValue.comment),
        )
        .join(Indicator, col(Indicator.id) == ReportValue.indicator_id)
        .where(col(ReportValue.report_id) == report_id)
        .order_by(col(Indicator.code), col(ReportValue.period_start), col(ReportValue.period), ReportValue.gender)
    )
    return [_numbers(dict(row._mapping)) for row in execute(session, stmt)]


def _checked(session: Session, values: list[ReportValueIn]) -> list[dict[str, Any]]:
    """The rows to store, or one 422 naming every bad figure by its place in the list."""
    wanted = {v.indicator_id for v in values}
    stmt = select(Indicator.id, Indicator.unit, Indicator.by_gender, Indicator.aggregation).where(
        col(Indicator.id).in_(wanted), col(Indicator.deleted_at).is_(None)
    )
    found = {row.id: rules.IndicatorRules(row.unit, row.by_gender, row.aggregation) for row in execute(session, stmt)}
    errors: list[tuple[tuple[str | int, ...], str]] = []
    seen: set[tuple[uuid.UUID, str, Gender]] = set()
    rows = []
    for i, v in enumerate(values):
        loc: tuple[str | int, ...] = ("body", "values", i)
        indicator = found.get(v.indicator_id)
        if indicator is None:
            errors.append(((*loc, "indicator_id"), "no such indicator"))
            continue
        try:
            period = periods.parse(v.period)
            value = rules.checked_value(indicator, v.gender, v.value, v.numerator, v.denominator)
        except rules.ValueRuleError as exc:
            errors.append(((*loc, exc.field), exc.msg))
            continue
        except ValueError as exc:
            errors.append(((*loc, "period"), str(exc)))
            continue
        if (v.indicator_id, period.text, v.gender) in seen:
            errors.append(((*loc, "period"), "the same indicator, period and gender come earlier in the list"))
            continue
        seen.add((v.indicator_id, period.text, v.gender))
        fields = v.model_dump(exclude={"period", "value"})
        rows.append(fields | {"period": period.text, "period_start": period.start, "value": value})
    if errors:
        refusal = ValidationFailed(errors[0][0], errors[0][1])
        refusal.errors = [{"loc": list(loc), "msg": msg, "type": "value_error"} for loc, msg in errors]
        raise refusal
    return rows


def replace(session: Session, actor: Actor, report: Report, values: list[ReportValueIn]) -> None:
    """The report's whole set of figures at once: what is not in it is no longer reported."""
    application = reports.application_of(session, report)
    reports.require_writer(actor, application, report)
    rows = _checked(session, values)
    before = figures_of(session, report.id)
    session.execute(delete(ReportValue).where(col(ReportValue.report_id) == report.id))
    for row in rows:
        session.add(ReportValue(report_id=report.id, application_id=application.id, **row))
    # The figures are part of the report: its ETag and updated_at move with them.
    report.updated_at = utcnow()
    session.add(report)
    session.flush()
    after = figures_of(session, report.id)
    record(session, actor, AuditAction.update, reports.KIND, report.id, {"indicator_values": [before, after]})


APPLICATION_SHAPE = shape(
    Application,
    IndicatorApplicationOut,
    computed={
        "applicant_name": select(Organisation.name)
        .where(Organisation.id == Application.applicant_id)
        .scalar_subquery(),
        "values": null(),
    },
)
APPLICATION_SORT = application_reads.SORT_COLUMNS


def applications_of(session: Session, actor: Actor, indicator_id: uuid.UUID, params: ListParams) -> PageResult:
    """The funded applications (granted or later) this caller may see whose reports carry figures on the
    indicator."""
    reporting = select(ReportValue.application_id).where(ReportValue.indicator_id == indicator_id)
    stmt = APPLICATION_SHAPE.select().where(
        visible_to(actor),
        col(Application.status).in_(sorted(GRANTED_OR_LATER)),
        col(Application.id).in_(reporting),
    )
    return read_page(session, APPLICATION_SHAPE, stmt, params, APPLICATION_SORT)


def with_figures(session: Session, indicator_id: uuid.UUID, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill the figures of a page of applications (tombstones left out) in one statement."""
    stmt: Executable = (
        select_columns(
            col(ReportValue.application_id),
            col(ReportValue.report_id),
            col(Report.kind).label("report_kind"),
            col(ReportValue.period),
            col(ReportValue.gender),
            col(ReportValue.value),
            col(ReportValue.numerator),
            col(ReportValue.denominator),
            col(ReportValue.comment),
        )
        .join(Report, col(Report.id) == ReportValue.report_id)
        .where(
            col(ReportValue.application_id).in_(RELATED_TO),
            col(ReportValue.indicator_id) == indicator_id,
            col(Report.deleted_at).is_(None),
        )
        .order_by(
            col(ReportValue.application_id), col(ReportValue.period_start), col(ReportValue.period), ReportValue.gender
        )
    )
    live = [row for row in rows if not row.get("deleted")]
    attach(session, live, "values", stmt, "application_id")
    for row in live:
        row["values"] = [_numbers(figure) for figure in row["values"]]
    return rows
