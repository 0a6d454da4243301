"""Concurrent grants from one pot, and concurrent payments on one grant, over real HTTP against two server
processes on one database. The pot (the grant) is locked before its remaining (unpaid) amount is read, so together
they never overdraw it: exactly as many succeed as the money allows, every other one is 409 stating what remains.
Never two successes for the same money, never a 500. Copied from test_transfer_concurrency.py."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.funds.factories import Wanted, insert_applications, municipality, principal_id
from tests.funds.test_grants import grant_body
from tests.test_e2e import env, start_server  # noqa: F401 - fixtures

WRITERS = 10


def _at_once(bases: list[str], path: str, bodies: list[dict[str, Any]], headers: Headers) -> list[httpx.Response]:
    def send(i: int) -> httpx.Response:
        with httpx.Client(base_url=bases[i % len(bases)], timeout=60) as http:
            return http.post(f"{API}{path}", json=bodies[i], headers=headers)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(send, range(len(bodies))))


def _round_with_pot(client: TestClient, manager: Headers, fund: dict[str, Any]) -> tuple[dict[str, Any], str]:
    made = new_round(client, manager, fund["id"], 2021)
    pot = new_pot(client, manager, made["id"], "Förstärkt patient- och brukarmedverkan", "1000000.00")
    move_to(client, manager, made["id"], "open")
    return made, pot


def test_concurrent_grants_never_overdraw(
    client: TestClient,
    manager: Headers,
    admin: Headers,
    fund: dict[str, Any],
    session: Session,
    start_server: Callable[[], str],  # noqa: F811
) -> None:
    bases = [start_server(), start_server()]
    made, pot = _round_with_pot(client, manager, fund)
    applicant = municipality(client, admin, "Umeå kommun")
    wanted = [Wanted(f"Projekt {i}", "300000.00", pot, applicant) for i in range(WRITERS)]
    # SETUP: ten applications in review (see factories); the grants go through the servers.
    ids = insert_applications(session, made["id"], principal_id(client, manager), wanted)

    answers = _at_once(bases, "/grants", [grant_body(i, "300000.00") for i in ids], manager)

    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201] * 3 + [409] * (WRITERS - 3), [r.text for r in answers]
    refusals = [r.json() for r in answers if r.status_code == 409]
    assert {(p["code"], p["remaining"]) for p in refusals} == {("pot_overdrawn", "100000.00")}
    summary = ok(client.get(f"{API}/rounds/{made['id']}/summary", headers=manager))
    assert (summary["pots"][0]["granted"], summary["pots"][0]["remaining"]) == ("900000.00", "100000.00")
    assert (summary["applications"]["granted"], summary["applications"]["in_review"]) == (3, WRITERS - 3)


def test_concurrent_payments_never_pass_the_grant(
    client: TestClient,
    manager: Headers,
    admin: Headers,
    fund: dict[str, Any],
    session: Session,
    start_server: Callable[[], str],  # noqa: F811
) -> None:
    bases = [start_server(), start_server()]
    made, pot = _round_with_pot(client, manager, fund)
    applicant = municipality(client, admin, "Umeå kommun")
    [app_id] = insert_applications(
        session, made["id"], principal_id(client, manager), [Wanted("Fenixprojektet", "1000000.00", pot, applicant)]
    )
    grant = ok(client.post(f"{API}/grants", json=grant_body(app_id, "1000000.00"), headers=manager), 201)
    body = {"grant_id": grant["id"], "kind": "payment", "paid_on": "2021-10-01", "amount": "300000.00"}

    answers = _at_once(bases, "/payments", [body] * WRITERS, manager)

    statuses = sorted(r.status_code for r in answers)
    assert statuses == [201] * 3 + [409] * (WRITERS - 3), [r.text for r in answers]
    refusals = [r.json() for r in answers if r.status_code == 409]
    assert {(p["code"], p["unpaid"]) for p in refusals} == {("grant_overpaid", "100000.00")}
    assert ok(client.get(f"{API}/grants/{grant['id']}", headers=manager))["paid"] == "900000.00"
