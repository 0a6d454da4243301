"""Concurrent replacements of one meeting's attendance, over real HTTP against two server processes: they queue
up behind each other, so without If-Match the last one wins, and with a stale If-Match the loser gets 412.
Never a deadlock, never a 500."""

import itertools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.core.db import get_engine
from tests.conftest import DatabaseInfo
from tests.meetings.meeting_api import MEETINGS, body, person, plan
from tests.test_e2e import env, start_server  # noqa: F401 - fixtures

NAMES = ["Carin Nilsson", "Anna-Lena Danielsson", "Roland Gustafsson", "Bo-Anders Johansson", "Åsa Öberg"]
WRITERS = 12


def _lists(people: list[str]) -> list[list[dict[str, Any]]]:
    """A different attendance list for every writer: other people, in another order, with other statuses."""
    orders = itertools.islice(itertools.permutations(people), 0, None, 7)
    return [
        [{"person_id": p, "status": "present" if (i + j) % 3 else "absent"} for j, p in enumerate(order[: 2 + i % 4])]
        for i, order in zip(range(WRITERS), orders, strict=False)
    ]


def _put_all(bases: list[str], url: str, headers: dict[str, str], lists: list[list[dict[str, Any]]]) -> list[Any]:
    def put(i: int) -> httpx.Response:
        with httpx.Client(base_url=bases[i % len(bases)], timeout=60) as http:
            return http.put(url, json={"attendance": lists[i]}, headers=headers)

    with ThreadPoolExecutor(max_workers=len(lists)) as pool:
        return list(pool.map(put, range(len(lists))))


def _setting(client: TestClient, admin: dict[str, str], council: str) -> tuple[str, list[str]]:
    meeting = plan(client, admin, [council])["id"]
    return f"{MEETINGS}/{meeting}/attendance", [person(client, admin, n) for n in NAMES]


def test_concurrent_replacements_queue_up(
    client: TestClient,
    admin: dict[str, str],
    start_server: Callable[[], str],  # noqa: F811
) -> None:
    bases = [start_server(), start_server()]
    council = body(client, admin)

    # Without If-Match every writer succeeds, one after another, and the last one's list is what stays.
    url, people = _setting(client, admin, council)
    lists = _lists(people)
    answers = _put_all(bases, url, admin, lists)
    assert [r.status_code for r in answers] == [200] * WRITERS, [r.text for r in answers if r.status_code != 200]
    stored = client.get(url, headers=admin)
    as_sent = [{"person_id": row["person_id"], "status": row["status"]} for row in stored.json()["data"]]
    assert as_sent in lists
    # The last writer was told what is stored: its answer and its ETag are the current ones.
    last = [r for r in answers if r.headers["etag"] == stored.headers["etag"]]
    assert len(last) == 1 and last[0].json()["data"] == stored.json()["data"]

    # With the same (soon stale) If-Match, exactly one wins and every other writer gets 412.
    url, people = _setting(client, admin, council)
    etag = client.get(url, headers=admin).headers["etag"]
    answers = _put_all(bases, url, {**admin, "If-Match": etag}, lists)
    assert sorted(r.status_code for r in answers) == [200] + [412] * (WRITERS - 1), [r.text for r in answers]
    assert all(r.headers["content-type"] == "application/problem+json" for r in answers if r.status_code == 412)
    (winner,) = [i for i, r in enumerate(answers) if r.status_code == 200]
    stored_rows = client.get(url, headers=admin).json()["data"]
    assert [{"person_id": r["person_id"], "status": r["status"]} for r in stored_rows] == lists[winner]


@contextmanager
def _meeting_locked_elsewhere(db: DatabaseInfo, meeting_id: str) -> Iterator[None]:
    """Another writer holds the meeting, past what the service waits for: on PostgreSQL a row lock with the
    database's lock_timeout at 1 s; on SQLite the one write lock, past the busy timeout."""
    url = get_engine().url  # the test's own database (on SQLite a copy of the template that db.url names)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as other:
            if db.kind == "postgresql":
                name = url.database
                other.execute(sa.text(f"ALTER DATABASE \"{name}\" SET lock_timeout = '1s'"))
                other.commit()
                get_engine().dispose()  # the service's next connection takes the setting
                other.execute(sa.text("SELECT id FROM meetings WHERE id = :id FOR UPDATE"), {"id": meeting_id})
            else:
                other.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                other.rollback()
                if db.kind == "postgresql":
                    other.execute(sa.text(f'ALTER DATABASE "{name}" RESET lock_timeout'))
                    other.commit()
                    get_engine().dispose()
    finally:
        engine.dispose()


def test_a_write_that_cannot_get_its_lock_is_503_with_retry_after(
    client: TestClient, admin: dict[str, str], db: DatabaseInfo
) -> None:
    url, people = _setting(client, admin, body(client, admin))
    before = client.get(url, headers=admin)
    meeting_id = url.split("/")[-2]
    with _meeting_locked_elsewhere(db, meeting_id):
        r = client.put(url, json={"attendance": [{"person_id": people[0]}]}, headers=admin)
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "busy"
    assert int(r.headers["retry-after"]) >= 1
    after = client.get(url, headers=admin)
    assert (after.json()["data"], after.headers["etag"]) == (before.json()["data"], before.headers["etag"])
    assert client.put(url, json={"attendance": [{"person_id": people[0]}]}, headers=admin).status_code == 200
