"""Rules for applications: who drafts and edits them, what they must refer to, budgets that add up, and how they
are read (one statement per page, with what the caller may see decided in SQL: app.funds.applications.visibility).

Workflow moves (submission and its number included) are in app.funds.applications.moves.
"""

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import delete, func, null
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session, col, select

from app.cases.models import Case
from app.core import crud
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.core.money import CENT, ZERO, as_text
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import RELATED_TO, attach, execute, id_array, shape
from app.core.text import clean
from app.core.textsearch import TextFields, matching
from app.documents.models import Document, DocumentLink, LinkTarget
from app.funds.applications import workflow
from app.funds.applications.models import (
    Application,
    ApplicationCreate,
    ApplicationOut,
    ApplicationStatus,
    ApplicationStrategy,
    ApplicationUpdate,
    BudgetLine,
    BudgetLineIn,
    CoApplicant,
    Recommendation,
    Review,
)
from app.funds.applications.visibility import get_visible, sees_everything, visible_to
from app.funds.models import FocusArea, Pot, Round, RoundStatus
from app.organisations import service as organisations
from app.people.models import Person
from app.strategies.models import Strategy

KIND = workflow.KIND
S = ApplicationStatus
SORT_COLUMNS: SortColumns = {
    # Drafts have no number yet: they sort first (ascending), and a cursor never meets a NULL.
    "number": func.coalesce(col(Application.number), ""),
    "title": col(Application.title_sort),
    "created_at": col(Application.created_at),
    "updated_at": col(Application.updated_at),
}
TEXT_FIELDS: TextFields = (col(Application.title),)
# Rounds in which applications are drafted: one being prepared, or open.
_DRAFTING_ROUNDS = (RoundStatus.draft, RoundStatus.open)

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


# --- reading ---------------------------------------------------------------------------------------------------


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


# --- who may act -----------------------------------------------------------------------------------------------


def _require_role(actor: Actor, *roles: Role) -> None:
    if not actor.has_role(*roles):
        raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.", code="missing_role")


def for_applicant(session: Session, actor: Actor, ident: uuid.UUID) -> Application:
    """An application to edit or delete: the caller must be an editor (403), and see it (404)."""
    _require_role(actor, Role.editor)
    return get_visible(session, actor, ident)


def for_move(session: Session, actor: Actor, ident: uuid.UUID) -> Application:
    """An application to move: the caller must be an editor or a fund manager (403), and see it (404)."""
    _require_role(actor, Role.editor, Role.fund_manager)
    return get_visible(session, actor, ident)


def _require_applicant(actor: Actor, applicant_id: uuid.UUID) -> None:
    if not actor.holds(Role.editor, applicant_id):
        raise Forbidden("Only editors of the applicant principal may do this.", code="missing_role")


# --- checks ----------------------------------------------------------------------------------------------------


def _check_fields(session: Session, a: Application, r: Round, changed: set[str]) -> None:
    """What an application refers to must exist, live, and belong to its round; only what changed is looked up."""
    if a.requested <= ZERO:
        raise ValidationFailed("requested", "must be more than 0")
    if a.period_start and a.period_end and a.period_end < a.period_start:
        raise ValidationFailed("period_end", f"may not be before period_start ({a.period_start})")
    if "focus_area_id" in changed and a.focus_area_id is not None:
        area = crud.live_or_invalid(session, FocusArea, a.focus_area_id, "focus_area_id", "focus area")
        if area.fund_id != r.fund_id:
            raise ValidationFailed("focus_area_id", "must be a focus area of the round's fund")
    if "pot_id" in changed and a.pot_id is not None:
        pot = crud.live_or_invalid(session, Pot, a.pot_id, "pot_id", "pot")
        if pot.round_id != r.id:
            raise ValidationFailed("pot_id", "must be a pot of the application's round")
    if "contact_person_id" in changed and a.contact_person_id is not None:
        crud.live_or_invalid(session, Person, a.contact_person_id, "contact_person_id", "person")
    if "case_id" in changed and a.case_id is not None:
        crud.live_or_invalid(session, Case, a.case_id, "case_id", "case")


def _check_co_applicants(session: Session, a: Application, wanted: list[uuid.UUID]) -> None:
    for i, org_id in enumerate(wanted):
        if org_id == a.applicant_id:
            raise ValidationFailed(("body", "co_applicant_ids", i), "is the applicant itself")
        organisations.require_principal(session, org_id, ("body", "co_applicant_ids", i))


def _check_strategies(session: Session, wanted: list[uuid.UUID]) -> None:
    live = select(Strategy.id).where(col(Strategy.id).in_(wanted), col(Strategy.deleted_at).is_(None))
    found = set(session.exec(live))
    for i, sid in enumerate(wanted):
        if sid not in found:
            raise ValidationFailed(("body", "strategy_ids", i), "no such strategy")


def check_budget(requested: Decimal, amounts: list[Decimal], *, required: bool) -> None:
    """The lines add up to the requested amount exactly; at least one is needed once the application is out of
    draft (`required`)."""
    if not amounts:
        if required:
            raise ValidationFailed("budget_lines", "at least one budget line is needed")
        return
    total = sum(amounts, ZERO)
    if total != requested:
        raise ValidationFailed(
            "budget_lines",
            f"add up to {as_text(total)}, but the requested amount is {as_text(requested)}",
            type="budget_mismatch",
        )


def budget_amounts(session: Session, a: Application) -> list[Decimal]:
    stmt = select(col(BudgetLine.amount)).where(col(BudgetLine.application_id) == a.id)
    return list(session.execute(stmt).scalars())


def _clean(a: Application) -> None:
    a.title = clean(a.title)
    a.applicant_unit = clean(a.applicant_unit)
    if a.target_group:
        a.target_group = clean(a.target_group)


# --- writes ----------------------------------------------------------------------------------------------------


def _store_links(session: Session, a: Application, co_applicants: list[uuid.UUID] | None, strategies: Any) -> None:
    if co_applicants is not None:
        session.execute(delete(CoApplicant).where(col(CoApplicant.application_id) == a.id))
        session.add_all(CoApplicant(application_id=a.id, organisation_id=o) for o in dict.fromkeys(co_applicants))
    if strategies is not None:
        session.execute(delete(ApplicationStrategy).where(col(ApplicationStrategy.application_id) == a.id))
        session.add_all(ApplicationStrategy(application_id=a.id, strategy_id=s) for s in dict.fromkeys(strategies))


def _store_budget(session: Session, a: Application, lines: list[BudgetLineIn]) -> None:
    session.execute(delete(BudgetLine).where(col(BudgetLine.application_id) == a.id))
    session.add_all(
        BudgetLine(application_id=a.id, position=i, category=clean(line.category), year=line.year, amount=line.amount)
        for i, line in enumerate(lines)
    )


def create(session: Session, actor: Actor, data: ApplicationCreate) -> Application:
    """A new draft, by an editor of the applicant principal; its history starts with this."""
    _require_role(actor, Role.editor)
    _require_applicant(actor, data.applicant_id)
    organisations.require_principal(session, data.applicant_id, "applicant_id")
    r = crud.live_or_invalid(session, Round, data.round_id, "round_id", "round")
    if r.status not in _DRAFTING_ROUNDS:
        raise Conflict(
            f"The round is {r.status}: applications are drafted in a round being prepared or open.",
            code="round_closed",
            closes_on=r.closes_on.isoformat(),
        )
    fields = data.model_dump(exclude={"co_applicant_ids", "strategy_ids", "budget_lines"})
    a = Application(**fields, status=S.draft, created_by_id=actor.id)
    _clean(a)
    _check_fields(session, a, r, set(fields))
    _check_co_applicants(session, a, data.co_applicant_ids or [])
    _check_strategies(session, data.strategy_ids or [])
    check_budget(a.requested, [line.amount for line in data.budget_lines], required=False)
    crud.create(session, actor, a, KIND, data.model_dump(mode="json", exclude_none=True))
    _store_links(session, a, data.co_applicant_ids or [], data.strategy_ids or [])
    _store_budget(session, a, data.budget_lines)
    workflow.first_event(session, actor, a)
    return a


def update(session: Session, actor: Actor, a: Application, data: ApplicationUpdate) -> Application:
    """The applicant edits in `draft` and `more_info_requested` only."""
    _require_applicant(actor, a.applicant_id)
    if a.status not in workflow.EDITABLE:
        raise Conflict(
            f"An application that is {a.status} cannot be edited; only in draft or more_info_requested.",
            code="not_editable",
            current_status=str(a.status),
        )
    lists = {"co_applicant_ids", "strategy_ids", "budget_lines"}
    changes = data.model_dump(exclude_unset=True, exclude=lists)
    diff = crud.apply_changes(a, changes, required={"applicant_unit", "title", "requested"})
    _clean(a)
    _check_fields(session, a, session.get_one(Round, a.round_id), set(diff))
    if data.co_applicant_ids is not None:
        _check_co_applicants(session, a, data.co_applicant_ids)
    if data.strategy_ids is not None:
        _check_strategies(session, data.strategy_ids)
    amounts = (
        [line.amount for line in data.budget_lines] if data.budget_lines is not None else budget_amounts(session, a)
    )
    check_budget(a.requested, amounts, required=a.status is not S.draft)
    _store_links(session, a, data.co_applicant_ids, data.strategy_ids)
    if data.budget_lines is not None:
        _store_budget(session, a, data.budget_lines)
    sent = data.model_dump(mode="json", exclude_unset=True, include=lists)
    diff.update({name: [None, value] for name, value in sent.items()})
    crud.save_update(session, actor, a, KIND, diff)
    return a


def remove(session: Session, actor: Actor, a: Application) -> None:
    """Only a draft goes, by its applicant's editors or an admin; anything later is part of the record."""
    _require_applicant(actor, a.applicant_id)
    if a.status is not S.draft:
        raise Conflict(
            f"Only a draft can be deleted; this application is {a.status}: withdraw it instead.",
            code="not_draft",
            current_status=str(a.status),
        )
    crud.soft_delete(session, actor, a, KIND)
