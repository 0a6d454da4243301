"""Concurrent transfers from one pot, over real HTTP against two server processes on one database: the giving
pot is locked before its remaining amount is read, so together they never take it below zero. Exactly as many
succeed as the money allows; every other one is 409 `pot_overdrawn`. Never two successes for the same money,
never a 500. Grants (next) must pass the same test."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.test_e2e import env, start_server  # noqa: F401 - fixtures

WRITERS = 10


def test_concurrent_transfers_never_overdraw(
    client: TestClient,
    manager: Headers,
    fund: dict[str, Any],
    start_server: Callable[[], str],  # noqa: F811
) -> None:
    bases = [start_server(), start_server()]
    made = new_round(client, manager, fund["id"], 2021)
    source = new_pot(client, manager, made["id"], "Förstärkt patient- och brukarmedverkan", "1000000.00")
    target = new_pot(client, manager, made["id"], "Det suicidpreventiva arbetet", "0")
    move_to(client, manager, made["id"], "open")
    body = {"from_pot_id": source, "to_pot_id": target, "amount": "300000.00", "decision_reference": "RS 2021/88"}

    def send(i: int) -> httpx.Response:
        with httpx.Client(base_url=bases[i % len(bases)], timeout=60) as http:
            return http.post(f"{API}/transfers", json=body, headers=manager)

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        answers = list(pool.map(send, range(WRITERS)))

    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201] * 3 + [409] * (WRITERS - 3), [r.text for r in answers]
    refusals = [r.json() for r in answers if r.status_code == 409]
    assert {(p["code"], p["remaining"]) for p in refusals} == {("pot_overdrawn", "100000.00")}
    summary = ok(client.get(f"{API}/rounds/{made['id']}/summary", headers=manager))
    remaining = {p["pot_id"]: p["remaining"] for p in summary["pots"]}
    assert remaining == {source: "100000.00", target: "900000.00"}
