"""Liveness and readiness."""

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.core import db as core_db


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_readyz_is_503_when_migrations_are_behind(client: TestClient) -> None:
    with core_db.get_engine().begin() as conn:
        head = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'older'"))
    try:
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["code"] == "migrations_pending"
    finally:
        with core_db.get_engine().begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = :head"), {"head": head})


def test_readyz_is_503_when_the_database_is_unreachable(app: Any, tmp_path: Path, monkeypatch: Any) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    engine = sa.create_engine(f"sqlite:///{missing}/db.sqlite3")
    monkeypatch.setattr(core_db, "get_engine", lambda: engine)
    import app.health.router as health

    monkeypatch.setattr(health, "get_engine", lambda: engine)
    r = TestClient(app).get("/readyz")
    assert r.status_code == 503
    assert r.json()["code"] == "database_unavailable"
