"""The seeded world (tests/seeded.py) taken once per test process and put back into an empty database for each
test that needs a fresh one: seeding over HTTP costs seconds, putting the rows back a fraction of that.

SQLite: the whole file is copied with SQLite's backup API (its search index and everything else come along).
PostgreSQL: every table's rows are read once and inserted again, parents first, into the truncated database.
The tokens of the world's principals are minted for hours, so a snapshot outlives the tests that reuse it."""

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.core import db as core_db
from app.tables import metadata
from tests.seeded import Headers, World, seed

LIFETIME = timedelta(hours=6)


@dataclass
class _Taken:
    world: dict[str, Any]  # the World's fields but its client
    sqlite_file: Path | None = None
    rows: dict[str, list[dict[str, Any]]] | None = None


_TAKEN: dict[str, _Taken] = {}


def _sqlite_path() -> Path:
    database = core_db.get_engine().url.database
    assert database, "an SQLite file database"
    return Path(database)


def _copy_sqlite(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _take(db_kind: str, world: World) -> _Taken:
    fields = {k: v for k, v in vars(world).items() if k != "client"}
    engine = core_db.get_engine()
    if db_kind == "sqlite":
        engine.dispose()
        copy = _sqlite_path().with_name(f"snapshot-{uuid.uuid4().hex}.sqlite3")
        _copy_sqlite(_sqlite_path(), copy)
        return _Taken(fields, sqlite_file=copy)
    with engine.connect() as conn:
        rows = {t.name: [dict(r._mapping) for r in conn.execute(sa.select(t))] for t in metadata.sorted_tables}
    return _Taken(fields, rows=rows)


def _restore(taken: _Taken) -> None:
    engine = core_db.get_engine()
    if taken.sqlite_file is not None:
        engine.dispose()
        _copy_sqlite(taken.sqlite_file, _sqlite_path())
        return
    assert taken.rows is not None
    with engine.begin() as conn:
        for table in metadata.sorted_tables:
            if taken.rows[table.name]:
                conn.execute(sa.insert(table), taken.rows[table.name])


def fresh_world(client: TestClient, make_principal: Callable[..., Headers], db_kind: str, db_url: str) -> World:
    """The seeded world in this test's (empty) database: seeded the first time in this process, restored after."""

    def long_lived(*grants: str, **kw: Any) -> Headers:
        return make_principal(*grants, lifetime=LIFETIME, **kw)

    taken = _TAKEN.get(db_url)
    if taken is None:
        world = seed(client, long_lived)
        _TAKEN[db_url] = _take(db_kind, world)
        return world
    _restore(taken)
    return World(client, **taken.world)
