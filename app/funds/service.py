"""Rules for funds and their focus areas: codes are unique among live funds, the owning and deciding bodies are
bodies of the record, focus areas are kept by number. Admins and fund managers keep funds."""

import uuid
from typing import Any

from sqlalchemy import null
from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import RELATED_TO, attach, shape
from app.core.text import clean
from app.funds.models import FocusArea, FocusAreaIn, Fund, FundCreate, FundOut, FundUpdate, Round
from app.organisations.models import BODY_KINDS, Organisation

KIND = "fund"
FOCUS_AREA_KIND = "fund_focus_area"
SORT_COLUMNS: SortColumns = {
    "name": col(Fund.name_sort),
    "code": col(Fund.code),
    "created_at": col(Fund.created_at),
    "updated_at": col(Fund.updated_at),
}
SHAPE = shape(Fund, FundOut, computed={"focus_areas": null()})

_FOCUS_AREAS = (
    select(col(FocusArea.fund_id), col(FocusArea.id), col(FocusArea.number), col(FocusArea.text))
    .where(col(FocusArea.fund_id).in_(RELATED_TO), col(FocusArea.deleted_at).is_(None))
    .order_by(col(FocusArea.number))
)


def require_writer(actor: Actor) -> None:
    """Admins and fund managers keep funds, rounds, pots and transfers (admins hold every role)."""
    actor.require(Role.fund_manager)


def get(session: Session, ident: uuid.UUID, *, for_update: bool = False) -> Fund:
    return crud.get_live(session, Fund, ident, KIND, for_update=for_update)


def list_page(session: Session, params: ListParams, code: str | None = None) -> PageResult:
    stmt = SHAPE.select()
    if code is not None:
        stmt = stmt.where(col(Fund.code) == code)
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def with_focus_areas(session: Session, funds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill the focus areas of rendered funds (tombstones left out) in one statement, whatever their number."""
    live = [f for f in funds if not f.get("deleted")]
    attach(session, live, "focus_areas", _FOCUS_AREAS, "fund_id")
    return funds


def read(session: Session, ident: uuid.UUID) -> dict[str, Any]:
    return with_focus_areas(session, [SHAPE.one(session, ident)])[0]


def _body(session: Session, ident: uuid.UUID, field: str) -> None:
    body = crud.live_or_invalid(session, Organisation, ident, field, "organisation")
    if body.kind not in BODY_KINDS:
        raise ValidationFailed(field, "must be a joint body or a working group")


def _prepare(session: Session, fund: Fund, changed: set[str]) -> None:
    fund.name = clean(fund.name)
    for field in ("owning_body_id", "deciding_body_id"):
        if field in changed:
            _body(session, getattr(fund, field), field)
    if "code" in changed:
        taken = select(Fund.id).where(Fund.code == fund.code, Fund.id != fund.id, col(Fund.deleted_at).is_(None))
        if session.execute(taken).first():
            raise Conflict(f"A fund with code {fund.code} exists.", code="duplicate_code", field="code")


def _check_numbers(areas: list[FocusAreaIn]) -> None:
    seen: set[int] = set()
    for index, area in enumerate(areas):
        if area.number in seen:
            raise ValidationFailed(("body", "focus_areas", index, "number"), f"number {area.number} comes twice")
        seen.add(area.number)


def _replace_focus_areas(session: Session, actor: Actor, fund: Fund, areas: list[FocusAreaIn]) -> list[Any]:
    """Keep the areas by number: a kept number keeps its id (applications refer to it), a new one is added, a
    number no longer sent is deleted (soft: an application keeps what it referred to). Returns the audit's diff."""
    _check_numbers(areas)
    current = {
        a.number: a
        for a in session.execute(
            select(FocusArea).where(FocusArea.fund_id == fund.id, col(FocusArea.deleted_at).is_(None))
        ).scalars()
    }
    wanted = {a.number: clean(a.text) for a in areas}
    for number, area in current.items():
        if number not in wanted:
            crud.soft_delete(session, actor, area, FOCUS_AREA_KIND)
        elif area.text != wanted[number]:
            crud.save_update(session, actor, area, FOCUS_AREA_KIND, crud.apply_changes(area, {"text": wanted[number]}))
    session.flush()  # a deleted number is free before it is added again
    for number, text in wanted.items():
        if number not in current:
            area = FocusArea(fund_id=fund.id, number=number, text=text)
            crud.create(session, actor, area, FOCUS_AREA_KIND, {"fund_id": str(fund.id), "number": number})
    old = [[n, current[n].text] for n in sorted(current)]
    new = [[n, wanted[n]] for n in sorted(wanted)]
    return [old, new] if old != new else []


def create(session: Session, actor: Actor, data: FundCreate) -> Fund:
    require_writer(actor)
    fund = Fund(**data.model_dump(exclude={"focus_areas"}))
    _prepare(session, fund, {"owning_body_id", "deciding_body_id", "code"})
    _check_numbers(data.focus_areas)
    crud.create(session, actor, fund, KIND, data.model_dump(mode="json", exclude_none=True))
    for area in data.focus_areas:
        new = FocusArea(fund_id=fund.id, number=area.number, text=clean(area.text))
        crud.create(session, actor, new, FOCUS_AREA_KIND, {"fund_id": str(fund.id), "number": area.number})
    return fund


def update(session: Session, actor: Actor, fund: Fund, data: FundUpdate) -> Fund:
    require_writer(actor)
    changes = data.model_dump(exclude_unset=True)
    changes.pop("focus_areas", None)
    diff = crud.apply_changes(fund, changes, required={"code", "name", "owning_body_id", "deciding_body_id"})
    _prepare(session, fund, set(diff))
    if data.focus_areas is not None:
        areas_diff = _replace_focus_areas(session, actor, fund, data.focus_areas)
        if areas_diff:
            diff["focus_areas"] = areas_diff  # the fund's row is updated too, so its ETag moves with its areas
    crud.save_update(session, actor, fund, KIND, diff)
    return fund


def remove(session: Session, actor: Actor, fund: Fund) -> None:
    require_writer(actor)
    live_round = select(Round.id).where(Round.fund_id == fund.id, col(Round.deleted_at).is_(None)).limit(1)
    if session.execute(live_round).first():
        raise Conflict("A fund with rounds cannot be deleted; delete its rounds first.", code="fund_has_rounds")
    crud.soft_delete(session, actor, fund, KIND)
