"""Rules for applications: who drafts, edits and deletes them, what they must refer to, and budgets that add up.

How they are read is in app.funds.applications.reads; workflow moves (the submission and its number included) in
app.funds.applications.moves.
"""

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.cases.models import Case
from app.core import crud
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.core.money import ZERO, as_text
from app.core.principal import Actor, Role
from app.core.text import clean
from app.funds.applications import workflow
from app.funds.applications.models import (
    Application,
    ApplicationCreate,
    ApplicationStatus,
    ApplicationStrategy,
    ApplicationUpdate,
    BudgetLine,
    BudgetLineIn,
    CoApplicant,
)
from app.funds.applications.visibility import get_visible
from app.funds.models import FocusArea, Pot, Round, RoundStatus
from app.organisations import service as organisations
from app.people.models import Person
from app.strategies.models import Strategy

KIND = workflow.KIND
S = ApplicationStatus
# Rounds in which applications are drafted: one being prepared, or open.
_DRAFTING_ROUNDS = (RoundStatus.draft, RoundStatus.open)


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
