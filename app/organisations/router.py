"""HTTP for organisations: parse, call the service, shape the answer."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from app.core.deps import Admin, DbSession, Reader
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.core.time import QueryDate
from app.organisations import service
from app.organisations.models import OrganisationCreate, OrganisationKind, OrganisationOut, OrganisationUpdate

router = APIRouter(prefix="/organisations", tags=["organisations"])
DUPLICATES = problems({409: ["duplicate_name", "duplicate_org_number", "duplicate_municipality_code"]})
IN_USE = problems({409: ["in_use"]})
Params = Annotated[ListParams, Depends(list_params("Organisation", list(service.SORT_COLUMNS), "name"))]


@router.get(
    "",
    name="organisations_list",
    summary="List organisations",
    response_model=Page[OrganisationOut],
    responses=CSV_LIST,
)
def list_organisations(
    request: Request,
    session: DbSession,
    _actor: Reader,
    params: Params,
    kind: Annotated[list[OrganisationKind] | None, Query(description="One or more kinds.")] = None,
    is_principal: Annotated[bool | None, Query(description="Only principals (huvudmän), or only others.")] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Part of a current or former name.")
    ] = None,
    parent_id: uuid.UUID | None = None,
    member_of: Annotated[uuid.UUID | None, Query(description="Members of this sub-region.")] = None,
    municipality_code: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
    active_on: Annotated[QueryDate, Query(description="Only those existing on this date.")] = None,
) -> Response:
    """Organisations: the region and the municipalities (principals), sub-regions, joint bodies, working groups
    and external parties. `q=` finds a body by its current or a former name. Any reader; also as CSV."""
    flt = service.OrganisationFilter(kind, is_principal, q, parent_id, member_of, municipality_code, active_on)
    result = service.list_page(session, flt, params)
    page = page_of(request, result, service.SHAPE.render)
    service.with_former_names(session, [o for o in page["data"] if not o.get("deleted")])
    return list_response(request, page, "organisations")


@router.post("", name="organisations_create", summary="Create an organisation", status_code=201, responses=DUPLICATES)
def create_organisation(
    request: Request, session: DbSession, actor: Admin, body: OrganisationCreate
) -> OrganisationOut:
    """Create an organisation. Admins only. 409 `duplicate_name`, `duplicate_org_number` or
    `duplicate_municipality_code` when another live organisation has it."""
    org = service.create(session, actor, body)
    return created(request, org, service.render(session, org), "organisations_get")  # type: ignore[return-value]


@router.get("/{id}", name="organisations_get", summary="Get an organisation", response_model=OrganisationOut)
def get_organisation(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One organisation, with its former names. Any reader."""
    org = service.get(session, id)
    return answer(service.render(session, org), org)


@router.patch(
    "/{id}",
    name="organisations_update",
    summary="Update an organisation",
    response_model=OrganisationOut,
    responses=DUPLICATES,
)
def update_organisation(
    id: uuid.UUID,
    body: OrganisationUpdate,
    session: DbSession,
    actor: Admin,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """Change the fields sent. A new `name` with `renamed_on` keeps the old name in the history. Admins
    only."""
    org = service.get(session, id)
    check_if_match(if_match, org)
    service.update(session, actor, org, body)
    with_etag(response, org)
    return service.render(session, org)


@router.delete(
    "/{id}", name="organisations_delete", summary="Delete an organisation", status_code=204, responses=IN_USE
)
def delete_organisation(id: uuid.UUID, session: DbSession, actor: Admin, if_match: IfMatch = None) -> Response:
    """Delete an organisation without live child organisations, memberships or people (409 `in_use`
    otherwise). Admins only."""
    org = service.get(session, id)
    check_if_match(if_match, org)
    service.remove(session, actor, org)
    return Response(status_code=204)
