"""Rules for indicators: a unique code and Kolada id among the live ones, an owning body, the strategies followed
up, and `ratio` aggregation only for a share. What the values rely on (unit, aggregation, the gender split) stays
while there are values; an indicator with values or targets is not deleted."""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists
from sqlmodel import Session, col, select

from app.core import crud
from app.core.db import keep_sort_key
from app.core.errors import Conflict, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor
from app.core.reads import id_array, shape
from app.core.text import clean
from app.funds.grants.models import ReportValue
from app.metrics.indicators.models import IndicatorCreate, IndicatorOut, IndicatorUpdate
from app.metrics.models import (
    SHARE_FACTORS,
    Aggregation,
    Gender,
    Indicator,
    IndicatorStrategy,
    IndicatorValue,
    Target,
    Unit,
)
from app.organisations import service as organisations
from app.strategies.models import Strategy

KIND = "indicator"
# The values stored rely on these: a count turned into a percent would make every stored figure wrong.
VALUE_RULES = frozenset({"unit", "aggregation", "by_gender", "reporters"})
SORT_COLUMNS: SortColumns = {
    "name": col(Indicator.name_sort),
    "code": col(Indicator.code),
    "created_at": col(Indicator.created_at),
    "updated_at": col(Indicator.updated_at),
}
SHAPE = shape(
    Indicator,
    IndicatorOut,
    computed={
        "strategy_ids": id_array(
            select(IndicatorStrategy.strategy_id)
            .where(IndicatorStrategy.indicator_id == Indicator.id)
            .order_by(col(IndicatorStrategy.strategy_id))
        )
    },
)
keep_sort_key(Indicator, "name_sort", lambda i: i.name)


@dataclass(frozen=True)
class IndicatorFilter:
    strategy_id: uuid.UUID | None = None
    body_id: uuid.UUID | None = None
    unit: Unit | None = None
    kolada_kpi: str | None = None
    code: str | None = None


def get_indicator(session: Session, ident: uuid.UUID, *, for_update: bool = False) -> Indicator:
    return crud.get_live(session, Indicator, ident, KIND, for_update=for_update)


def by_code(session: Session, code: str) -> Indicator | None:
    return session.exec(select(Indicator).where(Indicator.code == code, col(Indicator.deleted_at).is_(None))).first()


def list_page(session: Session, flt: IndicatorFilter, params: ListParams) -> PageResult:
    stmt = SHAPE.select()
    if flt.strategy_id is not None:
        linked = select(IndicatorStrategy.indicator_id).where(IndicatorStrategy.strategy_id == flt.strategy_id)
        stmt = stmt.where(col(Indicator.id).in_(linked))
    if flt.body_id is not None:
        stmt = stmt.where(col(Indicator.body_id) == flt.body_id)
    if flt.unit is not None:
        stmt = stmt.where(col(Indicator.unit) == flt.unit)
    if flt.kolada_kpi is not None:
        stmt = stmt.where(col(Indicator.kolada_kpi) == flt.kolada_kpi)
    if flt.code is not None:
        stmt = stmt.where(col(Indicator.code) == flt.code)
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def render(session: Session, indicator: Indicator) -> dict[str, Any]:
    return SHAPE.one(session, indicator.id)


def _taken(session: Session, indicator: Indicator, field: str) -> bool:
    column = getattr(Indicator, field)
    stmt = select(Indicator.id).where(
        column == getattr(indicator, field), Indicator.id != indicator.id, col(Indicator.deleted_at).is_(None)
    )
    return session.exec(stmt).first() is not None


def _check(session: Session, indicator: Indicator) -> None:
    indicator.name = clean(indicator.name)
    if indicator.aggregation is Aggregation.ratio and indicator.unit not in SHARE_FACTORS:
        raise ValidationFailed(
            "aggregation", f"ratio is only for a share (percent, per_1000, ratio); the unit is {indicator.unit}"
        )
    if indicator.body_id is not None:
        organisations.require_body(session, indicator.body_id, "body_id")
    if _taken(session, indicator, "code"):
        raise Conflict(f"An indicator has the code {indicator.code}.", code="duplicate_code", field="code")
    if indicator.kolada_kpi is not None and _taken(session, indicator, "kolada_kpi"):
        raise Conflict(
            f"An indicator has the Kolada id {indicator.kolada_kpi}.", code="duplicate_kolada_kpi", field="kolada_kpi"
        )


def _check_strategies(session: Session, wanted: list[uuid.UUID]) -> None:
    live = select(Strategy.id).where(col(Strategy.id).in_(wanted), col(Strategy.deleted_at).is_(None))
    found = set(session.exec(live))
    for i, sid in enumerate(wanted):
        if sid not in found:
            raise ValidationFailed(("body", "strategy_ids", i), "no such strategy")


def _store_strategies(session: Session, indicator: Indicator, wanted: list[uuid.UUID]) -> None:
    session.execute(delete(IndicatorStrategy).where(col(IndicatorStrategy.indicator_id) == indicator.id))
    for sid in dict.fromkeys(wanted):
        session.add(IndicatorStrategy(indicator_id=indicator.id, strategy_id=sid))
    # No autoflush: the links must reach the database before the answer is read from it.
    session.flush()


def create_indicator(session: Session, actor: Actor | None, body: IndicatorCreate) -> Indicator:
    """A new indicator; the caller has checked the role (the demo loader calls this as the system)."""
    indicator = Indicator(**body.model_dump(exclude={"strategy_ids"}), name_sort="")
    _check(session, indicator)
    _check_strategies(session, body.strategy_ids)
    crud.create(session, actor, indicator, KIND, body.model_dump(mode="json", exclude_none=True))
    _store_strategies(session, indicator, body.strategy_ids)
    return indicator


def has_values(session: Session, indicator_id: uuid.UUID) -> bool:
    """Live values of the principals, sub-regions or county, or figures a funded project reported on it."""
    official = exists().where(
        col(IndicatorValue.indicator_id) == indicator_id, col(IndicatorValue.deleted_at).is_(None)
    )
    reported = exists().where(col(ReportValue.indicator_id) == indicator_id)
    return bool(session.execute(select(official | reported)).scalar())


def _has_gender_targets(session: Session, indicator_id: uuid.UUID) -> bool:
    split = exists().where(
        col(Target.indicator_id) == indicator_id, col(Target.gender) != Gender.total, col(Target.deleted_at).is_(None)
    )
    return bool(session.execute(select(split)).scalar())


def update_indicator(session: Session, actor: Actor, indicator: Indicator, body: IndicatorUpdate) -> Indicator:
    changes = body.model_dump(exclude_unset=True, exclude={"strategy_ids"})
    diff = crud.apply_changes(
        indicator,
        changes,
        required={"code", "name", "unit", "direction", "by_gender", "aggregation", "reporters", "decimals"},
    )
    locked = sorted(VALUE_RULES & set(diff))
    if locked and has_values(session, indicator.id):
        raise Conflict(
            f"The indicator has values: its {', '.join(locked)} cannot change (the values were checked against it).",
            code="indicator_has_values",
            fields=locked,
        )
    if "by_gender" in diff and not indicator.by_gender and _has_gender_targets(session, indicator.id):
        raise Conflict(
            "The indicator has targets for women or men: end or delete them before it stops being split by gender.",
            code="indicator_has_targets",
        )
    _check(session, indicator)
    if body.strategy_ids is not None:
        _check_strategies(session, body.strategy_ids)
        _store_strategies(session, indicator, body.strategy_ids)
        diff["strategy_ids"] = [None, [str(s) for s in body.strategy_ids]]
    crud.save_update(session, actor, indicator, KIND, diff)
    return indicator


def remove_indicator(session: Session, actor: Actor, indicator: Indicator) -> None:
    target = exists().where(col(Target.indicator_id) == indicator.id, col(Target.deleted_at).is_(None))
    if has_values(session, indicator.id) or session.execute(select(target)).scalar():
        raise Conflict("The indicator has values or targets: it stays in the record.", code="indicator_in_use")
    crud.soft_delete(session, actor, indicator, KIND)
