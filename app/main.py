"""The application: routers, middleware, error handling, and the documentation served offline."""

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from app import __doc__ as description
from app.audit.router import router as audit_router
from app.auth.router import router as auth_router
from app.cases.router import router as cases_router
from app.core.idempotency import IdempotencyMiddleware
from app.core.limits import BodyLimitMiddleware
from app.core.openapi import build_openapi
from app.core.parameters import refuse_unknown_parameters
from app.core.problems import install_problem_handlers
from app.core.redaction import install_log_redaction
from app.core.settings import get_settings
from app.decisions.router import router as decisions_router
from app.documents.router import router as documents_router
from app.funds.applications.reviews_router import router as reviews_router
from app.funds.applications.router import router as applications_router
from app.funds.grants.payments_router import router as payments_router
from app.funds.grants.report_values_router import router as report_values_router
from app.funds.grants.reports_router import router as reports_router
from app.funds.grants.router import router as grants_router
from app.funds.open_calls_router import router as open_calls_router
from app.funds.pots_router import router as pots_router
from app.funds.rounds_router import router as rounds_router
from app.funds.router import router as funds_router
from app.health.router import router as health_router
from app.imports.router import router as imports_router
from app.meetings.items_router import router as agenda_items_router
from app.meetings.router import calendar_router
from app.meetings.router import router as meetings_router
from app.metrics.indicators.router import router as indicators_router
from app.metrics.indicators.targets_router import router as targets_router
from app.metrics.queries.router import router as metrics_queries_router
from app.metrics.values.bulk_router import router as indicator_values_bulk_router
from app.metrics.values.router import router as indicator_values_router
from app.organisations.router import router as organisations_router
from app.people.router import memberships_router, people_router
from app.search.router import router as search_router
from app.strategies.router import router as strategies_router

API_PREFIX = "/api/v1"
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
VERSION = "0.1.0"


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app() -> FastAPI:
    settings = get_settings()
    install_log_redaction()
    app = FastAPI(
        title="Samverkan API",
        version=VERSION,
        description=description or "",
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        # Every route: an unknown query parameter or upload field is a 422, as an unknown body field is.
        dependencies=[Depends(refuse_unknown_parameters)],
    )
    install_problem_handlers(app)
    app.include_router(health_router)
    for router in (
        auth_router,
        organisations_router,
        people_router,
        memberships_router,
        strategies_router,
        # Before the meetings router, whose /meetings/{id} would otherwise take /meetings/{id}.ics.
        calendar_router,
        meetings_router,
        agenda_items_router,
        cases_router,
        decisions_router,
        funds_router,
        rounds_router,
        pots_router,
        applications_router,
        grants_router,
        payments_router,
        # Funds: reviews, report-back and open calls.
        reviews_router,
        reports_router,
        open_calls_router,
        indicator_values_router,
        documents_router,
        search_router,
        imports_router,
        # Metrics: bulk imports of values (before any /indicator-values/{id} route).
        indicator_values_bulk_router,
        audit_router,
        # Follow-up metrics: indicators and targets, and the funds link (a report's figures on indicators).
        indicators_router,
        targets_router,
        report_values_router,
        # Metrics: series, attainment, a strategy's indicators and charts.
        metrics_queries_router,
    ):
        app.include_router(router, prefix=API_PREFIX)

    app.mount("/static/docs", StaticFiles(directory=DOCS_ASSETS), name="docs_assets")
    _add_docs(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    # Outermost last: the body limit runs first, then idempotency sees a bounded body.
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key"],
            # What a browser client must read: file names of exports, replays, back-off, new objects, versions.
            expose_headers=["Content-Disposition", "Idempotent-Replayed", "Retry-After", "Location", "ETag"],
        )
    return app


def _add_docs(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Samverkan API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="Samverkan API",
            redoc_js_url="/static/docs/redoc.standalone.js",
            redoc_favicon_url="/static/docs/favicon.png",
            with_google_fonts=False,
        )


app = create_app()
