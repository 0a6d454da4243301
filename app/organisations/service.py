"""Rules for organisations: codes and numbers unique among live ones, parents without cycles, names kept."""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, delete, null, or_
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Conflict, ValidationFailed
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import RELATED_TO, attach, id_array, shape
from app.core.text import clean, fold, swedish_sort_key
from app.organisations.models import (
    BODY_KINDS,
    PRINCIPAL_KINDS,
    AreaMember,
    FormerName,
    Organisation,
    OrganisationCreate,
    OrganisationKind,
    OrganisationName,
    OrganisationOut,
    OrganisationUpdate,
)

KIND = "organisation"
SORT_COLUMNS: SortColumns = {
    "name": col(Organisation.name_sort),
    "created_at": col(Organisation.created_at),
    "updated_at": col(Organisation.updated_at),
}
REQUIRED = frozenset({"kind", "name", "is_principal"})
# An organisation as it is shown: a sub-region's members come in the row's own statement; the former names are
# objects, not ids, so `with_former_names` fills them for a whole page in one query.
SHAPE = shape(
    Organisation,
    OrganisationOut,
    computed={
        "former_names": null(),
        "member_ids": id_array(
            select(AreaMember.organisation_id)
            .where(AreaMember.area_id == Organisation.id)
            .order_by(col(AreaMember.organisation_id))
        ),
    },
)


@dataclass(frozen=True)
class OrganisationFilter:
    kind: list[OrganisationKind] | None = None
    is_principal: bool | None = None
    q: str | None = None
    parent_id: uuid.UUID | None = None
    member_of: uuid.UUID | None = None
    municipality_code: str | None = None
    active_on: date | None = None


def get(session: Session, ident: uuid.UUID) -> Organisation:
    return crud.get_live(session, Organisation, ident, KIND)


def list_page(session: Session, flt: OrganisationFilter, params: ListParams) -> PageResult:
    stmt = SHAPE.select()
    if flt.kind:
        stmt = stmt.where(col(Organisation.kind).in_(flt.kind))
    if flt.is_principal is not None:
        stmt = stmt.where(col(Organisation.is_principal) == flt.is_principal)
    if flt.q:
        stmt = stmt.where(col(Organisation.search_text).contains(fold(flt.q), autoescape=True))
    if flt.parent_id:
        stmt = stmt.where(col(Organisation.parent_id) == flt.parent_id)
    if flt.member_of:
        members = select(AreaMember.organisation_id).where(AreaMember.area_id == flt.member_of)
        stmt = stmt.where(col(Organisation.id).in_(members))
    if flt.municipality_code:
        stmt = stmt.where(col(Organisation.municipality_code) == flt.municipality_code)
    if flt.active_on:
        d = flt.active_on
        stmt = stmt.where(
            or_(col(Organisation.start_date).is_(None), col(Organisation.start_date) <= d),
            or_(col(Organisation.end_date).is_(None), col(Organisation.end_date) >= d),
        )
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


def require_body(session: Session, body_id: uuid.UUID, loc: str | tuple[str | int, ...]) -> Organisation:
    """Meetings, memberships, assignments and cases belong to bodies: a joint body or a working group."""
    body = crud.live_or_invalid(session, Organisation, body_id, loc, "organisation")
    if body.kind not in BODY_KINDS:
        raise ValidationFailed(loc, "is not a body (joint body or working group)")
    return body


def require_principal(session: Session, org_id: uuid.UUID, loc: str | tuple[str | int, ...]) -> Organisation:
    org = crud.live_or_invalid(session, Organisation, org_id, loc, "organisation")
    if not org.is_principal:
        raise ValidationFailed(loc, "is not a principal (region or municipality)")
    return org


_FORMER_NAMES = (
    sql_select(
        col(OrganisationName.organisation_id),
        col(OrganisationName.name),
        col(OrganisationName.valid_from),
        col(OrganisationName.valid_to),
    )
    .where(col(OrganisationName.organisation_id).in_(RELATED_TO))
    .order_by(col(OrganisationName.valid_to).desc(), OrganisationName.name)
)


def with_former_names(session: Session, orgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill the former names of rendered organisations (latest first), in one query whatever their number."""
    return attach(session, orgs, "former_names", _FORMER_NAMES, "organisation_id")


def render(session: Session, org: Organisation) -> dict[str, Any]:
    return with_former_names(session, [SHAPE.one(session, org.id)])[0]


def _former_names(session: Session, org_id: uuid.UUID) -> list[FormerName]:
    rows = session.execute(select(OrganisationName).where(OrganisationName.organisation_id == org_id)).scalars()
    return [FormerName(name=r.name, valid_from=r.valid_from, valid_to=r.valid_to) for r in rows]


def _index_names(org: Organisation, former: list[FormerName]) -> None:
    org.name = clean(org.name)
    if org.short_name:
        org.short_name = clean(org.short_name)
    org.name_sort = swedish_sort_key(org.name)
    names = [org.name, org.short_name or "", *(f.name for f in former)]
    org.search_text = "\n".join(fold(n) for n in names if n)


def _check(session: Session, org: Organisation, member_ids: list[uuid.UUID] | None) -> None:
    """The rules an organisation must satisfy after any write; each names the field it concerns."""
    if org.is_principal and org.kind not in PRINCIPAL_KINDS:
        raise ValidationFailed("is_principal", "only a region or a municipality can be a principal")
    if org.start_date and org.end_date and org.end_date < org.start_date:
        raise ValidationFailed("end_date", "is before start_date")
    if org.municipality_code and org.kind is not OrganisationKind.municipality:
        raise ValidationFailed("municipality_code", "only municipalities have a kommunkod")
    if org.municipality_code and org.county_code and not org.municipality_code.startswith(org.county_code):
        raise ValidationFailed("municipality_code", f"does not lie in county {org.county_code}")
    if member_ids and org.kind is not OrganisationKind.sub_region:
        raise ValidationFailed("member_ids", "only sub-regions have members")
    _check_parent(session, org)
    _check_unique(session, org)
    if member_ids:
        _check_members(session, member_ids)


def _check_parent(session: Session, org: Organisation) -> None:
    seen = {org.id}
    parent_id = org.parent_id
    while parent_id is not None:
        if parent_id in seen:
            raise ValidationFailed("parent_id", "would make the organisation its own ancestor")
        parent = crud.live_or_invalid(session, Organisation, parent_id, "parent_id", "organisation")
        seen.add(parent_id)
        parent_id = parent.parent_id


def _check_unique(session: Session, org: Organisation) -> None:
    live_others = and_(col(Organisation.deleted_at).is_(None), col(Organisation.id) != org.id)
    for field in ("org_number", "municipality_code"):
        value = getattr(org, field)
        if (
            value
            and session.execute(
                select(Organisation.id).where(live_others, getattr(Organisation, field) == value)
            ).first()
        ):
            raise Conflict(f"Another organisation has {field} {value}.", code=f"duplicate_{field}", field=field)
    # Equal up to case: the first two parts of the sort key (see swedish_sort_key).
    folded_key = org.name_sort.rsplit("\x01", 1)[0] + "\x01"
    same_name = select(Organisation.id).where(
        live_others,
        col(Organisation.name_sort).startswith(folded_key, autoescape=True),
    )
    if session.execute(same_name).first():
        raise Conflict(f"Another organisation is named {org.name!r}.", code="duplicate_name", field="name")


def _check_members(session: Session, member_ids: list[uuid.UUID]) -> None:
    found = session.execute(
        select(Organisation.id, Organisation.kind).where(
            col(Organisation.id).in_(member_ids),
            col(Organisation.deleted_at).is_(None),
        )
    ).all()
    kinds = dict(found)
    for i, mid in enumerate(member_ids):
        if mid not in kinds:
            raise ValidationFailed(("body", "member_ids", i), "no such organisation")
        if kinds[mid] not in PRINCIPAL_KINDS:
            raise ValidationFailed(("body", "member_ids", i), "members of a sub-region are principals")


def _store_names(session: Session, org_id: uuid.UUID, former: list[FormerName]) -> None:
    session.execute(delete(OrganisationName).where(col(OrganisationName.organisation_id) == org_id))
    for f in former:
        session.add(
            OrganisationName(organisation_id=org_id, name=clean(f.name), valid_from=f.valid_from, valid_to=f.valid_to)
        )


def _store_members(session: Session, area_id: uuid.UUID, member_ids: list[uuid.UUID]) -> None:
    session.execute(delete(AreaMember).where(col(AreaMember.area_id) == area_id))
    for mid in dict.fromkeys(member_ids):
        session.add(AreaMember(area_id=area_id, organisation_id=mid))


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("website") is not None:
        fields["website"] = str(fields["website"])
    return fields


def create(session: Session, actor: Actor, data: OrganisationCreate) -> Organisation:
    actor.require(Role.admin)
    fields = _columns(data.model_dump(exclude={"former_names", "member_ids"}))
    org = Organisation(**fields, name_sort="", search_text="")
    _index_names(org, data.former_names)
    _check(session, org, data.member_ids)
    crud.create(session, actor, org, KIND, data.model_dump(exclude_none=True, mode="json"))
    _store_names(session, org.id, data.former_names)
    _store_members(session, org.id, data.member_ids)
    session.flush()
    return org


def update(session: Session, actor: Actor, org: Organisation, data: OrganisationUpdate) -> Organisation:
    actor.require(Role.admin)
    changes = _columns(data.model_dump(exclude_unset=True, exclude={"former_names", "member_ids", "renamed_on"}))
    renamed_on = data.renamed_on
    former_given = data.former_names if "former_names" in data.model_fields_set else None
    member_ids = data.member_ids if "member_ids" in data.model_fields_set else None
    former = list(former_given) if former_given is not None else _former_names(session, org.id)

    old_name = org.name
    diff = crud.apply_changes(org, changes, REQUIRED)
    if "name" in diff and former_given is None:
        _keep_former_name(former, old_name, org.start_date, renamed_on)
    _index_names(org, former)
    ids = member_ids or [] if member_ids is not None else None
    _check(session, org, ids)
    if former_given is not None or "name" in diff:
        _store_names(session, org.id, former)
        diff["former_names"] = [None, [f.model_dump(mode="json") for f in former]]
    if ids is not None:
        _store_members(session, org.id, ids)
        diff["member_ids"] = [None, [str(i) for i in ids]]
    crud.save_update(session, actor, org, KIND, diff)
    return org


def _keep_former_name(former: list[FormerName], old_name: str, start: date | None, renamed_on: date | None) -> None:
    """A rename keeps the old name in the history, so the body is found by either.

    The old name was in use from the start date to the day before the rename. A rename given as taking effect on
    or before the start date would leave it no day at all: that is the client's mistake, named. Without
    `renamed_on` the rename is today's; before the body has started (or on its first day) that is a correction of
    a name never in use, so nothing is kept.
    """
    if renamed_on is not None and start is not None and renamed_on <= start:
        raise ValidationFailed(
            "renamed_on", f"must be after the organisation's start_date ({start.isoformat()})", type="date_order"
        )
    until = renamed_on or date.today()
    if start is not None and until <= start:
        return
    former.insert(0, FormerName(name=old_name, valid_from=start, valid_to=until - timedelta(days=1)))


def remove(session: Session, actor: Actor, org: Organisation) -> None:
    actor.require(Role.admin)
    children = select(Organisation.id).where(Organisation.parent_id == org.id, col(Organisation.deleted_at).is_(None))
    if session.execute(children).first():
        raise Conflict("The organisation has live child organisations.", code="in_use")
    from app.people.service import organisation_in_use

    if organisation_in_use(session, org.id):
        raise Conflict("The organisation has current memberships or people.", code="in_use")
    crud.soft_delete(session, actor, org, KIND)
