"""Golden JSON: what the read path answers today, pinned byte for byte (after normalisation), so that a faster
read path can be proved to answer exactly what the old one did.

Each case is one file under tests/golden/. To rewrite them after an intended change of the answers:

    SAMVERKAN_UPDATE_GOLDEN=1 PYTHONPATH=. .venv/bin/pytest -p no:cacheprovider -q tests/test_golden.py

and review the diff. Without the variable a difference fails with a unified diff. What is normalised (generated
ids, cursors, server times, secrets) is described in tests/golden_json.py; the same files hold on SQLite and on
PostgreSQL (`--db=postgresql`).
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.settings import get_settings
from tests.conftest import DatabaseInfo
from tests.golden_json import check
from tests.golden_world import API, GoldenWorld, build

# Every list endpoint (each `read_page(` in app), with the filter that makes it the list a client reads.
LISTS = {
    "meetings": "/meetings",
    "agenda_items": "/agenda-items?meeting_id={meeting}",
    "decisions": "/decisions",
    "organisations": "/organisations",
    "people": "/people",
    "memberships": "/memberships",
    "strategies": "/strategies",
    "cases": "/cases",
    "documents": "/documents",
    "principals": "/principals",
    "api_tokens": "/api-tokens",
    "audit": "/audit",
    "imports": "/imports",
}
PROTOCOL = "/meetings/{meeting}?include=items,decisions,attendance,documents"


@pytest.fixture
def world(client: TestClient) -> GoldenWorld:
    return build(client)


def _path(world: GoldenWorld, template: str) -> str:
    return template.format(**world.ids)


def _with(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}"


def test_every_list_first_and_second_page(world: GoldenWorld) -> None:
    """The first page (limit=2, so there is a next link) and the page its `links.next` leads to."""
    failures = []
    for name, template in LISTS.items():
        path = _path(world, template)
        first = world.get(_with(path, "limit=2"))
        following = first["links"]["next"]
        assert following is not None and "cursor=" in following, (name, first["links"])
        second = world.get(following)
        # The cursor is normalised away in the files, so that following it works is asserted here.
        everything = world.get(_with(path, "limit=500"))["data"]
        assert first["data"] + second["data"] == everything[: len(first["data"]) + len(second["data"])], name
        for page, answer in (("page1", first), ("page2", second)):
            try:
                check(f"{name}_{page}", answer, world.ids)
            except AssertionError as failure:
                failures.append(str(failure))
    assert not failures, "\n\n".join(failures)


def test_updated_since_count_and_protocol(world: GoldenWorld) -> None:
    since = world.get("/strategies?updated_since=2000-01-01T00:00:00Z&limit=10")
    assert any(row["id"] == world.ids["strategy3"] and "name" not in row for row in since["data"]), since
    check("strategies_updated_since", since, world.ids)
    check("meetings_count", world.get("/meetings?count=true&limit=2"), world.ids)
    check("protocol", world.get(_path(world, PROTOCOL)), world.ids)


@pytest.fixture
def public_client(db: DatabaseInfo, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A client of a fresh app with SAMVERKAN_PUBLIC_READ=true; the setting is restored after."""
    from app.main import create_app

    with monkeypatch.context() as m:
        m.setenv("SAMVERKAN_PUBLIC_READ", "true")
        get_settings.cache_clear()
        with TestClient(create_app(), raise_server_exceptions=False) as c:
            yield c
    get_settings.cache_clear()


def test_protocol_read_without_a_token(public_client: TestClient) -> None:
    world = build(public_client)
    r = public_client.get(API + _path(world, PROTOCOL))
    assert r.status_code == 200, r.text
    answer: Any = r.json()
    check("protocol_public", answer, world.ids)
