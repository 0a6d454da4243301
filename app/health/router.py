"""Liveness and readiness, for load balancers and orchestrators."""

from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.core.db import get_engine
from app.core.deps import PUBLIC
from app.core.migrations import alembic_config

router = APIRouter(tags=["health"])


@router.get("/healthz", name="health_live", summary="The process is alive", openapi_extra=PUBLIC)
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    name="health_ready",
    summary="The database is reachable and migrated to head",
    openapi_extra=PUBLIC,
    responses={503: {"description": "Not ready"}},
)
def readyz() -> Any:
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    try:
        with get_engine().connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # any failure to reach the database means "not ready", not a crash
        return JSONResponse({"status": "unavailable", "detail": type(exc).__name__}, status_code=503)
    if current != heads:
        return JSONResponse(
            {"status": "migrating", "database": sorted(current), "code": sorted(heads)}, status_code=503
        )
    return {"status": "ready", "revision": sorted(current)}
