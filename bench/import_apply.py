"""Benchmark: applying a big protocol (300 items, 1 500 attendees) through the API, on a fresh database.

    python bench/import_apply.py [--items 300] [--attendees 1500] [--database-url postgresql+psycopg://…]
                                 [--profile] [--statements]

The protocol is generated deterministically (tests/fixtures/big_protocol.py). It times the parse alone, the dry
run and the apply (each one request, as a client sends it: parse, plan, rehearsal and write), in wall time and in
this process's CPU time (on a shared machine the CPU time is the steadier figure; it leaves out the parsing child
and the PostgreSQL server), and counts the SQL statements of each. Default: a temporary SQLite database; a
PostgreSQL URL names a server on which a throwaway database `samverkan_bench_import` is created and dropped.
`--profile` prints a pyinstrument profile of the plan and apply; `--statements` the apply's most frequent
statements. Prints figures; asserts nothing.
"""

import argparse
import logging
import os
import shutil
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

parser = argparse.ArgumentParser()
parser.add_argument("--items", type=int, default=300)
parser.add_argument("--attendees", type=int, default=1500)
parser.add_argument("--database-url", default="")
parser.add_argument("--profile", action="store_true")
parser.add_argument("--statements", action="store_true", help="print the apply's most frequent SQL statements")
args = parser.parse_args()

tmp = Path(tempfile.mkdtemp(prefix="samverkan-bench-"))
BENCH_DB = "samverkan_bench_import"
server_url = args.database_url
database_url = server_url.rsplit("/", 1)[0] + f"/{BENCH_DB}" if server_url else f"sqlite:///{tmp / 'bench.sqlite3'}"
os.environ.update(
    SAMVERKAN_ENVIRONMENT="test",
    SAMVERKAN_SECRET_KEY="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106 - a throwaway key
    SAMVERKAN_VAR_DIR=str(tmp),
    SAMVERKAN_DATABASE_URL=database_url,
)

import sqlalchemy as sa  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

import app.tables  # noqa: E402, F401
from app.auth.models import Principal, RoleGrant  # noqa: E402
from app.core.db import get_engine  # noqa: E402
from app.core.file_limits import FileLimits  # noqa: E402
from app.core.migrations import upgrade  # noqa: E402
from app.core.principal import Role  # noqa: E402
from app.core.security import create_token  # noqa: E402
from app.demo import load  # noqa: E402
from app.imports.protocol.parse import read_protocol  # noqa: E402
from app.main import create_app  # noqa: E402
from tests.fixtures.big_protocol import protocol  # noqa: E402


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def listener(*a: Any) -> None:
        seen.append(a[2])

    sa.event.listen(get_engine(), "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        sa.event.remove(get_engine(), "before_cursor_execute", listener)


def fresh_database() -> None:
    if server_url:
        admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{BENCH_DB}"'))
        admin.dispose()
    upgrade("head")


def drop_database() -> None:
    get_engine().dispose()
    if server_url:
        admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        admin.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


def admin_token() -> str:
    with Session(get_engine()) as s:
        load(s)
        p = Principal(kind="person", login="bench", display_name="Bench")
        s.add(p)
        s.flush()
        s.add(RoleGrant(principal_id=p.id, role=Role.admin))
        s.commit()
        return create_token(str(p.id), kind="access", scopes=["admin"], lifetime=timedelta(hours=1))


def profile(data: bytes) -> None:
    """The plan and apply of the request's route (after the parse), in this thread (pyinstrument samples one
    thread), rolled back."""
    from pyinstrument import Profiler

    from app.demo import SYSTEM
    from app.imports import common
    from app.imports.protocol import apply, plan

    parsed = plan.read(data, "big.txt")
    with Session(get_engine(), expire_on_commit=False, autoflush=False) as session, Profiler() as profiler:
        info = common.file_info(data, "big.txt", layout="protocol")
        planned = plan.plan_parsed(session, SYSTEM, parsed, info, applying=True)
        apply.apply(session, SYSTEM, planned)
        session.rollback()
    print(profiler.output_text(color=False, show_all=False))


def main() -> None:
    logging.getLogger("alembic").setLevel(logging.WARNING)
    warnings.simplefilter("ignore", DeprecationWarning)
    data = protocol(args.items, args.attendees)
    kind = "PostgreSQL" if server_url else "SQLite"
    print(f"protocol: {args.items} items, {args.attendees} attendees, {len(data) / 1e3:.0f} kB; {kind}")
    start = time.perf_counter()
    read_protocol(data, "big.txt", FileLimits.current())
    print(f"  parse alone:  {time.perf_counter() - start:6.2f} s (in the parsing child)")
    fresh_database()
    try:
        headers = {"Authorization": f"Bearer {admin_token()}"}
        with TestClient(create_app(), raise_server_exceptions=True) as client:

            def post(**form: str) -> tuple[str, int, Any]:
                with statements() as seen:
                    start, cpu = time.perf_counter(), time.process_time()
                    r = client.post("/api/v1/imports/protocol", files={"file": ("big.txt", data)}, data=form,
                                    headers=headers)  # fmt: skip
                    took = f"{time.perf_counter() - start:6.2f} s ({time.process_time() - cpu:5.2f} s CPU here)"
                assert r.status_code == 200, r.text[:2000]
                return took, len(seen), r.json()

            took, n, dry = post()
            counts = dry["plan"]["counts"]
            print(f"  dry run:      {took}, {n} SQL statements; counts {counts}")
            apply = {"dry_run": "false", "expected_plan": dry["plan"]["plan_hash"]}
            if args.profile:
                profile(data)
            with statements() as seen:
                took, n, _ = post(**apply)
            if args.statements:
                for sql, times in Counter(" ".join(q.split())[:150] for q in seen).most_common(12):
                    print(f"{times:6d}  {sql}")
            print(f"  apply:        {took}, {n} SQL statements")
            took, n, again = post(dry_run="false")
            print(f"  apply again:  {took}, {n} SQL statements (nothing to change: {not again['applied']})")
    finally:
        drop_database()


if __name__ == "__main__":
    main()
