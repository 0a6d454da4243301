"""HTTP for values one at a time: the list (now or as of a moment), one value, its history, reporting,
correcting and withdrawing one."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, Security

from app.core.deps import PUBLIC_READ, DbSession, PublicReader, require_role
from app.core.http import CSV_LIST, IfMatch, answer, check_if_match, created, list_response, with_etag
from app.core.openapi import problems
from app.core.pagination import ListParams, Page, list_params, page_of, whole_list
from app.core.principal import Actor, Role
from app.metrics import periods, scopes
from app.metrics.models import Gender, ScopeKind, ValueStatus
from app.metrics.values import reads, service
from app.metrics.values.models import ValueCorrection, ValueIn, ValueOut, VersionOut

router = APIRouter(tags=["metrics"])
# Editors report for their own principal, fund managers and admins for any scope (scopes.require_reporter).
Reporter = Annotated[Actor, Security(require_role(Role.editor, Role.fund_manager))]
ValueParams = Annotated[ListParams, Depends(list_params("IndicatorValue", list(reads.SORT), "period"))]
PeriodQuery = Query(pattern=periods.NOTATION, description=periods.DESCRIPTION)
AS_OF = (
    "The figures valid then: a date (the end of that day in Stockholm) or a date-time with its UTC offset. "
    "Values withdrawn since are shown as they were; values created since are absent."
)


@router.get(
    "/indicator-values",
    name="indicator_values_list",
    summary="List indicator values",
    response_model=Page[ValueOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def list_values(
    request: Request,
    session: DbSession,
    _actor: PublicReader,
    params: ValueParams,
    indicator_id: uuid.UUID | None = None,
    scope: Annotated[list[str] | None, Query(max_length=50, description=scopes.DESCRIPTION)] = None,
    scope_kind: ScopeKind | None = None,
    period: Annotated[str | None, PeriodQuery] = None,
    first: Annotated[str | None, Query(alias="from", pattern=periods.NOTATION, description="From this period.")] = None,
    last: Annotated[str | None, Query(alias="to", pattern=periods.NOTATION, description="To this period.")] = None,
    gender: Gender | None = None,
    status: ValueStatus | None = None,
    as_of: Annotated[str | None, Query(max_length=40, description=AS_OF)] = None,
) -> Response:
    """Values by period (then id); `scope` may be repeated. `from`/`to`: values whose period lies within them.
    `as_of`: the figures as they were then. Any reader; also as CSV with the columns a bulk import reads back."""
    flt = reads.ValueFilter(
        indicator_id=indicator_id,
        scopes=reads.ScopeFilter.parse(scope) if scope else None,
        scope_kind=scope_kind,
        period=reads.query_period(period, "period"),
        first=reads.query_period(first, "from"),
        last=reads.query_period(last, "to"),
        gender=gender,
        status=status,
        as_of=reads.parse_as_of(as_of) if as_of is not None else None,
    )
    shape, result = reads.list_values(session, flt, params)
    return list_response(request, page_of(request, result, shape.render), "indicator-values")


@router.post(
    "/indicator-values",
    name="indicator_values_create",
    summary="Report an indicator value",
    status_code=201,
    responses=problems({409: ["value_exists"]}),
)
def create_value(request: Request, session: DbSession, actor: Reporter, body: ValueIn) -> ValueOut:
    """Report one value. 409 `value_exists` (with `existing_id`) when the indicator, scope, period and gender
    already have one: correct that one instead. Editors for their own principal; fund managers and admins for any
    scope (the county's and a sub-region's figures only they)."""
    ident = service.create_value(session, actor, body)
    value = service.get_value(session, ident)
    return created(request, value, reads.one_value(session, ident), "indicator_values_get")  # type: ignore[return-value]


@router.get(
    "/indicator-values/{id}",
    name="indicator_values_get",
    summary="Get an indicator value",
    response_model=ValueOut,
    openapi_extra=PUBLIC_READ,
)
def get_value(id: uuid.UUID, session: DbSession, _actor: PublicReader) -> Response:
    """One live value with its current version, and an `ETag` for a later If-Match (404 once withdrawn: its
    history stays readable). Any reader."""
    value = service.get_value(session, id)
    return answer(reads.one_value(session, value.id), value)


@router.get(
    "/indicator-values/{id}/history",
    name="indicator_values_history",
    summary="The history of an indicator value",
    response_model=Page[VersionOut],
    responses=CSV_LIST,
    openapi_extra=PUBLIC_READ,
)
def value_history(request: Request, id: uuid.UUID, session: DbSession, _actor: PublicReader) -> Response:
    """Every version of a value, oldest first: who recorded it, when, why, and when the next replaced it. Also
    for a withdrawn value (its last version is the withdrawal). Any reader."""
    return list_response(request, whole_list(request, reads.history(session, id)), "indicator-value-history")


@router.patch(
    "/indicator-values/{id}",
    name="indicator_values_update",
    summary="Correct an indicator value",
    response_model=ValueOut,
)
def correct_value(
    id: uuid.UUID,
    body: ValueCorrection,
    session: DbSession,
    actor: Reporter,
    response: Response,
    if_match: IfMatch = None,
) -> dict[str, Any]:
    """A correction: the fields sent change, with a `reason`; the figures before stay in the history. A
    correction that changes nothing writes nothing. Who may report the value's scope."""
    value = service.get_value(session, id)
    check_if_match(if_match, value)
    service.correct_value(session, actor, value, body)
    with_etag(response, value)
    return reads.one_value(session, value.id)


@router.delete(
    "/indicator-values/{id}", name="indicator_values_delete", summary="Withdraw an indicator value", status_code=204
)
def withdraw_value(
    id: uuid.UUID,
    session: DbSession,
    actor: Reporter,
    reason: Annotated[str, Query(min_length=1, max_length=1000, description="Why it is withdrawn (required).")],
    if_match: IfMatch = None,
) -> Response:
    """Withdraw a value: it leaves the list and its GET answers 404, while its history and reads as of an earlier
    moment keep it. Who may report the value's scope."""
    value = service.get_value(session, id)
    check_if_match(if_match, value)
    service.withdraw_value(session, actor, value, reason)
    return Response(status_code=204)
