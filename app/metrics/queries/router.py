"""HTTP for reading the figures: series, target attainment, a strategy's indicators, and the chart."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from app.core.deps import PUBLIC_READ, DbSession, PublicReader, UrlTokenReader
from app.core.reads import JSONBody
from app.metrics import periods, scopes
from app.metrics.models import Gender
from app.metrics.queries import answers, chart, overview
from app.metrics.queries.models import AttainmentOut, GenderName, SeriesOut, StrategyIndicatorsOut

router = APIRouter(tags=["metrics"])

_RANGE = "Every period of `from`'s granularity from `from` through `to` (at most 240)."
From = Annotated[str, Query(alias="from", max_length=7, description=f"The first period. {periods.DESCRIPTION}")]
To = Annotated[str, Query(max_length=7, description=f"The last period (its end bounds the range). {_RANGE}")]
Scopes = Annotated[list[str] | None, Query(description=f"Repeatable: {scopes.DESCRIPTION} Default: the county.")]
GenderQuery = Annotated[GenderName, Query(description="`female` or `male` only for an indicator split by gender.")]
IfNoneMatch = Annotated[
    str | None, Header(alias="If-None-Match", max_length=500, description="The chart's ETag: 304 when unchanged.")
]
SVG = "image/svg+xml"


@router.get(
    "/indicators/{id}/series",
    name="indicators_series",
    summary="An indicator's series per scope",
    response_model=SeriesOut,
    openapi_extra=PUBLIC_READ,
)
def get_series(
    id: uuid.UUID,
    session: DbSession,
    _actor: PublicReader,
    from_: From,
    to: To,
    scope: Scopes = None,
    gender: GenderQuery = "total",
) -> Response:
    """One point per period for each scope. A sub-region's or the county's point is its reported value
    (`basis: reported`) or else computed from its members' values by the indicator's aggregation (`aggregated`):
    a sum, a share recomputed from the summed numerators and denominators (never an average of shares), a mean
    (weighted where every value has a weight); `none` computes nothing. `missing` names the members without a
    value. Each point carries the target that applies then, `attainment` and `distance` (value − target).
    Any reader."""
    figures = answers.read_series(session, id, scope, from_, to, Gender(gender))
    return JSONBody(answers.series_answer(figures))


@router.get(
    "/indicators/{id}/attainment",
    name="indicators_attainment",
    summary="Target attainment per scope and period",
    response_model=AttainmentOut,
    openapi_extra=PUBLIC_READ,
)
def get_attainment(
    id: uuid.UUID,
    session: DbSession,
    _actor: PublicReader,
    from_: From,
    to: To,
    scope: Annotated[
        list[str] | None,
        Query(description=f"Repeatable: {scopes.DESCRIPTION} Default: every scope with a target."),
    ] = None,
    gender: GenderQuery = "total",
) -> Response:
    """For each period of the range that has a target: the scope's value (reported or aggregated, as in the
    series), `met`, `not_met` or `no_data`, and the distance to the target (value − target). Any reader."""
    return JSONBody(answers.attainment_answer(session, id, scope, from_, to, Gender(gender)))


@router.get(
    "/strategies/{id}/indicators",
    name="strategies_indicators",
    summary="A strategy's indicators with their latest value against the target",
    response_model=StrategyIndicatorsOut,
    openapi_extra=PUBLIC_READ,
)
def get_strategy_indicators(
    id: uuid.UUID,
    session: DbSession,
    _actor: PublicReader,
    scope: Annotated[str, Query(max_length=40, description=scopes.DESCRIPTION)] = "county",
) -> Response:
    """The indicators that follow up the strategy, by name, each with its latest period in the scope (reported
    or aggregated), the target that applies then and its attainment. Any reader."""
    return JSONBody(overview.strategy_indicators(session, id, scope))


@router.get(
    "/indicators/{id}/chart.svg",
    name="indicators_chart",
    summary="An indicator's series as an SVG chart",
    response_class=Response,
    responses={
        200: {"content": {SVG: {"schema": {"type": "string"}}}, "description": "The chart (SVG, no JavaScript)."},
        304: {"description": "Not modified: the chart of `If-None-Match` is still the current one."},
    },
    openapi_extra=PUBLIC_READ,
)
def get_chart(
    id: uuid.UUID,
    session: DbSession,
    _actor: UrlTokenReader,
    from_: From,
    to: To,
    scope: Scopes = None,
    gender: GenderQuery = "total",
    if_none_match: IfNoneMatch = None,
) -> Response:
    """The series as a line chart: one line per scope, a dashed target line ("Målvärde") per scope with a
    target, Swedish labels and numbers (1 234,5). No JavaScript: it reads well in an `<img>`, which cannot send a
    header: an API token may come as `token=` (or none, when public reading is on). The `ETag` is the
    digest of the data drawn; send it as `If-None-Match` for a 304. Any reader."""
    data = chart.chart_data(answers.read_series(session, id, scope, from_, to, Gender(gender)), Gender(gender))
    etag = data.etag()
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if chart.is_fresh(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(chart.drawn(data, etag), media_type=SVG, headers=headers)
