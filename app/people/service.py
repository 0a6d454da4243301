"""Rules for people: who may change them, who may see contact data, what must hold (memberships: memberships.py)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, delete, null, or_, update
from sqlmodel import Session, col, select

from app.core import crud
from app.core.db import utcnow
from app.core.errors import Conflict, Forbidden, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import RELATED_TO, attach, execute, shape
from app.core.text import clean, fold, swedish_sort_key
from app.organisations.models import Organisation
from app.people.models import (
    Contact,
    Membership,
    Person,
    PersonAlias,
    PersonCreate,
    PersonOut,
    PersonUpdate,
)

PERSON = "person"
PERSON_SORT: SortColumns = {
    "name": col(Person.name_sort),
    "created_at": col(Person.created_at),
    "updated_at": col(Person.updated_at),
}


def full_name(person: Person) -> str:
    return f"{person.given_name} {person.family_name}"


# `full_name` in SQL, for the reads (of people, and of the memberships that name them).
FULL_NAME_SQL = col(Person.given_name) + " " + col(Person.family_name)
# A person as shown to anyone; the contact data and aliases are filled only for those entitled to them.
PERSON_SHAPE = shape(Person, PersonOut, computed={"name": FULL_NAME_SQL, "contact": null(), "aliases": null()})
_CONTACT: tuple[ColumnElement[Any], ...] = (
    col(Person.email).label("contact_email"),
    col(Person.phone).label("contact_phone"),
)


def _may_edit_people(actor: Actor) -> None:
    if not actor.has_role(Role.secretary):
        raise Forbidden("Only admins and secretaries may change people.", code="missing_role")


@dataclass(frozen=True)
class PersonFilter:
    q: str | None = None
    party: str | None = None
    employer_id: uuid.UUID | None = None
    email: str | None = None
    alias: str | None = None


def get_person(session: Session, ident: uuid.UUID) -> Person:
    return crud.get_live(session, Person, ident, PERSON)


def list_people(session: Session, actor: Actor, flt: PersonFilter, params: ListParams) -> PageResult:
    if (flt.email or flt.alias) and not actor.sees_contact_details:
        raise Forbidden("Searching by e-mail or alias needs a right to personal data.", code="missing_role")
    stmt = _person_select(actor)
    if flt.q:
        needle = fold(flt.q)
        by_name = col(Person.search_text).contains(needle, autoescape=True)
        if actor.sees_contact_details:
            # Aliases are often e-mail addresses: matched only for those who may see them.
            aliased = select(PersonAlias.person_id).where(
                col(PersonAlias.alias_folded).contains(needle, autoescape=True)
            )
            by_name = or_(by_name, col(Person.id).in_(aliased))
        stmt = stmt.where(by_name)
    if flt.party:
        stmt = stmt.where(col(Person.party) == flt.party)
    if flt.employer_id:
        stmt = stmt.where(col(Person.employer_id) == flt.employer_id)
    if flt.email:
        stmt = stmt.where(col(Person.email) == flt.email.strip().lower())
    if flt.alias:
        aliased = select(PersonAlias.person_id).where(PersonAlias.alias_folded == fold(flt.alias))
        stmt = stmt.where(col(Person.id).in_(aliased))
    return read_page(session, PERSON_SHAPE, stmt, params, PERSON_SORT)


def _person_select(actor: Actor) -> Select[Any]:
    """The contact data is not even read for those not entitled to it."""
    stmt = PERSON_SHAPE.select()
    return stmt.add_columns(*_CONTACT) if actor.sees_contact_details else stmt


def person_renderer(actor: Actor) -> Callable[[Row[Any]], dict[str, Any]]:
    """How a row of `_person_select(actor)` is shown to this actor (aliases: see `with_aliases`)."""
    if not actor.sees_contact_details:
        return PERSON_SHAPE.render

    def render(row: Row[Any]) -> dict[str, Any]:
        out = PERSON_SHAPE.render(row)
        out["contact"] = {"email": row.contact_email, "phone": row.contact_phone}
        return out

    return render


_ALIASES = (
    select(col(PersonAlias.person_id), col(PersonAlias.alias))
    .where(col(PersonAlias.person_id).in_(RELATED_TO))
    .order_by(PersonAlias.alias)
)


def with_aliases(session: Session, actor: Actor, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill the aliases of rendered people, in one query whatever their number, for those entitled to them only
    (null for the others)."""
    if not actor.sees_contact_details:
        return people
    return attach(session, people, "aliases", _ALIASES, "person_id", value="alias")


def read_person(session: Session, actor: Actor, person: Person) -> dict[str, Any]:
    """One person as this actor may see them (after a write, in the same transaction, or for a GET)."""
    session.flush()  # sessions do not autoflush (app.core.db): a write must be seen by the read after it
    row = execute(session, _person_select(actor).where(col(Person.id) == person.id)).one()
    return with_aliases(session, actor, [person_renderer(actor)(row)])[0]


def _index_person(person: Person) -> None:
    """Names only: aliases live in their own table, searched only for those entitled to them."""
    person.given_name, person.family_name = clean(person.given_name), clean(person.family_name)
    person.name_sort = swedish_sort_key(f"{person.family_name} {person.given_name}")
    names = [full_name(person), f"{person.family_name} {person.given_name}"]
    person.search_text = "\n".join(fold(n) for n in names)


def _aliases_of(session: Session, person_id: uuid.UUID) -> list[str]:
    rows = session.execute(select(PersonAlias.alias).where(PersonAlias.person_id == person_id)).scalars()
    return list(rows)


def _store_aliases(session: Session, person_id: uuid.UUID, aliases: list[str]) -> None:
    session.execute(delete(PersonAlias).where(col(PersonAlias.person_id) == person_id))
    for alias in dict.fromkeys(clean(a) for a in aliases if clean(a)):
        session.add(PersonAlias(person_id=person_id, alias=alias, alias_folded=fold(alias)))


def _check_person(session: Session, person: Person, aliases: list[str]) -> None:
    _check_people(session, [(person, aliases)])


def _check_people(session: Session, people: list[tuple[Person, list[str]]]) -> None:
    """The rules for people being written, with one query per kind of thing they refer to."""
    for _, aliases in people:
        for i, alias in enumerate(aliases):
            if not clean(alias) or len(alias) > 254:
                raise ValidationFailed(("body", "aliases", i), "must be 1 to 254 characters")
    employers = {p.employer_id for p, _ in people if p.employer_id is not None}
    if employers:
        live = select(Organisation.id).where(
            col(Organisation.id).in_(employers), col(Organisation.deleted_at).is_(None)
        )
        if employers - set(session.execute(live).scalars()):
            raise ValidationFailed("employer_id", "no such organisation")
    for p, _ in people:
        p.email = p.email.lower() if p.email else p.email
    emails: dict[str, uuid.UUID] = {}
    for p, _ in people:
        if p.email and emails.setdefault(p.email, p.id) != p.id:
            raise Conflict(f"Another person has the e-mail {p.email}.", code="duplicate_email", field="email")
    if emails:
        taken = select(Person.id, Person.email).where(
            col(Person.email).in_(emails), col(Person.id).not_in(emails.values()), col(Person.deleted_at).is_(None)
        )
        if row := session.execute(taken).first():
            raise Conflict(f"Another person has the e-mail {row.email}.", code="duplicate_email", field="email")


def create_person(session: Session, actor: Actor, data: PersonCreate) -> Person:
    return create_people(session, actor, [data])[0]


def create_people(session: Session, actor: Actor, data: list[PersonCreate]) -> list[Person]:
    """New people, written together (an import creates hundreds): the same rules as for one, checked for all."""
    _may_edit_people(actor)
    people = []
    for d in data:
        contact = d.contact or Contact()
        person = Person(
            **d.model_dump(exclude={"contact", "aliases"}),
            email=contact.email,
            phone=contact.phone,
            name_sort="",
            search_text="",
        )
        _index_person(person)
        people.append(person)
    _check_people(session, [(p, d.aliases) for p, d in zip(people, data, strict=True)])
    rows = [(p, d.model_dump(mode="json", exclude_none=True)) for p, d in zip(people, data, strict=True)]
    crud.create_many(session, actor, rows, PERSON)
    for p, d in zip(people, data, strict=True):
        for alias in dict.fromkeys(clean(a) for a in d.aliases if clean(a)):
            session.add(PersonAlias(person_id=p.id, alias=alias, alias_folded=fold(alias)))
    session.flush()
    return people


def update_person(session: Session, actor: Actor, person: Person, data: PersonUpdate) -> Person:
    _may_edit_people(actor)
    changes = data.model_dump(exclude_unset=True, exclude={"contact", "aliases"})
    if "contact" in data.model_fields_set:
        # JSON merge: `"contact": null` clears both; a contact object changes only the fields it names.
        contact = data.contact.model_dump(exclude_unset=True) if data.contact else {"email": None, "phone": None}
        changes.update(contact)
    if changes.get("email"):
        changes["email"] = changes["email"].lower()  # stored folded; re-casing one's address is no change
    diff = crud.apply_changes(person, changes, required={"given_name", "family_name"})
    aliases = data.aliases if data.aliases is not None else _aliases_of(session, person.id)
    old_sort = person.name_sort
    _index_person(person)
    _check_person(session, person, aliases)
    if data.aliases is not None:
        _store_aliases(session, person.id, aliases)
        diff["aliases"] = [None, aliases]
    if person.name_sort != old_sort:
        # Memberships embed the person's name: they changed too, for clients syncing with updated_since.
        session.execute(
            update(Membership)
            .where(col(Membership.person_id) == person.id)
            .values(person_sort=person.name_sort, updated_at=utcnow(), version=Membership.version + 1)
        )
    crud.save_update(session, actor, person, PERSON, diff)
    return person


def delete_person(session: Session, actor: Actor, person: Person) -> None:
    _may_edit_people(actor)
    if session.execute(
        select(Membership.id).where(Membership.person_id == person.id, col(Membership.deleted_at).is_(None))
    ).first():
        raise Conflict("The person has memberships; end or delete them first.", code="in_use")
    _store_aliases(session, person.id, [])
    # The name stays (it is in public protocols); contact data and aliases (often e-mail addresses) go.
    crud.soft_delete(session, actor, person, PERSON, scrubbed={"email": None, "phone": None})


def organisation_in_use(session: Session, org_id: uuid.UUID) -> bool:
    live = col(Membership.deleted_at).is_(None)
    uses = select(Membership.id).where(
        live, or_(col(Membership.body_id) == org_id, col(Membership.on_behalf_of_id) == org_id)
    )
    employs = select(Person.id).where(Person.employer_id == org_id, col(Person.deleted_at).is_(None))
    return bool(session.execute(uses).first() or session.execute(employs).first())
