"""HTTP for people and memberships."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import DbSession, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.core.time import QueryDate
from app.people import memberships, service
from app.people.models import (
    PARTY_PATTERN,
    MembershipCreate,
    MembershipOut,
    MembershipRole,
    MembershipUpdate,
    PersonCreate,
    PersonOut,
    PersonUpdate,
)

people_router = APIRouter(prefix="/people", tags=["people"])
memberships_router = APIRouter(prefix="/memberships", tags=["memberships"])
DUPLICATE_EMAIL = problems({409: ["duplicate_email"]})
DUPLICATE_MEMBERSHIP = problems({409: ["duplicate_membership"]})
PeopleParams = Annotated[ListParams, Depends(list_params("Person", list(service.PERSON_SORT), "name"))]
MembershipParams = Annotated[
    ListParams, Depends(list_params("Membership", list(memberships.MEMBERSHIP_SORT), "person_name"))
]


@people_router.get("", name="people_list", summary="List people", response_model=Page[PersonOut], responses=CSV_LIST)
def list_people(
    request: Request,
    session: DbSession,
    actor: Reader,
    params: PeopleParams,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="Part of the name or an alias.")] = None,
    party: Annotated[str | None, Query(pattern=PARTY_PATTERN)] = None,
    employer_id: uuid.UUID | None = None,
    email: Annotated[str | None, Query(max_length=254, description="Exact e-mail (needs personal-data right).")] = None,
    alias: Annotated[str | None, Query(max_length=254, description="Exact alias (needs personal-data right).")] = None,
) -> Response:
    """People (politicians and officials) with party, title and employer. Searching by e-mail or alias needs a
    right to personal data; `contact` is null for reader-only service clients. Any reader; also as CSV."""
    flt = service.PersonFilter(q, party, employer_id, email, alias)
    result = service.list_people(session, actor, flt, params)
    page = page_of(request, result, service.person_renderer(actor))
    service.with_aliases(session, actor, [p for p in page["data"] if not p.get("deleted")])
    return list_response(request, page, "people")


@people_router.post("", name="people_create", summary="Create a person", status_code=201, responses=DUPLICATE_EMAIL)
def create_person(request: Request, session: DbSession, actor: Reader, body: PersonCreate) -> PersonOut:
    """Create a person. Admins and secretaries. 409 `duplicate_email` when another person has the e-mail."""
    person = service.create_person(session, actor, body)
    return created(request, person, service.read_person(session, actor, person), "people_get")  # type: ignore[return-value]


@people_router.get("/{id}", name="people_get", summary="Get a person", response_model=PersonOut)
def get_person(id: uuid.UUID, session: DbSession, actor: Reader) -> Response:
    """One person. `contact` and `aliases` are null for reader-only service clients. Any reader."""
    person = service.get_person(session, id)
    return answer(service.read_person(session, actor, person), person)


@people_router.patch(
    "/{id}", name="people_update", summary="Update a person", response_model=PersonOut, responses=DUPLICATE_EMAIL
)
def update_person(
    id: uuid.UUID,
    body: PersonUpdate,
    session: DbSession,
    actor: Reader,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent. Admins and secretaries."""
    person = service.get_person(session, id)
    check_if_match(if_match, person)
    service.update_person(session, actor, person, body)
    with_etag(response, person)
    return service.read_person(session, actor, person)


@people_router.delete(
    "/{id}",
    name="people_delete",
    summary="Delete a person (contact data is erased)",
    status_code=204,
    responses=problems({409: ["in_use"]}),
)
def delete_person(id: uuid.UUID, session: DbSession, actor: Reader, if_match: IfMatch = None) -> Response:
    """Delete a person without memberships (409 `in_use` otherwise); their contact data is erased. Admins and
    secretaries."""
    person = service.get_person(session, id)
    check_if_match(if_match, person)
    service.delete_person(session, actor, person)
    return Response(status_code=204)


@memberships_router.get(
    "", name="memberships_list", summary="List memberships", response_model=Page[MembershipOut], responses=CSV_LIST
)
def list_memberships(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: MembershipParams,
    body_id: Annotated[uuid.UUID | None, Query(description="Who sits in this body.")] = None,
    person_id: Annotated[uuid.UUID | None, Query(description="Which bodies this person sits in.")] = None,
    role: Annotated[list[MembershipRole] | None, Query()] = None,
    on_behalf_of_id: uuid.UUID | None = None,
    on: Annotated[QueryDate, Query(description="Only memberships in force on this date.")] = None,
) -> Response:
    """Who sits in which body, in which role, from when to when. `on=` gives the memberships in force on a
    day. Any reader; also as CSV."""
    flt = memberships.MembershipFilter(body_id, person_id, role, on_behalf_of_id, on)
    result = memberships.list_memberships(session, flt, params)
    return list_response(request, page_of(request, result, memberships.MEMBERSHIP_SHAPE.render), "memberships")


@memberships_router.post(
    "", name="memberships_create", summary="Create a membership", status_code=201, responses=DUPLICATE_MEMBERSHIP
)
def create_membership(request: Request, session: DbSession, actor: Reader, body: MembershipCreate) -> MembershipOut:
    """Seat a person in a body (chair, member, substitute, …) from a date. Admins and secretaries of
    that body. 409 `duplicate_membership` when an overlapping one exists."""
    m = memberships.create_membership(session, actor, body)
    return created(request, m, memberships.MEMBERSHIP_SHAPE.one(session, m.id), "memberships_get")  # type: ignore[return-value]


@memberships_router.get("/{id}", name="memberships_get", summary="Get a membership", response_model=MembershipOut)
def get_membership(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One membership. Any reader."""
    m = memberships.get_membership(session, id)
    return answer(memberships.MEMBERSHIP_SHAPE.one(session, m.id), m)


@memberships_router.patch(
    "/{id}",
    name="memberships_update",
    summary="Update a membership",
    response_model=MembershipOut,
    responses=DUPLICATE_MEMBERSHIP,
)
def update_membership(
    id: uuid.UUID,
    body: MembershipUpdate,
    session: DbSession,
    actor: Reader,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent, e.g. `ends_on` when someone leaves. Admins and secretaries of the body."""
    m = memberships.get_membership(session, id)
    check_if_match(if_match, m)
    memberships.update_membership(session, actor, m, body)
    with_etag(response, m)
    return memberships.MEMBERSHIP_SHAPE.one(session, m.id)


@memberships_router.delete("/{id}", name="memberships_delete", summary="Delete a membership", status_code=204)
def delete_membership(id: uuid.UUID, session: DbSession, actor: Reader, if_match: IfMatch = None) -> Response:
    """Delete a membership entered by mistake (to end one, set `ends_on`). Admins and secretaries of the
    body."""
    m = memberships.get_membership(session, id)
    check_if_match(if_match, m)
    memberships.delete_membership(session, actor, m)
    return Response(status_code=204)
