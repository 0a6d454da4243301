"""Partial presence on a protocol's list, read as what it says: arrival from an item, departure after an item,
absence for single items in between; and a substitute named adjuster on the same line keeps both roles."""

import pytest
from fastapi.testclient import TestClient

from app.imports.protocol.attendance import mark_roles, parse_attendance
from app.imports.protocol.parse import parse_protocol
from tests.imports import protocol_samples as S
from tests.imports.conftest import API, Upload

BODY = "Samråd vård och omsorg"
ITEMS = ["4", "5", "6", "7a", "7b", "7c", "8", "9", "10", "11", "12", "13", "14", "15", "20"]


def presence(words: str, items: list[str] | None = None) -> tuple[str | None, str | None, list[str]]:
    people, warnings, _ = parse_attendance(["Närvarande", f"- Eva Ek (m) Umeå kommun, {words}"], BODY, items)
    assert warnings == [] and [p.name for p in people] == ["Eva Ek"]
    [eva] = people
    assert eva.note is not None and words.split(",")[0] in eva.note  # the words themselves are kept
    return eva.from_item, eva.to_item, eva.absent_items


@pytest.mark.parametrize(
    ("words", "absent"),
    [
        ("ej närvarande under § 12", ["12"]),
        ("inte närvarande vid punkt 12", ["12"]),
        ("frånvarande på punkt 7a", ["7a"]),
        ("frånvarande § 12", ["12"]),
        ("deltog inte i § 14–15", ["14", "15"]),
        ("deltog ej i handläggningen av § 14", ["14"]),
        ("lämnade sammanträdet under § 5", ["5"]),
        ("lämnade mötet under punkt 5", ["5"]),
        ("ej närvarande under §§ 12 och 14", ["12", "14"]),
        ("frånvarande under punkterna 12, 14 och 20", ["12", "14", "20"]),
        ("deltog inte i § 12-14", ["12", "13", "14"]),
        ("anmälde jäv och lämnade sammanträdet under punkterna 7a–7c", ["7a", "7b", "7c"]),
        ("jäv i § 9", ["9"]),
    ],
)
def test_absence_for_single_items_is_not_presence_up_to_them(words: str, absent: list[str]) -> None:
    assert presence(words) == (None, None, absent)


@pytest.mark.parametrize(
    "words",
    [
        "närvarande från § 8",
        "anslöt § 8",
        "anslöt från punkt 8",
        "anslöt till mötet under § 8",
        "från och med § 8",
        "fr.o.m. § 8",
        "närvarande fr o m punkt 8",
        "tillkom vid ärende 8",
        "deltog från § 8",
    ],
)
def test_arrival_from_an_item(words: str) -> None:
    assert presence(words) == ("8", None, [])


@pytest.mark.parametrize(
    "words",
    [
        "till och med § 10",
        "t.o.m. § 10",
        "lämnade efter § 10",
        "lämnade mötet efter punkt 10",
        "närvarande t.o.m. § 10",
        "närvarande till och med punkt 10",
        "deltog till § 10",
    ],
)
def test_departure_after_an_item(words: str) -> None:
    assert presence(words) == (None, "10", [])


@pytest.mark.parametrize(
    ("words", "items", "last"),
    [
        ("lämnade före § 10", ITEMS, "9"),
        ("lämnade mötet inför punkt 7b", ITEMS, "7a"),
        ("frånvarande från § 8", ITEMS, "7c"),  # absent from item 8 on: left after 7c
        ("frånvarande från och med § 20", ITEMS, "15"),  # the protocol's own order, not counting down
        ("lämnade före § 10", None, "9"),
    ],
)
def test_leaving_before_an_item_is_presence_up_to_the_one_before(
    words: str, items: list[str] | None, last: str
) -> None:
    assert presence(words, items) == (None, last, [])


def test_arrival_departure_and_absence_on_one_line() -> None:
    words = "anslöt § 8, ej närvarande under §§ 12 och 14, lämnade efter § 20"
    assert presence(words) == ("8", "20", ["12", "14"])
    assert presence("närvarande fr.o.m. § 8 t.o.m. § 10") == ("8", "10", [])
    assert presence("närvarande under punkterna 8–10", ITEMS) == ("8", "10", [])


def test_times_and_other_numbers_are_not_items() -> None:
    assert presence("anslöt kl. 10.30") == (None, None, [])
    assert presence("ersättare, 2 ärenden") == (None, None, [])


def test_a_substitute_named_adjuster_on_the_same_line_keeps_both_roles() -> None:
    people, warnings, _ = parse_attendance(
        ["Närvarande", "Anna Andersson (S), ersättare för Bo Berg, justerare", "Frånvarande", "Bo Berg (S)"], BODY
    )
    anna = people[0]
    assert (anna.role, anna.substitute_for, anna.adjuster) == ("substitute", "Bo Berg", True)
    assert warnings == []


def test_an_adjuster_line_keeps_the_role_of_a_substitute_and_of_the_chair() -> None:
    lines = [
        "Närvarande",
        "- Peter Olofsson (s) Region Västerbotten, ordförande",
        "- Anna Svensson (m) Lycksele kommun, ersätter Anna Andersson (m)",
        "- Lars Berg (c) Umeå kommun",
    ]
    people, _, _ = parse_attendance(lines, BODY)
    mark_roles(people, ["Justerare: Anna Svensson och Peter Olofsson"])
    roles = {p.name: (p.role, p.adjuster) for p in people}
    assert roles == {
        "Peter Olofsson": ("chair", True),
        "Anna Svensson": ("substitute", True),
        "Lars Berg": ("member", False),
    }


def test_the_protocols_item_numbers_reach_the_lists() -> None:
    text = S.COUNCIL_2021.replace("anslöt från punkt 5", "lämnade före punkt 7a")
    karin = next(a for a in parse_protocol(text).attendance if a.name == "Karin Ek")
    assert (karin.from_item, karin.to_item) == (None, "6")


def test_an_imported_protocol_records_both_roles_and_the_items_missed(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    text = S.COUNCIL_2021.replace("ersätter Anna Andersson (m)", "ersätter Anna Andersson (m), justerare")
    text = text.replace("Justerare: Lars Berg\n", "")
    r = upload("protocol", text.encode(), "protokoll-2021-03-19.txt", admin, dry_run=False)
    assert r.status_code == 200, r.text
    meeting = client.get(f"{API}/meetings/{r.json()['meeting_id']}", params={"include": "attendance"}, headers=admin)
    rows = {a["person_name"]: a for a in meeting.json()["attendance"]}
    anna = rows["Anna Svensson"]
    assert (anna["role"], anna["substitute_for_id"]) == ("substitute", rows["Anna Andersson"]["person_id"])
    assert meeting.json()["adjuster_ids"] == [anna["person_id"]]
    nils, karin = rows["Nils Holm"], rows["Karin Ek"]
    assert (nils["status"], nils["from_item"], nils["to_item"], nils["absent_items"]) == ("present", None, None, ["7a"])
    assert (karin["from_item"], karin["to_item"], karin["absent_items"]) == ("5", None, [])
