"""Open calls for intranets: the rounds open for applications, each with its fund, dates, priorities and the
fund's focus areas, in the statements of a page whatever its length (the page, then all its focus areas).

An intranet keeps its copy with `updated_since`: a round changed since then comes back, and one that is no longer
open (closed, decided, archived) comes as a tombstone, so the page it published is taken down. A change of the
fund alone (its name, its focus areas) does not count as a change of its calls: the list is short, read it whole
to pick those up."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import null
from sqlalchemy.engine import Row
from sqlmodel import Session, col

from app.core.models import ResourceOut
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.reads import shape
from app.funds import service
from app.funds.models import FocusAreaOut, Fund, Round, RoundStatus


class OpenCallOut(ResourceOut):
    """A round open for applications (its id is the round's), with its fund and the fund's focus areas."""

    fund_id: uuid.UUID
    fund_code: str
    fund_name: str
    year: int
    opens_on: date
    closes_on: date
    priorities: str | None
    focus_areas: list[FocusAreaOut]


SORT_COLUMNS: SortColumns = {
    "closes_on": col(Round.closes_on),
    "opens_on": col(Round.opens_on),
    "updated_at": col(Round.updated_at),
}
SHAPE = shape(
    Round,
    OpenCallOut,
    computed={
        "fund_code": col(Fund.code).label("fund_code"),
        "fund_name": col(Fund.name).label("fund_name"),
        "focus_areas": null(),
    },
)
# The round's status, read with each row to tell an open call from one to take down (see render).
_STATUS = "_call_status"


def list_page(session: Session, fund_id: uuid.UUID | None, params: ListParams) -> PageResult:
    stmt = (
        SHAPE.select()
        .add_columns(col(Round.status).label(_STATUS))
        .select_from(Round)
        .join(Fund, col(Fund.id) == Round.fund_id)
    )
    if params.updated_since is None:
        stmt = stmt.where(col(Round.status) == RoundStatus.open)
    else:
        # Every round that has been open (a draft never was, and only drafts are deleted) and changed since.
        stmt = stmt.where(col(Round.status) != RoundStatus.draft)
    if fund_id is not None:
        stmt = stmt.where(col(Round.fund_id) == fund_id)
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def render(row: Row[Any]) -> dict[str, Any]:
    """An open call as shown, or the tombstone of one that is no longer open."""
    values = row._mapping
    if values[_STATUS] != RoundStatus.open:
        return {"id": values["id"], "deleted": True, "updated_at": values["updated_at"]}
    return SHAPE.render(row)


def with_focus_areas(session: Session, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill each call's focus areas, those of its fund, in one statement for the whole page."""
    funds = {c["fund_id"]: {"id": c["fund_id"]} for c in calls if not c.get("deleted")}
    service.with_focus_areas(session, list(funds.values()))
    for call in calls:
        if not call.get("deleted"):
            call["focus_areas"] = funds[call["fund_id"]]["focus_areas"]
    return calls
