"""Rules for memberships: who sits in which body, in what role and for which period; who may change them.

A membership names its person and bodies: it is read with their names joined in (MEMBERSHIP_SHAPE), and written
after one query per kind of thing a batch refers to (an import infers hundreds).
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import Shape
from app.organisations import service as organisations
from app.organisations.models import Organisation
from app.people.models import (
    VOTING_ROLES,
    Membership,
    MembershipCreate,
    MembershipOut,
    MembershipRole,
    MembershipSource,
    MembershipUpdate,
    Person,
)
from app.people.service import FULL_NAME_SQL

MEMBERSHIP = "membership"

MEMBERSHIP_SORT: SortColumns = {
    "person_name": col(Membership.person_sort),
    "start_date": col(Membership.start_date),
    "created_at": col(Membership.created_at),
    "updated_at": col(Membership.updated_at),
}


def _may_edit_body(actor: Actor, body_id: uuid.UUID) -> None:
    """Secretaries keep the memberships of their own bodies; admins of all."""
    actor.require(Role.secretary, body_id)


_Body, _Behalf = aliased(Organisation), aliased(Organisation)


@dataclass(frozen=True)
class _MembershipShape(Shape):
    """A membership names its person and bodies: they are joined in its row, and shown as nested objects."""

    def select(self) -> Select[Any]:
        return (
            super()
            .select()
            .select_from(Membership)
            .join(Person, col(Person.id) == Membership.person_id)
            .join(_Body, col(_Body.id) == Membership.body_id)
            .outerjoin(_Behalf, col(_Behalf.id) == Membership.on_behalf_of_id)
        )

    def render(self, row: Row[Any] | Mapping[str, Any]) -> dict[str, Any]:
        v = row._mapping if isinstance(row, Row) else row
        behalf = v["on_behalf_of_id"]
        return {
            "id": v["id"],
            "created_at": v["created_at"],
            "updated_at": v["updated_at"],
            "person": {"id": v["person_id"], "name": v["person_name"], "party": v["person_party"]},
            "body": {"id": v["body_id"], "name": v["body_name"]},
            "role": v["role"],
            "on_behalf_of": {"id": behalf, "name": v["on_behalf_of_name"]} if behalf else None,
            "voting_right": v["voting_right"],
            "start_date": v["start_date"],
            "end_date": v["end_date"],
            "source": v["source"],
        }


# Flat, in MembershipOut's order: `render` nests the person's and the bodies' ids and names.
_m = Membership.__table__.c  # type: ignore[attr-defined]
_MEMBERSHIP_COLUMNS: dict[str, Any] = {
    **{name: _m[name] for name in ("id", "created_at", "updated_at", "person_id")},
    "person_name": FULL_NAME_SQL,
    "person_party": col(Person.party),
    "body_id": _m.body_id,
    "body_name": col(_Body.name),
    **{name: _m[name] for name in ("role", "on_behalf_of_id")},
    "on_behalf_of_name": col(_Behalf.name),
    **{name: _m[name] for name in ("voting_right", "start_date", "end_date", "source")},
}
MEMBERSHIP_SHAPE = _MembershipShape(Membership, MembershipOut, _MEMBERSHIP_COLUMNS)


@dataclass(frozen=True)
class MembershipFilter:
    body_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    role: list[MembershipRole] | None = None
    on_behalf_of_id: uuid.UUID | None = None
    on: date | None = None


def get_membership(session: Session, ident: uuid.UUID) -> Membership:
    return crud.get_live(session, Membership, ident, MEMBERSHIP)


def list_memberships(session: Session, flt: MembershipFilter, params: ListParams) -> PageResult:
    stmt = MEMBERSHIP_SHAPE.select()
    if flt.body_id:
        stmt = stmt.where(col(Membership.body_id) == flt.body_id)
    if flt.person_id:
        stmt = stmt.where(col(Membership.person_id) == flt.person_id)
    if flt.role:
        stmt = stmt.where(col(Membership.role).in_(flt.role))
    if flt.on_behalf_of_id:
        stmt = stmt.where(col(Membership.on_behalf_of_id) == flt.on_behalf_of_id)
    if flt.on:
        stmt = stmt.where(*_in_force(flt.on))
    return read_page(session, MEMBERSHIP_SHAPE, stmt, params, MEMBERSHIP_SORT)


def _check_membership(session: Session, m: Membership) -> None:
    _check_memberships(session, [m])


def _overlap(a: Membership, b: Membership) -> bool:
    return (a.person_id, a.body_id, a.role) == (b.person_id, b.body_id, b.role) and (
        (b.end_date is None or b.end_date >= a.start_date) and b.start_date <= (a.end_date or date.max)
    )


def _check_memberships(session: Session, ms: list[Membership]) -> None:
    """The rules for memberships being written, with one query per kind of thing they refer to (the rows read
    first, so the checks of each find them in the session)."""
    ids = {m.person_id for m in ms}
    people = {p.id: p for p in session.execute(select(Person).where(col(Person.id).in_(ids))).scalars()}
    orgs = {m.body_id for m in ms} | {m.on_behalf_of_id for m in ms if m.on_behalf_of_id}
    # Held while checking: the session's identity map keeps only the rows someone refers to.
    _held_orgs = list(session.execute(select(Organisation).where(col(Organisation.id).in_(orgs))).scalars())
    for m in ms:
        person = people.get(m.person_id)
        if person is None or person.deleted_at is not None:
            raise ValidationFailed("person_id", "no such person")
        m.person_sort = person.name_sort
        organisations.require_body(session, m.body_id, "body_id")
        if m.on_behalf_of_id is not None:
            organisations.require_principal(session, m.on_behalf_of_id, "on_behalf_of_id")
        if m.end_date and m.end_date < m.start_date:
            raise ValidationFailed("end_date", "is before start_date")
    others = session.execute(
        select(Membership).where(
            col(Membership.person_id).in_({m.person_id for m in ms}),
            col(Membership.body_id).in_({m.body_id for m in ms}),
            col(Membership.id).not_in([m.id for m in ms]),
            col(Membership.deleted_at).is_(None),
        )
    ).scalars()
    seats: dict[tuple[uuid.UUID, uuid.UUID, MembershipRole], list[Membership]] = {}
    for o in others:
        seats.setdefault((o.person_id, o.body_id, o.role), []).append(o)
    for m in ms:
        same_seat = seats.setdefault((m.person_id, m.body_id, m.role), [])
        if any(_overlap(m, o) for o in same_seat):
            raise Conflict(
                "The person already holds this role in this body for an overlapping period.",
                code="duplicate_membership",
            )
        same_seat.append(m)


def create_membership(
    session: Session, actor: Actor, data: MembershipCreate, source: MembershipSource = MembershipSource.manual
) -> Membership:
    return create_memberships(session, actor, [data], source)[0]


def create_memberships(
    session: Session, actor: Actor, data: list[MembershipCreate], source: MembershipSource = MembershipSource.manual
) -> list[Membership]:
    """New memberships, written together (an import infers hundreds): the same rules as for one."""
    if not data:
        return []
    ms = []
    for d in data:
        _may_edit_body(actor, d.body_id)
        fields = d.model_dump()
        if fields["voting_right"] is None:
            fields["voting_right"] = d.role in VOTING_ROLES
        ms.append(Membership(**fields, source=source, person_sort=""))
    _check_memberships(session, ms)
    rows = [(m, d.model_dump(mode="json", exclude_none=True)) for m, d in zip(ms, data, strict=True)]
    return crud.create_many(session, actor, rows, MEMBERSHIP)


def update_membership(
    session: Session,
    actor: Actor,
    m: Membership,
    data: MembershipUpdate,
    source: MembershipSource = MembershipSource.manual,
) -> Membership:
    """A change by hand makes the membership manual: an import never moves what a coordinator has set."""
    _may_edit_body(actor, m.body_id)
    diff = crud.apply_changes(m, data.model_dump(exclude_unset=True), required={"role", "voting_right", "start_date"})
    if diff:
        diff |= crud.apply_changes(m, {"source": source})
    _check_membership(session, m)
    crud.save_update(session, actor, m, MEMBERSHIP, diff)
    return m


def delete_membership(session: Session, actor: Actor, m: Membership) -> None:
    _may_edit_body(actor, m.body_id)
    crud.soft_delete(session, actor, m, MEMBERSHIP)


def _in_force(on: date) -> tuple[ColumnElement[bool], ...]:
    return (
        col(Membership.start_date) <= on,
        or_(col(Membership.end_date).is_(None), col(Membership.end_date) >= on),
    )
