"""How applications are read: one statement per page, whatever its size, with what the caller may see decided in
SQL (app.funds.applications.visibility), related ids in the row's own statement, the budget lines in one statement
per page, and the review figures as scalar subqueries for fund managers and admins only."""

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, null
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, col, select

from app.core.money import CENT, as_text
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor
from app.core.reads import RELATED_TO, attach, execute, id_array, shape
from app.core.textsearch import TextFields, matching
from app.documents.models import Document, DocumentLink, LinkTarget
from app.funds.applications.models import (
    Application,
    ApplicationOut,
    ApplicationStatus,
    ApplicationStrategy,
    BudgetLine,
    CoApplicant,
    Recommendation,
    Review,
)
from app.funds.applications.visibility import sees_everything, visible_to
from app.funds.models import Round

SORT_COLUMNS: SortColumns = {
    # By the number's sequence, so that 1000 follows 999. Drafts have none yet: they sort first (ascending), and a
    # cursor never meets a NULL.
    "number": func.coalesce(col(Application.sequence), 0),
    "title": col(Application.title_sort),
    "created_at": col(Application.created_at),
    "updated_at": col(Application.updated_at),
}
TEXT_FIELDS: TextFields = (col(Application.title),)

_LIVE_REVIEW = (col(Review.application_id) == Application.id, col(Review.deleted_at).is_(None))
_DOCUMENTS = (
    select(col(DocumentLink.document_id))
    .where(
        col(DocumentLink.target_type) == LinkTarget.fund_application,
        col(DocumentLink.target_id) == Application.id,
        col(Document.id) == DocumentLink.document_id,
        col(Document.deleted_at).is_(None),
    )
    .order_by(col(DocumentLink.document_id))
)
# An application as it is shown: its links come in the row's own statement, its budget lines in one statement per
# page (`with_budget_lines`), the review figures as hidden columns for those who may see them (`_REVIEW_COLUMNS`).
SHAPE = shape(
    Application,
    ApplicationOut,
    computed={
        "fund_id": select(col(Round.fund_id)).where(col(Round.id) == Application.round_id).scalar_subquery(),
        "co_applicant_ids": id_array(
            select(CoApplicant.organisation_id)
            .where(CoApplicant.application_id == Application.id)
            .order_by(col(CoApplicant.organisation_id))
        ),
        "strategy_ids": id_array(
            select(ApplicationStrategy.strategy_id)
            .where(ApplicationStrategy.application_id == Application.id)
            .order_by(col(ApplicationStrategy.strategy_id))
        ),
        "budget_lines": null(),
        "document_ids": id_array(_DOCUMENTS),
        "review_mean_score": null(),
        "review_counts": null(),
    },
)
# Scalar subqueries on the review index: five per row, in the page's one statement, whatever the page's size.
_REVIEW_COLUMNS: dict[str, ColumnElement[Any]] = {
    "_review_sum": select(func.sum(col(Review.mean_score))).where(*_LIVE_REVIEW).scalar_subquery(),
    "_review_scored": select(func.count(col(Review.mean_score))).where(*_LIVE_REVIEW).scalar_subquery(),
    **{
        f"_review_{r.value}": select(func.count())
        .select_from(Review)
        .where(*_LIVE_REVIEW, col(Review.recommendation) == r)
        .scalar_subquery()
        for r in Recommendation
    },
}
_BUDGET_LINES = (
    select(col(BudgetLine.application_id), col(BudgetLine.category), col(BudgetLine.year), col(BudgetLine.amount))
    .where(col(BudgetLine.application_id).in_(RELATED_TO))
    .order_by(col(BudgetLine.application_id), col(BudgetLine.position))
)


@dataclass(frozen=True)
class ApplicationFilter:
    round_id: uuid.UUID | None = None
    fund_id: uuid.UUID | None = None
    status: list[ApplicationStatus] | None = None
    applicant_id: uuid.UUID | None = None
    focus_area_id: uuid.UUID | None = None
    pot_id: uuid.UUID | None = None
    q: str | None = None


def select_for(actor: Actor | None) -> Select[Any]:
    """The shape's statement for this caller: only what it may see, with the review figures for managers."""
    stmt = SHAPE.select().where(visible_to(actor))
    if sees_everything(actor):
        stmt = stmt.add_columns(*(expr.label(name) for name, expr in _REVIEW_COLUMNS.items()))
    return stmt


def _mean(total: Any, scored: int) -> str | None:
    if not scored:
        return None
    # SQLite sums NUMERIC as a double: each score has two decimals, so the sum is exact once rounded to the cent.
    exact = Decimal(str(total)).quantize(CENT, ROUND_HALF_UP)
    return as_text((exact / scored).quantize(CENT, ROUND_HALF_UP))


def render(row: Any) -> dict[str, Any]:
    """One row of `select_for` as plain data; the review figures only where the statement read them."""
    out = SHAPE.render(row)
    values = row._mapping
    if "_review_sum" in values:
        out["review_mean_score"] = _mean(values["_review_sum"], values["_review_scored"])
        out["review_counts"] = {r.value: values[f"_review_{r.value}"] for r in Recommendation}
    return out


def with_budget_lines(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill the budget lines of rendered applications (tombstones left out) in one statement."""
    live = [row for row in rows if not row.get("deleted")]
    attach(session, live, "budget_lines", _BUDGET_LINES, "application_id")
    return rows


def read(session: Session, actor: Actor | None, ident: uuid.UUID) -> dict[str, Any]:
    """One application as this caller sees it (after a write, in the same transaction, or for a GET)."""
    session.flush()  # sessions do not autoflush: a write must be seen by the read after it
    row = execute(session, select_for(actor).where(col(Application.id) == ident)).one()
    return with_budget_lines(session, [render(row)])[0]


def list_page(session: Session, actor: Actor | None, flt: ApplicationFilter, params: ListParams) -> PageResult:
    stmt = matching(select_for(actor), TEXT_FIELDS, flt.q)
    if flt.round_id is not None:
        stmt = stmt.where(col(Application.round_id) == flt.round_id)
    if flt.fund_id is not None:
        stmt = stmt.where(col(Application.round_id).in_(select(Round.id).where(Round.fund_id == flt.fund_id)))
    if flt.status:
        stmt = stmt.where(col(Application.status).in_(flt.status))
    if flt.applicant_id is not None:
        stmt = stmt.where(col(Application.applicant_id) == flt.applicant_id)
    if flt.focus_area_id is not None:
        stmt = stmt.where(col(Application.focus_area_id) == flt.focus_area_id)
    if flt.pot_id is not None:
        stmt = stmt.where(col(Application.pot_id) == flt.pot_id)
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)
