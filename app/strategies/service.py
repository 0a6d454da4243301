"""Rules for strategies: numbers are unique among live ones; only admins change the taxonomy."""

import uuid

from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Conflict
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import shape
from app.core.text import clean, swedish_sort_key
from app.strategies.models import Strategy, StrategyCreate, StrategyOut, StrategyUpdate

KIND = "strategy"
SORT_COLUMNS: SortColumns = {
    "number": col(Strategy.number),
    "name": col(Strategy.name_sort),
    "updated_at": col(Strategy.updated_at),
}
SHAPE = shape(Strategy, StrategyOut)


def get(session: Session, ident: uuid.UUID) -> Strategy:
    return crud.get_live(session, Strategy, ident, KIND)


def list_page(session: Session, params: ListParams) -> PageResult:
    return read_page(session, SHAPE, SHAPE.select(), params, SORT_COLUMNS)


def _prepare(session: Session, s: Strategy) -> None:
    s.name = clean(s.name)
    s.name_sort = swedish_sort_key(s.name)
    taken = select(Strategy.id).where(
        Strategy.number == s.number,
        Strategy.id != s.id,
        col(Strategy.deleted_at).is_(None),
    )
    if session.execute(taken).first():
        raise Conflict(f"Strategy number {s.number} exists.", code="duplicate_number", field="number")


def create(session: Session, actor: Actor, data: StrategyCreate) -> Strategy:
    actor.require(Role.admin)
    s = Strategy(**data.model_dump(), name_sort="")
    _prepare(session, s)
    return crud.create(session, actor, s, KIND, data.model_dump(exclude_none=True))


def update(session: Session, actor: Actor, s: Strategy, data: StrategyUpdate) -> Strategy:
    actor.require(Role.admin)
    diff = crud.apply_changes(s, data.model_dump(exclude_unset=True), required={"number", "name"})
    # Checked before an autoflush sends the change: the unique index would answer a bare 409 without the field.
    _prepare(session, s)
    crud.save_update(session, actor, s, KIND, diff)
    return s


def remove(session: Session, actor: Actor, s: Strategy) -> None:
    actor.require(Role.admin)
    crud.soft_delete(session, actor, s, KIND)
