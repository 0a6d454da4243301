"""Open calls for intranets: the open rounds with their fund, dates, priorities and focus areas, without a token
when public reading is on, in a number of statements that does not grow with the page."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.settings import get_settings
from tests.funds.conftest import API, Headers, move_to, new_round, ok
from tests.funds.report_factories import assert_problem

PRIORITIES = "Samsjuklighet, suicidprevention, barn och ungas psykiska hälsa."


@pytest.fixture
def public(db: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A client of a fresh app of a deployment with SAMVERKAN_PUBLIC_READ=true; the setting is restored after."""
    from app.main import create_app

    with monkeypatch.context() as m:
        m.setenv("SAMVERKAN_PUBLIC_READ", "true")
        get_settings.cache_clear()
        with TestClient(create_app(), raise_server_exceptions=False) as c:
            yield c
    get_settings.cache_clear()


def another_fund(client: TestClient, headers: Headers, council: str, code: str, areas: int) -> dict[str, Any]:
    body = {
        "code": code,
        "name": f"{code}-medel",
        "owning_body_id": council,
        "deciding_body_id": council,
        "focus_areas": [{"number": n, "text": f"Fokusområde {n} för {code}"} for n in range(1, areas + 1)],
    }
    return dict(ok(client.post(f"{API}/funds", json=body, headers=headers), 201))


def calls(client: TestClient, headers: Headers | None = None, **params: Any) -> dict[str, Any]:
    return dict(ok(client.get(f"{API}/open-calls", params=params, headers=headers or {})))


def test_the_open_rounds_with_their_fund_and_focus_areas(
    client: TestClient, manager: Headers, reader: Headers, fund: dict[str, Any], council: str
) -> None:
    open_2025 = new_round(client, manager, fund["id"], 2025, priorities=PRIORITIES)
    move_to(client, manager, open_2025["id"], "open")
    new_round(client, manager, fund["id"], 2026)  # a draft: not a call
    closed = new_round(client, manager, fund["id"], 2024)
    move_to(client, manager, closed["id"], "open", "closed")
    other = another_fund(client, manager, council, "ESF", 2)
    body = {"fund_id": other["id"], "year": 2025, "opens_on": "2025-01-15", "closes_on": "2025-02-28"}
    earlier = ok(client.post(f"{API}/rounds", json=body, headers=manager), 201)
    move_to(client, manager, earlier["id"], "open")

    page = calls(client, reader)
    assert [c["id"] for c in page["data"]] == [earlier["id"], open_2025["id"]]  # the nearest deadline first
    uph = page["data"][1]
    assert {k: uph[k] for k in ("fund_id", "fund_code", "fund_name", "year", "opens_on", "closes_on")} == {
        "fund_id": fund["id"],
        "fund_code": "UPH",
        "fund_name": "UPH-medel",
        "year": 2025,
        "opens_on": "2025-02-01",
        "closes_on": "2025-03-31",
    }
    assert uph["priorities"] == PRIORITIES
    assert [(a["number"], a["text"]) for a in uph["focus_areas"]] == [
        (a["number"], a["text"]) for a in fund["focus_areas"]
    ]
    assert [a["number"] for a in page["data"][0]["focus_areas"]] == [1, 2]
    assert calls(client, reader, fund_id=fund["id"])["data"] == [uph]
    counted = calls(client, reader, limit=1, count="true")
    assert counted["pagination"]["total"] == 2 and counted["data"][0]["id"] == earlier["id"]
    assert [c["id"] for c in ok(client.get(counted["links"]["next"], headers=reader))["data"]] == [open_2025["id"]]
    csv = client.get(f"{API}/open-calls", headers={**reader, "Accept": "text/csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert csv.status_code == 200 and len(lines) == 3 and "fund_code" in lines[0].split(";")


def test_a_round_that_closes_is_taken_down_in_a_sync(
    client: TestClient, manager: Headers, reader: Headers, fund: dict[str, Any]
) -> None:
    made = new_round(client, manager, fund["id"], 2025)
    move_to(client, manager, made["id"], "open")
    since = calls(client, reader)["data"][0]["updated_at"]
    assert [c["id"] for c in calls(client, reader, updated_since=since)["data"]] == [made["id"]]
    move_to(client, manager, made["id"], "closed")
    assert calls(client, reader)["data"] == []
    synced = calls(client, reader, updated_since=since)["data"]
    assert [(c["id"], c.get("deleted")) for c in synced] == [(made["id"], True)]
    assert set(synced[0]) == {"id", "deleted", "updated_at"}


def test_without_public_reading_a_token_is_needed(client: TestClient) -> None:
    assert not get_settings().public_read
    assert_problem(client.get(f"{API}/open-calls"), 401, "unauthorized")


def test_without_a_token_when_public_reading_is_on(
    client: TestClient, public: TestClient, manager: Headers, fund: dict[str, Any]
) -> None:
    made = new_round(client, manager, fund["id"], 2025, priorities=PRIORITIES)
    move_to(client, manager, made["id"], "open")
    anonymous = ok(public.get(f"{API}/open-calls"))
    assert [c["id"] for c in anonymous["data"]] == [made["id"]]
    assert anonymous["data"][0]["priorities"] == PRIORITIES and len(anonymous["data"][0]["focus_areas"]) == 4
    assert_problem(public.get(f"{API}/open-calls", headers={"Authorization": "Bearer nonsense"}), 401, "invalid_token")


def test_the_statements_of_a_page_do_not_grow_with_it(
    client: TestClient,
    manager: Headers,
    council: str,
    public: TestClient,
    count_queries: Callable[[], Any],
) -> None:
    def open_funds(n: int) -> None:
        for i in range(n):
            made = another_fund(client, manager, council, f"F{n}X{i}", 3)
            body = {"fund_id": made["id"], "year": 2025, "opens_on": "2025-02-01", "closes_on": f"2025-03-{10 + i}"}
            move_to(client, manager, ok(client.post(f"{API}/rounds", json=body, headers=manager), 201)["id"], "open")

    def statements() -> tuple[int, int]:
        with count_queries() as n:
            page = ok(public.get(f"{API}/open-calls"))
        return n(), len(page["data"])

    open_funds(1)
    few, shown = statements()
    assert shown == 1
    open_funds(8)
    many, shown = statements()
    assert shown == 9 and many == few == 2  # the page, and all its focus areas
