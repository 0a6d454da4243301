"""Liveness and readiness, for load balancers and orchestrators."""

from functools import lru_cache
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request

from app.core.db import get_engine
from app.core.deps import PUBLIC
from app.core.migrations import alembic_config
from app.core.openapi import problems
from app.core.problems import problem

router = APIRouter(tags=["health"])


@lru_cache
def _code_heads() -> frozenset[str]:
    """The migration heads this code expects; read from disk once."""
    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


@router.get("/healthz", name="health_live", summary="The process is alive", openapi_extra=PUBLIC)
def healthz() -> dict[str, str]:
    """Liveness: the process answers. Public; for load balancers."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    name="health_ready",
    summary="The database is reachable and migrated to head",
    openapi_extra=PUBLIC,
    responses=problems({503: ["database_unavailable", "migrations_pending"]}, {503: "Not ready"}),
)
def readyz(request: Request) -> Any:
    """Readiness: the database is reachable and migrated to the code's head; 503 otherwise (code
    `database_unavailable` or `migrations_pending`). Public."""
    heads = _code_heads()
    try:
        with get_engine().connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    except Exception as exc:  # any failure to reach the database means "not ready", not a crash
        detail = f"The database cannot be reached ({type(exc).__name__})."
        return problem(request, 503, "database_unavailable", "Not ready", detail)
    if current != heads:
        detail = f"The database is at {sorted(current)}, the code expects {sorted(heads)}."
        return problem(request, 503, "migrations_pending", "Not ready", detail)
    return {"status": "ready", "revision": sorted(current)}
