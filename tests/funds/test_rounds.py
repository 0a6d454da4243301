"""Rounds over HTTP: one per fund and year, and a status that moves one step forward at a time."""

from itertools import product
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok

URL = f"{API}/rounds"
ORDER = ["draft", "open", "closed", "decided", "archived"]


def test_a_round_starts_as_a_draft(client: TestClient, manager: Headers, reader: Headers, fund: dict[str, Any]) -> None:
    criteria = ["Länsgemensam nytta", "Spridningsbarhet"]
    made = new_round(client, manager, fund["id"], 2025, priorities="Samsjuklighet.", review_criteria=criteria)
    assert (made["status"], made["review_criteria"], made["priorities"]) == ("draft", criteria, "Samsjuklighet.")
    assert ok(client.get(f"{URL}/{made['id']}", headers=reader)) == made
    refused = client.post(
        URL,
        json={"fund_id": fund["id"], "year": 2026, "opens_on": "2026-02-01", "closes_on": "2026-03-31"},
        headers=reader,
    )
    assert refused.status_code == 403


@pytest.mark.parametrize(("old", "new"), [p for p in product(ORDER, ORDER) if p[0] != p[1]])
def test_every_transition(client: TestClient, manager: Headers, fund: dict[str, Any], old: str, new: str) -> None:
    made = new_round(client, manager, fund["id"], 2025)
    move_to(client, manager, made["id"], *ORDER[1 : ORDER.index(old) + 1])
    r = client.patch(f"{URL}/{made['id']}", json={"status": new}, headers=manager)
    if ORDER.index(new) == ORDER.index(old) + 1:
        assert ok(r)["status"] == new
    else:
        assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
        following = ORDER[ORDER.index(old) + 1 : ORDER.index(old) + 2]
        assert r.json()["allowed"] == following
        assert f"allowed: {following[0] if following else 'none'}" in r.json()["detail"]
        assert ok(client.get(f"{URL}/{made['id']}", headers=manager))["status"] == old


def test_dates_and_years(client: TestClient, manager: Headers, fund: dict[str, Any]) -> None:
    made = new_round(client, manager, fund["id"], 2025)
    backwards = client.patch(f"{URL}/{made['id']}", json={"closes_on": "2025-01-01"}, headers=manager)
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["loc"] == ["body", "closes_on"]
    body = {"fund_id": fund["id"], "year": 2025, "opens_on": "2025-02-01", "closes_on": "2025-03-31"}
    twice = client.post(URL, json=body, headers=manager)
    assert twice.status_code == 409 and twice.json()["code"] == "duplicate_year"
    no_fund = client.post(URL, json={**body, "fund_id": "00000000-0000-4000-8000-000000000000"}, headers=manager)
    assert no_fund.status_code == 422
    assert ok(client.get(f"{URL}/{made['id']}", headers=manager))["closes_on"] == "2025-03-31"


def test_lists_filter_and_page(client: TestClient, manager: Headers, fund: dict[str, Any]) -> None:
    made = [new_round(client, manager, fund["id"], year) for year in range(2021, 2026)]
    move_to(client, manager, made[4]["id"], "open")
    first = ok(client.get(URL, params={"limit": 2}, headers=manager))
    assert [r["year"] for r in first["data"]] == [2025, 2024]
    second = ok(client.get(first["links"]["next"], headers=manager))
    assert [r["year"] for r in second["data"]] == [2023, 2022]
    open_ones = ok(client.get(URL, params={"status": "open", "fund_id": fund["id"]}, headers=manager))["data"]
    assert [r["year"] for r in open_ones] == [2025]
    assert [r["year"] for r in ok(client.get(URL, params={"year": 2022}, headers=manager))["data"]] == [2022]


def test_only_a_draft_round_without_pots_is_deleted(client: TestClient, manager: Headers, fund: dict[str, Any]) -> None:
    made = new_round(client, manager, fund["id"], 2025)
    pot = new_pot(client, manager, made["id"], "Suicidprevention", "100")
    has_pots = client.delete(f"{URL}/{made['id']}", headers=manager)
    assert has_pots.status_code == 409 and has_pots.json()["code"] == "round_has_pots"
    assert client.delete(f"{API}/pots/{pot}", headers=manager).status_code == 204
    move_to(client, manager, made["id"], "open")
    opened = client.delete(f"{URL}/{made['id']}", headers=manager)
    assert opened.status_code == 409 and opened.json()["code"] == "round_not_draft"
