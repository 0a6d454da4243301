"""The read-path data set (bench/dataset.py) into a migrated database: SQLAlchemy Core, in batches, and a cached
SQLite file per version of the generator and of the schema."""

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from app.auth.models import Principal, RoleGrant
from app.decisions.models import Decision, RecommendationResponse
from app.documents.models import Document, DocumentLink
from app.meetings.models import AgendaItem, Attendance, ItemPresenter, Meeting, MeetingAdjuster, MeetingBody
from app.organisations.models import Organisation
from app.people.models import Person
from bench import dataset

# Bump when the rows change in a way the files' digests would not show.
VERSION = 1
ROOT = Path(__file__).resolve().parents[1]
BATCH = 5000
# Parents before children: a batch is written in this order, and foreign keys are enforced.
TABLES: dict[str, sa.Table] = {
    t.__tablename__: t.__table__  # type: ignore[union-attr]
    for t in (
        Organisation,
        Person,
        Principal,
        RoleGrant,
        Meeting,
        MeetingBody,
        MeetingAdjuster,
        AgendaItem,
        ItemPresenter,
        Decision,
        RecommendationResponse,
        Attendance,
        Document,
        DocumentLink,
    )
}


def insert(engine: sa.Engine, meetings: int, people: int) -> None:
    """Every row of the data set, in one transaction."""
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    waiting = 0
    with engine.begin() as conn:

        def flush() -> None:
            for name, batch in pending.items():
                if batch:
                    conn.execute(TABLES[name].insert(), batch)
                    pending[name] = []

        for name, row in dataset.rows(meetings, people):
            pending[name].append(row)
            waiting += 1
            if waiting >= BATCH:
                flush()
                waiting = 0
        flush()


def migrations_digest(versions: Path) -> bytes:
    """The migrations' own text: a migration not yet released may still change under the same revision id."""
    return b"".join(f.read_bytes() for f in sorted(versions.glob("*.py")))


def cache_key(meetings: int, people: int) -> str:
    """What the cached file depends on: the generator (its files) and the schema (the migrations' head and text)."""
    head = ScriptDirectory.from_config(Config(str(ROOT / "alembic.ini"))).get_current_head()
    sources = b"".join(Path(f).read_bytes() for f in (__file__, dataset.__file__))
    sources += migrations_digest(ROOT / "migrations" / "versions")
    return f"v{VERSION}-{head}-{hashlib.sha256(sources).hexdigest()[:12]}-{meetings}m-{people}p"


def sqlite_file(cache_dir: Path, meetings: int, people: int, make: Callable[[Path], None]) -> Path:
    """The cached SQLite file for this data set, made by `make(path)` when missing."""
    path = cache_dir / f"read-path-{cache_key(meetings, people)}.sqlite3"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        make(partial)
        shutil.move(partial, path)
    return path
