"""Payments and repayments over HTTP: what is paid net stays between 0 and the grant, repaid money flows back to
the pot, and a payment entered by mistake is deleted only by an admin on the day it was entered."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.funds.grants.models import Payment
from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.funds.factories import Wanted, insert_applications, municipality, principal_id
from tests.funds.test_grants import grant_body


@pytest.fixture
def grant(
    client: TestClient, manager: Headers, admin: Headers, fund: dict[str, Any], session: Session
) -> dict[str, Any]:
    """A grant of 100 000 from a pot of 1 000 000 (the application inserted as setup: see factories)."""
    made = new_round(client, manager, fund["id"], 2021)
    pot = new_pot(client, manager, made["id"], "Förstärkt patient- och brukarmedverkan", "1000000.00")
    move_to(client, manager, made["id"], "open")
    applicant = municipality(client, admin, "Vilhelmina kommun")
    [app_id] = insert_applications(
        session, made["id"], principal_id(client, manager), [Wanted("Fenixprojektet", "100000", pot, applicant)]
    )
    out = ok(client.post(f"{API}/grants", json=grant_body(app_id, "100000"), headers=manager), 201)
    return {**out, "round": made, "pot": pot, "applicant": str(applicant)}


def pay(client: TestClient, headers: Headers, grant_id: str, amount: Any, kind: str = "payment", **extra: Any) -> Any:
    body = {"grant_id": grant_id, "kind": kind, "paid_on": "2021-10-01", "amount": amount, **extra}
    return client.post(f"{API}/payments", json=body, headers=headers)


def pot_of(client: TestClient, headers: Headers, grant: dict[str, Any]) -> dict[str, Any]:
    got = ok(client.get(f"{API}/rounds/{grant['round']['id']}/summary", headers=headers))
    return dict(got["pots"][0])


def listed(client: TestClient, headers: Headers, **params: Any) -> list[Any]:
    return list(ok(client.get(f"{API}/payments", params=params, headers=headers))["data"])


def test_payments_never_pass_the_grant(client: TestClient, manager: Headers, grant: dict[str, Any]) -> None:
    first = ok(pay(client, manager, grant["id"], "60000"), 201)
    assert (first["kind"], first["amount"], first["paid_on"]) == ("payment", "60000.00", "2021-10-01")
    refused = pay(client, manager, grant["id"], "40000.01")
    assert refused.status_code == 409, refused.text
    assert (refused.json()["code"], refused.json()["unpaid"]) == ("grant_overpaid", "40000.00")
    ok(pay(client, manager, grant["id"], "40000.00", paid_on="2022-03-01"), 201)
    got = ok(client.get(f"{API}/grants/{grant['id']}", headers=manager))
    assert (got["paid"], got["repaid"]) == ("100000.00", "0.00")
    pot = pot_of(client, manager, grant)
    assert (pot["granted"], pot["paid"], pot["remaining"]) == ("100000.00", "100000.00", "900000.00")


def test_repaid_money_flows_back_to_the_pot(client: TestClient, manager: Headers, grant: dict[str, Any]) -> None:
    ok(pay(client, manager, grant["id"], "30000"), 201)
    too_much = pay(client, manager, grant["id"], "30000.01", "repayment", reason="Projektet avslutades tidigt.")
    assert too_much.status_code == 409
    assert (too_much.json()["code"], too_much.json()["paid"]) == ("repayment_exceeds_paid", "30000.00")
    no_reason = pay(client, manager, grant["id"], "5000", "repayment")
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["loc"] == ["body", "reason"]
    back = ok(pay(client, manager, grant["id"], "12500.50", "repayment", reason="Oförbrukade medel."), 201)
    assert back["reason"] == "Oförbrukade medel."
    pot = pot_of(client, manager, grant)
    assert (pot["paid"], pot["repaid"], pot["remaining"]) == ("30000.00", "12500.50", "912500.50")
    # What was repaid may be paid out again, up to the grant.
    ok(pay(client, manager, grant["id"], "82500.50"), 201)
    assert pay(client, manager, grant["id"], "0.01").json()["code"] == "grant_overpaid"


def test_payment_lists(client: TestClient, manager: Headers, reader: Headers, grant: dict[str, Any]) -> None:
    ok(pay(client, manager, grant["id"], "10000", paid_on="2021-10-01"), 201)
    ok(pay(client, manager, grant["id"], "20000", paid_on="2022-01-15"), 201)
    ok(pay(client, manager, grant["id"], "500", "repayment", paid_on="2022-06-30", reason="Överskott."), 201)
    assert [p["amount"] for p in listed(client, reader)] == ["10000.00", "20000.00", "500.00"]
    assert [p["paid_on"] for p in listed(client, reader, paid_from="2022-01-15", paid_to="2022-06-30")] == [
        "2022-01-15",
        "2022-06-30",
    ]
    assert [p["kind"] for p in listed(client, reader, kind="repayment")] == ["repayment"]
    assert len(listed(client, reader, grant_id=grant["id"], round_id=grant["round"]["id"])) == 3
    assert listed(client, reader, round_id="00000000-0000-4000-8000-000000000000") == []
    page = ok(client.get(f"{API}/payments", params={"limit": 2, "sort": "-paid_on"}, headers=reader))
    assert [p["paid_on"] for p in page["data"]] == ["2022-06-30", "2022-01-15"]
    rest = ok(client.get(page["links"]["next"], headers=reader))["data"]
    assert [p["paid_on"] for p in rest] == ["2021-10-01"]
    csv = client.get(f"{API}/payments", headers={**reader, "Accept": "text/csv"}).content.decode("utf-8-sig")
    assert "20000,00" in csv
    one = client.get(f"{API}/payments/{listed(client, reader)[0]['id']}", headers=reader)
    assert ok(one)["amount"] == "10000.00" and one.headers["etag"]


def test_only_fund_managers_and_admins_pay(
    client: TestClient, make_principal: Any, reader: Headers, grant: dict[str, Any]
) -> None:
    for headers, status in ((reader, 403), (make_principal("editor:" + grant["applicant"]), 403), ({}, 401)):
        assert pay(client, headers, grant["id"], "1000").status_code == status
    assert listed(client, reader) == []


@pytest.mark.parametrize("raw_amount", ["1e400", '"NaN"', '"1.234"', "-5", "12.5", '"0"', '"1 000"'])
def test_bad_amounts_are_refused_and_nothing_is_written(
    client: TestClient, manager: Headers, grant: dict[str, Any], raw_amount: str
) -> None:
    raw = f'{{"grant_id": "{grant["id"]}", "kind": "payment", "paid_on": "2021-10-01", "amount": {raw_amount}}}'
    r = client.post(f"{API}/payments", content=raw, headers={**manager, "Content-Type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"][-1] == "amount"
    assert listed(client, manager) == []


def test_an_unknown_grant_is_refused(client: TestClient, manager: Headers, grant: dict[str, Any]) -> None:
    r = pay(client, manager, "00000000-0000-4000-8000-000000000000", "1")
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "grant_id"]


def test_a_mistake_is_deleted_the_same_day_by_an_admin(
    client: TestClient, manager: Headers, admin: Headers, grant: dict[str, Any], session: Session
) -> None:
    paid = ok(pay(client, manager, grant["id"], "50000"), 201)
    repaid = ok(pay(client, manager, grant["id"], "20000", "repayment", reason="Oförbrukat."), 201)
    assert client.delete(f"{API}/payments/{paid['id']}", headers=manager).status_code == 403
    # Deleting the payment would leave more repaid than paid.
    refused = client.delete(f"{API}/payments/{paid['id']}", headers=admin)
    assert refused.status_code == 409 and refused.json()["code"] == "repayment_exceeds_paid"
    assert client.delete(f"{API}/payments/{repaid['id']}", headers=admin).status_code == 204
    assert client.delete(f"{API}/payments/{paid['id']}", headers=admin).status_code == 204
    assert listed(client, manager) == []
    assert pot_of(client, manager, grant)["paid"] == "0.00"
    # A payment of an earlier day stands.
    older = ok(pay(client, manager, grant["id"], "1000"), 201)
    row = session.get(Payment, uuid.UUID(older["id"]))
    assert row is not None
    row.created_at = row.created_at - timedelta(days=1)
    session.add(row)
    session.commit()
    late = client.delete(f"{API}/payments/{older['id']}", headers=admin)
    assert late.status_code == 409 and late.json()["code"] == "payment_not_today"
