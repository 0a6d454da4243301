"""The 2021 protocol (DOMAIN.md, "Funds"): the round's three pots and the grants to the example projects, entered
through the API, give exactly the figures the council saw: granted 3 270 000 / remaining 4 230 934, 1 927 000 /
3 338 124 and 608 500 / 391 500. The data is app.funds.demo.year2021, which the demo data reuses."""

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.money import as_text
from app.funds.demo import year2021 as demo_2021
from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.funds.factories import (
    Wanted,
    a_decision,
    focus_area_ids,
    insert_applications,
    municipality,
    principal_id,
)


def test_the_2021_protocol_figures(
    client: TestClient, manager: Headers, admin: Headers, reader: Headers, fund: dict[str, Any], session: Session
) -> None:
    made = new_round(client, manager, fund["id"], demo_2021.YEAR)
    pots = {p.name: new_pot(client, manager, made["id"], p.name, as_text(p.budget)) for p in demo_2021.POTS}
    move_to(client, manager, made["id"], "open", "closed")
    areas = focus_area_ids(session, fund["id"])
    applicants = {name: municipality(client, admin, name) for name in {p.applicant for p in demo_2021.PROJECTS}}
    # SETUP: the applications, in review (see factories); the grants below go through the API.
    wanted = [
        Wanted(p.title, p.requested, pots[p.pot], applicants[p.applicant], areas[p.focus_area])
        for p in demo_2021.PROJECTS
    ]
    application_ids = insert_applications(session, made["id"], principal_id(client, manager), wanted)

    decision = a_decision(client, admin)  # one decision of the council grants them all
    for project, application_id in zip(demo_2021.PROJECTS, application_ids, strict=True):
        body = {
            "application_id": str(application_id),
            "amount": as_text(project.granted),
            "decision_id": decision,
            "conditions": "Delrapport och slutrapport till samrådet.",
            "reports": [{"kind": "interim", "due_on": "2021-12-15"}, {"kind": "final", "due_on": "2022-12-31"}],
        }
        ok(client.post(f"{API}/grants", json=body, headers=manager), 201)

    got = ok(client.get(f"{API}/rounds/{made['id']}/summary", headers=reader))
    figures = {p["name"]: (p["budget"], p["granted"], p["remaining"]) for p in got["pots"]}
    assert figures == {
        "En mer sammanhållen vård": ("7500934.00", "3270000.00", "4230934.00"),
        "Det suicidpreventiva arbetet": ("5265124.00", "1927000.00", "3338124.00"),
        "Förstärkt patient- och brukarmedverkan": ("1000000.00", "608500.00", "391500.00"),
    }
    assert figures == {p.name: (as_text(p.budget), as_text(p.granted), as_text(p.remaining)) for p in demo_2021.POTS}
    assert (got["total"]["granted"], got["total"]["remaining"]) == ("5805500.00", "7960558.00")
    requested = sum((p.requested for p in demo_2021.PROJECTS), Decimal(0))
    assert got["total"]["requested"] == as_text(requested)
    assert got["applications"]["granted"] == 2 and got["applications"]["partially_granted"] == 3
    assert {a["number"]: a["granted"] for a in got["focus_areas"]} == {
        1: "1850000.00",
        2: "1420000.00",
        3: "1927000.00",
        4: "608500.00",
    }
    csv = client.get(f"{API}/rounds/{made['id']}/summary", headers={**reader, "Accept": "text/csv"})
    rows = {line.split(";")[0]: line for line in csv.content.decode("utf-8-sig").splitlines()}
    assert "3270000,00" in rows["En mer sammanhållen vård"] and "4230934,00" in rows["En mer sammanhållen vård"]
    listed = ok(client.get(f"{API}/grants", params={"decision_id": decision, "count": "true"}, headers=reader))
    assert listed["pagination"]["total"] == len(demo_2021.PROJECTS)
