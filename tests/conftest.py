"""Test set-up: the schema is built by the real migrations, on SQLite or on a throwaway PostgreSQL cluster
(`--db=postgresql`), and every test starts from an empty, migrated database."""

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

_VAR = Path(tempfile.mkdtemp(prefix="samverkan-test-var-"))
os.environ.update(
    SAMVERKAN_ENVIRONMENT="test",
    SAMVERKAN_SECRET_KEY="test-secret-key-that-is-long-enough-0123456789",
    SAMVERKAN_VAR_DIR=str(_VAR),
    SAMVERKAN_DATABASE_URL=f"sqlite:///{_VAR / 'unused.sqlite3'}",
)
os.environ.pop("DATABASE_URL", None)

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app.core import db as core_db  # noqa: E402
from app.core.migrations import upgrade  # noqa: E402
from app.core.principal import Actor, Grant, PrincipalKind, Role  # noqa: E402
from app.core.security import create_token  # noqa: E402
from app.core.settings import get_settings  # noqa: E402
from tests import pgcluster, s3server  # noqa: E402
from tests.contract_check import response_checker  # noqa: E402

SYSTEM = Actor(uuid.UUID(int=0), PrincipalKind.service, "tests", frozenset({Grant(Role.admin)}))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=["sqlite", "postgresql"], default="sqlite", help="Database to test on.")
    parser.addoption(
        "--store",
        choices=["local", "s3", "both"],
        default="both",
        help="Document store for the tests that store documents: local disk, S3 (a moto server the tests start), "
        "or each test once with each.",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "document_store" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("--store")
        stores = ["local", "s3"] if chosen == "both" else [chosen]
        metafunc.parametrize("document_store", stores, indirect=True)


@dataclass
class DatabaseInfo:
    kind: str
    url: str
    template: Path | None = None
    tables: list[str] = field(default_factory=list)


def _use_database(url: str) -> None:
    os.environ["SAMVERKAN_DATABASE_URL"] = url
    get_settings.cache_clear()
    core_db.get_engine.cache_clear()


@pytest.fixture(scope="session")
def pg_server(request: pytest.FixtureRequest) -> Iterator[str | None]:
    if request.config.getoption("--db") != "postgresql":
        yield None
        return
    given = os.environ.get("SAMVERKAN_TEST_PG_URL")
    if given:
        yield given
        return
    with pgcluster.cluster() as url:
        yield url


@pytest.fixture(scope="session")
def database(request: pytest.FixtureRequest, pg_server: str | None, worker_id: str) -> Iterator[DatabaseInfo]:
    if pg_server is None:
        template = _VAR / f"template-{worker_id}.sqlite3"
        url = f"sqlite:///{template}"
        upgrade("head", url)
        yield DatabaseInfo("sqlite", url, template=template)
        return
    name = f"samverkan_test_{worker_id}"
    admin = sa.create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = pg_server.rsplit("/", 1)[0] + f"/{name}"
    upgrade("head", url)
    engine = sa.create_engine(url)
    tables = [t for t in sa.inspect(engine).get_table_names() if t != "alembic_version"]
    engine.dispose()
    yield DatabaseInfo("postgresql", url, tables=tables)
    core_db.get_engine.cache_clear()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3-compatible server (moto's), started the first time a test needs it and killed at the end."""
    with s3server.server() as url:
        yield url


@dataclass
class DocumentStoreInfo:
    kind: str
    bucket: str | None = None
    endpoint: str | None = None

    def client(self) -> Any:
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=s3server.REGION)

    def keys(self) -> list[str]:
        """Every object in the test's bucket, listed through boto3."""
        assert self.bucket is not None
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(obj["Key"] for page in pages for obj in page.get("Contents", []))


def _use_s3(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> DocumentStoreInfo:
    """The service's document store becomes a bucket of the test's own on the S3 test server."""
    for name, value in s3server.CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    info = DocumentStoreInfo("s3", f"test-{uuid.uuid4().hex[:20]}", endpoint)
    info.client().create_bucket(Bucket=info.bucket, CreateBucketConfiguration={"LocationConstraint": s3server.REGION})
    monkeypatch.setenv("SAMVERKAN_DOCUMENT_STORE", "s3")
    monkeypatch.setenv("SAMVERKAN_S3_BUCKET", info.bucket)
    monkeypatch.setenv("SAMVERKAN_S3_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("SAMVERKAN_S3_REGION", s3server.REGION)
    get_settings.cache_clear()
    return info


@pytest.fixture
def document_store(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[DocumentStoreInfo]:
    """The document store this test runs with (parametrised by pytest_generate_tests): local disk, or a bucket of
    its own on the S3 test server."""
    if request.param == "local":
        yield DocumentStoreInfo("local")
        return
    yield _use_s3(request.getfixturevalue("s3_endpoint"), monkeypatch)
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def s3_store(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[DocumentStoreInfo]:
    """For the tests about the S3 store itself: always S3, whatever --store says."""
    yield _use_s3(s3_endpoint, monkeypatch)
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def db(database: DatabaseInfo, tmp_path: Path) -> Iterator[DatabaseInfo]:
    """An empty migrated database for this test, installed as the service's database."""
    if database.kind == "sqlite":
        assert database.template is not None
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(database.template, path)
        _use_database(f"sqlite:///{path}")
        yield database
        core_db.get_engine().dispose()
        return
    if os.environ.get("SAMVERKAN_DATABASE_URL") != database.url:
        _use_database(database.url)
    with core_db.get_engine().begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {', '.join(database.tables)} CASCADE"))
    yield database


@pytest.fixture(scope="session")
def app() -> Any:
    from app.main import create_app

    return create_app()


@pytest.fixture
def client(app: Any, db: DatabaseInfo) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        c.event_hooks["response"].append(response_checker(app))
        yield c


@pytest.fixture
def session(db: DatabaseInfo) -> Iterator[Session]:
    with Session(core_db.get_engine(), expire_on_commit=False) as s:
        yield s


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make_principal(db: DatabaseInfo) -> Callable[..., dict[str, str]]:
    """A principal holding the given grants (e.g. "admin", f"editor:{org_id}"); returns auth headers.

    Inserted directly with no password, so tests that need no login skip the deliberately slow hash.
    """
    from app.auth.models import Principal, RoleGrant

    def make(
        *grants: str,
        kind: PrincipalKind = PrincipalKind.person,
        scopes: list[str] | None = None,
        lifetime: timedelta = timedelta(minutes=10),
    ) -> dict[str, str]:
        with Session(core_db.get_engine()) as s:
            p = Principal(kind=kind, login=f"user-{uuid.uuid4().hex[:10]}", display_name="Test principal")
            s.add(p)
            s.flush()
            for g in map(Grant.parse, grants):
                s.add(RoleGrant(principal_id=p.id, role=g.role, organisation_id=g.organisation_id))
            s.commit()
            token = create_token(
                str(p.id),
                kind="access",
                scopes=scopes if scopes is not None else list(grants),
                lifetime=lifetime,
            )
        return bearer(token)

    return make


@pytest.fixture
def admin(make_principal: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_principal("admin")


@pytest.fixture
def reader(make_principal: Callable[..., dict[str, str]]) -> dict[str, str]:
    return make_principal("reader")


@pytest.fixture
def sql_statements(db: DatabaseInfo) -> Callable[[], Any]:
    """`with sql_statements() as seen:` ... `seen` lists the SQL statements run inside the block (on any
    connection of the engine), leaving out transaction control (BEGIN) and SQLite's PRAGMAs."""

    @contextmanager
    def recorder() -> Iterator[list[str]]:
        engine = core_db.get_engine()
        seen: list[str] = []

        def listener(*args: Any) -> None:
            if not args[2].lstrip().upper().startswith(("BEGIN", "PRAGMA")):
                seen.append(args[2])

        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            yield seen
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)

    return recorder


@pytest.fixture
def count_queries(sql_statements: Callable[[], Any]) -> Callable[[], Any]:
    """`with count_queries() as n:` ... `n()` is the number of SQL statements run inside the block."""

    @contextmanager
    def counter() -> Iterator[Callable[[], int]]:
        with sql_statements() as seen:
            yield lambda: len(seen)

    return counter


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_VAR, ignore_errors=True)


# Figures the hardening suites record (tests/test_fuzz.py, tests/test_authz_matrix.py), summed over xdist workers.
FIGURES = {
    "fuzz_requests": "schemathesis requests",
    "authz_cells": "authorisation-matrix cells",
    "contact_reads": "reads as a reader-only service client checked for contact data",
}


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    totals: dict[str, int] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue  # every test has one teardown report, and it carries all the test recorded
            for name, value in getattr(report, "user_properties", []):
                if name in FIGURES:
                    totals[name] = totals.get(name, 0) + int(value)
    for name, total in totals.items():
        terminalreporter.write_line(f"{FIGURES[name]}: {total}")
