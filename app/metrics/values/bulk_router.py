"""HTTP for the bulk imports of values: many values (JSON or the list's CSV) and a saved Kolada answer."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.core.deps import DbSession, ParsedFirstReporter, ParsedFirstSession, require_role
from app.core.errors import PayloadTooLarge, UnsupportedMediaType
from app.core.openapi import problems, read_body_models
from app.core.principal import Actor, Role
from app.core.settings import get_settings
from app.metrics.values import bulk, csvfile, kolada
from app.metrics.values.bulk_models import KoladaAnswer, KoladaOut, ValueImport, ValueImportCsv, ValueImportOut
from app.metrics.values.problems import MAX_LISTED

router = APIRouter(tags=["metrics"])
# Editors report for their own principal, fund managers and admins for any scope: the store checks each scope.
Reporter = Annotated[Actor, Security(require_role(Role.fund_manager, Role.editor))]
Reason = Annotated[
    str | None,
    Query(min_length=1, max_length=1000, description="Why existing values are corrected (required when any is)."),
]
DryRun = Annotated[bool, Query(description="Check and count only; write nothing.")]
CSV = "text/csv"
REFUSED = {
    403: "A value's scope is one the caller may not report for (editors: their own principal only).",
    415: "The body is neither JSON nor CSV (`Content-Type: text/csv`).",
    422: 'Bad rows, all of them: `errors[].loc` is `["body", "values", i, field]` (JSON) or '
    '`["body", "line", n, column]` (CSV; the header is line 1). Nothing was imported.',
}


async def _body(request: Request) -> bytes:
    limit = get_settings().max_upload_bytes
    data = await request.body()
    if len(data) > limit:
        raise PayloadTooLarge(f"The request body is larger than the limit of {limit} bytes.")
    return data


# Read by a dependency (the route itself is synchronous, as its database work is), after the caller's role.
RawBody = Annotated[bytes, Depends(_body)]


def _json_rows(data: bytes) -> ValueImport:
    try:
        return ValueImport.model_validate_json(data or b"{}")
    except ValidationError as exc:
        errors = exc.errors(include_url=False)[:MAX_LISTED]
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None


@router.post(
    "/indicator-values/import",
    name="indicator_values_import",
    summary="Import many values (JSON or CSV)",
    response_model=ValueImportOut,
    responses=problems({415: ["unsupported_media_type"]}, REFUSED),
    openapi_extra=read_body_models({"application/json": ValueImport, CSV: ValueImportCsv}),
)
def import_values(
    request: Request,
    actor: ParsedFirstReporter,
    session: ParsedFirstSession,
    data: RawBody,
    reason: Reason = None,
    dry_run: DryRun = False,
) -> ValueImportOut:
    """Create, correct or leave unchanged many values at once, all or nothing: the same file twice changes
    nothing the second time. JSON (`{"reason", "dry_run", "values": [...]}`) or the values list's own CSV export
    (`Content-Type: text/csv`, `;`, UTF-8 with or without a BOM, a decimal comma or point; `reason` and `dry_run`
    in the query). Correcting a value needs a `reason`. Every bad row is named in one 422, by its line (CSV) or
    position (JSON). Editors for their own principal; fund managers and admins for any scope."""
    kind = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if kind == CSV:
        rows = csvfile.read(data)
        drafts, found, lines = rows.drafts, rows.problems, rows.lines
        where: bulk.Locator = lambda i, field: ("body", "line", lines[i], field)  # noqa: E731
    elif kind == "application/json" or kind.endswith("+json"):
        body = _json_rows(data)
        drafts, found = bulk.drafts_of(body.values), []
        reason, dry_run = body.reason or reason, body.dry_run or dry_run
        where = lambda i, field: ("body", "values", i, field)  # noqa: E731
    else:
        raise UnsupportedMediaType(f"Send JSON or CSV (Content-Type: {CSV}), not {kind}.")
    # The file is read: the writing transaction (SQLite's write lock) begins with the first statement, here.
    outcome = bulk.import_drafts(session, actor, drafts, found, where, reason=reason, dry_run=dry_run)
    return bulk.answer(outcome, dry_run)


@router.post(
    "/indicator-values/kolada",
    name="indicator_values_kolada",
    summary="Import a saved Kolada answer",
    response_model=KoladaOut,
    responses=problems({}, {k: v for k, v in REFUSED.items() if k != 415}),
)
def import_kolada(
    body: KoladaAnswer, actor: Reporter, session: DbSession, reason: Reason = None, dry_run: DryRun = False
) -> KoladaOut:
    """Import the values of a saved answer of Kolada's v3 API for the indicators that carry its KPI id
    (`kolada_kpi`): municipality codes become our principals, `0024` the county; K, M, T become female, male,
    total; source "Kolada". Figures of other KPIs and municipalities, without a value, or that the indicator's
    rules refuse are skipped and counted. Correcting a value needs a `reason`. Editors for their own principal;
    fund managers and admins for any scope."""
    return kolada.import_answer(session, actor, body, reason=reason, dry_run=dry_run)
