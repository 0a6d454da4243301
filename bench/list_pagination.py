"""Benchmark: list latency on page 1 and deep pages (keyset), SQL statements per request, and memory.

    python bench/list_pagination.py [--rows 20000] [--database-url postgresql+psycopg://…]

Prints figures; asserts nothing. Default: a temporary SQLite database.
"""

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=20000)
parser.add_argument("--database-url", default="")
parser.add_argument("--repeat", type=int, default=30)
args = parser.parse_args()

tmp = Path(tempfile.mkdtemp(prefix="samverkan-bench-"))
os.environ.update(
    SAMVERKAN_ENVIRONMENT="test",
    SAMVERKAN_SECRET_KEY="bench-secret-key-that-is-long-enough-0123456789",  # noqa: S106 - a throwaway key
    SAMVERKAN_VAR_DIR=str(tmp),
    SAMVERKAN_DATABASE_URL=args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
)

import sqlalchemy as sa  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlmodel import Session  # noqa: E402

import app.tables  # noqa: E402, F401
from app.auth.models import Principal, RoleGrant  # noqa: E402
from app.core.db import get_engine  # noqa: E402
from app.core.migrations import upgrade  # noqa: E402
from app.core.principal import Role  # noqa: E402
from app.core.security import create_token  # noqa: E402
from app.core.text import fold, swedish_sort_key  # noqa: E402
from app.main import create_app  # noqa: E402
from app.people.models import Person  # noqa: E402

GIVEN = ["Åsa", "Örjan", "Märta", "Per", "Lena", "Jörgen", "Elin", "Karin", "Olof", "Ängla"]
FAMILY = ["Öberg", "Åström", "Lindström", "Näslund", "Berg", "Wikström", "Häggström", "Sundqvist"]


def seed(rows: int) -> str:
    upgrade("head")
    with Session(get_engine()) as s:
        batch = []
        for i in range(rows):
            given, family = GIVEN[i % len(GIVEN)], f"{FAMILY[i % len(FAMILY)]}{i:06d}"
            batch.append(
                Person(
                    given_name=given,
                    family_name=family,
                    name_sort=swedish_sort_key(f"{family} {given}"),
                    search_text=fold(f"{given} {family}"),
                    email=f"p{i}@example.se",
                )
            )
            if len(batch) == 2000:
                s.add_all(batch)
                s.flush()
                batch = []
        s.add_all(batch)
        p = Principal(kind="person", login="bench", display_name="Bench")
        s.add(p)
        s.flush()
        s.add(RoleGrant(principal_id=p.id, role=Role.admin))
        s.commit()
        return create_token(str(p.id), kind="access", scopes=["admin"], lifetime=timedelta(hours=1))


def timed(client: TestClient, url: str, headers: dict[str, str]) -> tuple[float, dict]:
    start = time.perf_counter()
    r = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    assert r.status_code == 200, r.text
    return elapsed, r.json()


def main() -> None:
    t0 = time.perf_counter()
    token = seed(args.rows)
    print(f"database: {get_engine().dialect.name}, {args.rows} people seeded in {time.perf_counter() - t0:.1f} s")
    headers = {"Authorization": f"Bearer {token}"}
    statements: list[str] = []
    sa.event.listen(get_engine(), "before_cursor_execute", lambda *a: statements.append(a[2]))
    client = TestClient(create_app())

    first = [timed(client, "/api/v1/people?limit=50", headers)[0] for _ in range(args.repeat)]
    # Walk to a deep page by following links.next, then time that page repeatedly.
    url, pages = "/api/v1/people?limit=50", 0
    while pages < min(args.rows // 50 - 1, 300):
        _, body = timed(client, url, headers)
        url = body["links"]["next"].split("testserver", 1)[1]
        pages += 1
    deep = [timed(client, url, headers)[0] for _ in range(args.repeat)]
    statements.clear()
    timed(client, "/api/v1/people?limit=500", headers)
    per_500 = len(statements)
    statements.clear()
    timed(client, "/api/v1/people?limit=5", headers)
    per_5 = len(statements)

    print(f"GET /people?limit=50 page 1:        median {statistics.median(first):6.1f} ms")
    print(f"GET /people?limit=50 page {pages + 1:<5}:    median {statistics.median(deep):6.1f} ms (keyset)")
    print(f"SQL statements per list request:   limit=5 → {per_5}, limit=500 → {per_500}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
