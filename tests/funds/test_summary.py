"""The round summary with applications: requested, granted, paid and repaid per pot and per focus area, the number
of applications in each status, and a cost in SQL statements that does not grow with the number of applications."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.funds.applications.models import ApplicationStatus
from app.funds.grants.models import FundGrant, Payment, PaymentKind
from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.funds.factories import Wanted, focus_area_ids, insert_applications, municipality, principal_id
from tests.funds.test_grants import grant_body

S = ApplicationStatus


def summary(client: TestClient, headers: Headers, round_id: str) -> dict[str, Any]:
    return dict(ok(client.get(f"{API}/rounds/{round_id}/summary", headers=headers)))


def test_figures_per_pot_focus_area_and_status(
    client: TestClient, manager: Headers, admin: Headers, reader: Headers, fund: dict[str, Any], session: Session
) -> None:
    made = new_round(client, manager, fund["id"], 2021)
    pot = new_pot(client, manager, made["id"], "Det suicidpreventiva arbetet", "1000000")
    move_to(client, manager, made["id"], "open")
    areas = focus_area_ids(session, fund["id"])
    umea = municipality(client, admin, "Umeå kommun")
    first, second, *_ = insert_applications(
        session,
        made["id"],
        principal_id(client, manager),
        [
            Wanted("Processtöd för HLT", "100000", pot, umea, areas[1]),
            Wanted("Suicide Zero i skolan", "200000", pot, umea, areas[3]),
            Wanted("Utkast", "50000", pot, umea, areas[3], S.draft),
            Wanted("Återtagen", "70000", pot, umea, areas[3], S.withdrawn),
            Wanted("Avslagen", "30000", pot, umea, None, S.rejected),
        ],
    )
    grant = ok(client.post(f"{API}/grants", json=grant_body(second, "150000"), headers=manager), 201)
    for kind, amount, extra in (("payment", "100000", {}), ("repayment", "20000", {"reason": "Oförbrukat."})):
        body = {"grant_id": grant["id"], "kind": kind, "paid_on": "2021-11-01", "amount": amount, **extra}
        ok(client.post(f"{API}/payments", json=body, headers=manager), 201)

    got = summary(client, reader, made["id"])
    [figures] = got["pots"]
    # Draft and withdrawn applications ask for nothing; a rejected one did ask.
    assert {k: figures[k] for k in ("requested", "granted", "paid", "repaid", "remaining")} == {
        "requested": "330000.00",
        "granted": "150000.00",
        "paid": "100000.00",
        "repaid": "20000.00",
        "remaining": "870000.00",
    }
    assert got["total"]["remaining"] == "870000.00"
    by_number = {a["number"]: a for a in got["focus_areas"]}
    assert list(by_number) == [1, 2, 3, 4]
    assert by_number[1] == {
        "focus_area_id": str(areas[1]),
        "number": 1,
        "text": by_number[1]["text"],
        "requested": "100000.00",
        "granted": "0.00",
        "paid": "0.00",
        "repaid": "0.00",
        "applications": 1,
    }
    three = by_number[3]
    assert (three["requested"], three["granted"], three["paid"], three["repaid"], three["applications"]) == (
        "200000.00",
        "150000.00",
        "100000.00",
        "20000.00",
        1,
    )
    assert by_number[2]["applications"] == 0 and by_number[2]["requested"] == "0.00"
    assert got["applications"] == {
        **{str(status): 0 for status in S},
        "in_review": 1,
        "partially_granted": 1,
        "draft": 1,
        "withdrawn": 1,
        "rejected": 1,
    }
    assert list(got["applications"]) == [str(status) for status in S]
    del first
    # The council's table stays the pots' table.
    csv = client.get(f"{API}/rounds/{made['id']}/summary", headers={**reader, "Accept": "text/csv"})
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert [line.split(";")[0] for line in lines] == ["pot", "Det suicidpreventiva arbetet", "Totalt"]
    assert "870000,00" in lines[-1]


def _round_with(
    client: TestClient, manager: Headers, admin: Headers, fund: dict[str, Any], session: Session, year: int, n: int
) -> tuple[str, Decimal]:
    """SETUP: a round with two pots and `n` applications in every status across the focus areas, a fifth of them
    granted with a payment and a repayment, all inserted through the ORM in bulk (see factories)."""
    made = new_round(client, manager, fund["id"], year)
    pots = [new_pot(client, manager, made["id"], f"Pott {i}", "100000000") for i in range(2)]
    move_to(client, manager, made["id"], "open")
    areas = list(focus_area_ids(session, fund["id"]).values())
    applicant = municipality(client, admin, f"Kommun {year}")
    statuses = list(S)
    by = principal_id(client, manager)
    wanted = [
        Wanted(f"Projekt {i}", "1000", pots[i % 2], applicant, areas[i % len(areas)], statuses[i % len(statuses)])
        for i in range(n)
    ]
    ids = insert_applications(session, made["id"], by, wanted)
    granted = Decimal(0)
    for i, app_id in enumerate(ids):
        if i % 5:
            continue
        grant = FundGrant(
            application_id=app_id,
            pot_id=uuid.UUID(pots[i % 2]),
            focus_area_id=areas[i % len(areas)] if areas else None,
            amount=Decimal("800"),
            delegated_by="Förbundschef",
            delegated_reference="Dnr 1",
            created_by_id=by,
        )
        session.add(grant)
        session.add(
            Payment(
                grant_id=grant.id,
                pot_id=grant.pot_id,
                focus_area_id=grant.focus_area_id,
                kind=PaymentKind.payment,
                paid_on=date(year, 6, 1),
                amount=Decimal("500"),
                created_by_id=by,
            )
        )
        session.add(
            Payment(
                grant_id=grant.id,
                pot_id=grant.pot_id,
                focus_area_id=grant.focus_area_id,
                kind=PaymentKind.repayment,
                paid_on=date(year, 12, 1),
                amount=Decimal("100"),
                reason="Oförbrukat.",
                created_by_id=by,
            )
        )
        granted += Decimal("800")
    session.commit()
    return str(made["id"]), granted


def test_summary_statements_do_not_grow_with_applications(
    client: TestClient, manager: Headers, admin: Headers, fund: dict[str, Any], session: Session, count_queries: Any
) -> None:
    few, few_granted = _round_with(client, manager, admin, fund, session, 2024, 10)
    many, many_granted = _round_with(client, manager, admin, fund, session, 2025, 1000)
    counts = {}
    for name, round_id in (("few", few), ("many", many)):
        for accept in ("application/json", "text/csv"):
            with count_queries() as n:
                r = client.get(f"{API}/rounds/{round_id}/summary", headers={**manager, "Accept": accept})
            assert r.status_code == 200
            counts[name, accept] = n()
    assert counts["few", "application/json"] == counts["many", "application/json"]
    assert counts["few", "text/csv"] == counts["many", "text/csv"]
    got = summary(client, manager, many)
    assert sum(got["applications"].values()) == 1000
    assert got["total"]["granted"] == str(many_granted.quantize(Decimal("0.01")))
    assert got["total"]["repaid"] == str((Decimal("100") * 200).quantize(Decimal("0.01")))
    statuses = list(S)
    asked = sum(1 for i in range(1000) if statuses[i % len(statuses)] not in (S.draft, S.withdrawn))
    assert sum(a["applications"] for a in got["focus_areas"]) == asked
    assert summary(client, manager, few)["total"]["granted"] == str(few_granted.quantize(Decimal("0.01")))
