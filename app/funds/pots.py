"""Rules for pots and transfers. A pot's budget is set while its round is a draft; afterwards money moves only by
a transfer with its decision. No write takes a pot below zero: the pot that gives money is locked first (a row
lock on PostgreSQL; SQLite's writers already queue on its one write lock), then its remaining amount is computed
and checked, so two concurrent writes cannot both spend the same money. Grants (next) follow the same rule."""

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session, col, or_, select

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.money import ZERO, as_text
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor
from app.core.reads import shape
from app.core.text import clean
from app.decisions.models import Decision
from app.funds import figures, rounds
from app.funds.models import (
    Pot,
    PotCreate,
    PotOut,
    PotUpdate,
    Round,
    RoundStatus,
    Transfer,
    TransferCreate,
    TransferOut,
)
from app.funds.service import require_writer

POT_KIND = "fund_pot"
TRANSFER_KIND = "fund_transfer"
POT_SORT: SortColumns = {
    "name": col(Pot.name_sort),
    "created_at": col(Pot.created_at),
    "updated_at": col(Pot.updated_at),
}
TRANSFER_SORT: SortColumns = {"created_at": col(Transfer.created_at), "updated_at": col(Transfer.updated_at)}
POT_SHAPE = shape(Pot, PotOut)
TRANSFER_SHAPE = shape(Transfer, TransferOut)


def get_pot(session: Session, ident: uuid.UUID, *, for_update: bool = False) -> Pot:
    return crud.get_live(session, Pot, ident, POT_KIND, for_update=for_update)


def get_transfer(session: Session, ident: uuid.UUID) -> Transfer:
    return crud.get_live(session, Transfer, ident, TRANSFER_KIND)


def list_pots(session: Session, round_id: uuid.UUID | None, params: ListParams) -> PageResult:
    stmt = POT_SHAPE.select()
    if round_id is not None:
        stmt = stmt.where(col(Pot.round_id) == round_id)
    return read_page(session, POT_SHAPE, stmt, params, POT_SORT)


@dataclass(frozen=True)
class TransferFilter:
    round_id: uuid.UUID | None = None
    pot_id: uuid.UUID | None = None


def list_transfers(session: Session, flt: TransferFilter, params: ListParams) -> PageResult:
    stmt = TRANSFER_SHAPE.select()
    if flt.round_id is not None:
        stmt = stmt.where(col(Transfer.round_id) == flt.round_id)
    if flt.pot_id is not None:
        stmt = stmt.where(or_(col(Transfer.from_pot_id) == flt.pot_id, col(Transfer.to_pot_id) == flt.pot_id))
    return read_page(session, TRANSFER_SHAPE, stmt, params, TRANSFER_SORT)


def overdrawn(pot: Pot, remaining: Decimal, wanted: Decimal) -> Conflict:
    """The one refusal of a write that would take a pot below zero; grants will answer the same."""
    return Conflict(
        f"The pot {pot.name} has {as_text(remaining)} remaining; {as_text(wanted)} would take it below zero.",
        code="pot_overdrawn",
        pot_id=str(pot.id),
        remaining=as_text(remaining),
    )


def _require_draft(r: Round, what: str) -> None:
    if r.status is not RoundStatus.draft:
        raise Conflict(
            f"{what} only while the round is a draft; it is {r.status}: move money by a transfer.",
            code="round_not_draft",
        )


def _check_carry(session: Session, pot: Pot, r: Round, before: Decimal) -> None:
    """Money carried over comes from a live pot of an earlier round of the same fund, which must have it."""
    if pot.carried_from_pot_id is None:
        if pot.carried_over != ZERO:
            raise ValidationFailed("carried_from_pot_id", "is required when an amount is carried over")
        return
    source = crud.live_or_invalid(session, Pot, pot.carried_from_pot_id, "carried_from_pot_id", "pot")
    source_round = session.get(Round, source.round_id)
    if source_round is None or source_round.fund_id != r.fund_id or source_round.year >= r.year:
        raise ValidationFailed("carried_from_pot_id", "must be a pot of an earlier round of the same fund")
    # Locked before its figures are read: see the module's docstring.
    source = get_pot(session, source.id, for_update=True)
    available = figures.of_pot(session, source).remaining + before
    if pot.carried_over > available:
        raise overdrawn(source, available, pot.carried_over)


def _check_name(session: Session, pot: Pot) -> None:
    pot.name = clean(pot.name)
    taken = select(Pot.id).where(
        Pot.round_id == pot.round_id, Pot.name == pot.name, Pot.id != pot.id, col(Pot.deleted_at).is_(None)
    )
    if session.execute(taken).first():
        raise Conflict(f"The round has a pot named {pot.name}.", code="duplicate_name", field="name")


def create_pot(session: Session, actor: Actor, data: PotCreate) -> Pot:
    require_writer(actor)
    r = crud.live_or_invalid(session, Round, data.round_id, "round_id", "round")
    _require_draft(r, "Pots are added")
    pot = Pot(**data.model_dump())
    _check_name(session, pot)
    _check_carry(session, pot, r, ZERO)
    return crud.create(session, actor, pot, POT_KIND, data.model_dump(mode="json", exclude_none=True))


def update_pot(session: Session, actor: Actor, pot: Pot, data: PotUpdate) -> Pot:
    require_writer(actor)
    changes = data.model_dump(exclude_unset=True)
    r = rounds.get(session, pot.round_id)
    old_source, old_carried = pot.carried_from_pot_id, pot.carried_over
    diff = crud.apply_changes(pot, changes, required={"name", "budget", "carried_over"})
    money = {"budget", "carried_over", "carried_from_pot_id"} & set(diff)
    if money:
        _require_draft(r, "A pot's budget and carried-over amount are changed")
    _check_name(session, pot)
    if money:
        # What the pot already carries from the same source is the source's money no more: it counts as available.
        _check_carry(session, pot, r, old_carried if pot.carried_from_pot_id == old_source else ZERO)
    crud.save_update(session, actor, pot, POT_KIND, diff)
    return pot


def remove_pot(session: Session, actor: Actor, pot: Pot) -> None:
    require_writer(actor)
    _require_draft(rounds.get(session, pot.round_id), "Pots are deleted")
    carried = select(Pot.id).where(Pot.carried_from_pot_id == pot.id, col(Pot.deleted_at).is_(None)).limit(1)
    if session.execute(carried).first():
        raise Conflict("Money of this pot is carried over to a later round.", code="pot_in_use")
    crud.soft_delete(session, actor, pot, POT_KIND)


def create_transfer(session: Session, actor: Actor, data: TransferCreate) -> Transfer:
    require_writer(actor)
    if data.from_pot_id == data.to_pot_id:
        raise ValidationFailed("to_pot_id", "must be another pot than from_pot_id")
    if data.amount == ZERO:
        raise ValidationFailed("amount", "must be more than 0")
    if data.decision_id is None and data.decision_reference is None:
        raise ValidationFailed("decision_reference", "is required when no decision_id is given")
    if data.decision_id is not None:
        crud.live_or_invalid(session, Decision, data.decision_id, "decision_id", "decision")
    source = crud.live_or_invalid(session, Pot, data.from_pot_id, "from_pot_id", "pot")
    target = crud.live_or_invalid(session, Pot, data.to_pot_id, "to_pot_id", "pot")
    if source.round_id != target.round_id:
        raise ValidationFailed("to_pot_id", "must be a pot of the same round as from_pot_id")
    r = rounds.get(session, source.round_id)
    if r.status in (RoundStatus.draft, RoundStatus.archived):
        raise Conflict(
            f"Money moves between pots of an open, closed or decided round; this one is {r.status}.",
            code="round_not_active",
        )
    # Locked before its figures are read: see the module's docstring.
    source = get_pot(session, source.id, for_update=True)
    remaining = figures.of_pot(session, source).remaining
    if data.amount > remaining:
        raise overdrawn(source, remaining, data.amount)
    transfer = Transfer(**data.model_dump(), round_id=r.id, created_by_id=actor.id)
    transfer.comment = clean(transfer.comment) if transfer.comment else transfer.comment
    return crud.create(session, actor, transfer, TRANSFER_KIND, data.model_dump(mode="json", exclude_none=True))
