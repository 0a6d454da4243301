"""Rules for agenda items: numbering through a body's year, presenters, cases, and the search index."""

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Label, bindparam, delete, func, null
from sqlalchemy import select as sql_select
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor
from app.core.reads import RELATED_TO, attach, execute, id_array, shape
from app.core.text import clean
from app.core.time import local
from app.meetings import service as meetings
from app.meetings.models import (
    AgendaItem,
    AgendaItemCreate,
    AgendaItemOut,
    AgendaItemUpdate,
    ItemCase,
    ItemKind,
    ItemPresenter,
    Meeting,
    NextNumber,
    PresenterIn,
    RecordSource,
)
from app.people.models import Person
from app.search import service as search
from app.search.models import SearchKind

KIND = "agenda_item"
SORT_COLUMNS: SortColumns = {
    "position": col(AgendaItem.position),
    "title": col(AgendaItem.title_sort),
    "created_at": col(AgendaItem.created_at),
    "updated_at": col(AgendaItem.updated_at),
}
_NUMBER = re.compile(r"^(\d+)([a-z]?)$")
# An item as it is shown: its cases in the row's own statement; its presenters (objects, not ids) come from one
# query for all the rows read (`with_presenters`).
SHAPE = shape(
    AgendaItem,
    AgendaItemOut,
    computed={
        "presenters": null(),  # filled in by with_presenters
        "case_ids": id_array(
            select(ItemCase.case_id).where(ItemCase.item_id == AgendaItem.id).order_by(col(ItemCase.case_id))
        ),
    },
)


@dataclass(frozen=True)
class ItemFilter:
    meeting_id: uuid.UUID | None = None
    case_id: uuid.UUID | None = None
    body_id: uuid.UUID | None = None
    year: int | None = None
    kind: list[ItemKind] | None = None
    public_only: bool = False


def get(session: Session, ident: uuid.UUID) -> AgendaItem:
    return crud.get_live(session, AgendaItem, ident, KIND)


def list_page(session: Session, flt: ItemFilter, params: ListParams) -> PageResult:
    stmt = SHAPE.select()
    if flt.meeting_id:
        stmt = stmt.where(col(AgendaItem.meeting_id) == flt.meeting_id)
    if flt.case_id:
        stmt = stmt.where(col(AgendaItem.id).in_(select(ItemCase.item_id).where(ItemCase.case_id == flt.case_id)))
    if flt.body_id:
        stmt = stmt.where(col(AgendaItem.body_id) == flt.body_id)
    if flt.year:
        stmt = stmt.where(col(AgendaItem.year) == flt.year)
    if flt.kind:
        stmt = stmt.where(col(AgendaItem.kind).in_(flt.kind))
    if flt.public_only:
        published = select(Meeting.id).where(col(Meeting.status).in_(meetings.PUBLISHED))
        stmt = stmt.where(col(AgendaItem.public), col(AgendaItem.meeting_id).in_(published))
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def _of_meeting(public_only: bool) -> list[Any]:
    """The live items (the public ones only, for public reading) of the meeting given as the statement's
    `meeting_id` parameter."""
    live = [col(AgendaItem.meeting_id) == bindparam("meeting_id"), col(AgendaItem.deleted_at).is_(None)]
    return [*live, col(AgendaItem.public)] if public_only else live


def item_ids_of(public_only: bool = False) -> Select[Any]:
    """The ids of the items a protocol read shows (see _of_meeting), as a subquery."""
    return sql_select(col(AgendaItem.id)).where(*_of_meeting(public_only))


_IN_ORDER = (col(AgendaItem.position), col(AgendaItem.id))
# Built once: the statements of a protocol read run with the meeting's id as their one parameter.
_LIVE = select(AgendaItem).where(*_of_meeting(False)).order_by(*_IN_ORDER)
_SHOWN = {p: SHAPE.select().where(*_of_meeting(p)).order_by(*_IN_ORDER) for p in (False, True)}
_PRESENTER_COLUMNS: list[Label[Any]] = [
    col(ItemPresenter.item_id).label("item_id"),
    col(ItemPresenter.person_id).label("person_id"),
    # A presenter named as free text, else the person's name.
    func.coalesce(
        func.nullif(ItemPresenter.name, ""), col(Person.given_name) + " " + col(Person.family_name), ""
    ).label("name"),
    col(ItemPresenter.organisation).label("organisation"),
]
_PRESENTERS = (
    sql_select(*_PRESENTER_COLUMNS)
    .outerjoin(Person, col(Person.id) == ItemPresenter.person_id)
    .where(col(ItemPresenter.item_id).in_(RELATED_TO))
    .order_by(col(ItemPresenter.position))
)


def items_of(session: Session, meeting_id: uuid.UUID) -> list[AgendaItem]:
    """A meeting's live items as stored objects, in agenda order: for the writes that change them (imports)."""
    return list(session.exec(_LIVE, params={"meeting_id": meeting_id}))


def shown_items(session: Session, meeting_id: uuid.UUID, public_only: bool = False) -> list[dict[str, Any]]:
    """A meeting's live items (only the public ones, for public reading) as they are shown, in agenda order."""
    rows = execute(session, _SHOWN[public_only], {"meeting_id": meeting_id})
    return with_presenters(session, [SHAPE.render(row) for row in rows])


def with_presenters(session: Session, items: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill in the items' presenters from one query for them all."""
    return attach(session, list(items), "presenters", _PRESENTERS, "item_id")


def render(session: Session, item: AgendaItem) -> dict[str, Any]:
    return with_presenters(session, [SHAPE.one(session, item.id)])[0]


def number_value(number: str) -> int:
    match = _NUMBER.match(number)
    if not match:
        raise ValidationFailed("number", "must be digits, optionally followed by one letter (7a)")
    return int(match.group(1))


def next_number(session: Session, meeting: Meeting, body_id: uuid.UUID | None = None) -> NextNumber:
    """Item numbers continue through a body's year: the next is one more than the highest so far."""
    body = body_id or meeting.lead_body_id
    if body not in meetings.body_ids_of(session, [meeting.id])[meeting.id]:
        raise ValidationFailed(("query", "body_id"), "is not one of the meeting's bodies")
    year = local(meeting.starts_at).year
    highest = session.exec(
        select(func.max(AgendaItem.number_value)).where(
            AgendaItem.body_id == body, AgendaItem.year == year, col(AgendaItem.deleted_at).is_(None)
        )
    ).one()
    return NextNumber(body_id=body, year=year, number=str((highest or 0) + 1))


def _check_unique_number(session: Session, item: AgendaItem) -> None:
    _check_unique_numbers(session, [item])


def _check_unique_numbers(session: Session, items: list[AgendaItem]) -> None:
    """No two live items of a meeting and body share a number: against the stored ones in one query."""
    taken = select(AgendaItem.meeting_id, AgendaItem.body_id, AgendaItem.number).where(
        col(AgendaItem.meeting_id).in_({i.meeting_id for i in items}),
        col(AgendaItem.number).in_({i.number for i in items}),
        col(AgendaItem.id).not_in([i.id for i in items]),
        col(AgendaItem.deleted_at).is_(None),
    )
    seen = {tuple(row) for row in session.execute(taken)}
    for row, item in enumerate(items):
        key = (item.meeting_id, item.body_id, item.number)
        if key in seen:
            with crud.for_row(row):
                raise Conflict(f"Item {item.number} is already on this meeting's agenda.", code="duplicate_item_number")
        seen.add(key)


def _check_links(session: Session, presenters: list[PresenterIn], case_ids: list[uuid.UUID]) -> None:
    _check_links_of(session, [(presenters, case_ids)])


def _check_links_of(session: Session, items: list[tuple[list[PresenterIn], list[uuid.UUID]]]) -> None:
    """Presenters and cases of the items being written: one query for the people, one for the cases."""
    from app.cases.models import Case

    for row, (presenters, _) in enumerate(items):
        for i, p in enumerate(presenters):
            if p.person_id is None and p.name is None:
                with crud.for_row(row):
                    raise ValidationFailed(("body", "presenters", i), "needs a person_id or a name")
    person_ids = {p.person_id for presenters, _ in items for p in presenters if p.person_id}
    found = set(session.exec(select(Person.id).where(col(Person.id).in_(person_ids)))) if person_ids else set()
    all_cases = {c for _, case_ids in items for c in case_ids}
    live_cases = (
        set(session.exec(select(Case.id).where(col(Case.id).in_(all_cases), col(Case.deleted_at).is_(None))))
        if all_cases
        else set()
    )
    for row, (presenters, case_ids) in enumerate(items):
        with crud.for_row(row):
            for i, p in enumerate(presenters):
                if p.person_id and p.person_id not in found:
                    raise ValidationFailed(("body", "presenters", i, "person_id"), "no such person")
            for i, cid in enumerate(case_ids):
                if cid not in live_cases:
                    raise ValidationFailed(("body", "case_ids", i), "no such case")


def _store_links(
    session: Session, item: AgendaItem, presenters: list[PresenterIn] | None, case_ids: list[uuid.UUID] | None
) -> None:
    if presenters is not None:
        session.execute(delete(ItemPresenter).where(col(ItemPresenter.item_id) == item.id))
    if case_ids is not None:
        session.execute(delete(ItemCase).where(col(ItemCase.item_id) == item.id))
    _add_links(session, item, presenters, case_ids)


def _add_links(
    session: Session, item: AgendaItem, presenters: list[PresenterIn] | None, case_ids: list[uuid.UUID] | None
) -> None:
    for position, p in enumerate(presenters or []):
        name, organisation = (clean(t) if t else None for t in (p.name, p.organisation))
        session.add(
            ItemPresenter(
                item_id=item.id, position=position, person_id=p.person_id, name=name, organisation=organisation
            )
        )
    for cid in dict.fromkeys(case_ids or []):
        session.add(ItemCase(item_id=item.id, case_id=cid))


def _indexed(item: AgendaItem) -> search.Indexed:
    return search.Indexed(item.id, f"{item.number}. {item.title}", item.minutes_text, item.body_id, item.year)


def _index(session: Session, item: AgendaItem) -> None:
    search.index_many(session, SearchKind.agenda_item, [_indexed(item)])


def create(
    session: Session, actor: Actor, data: AgendaItemCreate, source: RecordSource = RecordSource.manual
) -> AgendaItem:
    return create_many(session, actor, [data], source)[0]


def create_many(
    session: Session, actor: Actor, data: list[AgendaItemCreate], source: RecordSource = RecordSource.manual
) -> list[AgendaItem]:
    """New items, written together (an import writes hundreds): the same rules as for one, checked with one
    query per kind of thing they refer to."""
    if not data:
        return []
    found: dict[uuid.UUID, Meeting] = {}
    for d in data:
        if d.meeting_id not in found:
            found[d.meeting_id] = crud.live_or_invalid(session, Meeting, d.meeting_id, "meeting_id", "meeting")
            meetings.require_secretary(session, actor, found[d.meeting_id])
    bodies = meetings.body_ids_of(session, list(found))
    last: dict[uuid.UUID, int] = {}
    numbered: dict[tuple[uuid.UUID, int], int] = {}
    items = []
    for row, d in enumerate(data):
        meeting = found[d.meeting_id]
        body_id = d.body_id or meeting.lead_body_id
        if body_id not in bodies[meeting.id]:
            with crud.for_row(row):
                raise ValidationFailed("body_id", "is not one of the meeting's bodies")
        year = local(meeting.starts_at).year
        number = d.number
        if number is None:  # the body's next number, past those this call has given already
            value = max(int(next_number(session, meeting, body_id).number), numbered.get((body_id, year), 0) + 1)
            numbered[(body_id, year)] = value
            number = str(value)
        position = d.position
        if position is None:
            if meeting.id not in last:
                stmt = select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id)
                last[meeting.id] = session.exec(stmt).one() or 0
            last[meeting.id] += 1
            position = last[meeting.id]
        fields = d.model_dump(exclude={"presenters", "case_ids", "number", "body_id", "position", "public"})
        with crud.for_row(row):
            value_of_number = number_value(number)
        item = AgendaItem(
            **fields,
            body_id=body_id,
            number=number,
            number_value=value_of_number,
            position=position,
            year=year,
            public=True if d.public is None else d.public,
            source=source,
        )
        items.append(item)
    _check_links_of(session, [(d.presenters or [], d.case_ids or []) for d in data])
    _check_unique_numbers(session, items)
    audit = [
        d.model_dump(mode="json", exclude_none=True) | {"number": i.number} for i, d in zip(items, data, strict=True)
    ]
    crud.create_many(session, actor, list(zip(items, audit, strict=True)), KIND)
    for item, d in zip(items, data, strict=True):
        _add_links(session, item, d.presenters or [], d.case_ids or [])
    search.index_many(session, SearchKind.agenda_item, [_indexed(i) for i in items])
    session.flush()
    return items


def update(
    session: Session, actor: Actor, item: AgendaItem, data: AgendaItemUpdate, source: RecordSource = RecordSource.manual
) -> AgendaItem:
    """`source`: who wrote the change (an edit through the API is `manual`, so an import will not overwrite it)."""
    meeting = meetings.get(session, item.meeting_id)
    meetings.require_secretary(session, actor, meeting)
    changes = data.model_dump(exclude_unset=True, exclude={"presenters", "case_ids"})
    diff = crud.apply_changes(item, changes, required={"title", "kind", "number", "public", "position"})
    if "number" in diff:
        item.number_value = number_value(item.number)
        _check_unique_number(session, item)
    _check_links(session, data.presenters or [], data.case_ids or [])
    _store_links(session, item, data.presenters, data.case_ids)
    for field in ("presenters", "case_ids"):
        if field in data.model_fields_set:
            diff[field] = [None, data.model_dump(mode="json")[field]]
    _index(session, item)
    crud.mark_source(item, source, diff)
    crud.save_update(session, actor, item, KIND, diff)
    return item


def remove(session: Session, actor: Actor, item: AgendaItem) -> None:
    from app.decisions.models import Decision

    meetings.require_secretary(session, actor, meetings.get(session, item.meeting_id))
    if session.exec(
        select(Decision.id).where(Decision.agenda_item_id == item.id, col(Decision.deleted_at).is_(None))
    ).first():
        raise Conflict("The item has decisions; delete them first.", code="in_use")
    if session.exec(
        select(Decision.id).where(Decision.report_item_id == item.id, col(Decision.deleted_at).is_(None))
    ).first():
        raise Conflict("An assignment names this item as its report-back; change that first.", code="in_use")
    search.unindex(session, SearchKind.agenda_item, item.id)
    crud.soft_delete(session, actor, item, KIND)
