"""Memberships a protocol import infers: the political term of the meeting, marked inferred, extended by the
protocols of other terms in either order, never over a hand-entered one, never for officials or co-opted members.
"Who sat in the council on day D" is asked the way a coordinator asks it: GET /memberships?body_id=…&on=D."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.imports.protocol.memberships import term_of
from tests.fixtures import protocol_2024_05_03 as P
from tests.imports.conftest import API, PROTOCOL, Upload

# The council under its former name in 2022, in the 2021 layout (attendance on top). Three of its people sit in
# the 2024 protocol too: Fredrik Stenberg and Eva Stuge as members, Carin Nilsson then a member, later the chair.
COUNCIL_2022 = """\
Diarienummer: HSN 418-5-2022
Plats: Teams
Protokoll från Samråd vård och omsorg
Ärenden: 1–3
Datum: 2022-10-14
Tid: 09.00–12.00

Närvarande
- Peter Olofsson (s) Region Västerbotten, ordförande
- Carin Nilsson (s) Umeå kommun
- Fredrik Stenberg (s) Skellefteå kommun, anslöt från punkt 2
- Anna Svensson (m) Lycksele kommun, ersätter Eva Stuge (m)
- Lars Berg (c) Vännäs kommun, ej närvarande under punkt 2
Frånvarande
- Eva Stuge (m) Lycksele kommun
Övriga tjänstepersoner
- Katarina Lindahl, regional samverkanskoordinator
Adjungerade
- Per Nilsson, SKR

1. Mötets öppnande
Ordföranden hälsade välkommen.

2. Information om Nära vård
Informationsärende
Samrådet godkände informationen.

3. Övriga frågor
Inga övriga frågor.

Justerare: Lars Berg
"""
# Who the sample protocol of 2024-05-03 seats in the council (present or absent), and in which role.
SEATED_2024 = {
    ("Carin Nilsson", "chair"),
    ("Anna-Lena Danielsson", "vice_chair"),
    ("Roland Gustafsson", "substitute"),
    *(
        (name, "member")
        for name in [
            "Daniel Jaede", "Fredrik Stenberg", "Gunilla Forsberg", "Hanna Lundin-Jernberg", "Henric Jakobsson",
            "Håkan Andersson", "Kerstin Sjöström", "Magnus Eriksson", "Ulla Norrman", "Annika Wibrell",
            "Eva Arvidsson", "Göran Gunnarsson", "Matz Jonsson", "Mona Andersson", "Bo-Anders Johansson",
            "Carina Kostet", "Eva Stuge", "Iosif Karambotis",
        ]
    ),
}  # fmt: skip
SEATED_2022 = {
    ("Peter Olofsson", "chair"),
    ("Carin Nilsson", "member"),
    ("Fredrik Stenberg", "member"),
    ("Anna Svensson", "substitute"),  # her seat is a substitute's, though she replaced Eva Stuge that day
    ("Lars Berg", "member"),
    ("Eva Stuge", "member"),
}
ORDERS = {"older-first": ["2022", "2024"], "newer-first": ["2024", "2022"]}


def sat(client: TestClient, headers: dict[str, str], body_id: str, on: str) -> dict[tuple[str, str], dict[str, Any]]:
    r = client.get(f"{API}/memberships", params={"body_id": body_id, "on": on, "limit": 500}, headers=headers)
    assert r.status_code == 200, r.text
    return {(m["person"]["name"], m["role"]): m for m in r.json()["data"]}


def import_protocol(upload: Upload, headers: dict[str, str], which: str) -> dict[str, Any]:
    data, name = (PROTOCOL.read_bytes(), PROTOCOL.name) if which == "2024" else (COUNCIL_2022.encode(), "p-2022.txt")
    dry = upload("protocol", data, name, headers)
    assert dry.status_code == 200, dry.text
    applied = upload("protocol", data, name, headers, dry_run=False, expected_plan=dry.json()["plan"]["plan_hash"])
    assert applied.status_code == 200, applied.text
    return dry.json()["plan"]  # type: ignore[no-any-return]


def test_political_terms_are_four_years_from_2019() -> None:
    assert term_of(date(2024, 5, 3)) == (date(2023, 1, 1), date(2026, 12, 31))
    assert term_of(date(2022, 12, 31)) == (date(2019, 1, 1), date(2022, 12, 31))
    assert term_of(date(2023, 1, 1)) == (date(2023, 1, 1), date(2026, 12, 31))
    assert term_of(date(2031, 6, 1)) == (date(2031, 1, 1), date(2034, 12, 31))
    assert term_of(date(2014, 9, 14)) == (date(2011, 1, 1), date(2014, 12, 31))


@pytest.mark.parametrize("order", list(ORDERS))
def test_who_sat_in_the_council_after_protocols_of_two_terms_in_either_order(
    order: str, upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    council = orgs[P.COUNCIL]
    days = ("2022-10-14", "2024-05-03", "2019-01-01", "2018-12-31", "2027-01-01")
    entered = {day: set(sat(client, admin, council, day)) for day in days}  # the demo data's own memberships
    plans = {which: import_protocol(upload, admin, which) for which in ORDERS[order]}

    assert set(sat(client, admin, council, "2024-05-03")) == entered["2024-05-03"] | SEATED_2024
    assert set(sat(client, admin, council, "2022-10-14")) == entered["2022-10-14"] | SEATED_2022
    assert set(sat(client, admin, council, "2019-01-01")) == entered["2019-01-01"] | SEATED_2022
    assert set(sat(client, admin, council, "2018-12-31")) == entered["2018-12-31"]
    assert set(sat(client, admin, council, "2027-01-01")) == entered["2027-01-01"]

    mine = {k: m for k, m in sat(client, admin, council, "2024-05-03").items() if m["source"] == "inferred"}
    assert set(mine) == SEATED_2024
    # Seen in both terms: one membership from the first term's start, whichever protocol came first.
    for name in ("Fredrik Stenberg", "Eva Stuge"):
        m = mine[(name, "member")]
        assert (m["start_date"], m["end_date"]) == ("2019-01-01", "2026-12-31")
        assert m["on_behalf_of"]["name"] in ("Skellefteå kommun", "Lycksele kommun")
    # Only in the later term: from that term's start (before the protocol), to its end.
    assert (mine[("Ulla Norrman", "member")]["start_date"], mine[("Ulla Norrman", "member")]["end_date"]) == (
        "2023-01-01",
        "2026-12-31",
    )
    # Carin Nilsson: a member then, the chair now: two seats, each over its own term.
    carin = {
        m["role"]: m
        for m in sat(client, admin, council, "2022-10-14").values()
        if m["person"]["name"] == "Carin Nilsson"
    }
    assert (carin["member"]["start_date"], carin["member"]["end_date"]) == ("2019-01-01", "2022-12-31")
    assert mine[("Carin Nilsson", "chair")]["start_date"] == "2023-01-01"
    assert mine[("Roland Gustafsson", "substitute")]["voting_right"] is False

    # Officials, co-opted members and guests hold no seat.
    names = {m["person"]["name"] for day in days for m in sat(client, admin, council, day).values()}
    assert not names & {"Katarina Lindahl", "Britta Edström", "Isabell Zemrén", "Per Nilsson", "Monica Wahlström"}
    # The plans said so before anything was written: the first creates every seat, the second extends.
    first, second = (plans[which]["memberships"] for which in ORDERS[order])
    in_council = {(m["name"], m["role"]) for m in first if m["body_id"] == council}
    assert in_council == (SEATED_2022 if ORDERS[order][0] == "2022" else SEATED_2024)
    assert {m["action"] for m in first} == {"create"}
    extended = {m["name"] for m in second if m["action"] == "extend"}
    assert extended == {"Fredrik Stenberg", "Eva Stuge"}


def test_importing_a_protocol_again_or_another_of_the_same_term_adds_no_membership(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    import_protocol(upload, admin, "2024")
    before = client.get(f"{API}/memberships", params={"limit": 500}, headers=admin).json()["data"]
    same_term = PROTOCOL.read_text().replace("20240503", "20240927").replace("HSN: 50:2-2024", "HSN: 50:4-2024")
    plan = upload("protocol", same_term.encode(), "protokoll-2024-09-27.txt", admin, dry_run=False).json()["plan"]
    assert plan["memberships"] == []
    after = client.get(f"{API}/memberships", params={"limit": 500}, headers=admin).json()["data"]
    assert after == before


def test_a_hand_entered_membership_keeps_its_dates_and_the_inferred_one_fills_the_gap(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    council = orgs[P.COUNCIL]
    person = client.post(f"{API}/people", json={"given_name": "Lars", "family_name": "Berg"}, headers=admin).json()
    entered = {
        "person_id": person["id"],
        "body_id": council,
        "role": "member",
        "on_behalf_of_id": orgs["Vännäs kommun"],
        "start_date": "2022-11-01",
    }
    r = client.post(f"{API}/memberships", json=entered, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "manual"
    substitute = client.post(f"{API}/people", json={"given_name": "Anna", "family_name": "Svensson"}, headers=admin)
    sitting = {**entered, "person_id": substitute.json()["id"], "role": "substitute", "start_date": "2022-01-01"}
    sitting |= {"on_behalf_of_id": orgs["Lycksele kommun"], "end_date": "2022-12-31"}
    assert client.post(f"{API}/memberships", json=sitting, headers=admin).status_code == 201

    import_protocol(upload, admin, "2022")
    lars = sorted(
        (m["source"], m["start_date"], m["end_date"])
        for m in client.get(f"{API}/memberships", params={"person_id": person["id"]}, headers=admin).json()["data"]
    )
    assert lars == [("inferred", "2019-01-01", "2022-10-31"), ("manual", "2022-11-01", None)]
    anna = client.get(f"{API}/memberships", params={"person_id": substitute.json()["id"]}, headers=admin).json()
    assert [(m["source"], m["start_date"]) for m in anna["data"]] == [("manual", "2022-01-01")]  # already seated


def test_an_edited_inferred_membership_becomes_manual_and_is_left_alone(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    import_protocol(upload, admin, "2024")
    mine = sat(client, admin, orgs[P.COUNCIL], "2024-05-03")[("Ulla Norrman", "member")]
    r = client.patch(f"{API}/memberships/{mine['id']}", json={"end_date": "2024-06-30"}, headers=admin)
    assert r.status_code == 200, r.text
    assert (r.json()["source"], r.json()["end_date"]) == ("manual", "2024-06-30")
    import_protocol(upload, admin, "2022")
    again = client.get(f"{API}/memberships/{mine['id']}", headers=admin).json()
    assert (again["source"], again["start_date"], again["end_date"]) == ("manual", "2023-01-01", "2024-06-30")
