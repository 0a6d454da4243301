"""Pots, transfers and the round summary over HTTP: money is exact, a pot never goes below zero, and the summary
is computed in a constant number of statements."""

from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok

# The 2021 pots of UPH-medel: granted + remaining in the protocol (DOMAIN.md) is each pot's budget.
POTS_2021 = [
    ("En mer sammanhållen vård", "7500934.00"),
    ("Det suicidpreventiva arbetet", "5265124.00"),
    ("Förstärkt patient- och brukarmedverkan", "1000000.00"),
]
ZEROS = {"requested": "0.00", "granted": "0.00", "paid": "0.00", "repaid": "0.00"}


@pytest.fixture
def round_2021(client: TestClient, manager: Headers, fund: dict[str, Any]) -> dict[str, Any]:
    made = new_round(client, manager, fund["id"], 2021)
    pots = {name: new_pot(client, manager, made["id"], name, budget) for name, budget in POTS_2021}
    move_to(client, manager, made["id"], "open")
    return {**made, "pots": pots}


def transfer(client: TestClient, headers: Headers, source: str, target: str, amount: Any) -> Any:
    body = {"from_pot_id": source, "to_pot_id": target, "amount": amount, "decision_reference": "RS 2021/88"}
    return client.post(f"{API}/transfers", json=body, headers=headers)


def summary(client: TestClient, headers: Headers, round_id: str) -> dict[str, Any]:
    return dict(ok(client.get(f"{API}/rounds/{round_id}/summary", headers=headers)))


def test_the_summary_of_a_round(client: TestClient, manager: Headers, reader: Headers, round_2021: Any) -> None:
    pots = round_2021["pots"]
    care, suicide = pots["En mer sammanhållen vård"], pots["Det suicidpreventiva arbetet"]
    made = ok(transfer(client, manager, care, suicide, "250000.50"), 201)
    assert made["amount"] == "250000.50" and made["round_id"] == round_2021["id"]
    got = summary(client, reader, round_2021["id"])
    by_name = {p["name"]: p for p in got["pots"]}
    assert [p["name"] for p in got["pots"]] == sorted(name for name, _ in POTS_2021)  # by name
    assert {k: by_name["En mer sammanhållen vård"][k] for k in ("budget", "transferred_out", "remaining")} == {
        "budget": "7500934.00",
        "transferred_out": "250000.50",
        "remaining": "7250933.50",
    }
    assert by_name["Det suicidpreventiva arbetet"]["transferred_in"] == "250000.50"
    assert by_name["Det suicidpreventiva arbetet"]["remaining"] == "5515124.50"
    assert got["total"] == {
        "budget": "13766058.00",
        "carried_over": "0.00",
        "transferred_in": "250000.50",
        "transferred_out": "250000.50",
        "carried_forward": "0.00",
        **ZEROS,
        "remaining": "13766058.00",
    }


def test_the_summary_as_the_council_sees_it(client: TestClient, reader: Headers, round_2021: Any) -> None:
    r = client.get(f"{API}/rounds/{round_2021['id']}/summary", headers={**reader, "Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["pot", "budget", "carried_over"]
    rows = {line.split(";")[0]: line.split(";") for line in lines[1:]}
    assert rows["Det suicidpreventiva arbetet"][1] == "5265124,00"
    assert rows["Totalt"][1] == "13766058,00" and rows["Totalt"][-1] == "13766058,00"


def test_a_transfer_never_takes_a_pot_below_zero(
    client: TestClient, manager: Headers, admin: Headers, round_2021: Any
) -> None:
    pots = round_2021["pots"]
    small, big = pots["Förstärkt patient- och brukarmedverkan"], pots["En mer sammanhållen vård"]
    ok(transfer(client, manager, small, big, "999999.99"), 201)
    refused = transfer(client, manager, small, big, "0.02")
    assert refused.status_code == 409
    assert refused.json()["code"] == "pot_overdrawn" and refused.json()["remaining"] == "0.01"
    assert "0.01 remaining" in refused.json()["detail"]
    ok(transfer(client, admin, small, big, "0.01"), 201)
    remaining = {p["name"]: p["remaining"] for p in summary(client, manager, round_2021["id"])["pots"]}
    assert remaining["Förstärkt patient- och brukarmedverkan"] == "0.00"
    listed = ok(client.get(f"{API}/transfers", params={"pot_id": small}, headers=manager))["data"]
    assert [t["amount"] for t in listed] == ["999999.99", "0.01"]


@pytest.mark.parametrize(
    ("raw_amount", "field"),
    [
        ("1e400", "amount"),
        ('"NaN"', "amount"),
        ('"Infinity"', "amount"),
        ('"1.234"', "amount"),
        ("-5", "amount"),
        ('"-5.00"', "amount"),
        ("12.5", "amount"),
        ('"0"', "amount"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_written(
    client: TestClient, manager: Headers, round_2021: Any, raw_amount: str, field: str
) -> None:
    pots = list(round_2021["pots"].values())
    raw = f'{{"from_pot_id": "{pots[0]}", "to_pot_id": "{pots[1]}", "amount": {raw_amount}, "decision_reference": "X"}}'
    r = client.post(f"{API}/transfers", content=raw, headers={**manager, "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"][-1] == field
    assert ok(client.get(f"{API}/transfers", headers=manager))["data"] == []


def test_transfer_rules(client: TestClient, manager: Headers, fund: dict[str, Any], round_2021: Any) -> None:
    care, suicide, _ = round_2021["pots"].values()
    same = transfer(client, manager, care, care, "1")
    assert same.status_code == 422 and same.json()["errors"][0]["loc"] == ["body", "to_pot_id"]
    no_decision = client.post(
        f"{API}/transfers", json={"from_pot_id": care, "to_pot_id": suicide, "amount": "1"}, headers=manager
    )
    assert no_decision.status_code == 422
    other = new_round(client, manager, fund["id"], 2022)
    elsewhere = new_pot(client, manager, other["id"], "Suicidprevention", "10")
    across = transfer(client, manager, care, elsewhere, "1")
    assert across.status_code == 422 and across.json()["errors"][0]["loc"] == ["body", "to_pot_id"]
    draft_pot = new_pot(client, manager, other["id"], "Vård", "10")
    in_draft = transfer(client, manager, elsewhere, draft_pot, "1")
    assert in_draft.status_code == 409 and in_draft.json()["code"] == "round_not_active"
    reader_made = transfer(client, {}, care, suicide, "1")
    assert reader_made.status_code == 401
    assert ok(client.get(f"{API}/transfers", headers=manager))["data"] == []


def test_budgets_change_only_in_a_draft(client: TestClient, manager: Headers, round_2021: Any) -> None:
    pot = round_2021["pots"]["En mer sammanhållen vård"]
    refused = client.patch(f"{API}/pots/{pot}", json={"budget": "1.00"}, headers=manager)
    assert refused.status_code == 409 and refused.json()["code"] == "round_not_draft"
    renamed = ok(client.patch(f"{API}/pots/{pot}", json={"name": "Sammanhållen vård"}, headers=manager))
    assert (renamed["name"], renamed["budget"]) == ("Sammanhållen vård", "7500934.00")
    twice = client.post(f"{API}/pots", json={"round_id": round_2021["id"], "name": "X", "budget": 1}, headers=manager)
    assert twice.status_code == 409 and twice.json()["code"] == "round_not_draft"


def test_money_carried_over_leaves_the_earlier_pot(
    client: TestClient, manager: Headers, fund: dict[str, Any], round_2021: Any
) -> None:
    small = round_2021["pots"]["Förstärkt patient- och brukarmedverkan"]
    move_to(client, manager, round_2021["id"], "closed", "decided")
    next_year = new_round(client, manager, fund["id"], 2022)
    body = {"round_id": next_year["id"], "name": "Brukarmedverkan", "budget": "500000"}
    too_much = client.post(
        f"{API}/pots", json={**body, "carried_over": "1000000.01", "carried_from_pot_id": small}, headers=manager
    )
    assert too_much.status_code == 409 and too_much.json()["remaining"] == "1000000.00"
    no_source = client.post(f"{API}/pots", json={**body, "carried_over": "5"}, headers=manager)
    assert no_source.status_code == 422
    carried = new_pot(
        client, manager, next_year["id"], "Brukarmedverkan", "500000", carried_over="391500", carried_from_pot_id=small
    )
    earlier = {p["name"]: p for p in summary(client, manager, round_2021["id"])["pots"]}
    assert earlier["Förstärkt patient- och brukarmedverkan"]["carried_forward"] == "391500.00"
    assert earlier["Förstärkt patient- och brukarmedverkan"]["remaining"] == "608500.00"
    later = summary(client, manager, next_year["id"])["pots"][0]
    assert (later["carried_over"], later["remaining"]) == ("391500.00", "891500.00")
    # Raising what a pot carries counts what it already carries from the same pot as available.
    ok(client.patch(f"{API}/pots/{carried}", json={"carried_over": "1000000"}, headers=manager))
    earlier = {p["name"]: p for p in summary(client, manager, round_2021["id"])["pots"]}
    assert earlier["Förstärkt patient- och brukarmedverkan"]["remaining"] == "0.00"
    over = client.patch(f"{API}/pots/{carried}", json={"carried_over": "1000000.01"}, headers=manager)
    assert over.status_code == 409 and over.json()["remaining"] == "1000000.00"


def test_summary_statements_do_not_grow(
    client: TestClient, manager: Headers, fund: dict[str, Any], count_queries: Any
) -> None:
    def round_with(year: int, pots: int) -> str:
        made = new_round(client, manager, fund["id"], year)
        ids = [new_pot(client, manager, made["id"], f"Pott {i}", "1000") for i in range(pots)]
        move_to(client, manager, made["id"], "open")
        for source, target in pairwise(ids):
            ok(transfer(client, manager, source, target, "1.10"), 201)
        return str(made["id"])

    few, many = round_with(2024, 2), round_with(2025, 30)
    with count_queries() as small:
        summary(client, manager, few)
    with count_queries() as large:
        got = summary(client, manager, many)
    assert small() == large()
    assert len(got["pots"]) == 30 and got["total"]["transferred_in"] == str(Decimal("1.10") * 29)
    assert all(isinstance(amount, str) for amount in got["total"].values())  # never a JSON number


def test_a_retried_transfer_moves_the_money_once(client: TestClient, manager: Headers, round_2021: Any) -> None:
    care, suicide, _ = round_2021["pots"].values()
    retry = {**manager, "Idempotency-Key": "transfer-2021-09-14"}
    first = transfer(client, retry, care, suicide, "5000")
    second = transfer(client, retry, care, suicide, "5000")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json() and second.headers["idempotent-replayed"] == "true"
    assert [t["amount"] for t in ok(client.get(f"{API}/transfers", headers=manager))["data"]] == ["5000.00"]
    assert summary(client, manager, round_2021["id"])["total"]["transferred_in"] == "5000.00"
