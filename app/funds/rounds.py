"""Rules for rounds: one per fund and year, dates in order, and a status that moves one step forward at a time
(draft → open → closed → decided → archived)."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor
from app.core.reads import shape
from app.core.text import clean
from app.funds.models import Fund, Pot, Round, RoundCreate, RoundOut, RoundStatus, RoundUpdate
from app.funds.service import require_writer

KIND = "fund_round"
S = RoundStatus
TRANSITIONS: dict[RoundStatus, set[RoundStatus]] = {
    S.draft: {S.open},
    S.open: {S.closed},
    S.closed: {S.decided},
    S.decided: {S.archived},
    S.archived: set(),
}
SORT_COLUMNS: SortColumns = {
    "year": col(Round.year),
    "opens_on": col(Round.opens_on),
    "created_at": col(Round.created_at),
    "updated_at": col(Round.updated_at),
}
SHAPE = shape(Round, RoundOut)


@dataclass(frozen=True)
class RoundFilter:
    fund_id: uuid.UUID | None = None
    year: int | None = None
    status: list[RoundStatus] | None = None


def get(session: Session, ident: uuid.UUID, *, for_update: bool = False) -> Round:
    return crud.get_live(session, Round, ident, KIND, for_update=for_update)


def list_page(session: Session, flt: RoundFilter, params: ListParams) -> PageResult:
    stmt = SHAPE.select()
    if flt.fund_id is not None:
        stmt = stmt.where(col(Round.fund_id) == flt.fund_id)
    if flt.year is not None:
        stmt = stmt.where(col(Round.year) == flt.year)
    if flt.status:
        stmt = stmt.where(col(Round.status).in_(flt.status))
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def _prepare(session: Session, r: Round) -> None:
    if r.closes_on < r.opens_on:
        raise ValidationFailed("closes_on", f"may not be before opens_on ({r.opens_on})")
    r.priorities = clean(r.priorities) if r.priorities else r.priorities
    r.review_criteria = [clean(c) for c in r.review_criteria]
    taken = select(Round.id).where(
        Round.fund_id == r.fund_id, Round.year == r.year, Round.id != r.id, col(Round.deleted_at).is_(None)
    )
    if session.execute(taken).first():
        raise Conflict(f"The fund has a round for {r.year}.", code="duplicate_year", field="year")


def create(session: Session, actor: Actor, data: RoundCreate) -> Round:
    require_writer(actor)
    crud.live_or_invalid(session, Fund, data.fund_id, "fund_id", "fund")
    r = Round(**data.model_dump(), status=RoundStatus.draft)
    _prepare(session, r)
    return crud.create(session, actor, r, KIND, data.model_dump(mode="json", exclude_none=True))


def check_transition(old: RoundStatus, new: RoundStatus) -> None:
    if new != old and new not in TRANSITIONS[old]:
        allowed = ", ".join(sorted(TRANSITIONS[old])) or "none"
        raise Conflict(
            f"A round that is {old} cannot become {new}; allowed: {allowed}.",
            code="invalid_transition",
            allowed=sorted(TRANSITIONS[old]),
        )


def update(session: Session, actor: Actor, r: Round, data: RoundUpdate) -> Round:
    require_writer(actor)
    changes = data.model_dump(exclude_unset=True)
    if "status" in changes:
        check_transition(r.status, changes["status"])
    diff = crud.apply_changes(r, changes, required={"year", "opens_on", "closes_on", "status", "review_criteria"})
    _prepare(session, r)
    crud.save_update(session, actor, r, KIND, diff)
    return r


def remove(session: Session, actor: Actor, r: Round) -> None:
    """Only a draft round without pots goes: later ones are part of the record."""
    require_writer(actor)
    if r.status is not RoundStatus.draft:
        raise Conflict(f"Only a draft round can be deleted; this one is {r.status}.", code="round_not_draft")
    has_pots = select(Pot.id).where(Pot.round_id == r.id, col(Pot.deleted_at).is_(None)).limit(1)
    if session.execute(has_pots).first():
        raise Conflict("A round with pots cannot be deleted; delete its pots first.", code="round_has_pots")
    crud.soft_delete(session, actor, r, KIND)
