"""Engine, sessions and the column types every table shares."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, Engine, MetaData, Text, TypeDecorator, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import Dialect
from sqlmodel import Session, SQLModel

from app.core.settings import get_settings
from app.core.text import swedish_sort_key
from app.core.textsearch import register_sqlite_functions

# Named constraints make SQLite batch migrations and `alembic check` deterministic.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite drops the offset, so it is put back on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Python's sqlite3 opens its own transactions lazily; taking them ourselves lets
    # `BEGIN IMMEDIATE` be used where a read-modify-write needs the write lock first.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    register_sqlite_functions(dbapi_connection)


WRITE_LOCK = "samverkan_write_lock"


def _sqlite_begin(conn: Any) -> None:
    # A writing transaction takes SQLite's write lock at its start: a deferred BEGIN that reads first and
    # writes later fails at once (SQLITE_BUSY_SNAPSHOT) when another process committed in between, and a
    # read-modify-write must not interleave with another.
    immediate = conn.get_execution_options().get(WRITE_LOCK)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _no_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")


def create_engine(url: str, migrating: bool = False) -> Engine:
    """`migrating`: SQLite batch migrations copy and drop tables, which enforced foreign keys would refuse;
    the migration environment checks the keys itself afterwards (PRAGMA foreign_key_check)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa_create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        if migrating:
            event.listen(engine, "connect", _no_foreign_keys)
        return engine
    return sa_create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


@lru_cache
def get_engine() -> Engine:
    return create_engine(get_settings().database_url)


@contextmanager
def session_scope(writes: bool = False, lazily: bool = False) -> Iterator[Session]:
    """One transaction per request: committed before the response leaves, rolled back on any error.
    `lazily`: a writing transaction that begins (and takes SQLite's write lock) at its first statement, not at
    once: an import parses its upload first, and no writer waits on that."""
    # No autoflush: a service checks its rules before the database sees a change, so a broken rule is a
    # named 422/409 from the service, not an IntegrityError half-way through. Services flush explicitly.
    bind = get_engine().execution_options(**{WRITE_LOCK: True}) if writes and lazily else get_engine()
    with Session(bind, expire_on_commit=False, autoflush=False) as session:
        if writes and not lazily:
            session.connection(execution_options={WRITE_LOCK: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# Sort keys compare byte by byte on both databases (see app.core.text.swedish_sort_key).
# Unbounded: the key is about three times the name's length (see there), and names may be 200 characters.
SortKey = Text().with_variant(Text(collation="C"), "postgresql")


def keep_sort_key(model: type, key: str, source: Callable[[Any], str | None]) -> None:
    """Keep `model.key` the sort key of `source(row)` on every insert and update, whoever writes the row
    (a service, an import): for titles, which many paths write. An empty text sorts first."""

    def refresh(_mapper: Any, _connection: Any, row: Any) -> None:
        setattr(row, key, swedish_sort_key(source(row) or ""))

    event.listen(model, "before_insert", refresh)
    event.listen(model, "before_update", refresh)


def enum_column(enum: type[Enum], *, nullable: bool = False, length: int = 20, **column: Any) -> Column[Any]:
    """An enumeration stored as its lower-case string (no database enum type: adding a value needs no DDL)."""
    return Column(SAEnum(enum, native_enum=False, length=length), nullable=nullable, **column)
