"""A protocol imported over a meeting that already exists: the plan shows every object and every changed field,
hand-entered values are conflicts the coordinator answers, the apply writes exactly the plan (compared with the
database's own before/after), and whatever the apply would refuse is in the dry run with the same message."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures import protocol_2024_05_03 as P
from tests.imports import protocol_samples as S
from tests.imports.conftest import API, PROTOCOL, Upload, row_counts
from tests.imports.record_diff import Snapshot, actual, planned
from tests.imports.test_protocol_import import all_actions

ASSIGNMENT_BY_HAND = "Samrådet uppdrog åt Länssamverkansgruppen att se över rehabiliteringen."
RECOMMENDATION_BY_HAND = "att rekommendera huvudmännen att teckna avtal om läkarmedverkan"


def post(client: TestClient, headers: dict[str, str], path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(f"{API}/{path}", json=body, headers=headers)
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def person(client: TestClient, headers: dict[str, str], name: str, party: str | None = None) -> str:
    given, family = name.split(" ", 1)
    return str(post(client, headers, "people", {"given_name": given, "family_name": family, "party": party})["id"])


class ByHand:
    """The 2024-05-03 meeting as a coordinator entered it before the protocol came, with deliberate differences:
    the council alone, item 21 under another title, an assignment already recorded (other wording), and eight
    attendance rows of which some disagree with the protocol."""

    def __init__(self, client: TestClient, headers: dict[str, str], orgs: dict[str, str]) -> None:
        self.c, self.h, self.orgs = client, headers, orgs
        self.meeting = post(
            client,
            headers,
            "meetings",
            {
                "body_ids": [orgs[P.COUNCIL]],
                "starts_at": "2024-05-03T09:30:00",
                "ends_at": "2024-05-03T15:00:00",
                "place": "Teams",
                "diary_number": "HSN 50:2-2024",
            },
        )["id"]
        item = {"meeting_id": self.meeting, "kind": "information"}
        self.item19 = post(client, headers, "agenda-items", {**item, "number": "19", "title": "Primärvården är navet"})
        self.item21 = post(
            client, headers, "agenda-items", {**item, "number": "21", "title": "Avtal om läkarmedverkan"}
        )
        self.assignment = post(
            client,
            headers,
            "decisions",
            {
                "agenda_item_id": self.item19["id"],
                "kind": "assignment",
                "text": ASSIGNMENT_BY_HAND,
                "assignee_body_id": orgs[P.LSG],
            },
        )
        self.recommendation = post(
            client,
            headers,
            "decisions",
            {"agenda_item_id": self.item21["id"], "kind": "recommendation", "clauses": [RECOMMENDATION_BY_HAND]},
        )
        self.people = {
            name: person(client, headers, name, party)
            for name, party in [
                ("Carin Nilsson", "s"),
                ("Anna-Lena Danielsson", "s"),
                ("Fredrik Stenberg", "s"),
                ("Gunilla Forsberg", "kd"),
                ("Henric Jakobsson", "s"),
                ("Mona Andersson", "s"),
                ("Katarina Lindahl", None),
                ("Åsa Öberg", None),  # at the meeting by the coordinator's list, not in the protocol
            ]
        }
        rows = [
            ("Carin Nilsson", "present", "member", "Umeå kommun"),  # the protocol: chair
            ("Anna-Lena Danielsson", "present", "adjuster", "Region Västerbotten"),
            ("Fredrik Stenberg", "absent", "member", "Skellefteå kommun"),  # the protocol: present
            ("Gunilla Forsberg", "present", "member", "Bjurholms kommun"),
            ("Henric Jakobsson", "present", "member", "Vännäs kommun"),
            ("Mona Andersson", "absent", "member", "Robertsfors kommun"),
            ("Katarina Lindahl", "present", "official", None),
            ("Åsa Öberg", "present", "guest", None),
        ]
        attendance = [
            {
                "person_id": self.people[name],
                "status": status,
                "role": role,
                "on_behalf_of_id": orgs[org] if org else None,
            }
            for name, status, role, org in rows
        ]
        r = client.put(f"{API}/meetings/{self.meeting}/attendance", json={"attendance": attendance}, headers=headers)
        assert r.status_code == 200, r.text

    def record(self) -> dict[str, Any]:
        r = self.c.get(
            f"{API}/meetings/{self.meeting}", params={"include": "items,decisions,attendance"}, headers=self.h
        )
        assert r.status_code == 200, r.text
        doc: dict[str, Any] = r.json()
        return doc


def item(plan: dict[str, Any], number: str) -> dict[str, Any]:
    return next(i for i in plan["items"] if i["number"] == number)


def attendee(plan: dict[str, Any], name: str) -> dict[str, Any]:
    return next(a for a in plan["attendance"] if a["name"] == name)


def changes(obj: dict[str, Any]) -> dict[str, tuple[Any, Any, bool]]:
    return {c["field"]: (c["old"], c["new"], c["conflict"]) for c in obj["changes"]}


def answer(**fields: str) -> str:
    return json.dumps({"on_conflict": "keep", "fields": fields})


def assert_applies_exactly(
    upload: Upload, headers: dict[str, str], data: bytes, name: str, meeting_id: str | None, **form: Any
) -> dict[str, Any]:
    """Dry run, apply with its hash, and compare the database's difference with the plan's."""
    dry = upload("protocol", data, name, headers, **form)
    assert dry.status_code == 200, dry.text
    plan: dict[str, Any] = dry.json()["plan"]
    assert plan["problems"] == [] and plan["conflicts"] == []
    before = Snapshot.take(meeting_id) if meeting_id else None
    counts = row_counts()
    r = upload("protocol", data, name, headers, dry_run=False, expected_plan=plan["plan_hash"], **form)
    assert r.status_code == 200, r.text
    assert r.json()["plan"] == plan
    after = Snapshot.take(r.json()["meeting_id"])
    if before is None:
        assert after.meeting["source"] == "protocol"
        before = Snapshot(meeting={}, items={}, decisions={}, attendance={})
        assert planned(plan, None) == actual(before, after)
    else:
        assert planned(plan, before) == actual(before, after)
    grown = row_counts()
    assert grown["people"] - counts["people"] == plan["counts"]["people_created"]
    assert grown["meetings"] - counts["meetings"] == plan["counts"]["next_meetings"] + (meeting_id is None)
    return plan


def test_the_plan_shows_each_difference_and_hand_entered_values_are_conflicts(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    hand = ByHand(client, admin, orgs)
    data = PROTOCOL.read_bytes()
    before = row_counts()
    plan = upload("protocol", data, PROTOCOL.name, admin).json()["plan"]
    assert row_counts() == before
    assert plan["meeting"]["meeting_id"] == hand.meeting and plan["meeting"]["action"] == "conflict"
    council, lsg, sl = orgs[P.COUNCIL], orgs[P.LSG], orgs[P.SYSTEMLEDNING]
    assert changes(plan["meeting"]) == {
        "body_ids": ([council], [council, lsg, sl], True),  # adding the joint part's bodies changes the meeting
        "chair": (None, "Carin Nilsson", False),  # empty: filled in
        "adjusters": ([], ["Anna-Lena Danielsson"], False),
        "status": ("planned", "held", False),
    }
    # Item 21 is matched by number; its title is not the protocol's, so nothing of it changes unasked.
    i21 = item(plan, "21")
    assert (i21["item_id"], i21["action"], i21["source"]) == (hand.item21["id"], "conflict", "manual")
    assert changes(i21)["title"] == ("Avtal om läkarmedverkan", "Övriga frågor", True)
    assert changes(i21)["minutes_text"] == (None, "Inga övriga frågor.", True)
    assert [(d["kind"], d["action"], d["in_protocol"]) for d in i21["decisions"]] == [
        ("recommendation", "unchanged", False)
    ]
    # The assignment entered by hand is the protocol's (item and kind): one object, its wording a conflict.
    [assignment] = item(plan, "19")["decisions"]
    assert (assignment["decision_id"], assignment["action"]) == (hand.assignment["id"], "conflict")
    assert assignment["changes"][0]["key"] == "item/19/decision/assignment/text"
    assert changes(assignment)["text"][0] == ASSIGNMENT_BY_HAND
    assert changes(assignment)["clauses"][2] is False  # empty by hand: filled in
    assert [i["action"] for i in plan["items"] if i["item_id"] is None] == ["create"] * 9
    # Attendance by person: the differences from the coordinator's rows are conflicts, the rest filled in.
    carin = attendee(plan, "Carin Nilsson")
    assert (carin["person_id"], carin["action"]) == (hand.people["Carin Nilsson"], "conflict")
    assert changes(carin)["role"] == ("member", "chair", True)
    assert changes(attendee(plan, "Fredrik Stenberg"))["status"] == ("absent", "present", True)
    assert attendee(plan, "Mona Andersson")["action"] == "update"  # only the council's list filled in
    kept = attendee(plan, "Åsa Öberg")
    assert (kept["action"], kept["in_protocol"], kept["source"]) == ("unchanged", False, "manual")
    assert sum(a["action"] == "create" for a in plan["attendance"]) == 51 - 7
    assert len(plan["conflicts"]) == plan["counts"]["conflicts"] > 0
    assert (
        "item/21/title" in plan["conflicts"] and f"attendance/{hand.people['Carin Nilsson']}/role" in plan["conflicts"]
    )
    # Rehearsed as kept, the council-only meeting cannot hold Systemledningen's decision: said now, not at apply.
    assert plan["problems"] == [
        {
            "status": 422,
            "code": "validation_failed",
            "detail": "body.body_id: is not one of the meeting's bodies",
            "at": "item/24/decision/assignment",
            "errors": [
                {"loc": ["body", "body_id"], "msg": "is not one of the meeting's bodies", "type": "value_error"}
            ],
        }
    ]

    # Applying with conflicts left is refused, listing them; nothing is written.
    refused = upload("protocol", data, PROTOCOL.name, admin, dry_run=False)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "import_conflicts" and refused.json()["conflicts"] == plan["conflicts"]
    # Keeping everything: the apply refuses exactly what the dry run said.
    kept_all = json.dumps({"on_conflict": "keep"})
    dry = upload("protocol", data, PROTOCOL.name, admin, resolutions=kept_all).json()["plan"]
    assert dry["conflicts"] == [] and dry["problems"] == plan["problems"]
    r = upload("protocol", data, PROTOCOL.name, admin, dry_run=False, resolutions=kept_all)
    assert r.status_code == 422, r.text
    assert {k: r.json()[k] for k in ("status", "code", "detail", "at", "errors")} == plan["problems"][0]
    assert row_counts() == before


def test_the_apply_changes_exactly_what_was_chosen(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    hand = ByHand(client, admin, orgs)
    data = PROTOCOL.read_bytes()
    # Keep every hand-entered value, but let the joint part's bodies join the meeting.
    plan = assert_applies_exactly(
        upload, admin, data, PROTOCOL.name, hand.meeting, resolutions=answer(**{"meeting/body_ids": "take"})
    )
    doc = hand.record()
    titles = {i["number"]: i["title"] for i in doc["items"]}
    assert titles["21"] == "Avtal om läkarmedverkan" and titles["20"] == "Ärenden till Länssamverkansgruppen"
    assert len(doc["items"]) == 11 and [i["number"] for i in doc["items"]] == [str(n) for n in range(15, 26)]
    on19 = [d for d in doc["decisions"] if d["agenda_item_id"] == hand.item19["id"]]
    assert [(d["id"], d["kind"], d["text"]) for d in on19] == [
        (hand.assignment["id"], "assignment", ASSIGNMENT_BY_HAND)
    ]
    assert on19[0]["clauses"] == [c for c in P.ITEMS[4][7][0][2]]  # filled in: it was empty
    on21 = [d for d in doc["decisions"] if d["agenda_item_id"] == hand.item21["id"]]
    assert [(d["id"], d["clauses"]) for d in on21] == [(hand.recommendation["id"], [RECOMMENDATION_BY_HAND])]
    rows = {a["person_name"]: a for a in doc["attendance"]}
    assert len(doc["attendance"]) == 51 + 1
    assert (rows["Carin Nilsson"]["role"], rows["Carin Nilsson"]["source"]) == ("member", "manual")
    assert (rows["Fredrik Stenberg"]["status"], rows["Fredrik Stenberg"]["source"]) == ("absent", "manual")
    assert (rows["Åsa Öberg"]["role"], rows["Åsa Öberg"]["source"]) == ("guest", "manual")
    assert rows["Mona Andersson"]["source"] == "protocol"  # nothing of it was kept: the protocol's row now
    # The meeting's one conflict was taken: nothing hand-entered is left in it, so an import may correct it now.
    assert doc["chair_id"] == hand.people["Carin Nilsson"] and doc["source"] == plan["meeting"]["source"] == "protocol"

    # The next import of the same protocol asks again only about what is still kept; take two of them now.
    fredrik = f"attendance/{hand.people['Fredrik Stenberg']}/status"
    again = upload("protocol", data, PROTOCOL.name, admin).json()["plan"]
    assert "meeting/body_ids" not in again["conflicts"] and "item/21/title" in again["conflicts"]
    assert {a for a in all_actions(again)} <= {"unchanged", "conflict"}
    chosen = assert_applies_exactly(
        upload,
        admin,
        data,
        PROTOCOL.name,
        hand.meeting,
        resolutions=answer(**{"item/21/title": "take", fredrik: "take"}),
    )
    assert [(i["number"], i["action"]) for i in chosen["items"] if i["action"] != "unchanged"] == [("21", "update")]
    doc = hand.record()
    assert {i["number"]: i["title"] for i in doc["items"]}["21"] == "Övriga frågor"
    assert next(a for a in doc["attendance"] if a["person_name"] == "Fredrik Stenberg")["status"] == "present"


def test_a_changed_record_between_dry_run_and_apply_is_refused(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    hand = ByHand(client, admin, orgs)
    data, take = PROTOCOL.read_bytes(), json.dumps({"on_conflict": "take"})
    plan = upload("protocol", data, PROTOCOL.name, admin, resolutions=take).json()["plan"]
    assert plan["problems"] == [] and plan["meeting"]["fingerprint"]
    # Someone edits item 19 by hand in between: the plan no longer describes the record.
    r = client.patch(f"{API}/agenda-items/{hand.item19['id']}", json={"minutes_text": "Antecknat."}, headers=admin)
    assert r.status_code == 200, r.text
    before = row_counts()
    stale = upload(
        "protocol", data, PROTOCOL.name, admin, dry_run=False, resolutions=take, expected_plan=plan["plan_hash"]
    )
    assert stale.status_code == 409 and stale.json()["code"] == "plan_changed"
    assert row_counts() == before
    fresh = upload("protocol", data, PROTOCOL.name, admin, resolutions=take).json()["plan"]
    assert changes(item(fresh, "19"))["minutes_text"][0] == "Antecknat."


def test_resolutions_that_are_not_conflicts_are_a_422(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    ByHand(client, admin, orgs)
    data = PROTOCOL.read_bytes()
    for bad, where in [
        ("{", ["body", "resolutions"]),
        (json.dumps({"on_conflict": "maybe"}), ["body", "resolutions"]),
        (json.dumps({"fields": {"item/99/title": "take"}}), ["body", "resolutions", "fields", "item/99/title"]),
    ]:
        r = upload("protocol", data, PROTOCOL.name, admin, resolutions=bad)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["loc"] == where


OLDER = {
    "council-2021": S.COUNCIL_2021,
    "joint-2023": S.paged(S.JOINT_2023_PAGES),
    "lsg-2022": S.LSG_2022,
    "bare-2020": S.BARE_NUMBERS_2020,
}


@pytest.mark.parametrize("name", ["sample", *OLDER])
def test_each_protocol_applies_as_planned_and_a_second_time_changes_nothing(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str], name: str
) -> None:
    data = PROTOCOL.read_bytes() if name == "sample" else OLDER[name].encode()
    first = assert_applies_exactly(upload, admin, data, f"protokoll-{name}.txt", None)
    assert set(all_actions(first)) <= {"create", "skip"}
    before = row_counts()
    again = upload("protocol", data, f"protokoll-{name}.txt", admin).json()["plan"]
    assert set(all_actions(again)) <= {"unchanged", "skip"} and again["counts"]["people_created"] == 0
    r = upload("protocol", data, f"protokoll-{name}.txt", admin, dry_run=False, expected_plan=again["plan_hash"])
    assert r.status_code == 200 and r.json()["applied"] is False
    assert row_counts() == before


@pytest.mark.parametrize("other", ["council-2021", "lsg-2022"])
@pytest.mark.parametrize("sample_first", [True, False], ids=["sample-first", "sample-second"])
def test_two_protocols_in_either_order(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str], other: str, sample_first: bool
) -> None:
    files = [(PROTOCOL.read_bytes(), PROTOCOL.name), (OLDER[other].encode(), f"protokoll-{other}.txt")]
    if not sample_first:
        files.reverse()
    plans = {n: assert_applies_exactly(upload, admin, d, n, None) for d, n in files}
    # The one imported second finds the people of the first, and is otherwise the same record.
    names = {n: {a["name"] for a in p["attendance"]} for n, p in plans.items()}
    shared = names[files[0][1]] & names[files[1][1]]
    second = plans[files[1][1]]
    assert {p["name"] for p in second["people"] if p["match"]["status"] == "matched"} >= shared
    for d, n in files:
        meeting = client.get(f"{API}/meetings/{upload('protocol', d, n, admin).json()['meeting_id']}",
                             params={"include": "items,attendance"}, headers=admin).json()  # fmt: skip
        assert [i["number"] for i in meeting["items"]] == [i["number"] for i in plans[n]["items"]]
        assert len(meeting["attendance"]) == sum(a["action"] == "create" for a in plans[n]["attendance"])
    # Imported again, the first may now link a presenter to a person the second brought (a filled-in link,
    # applied as planned); after that, nothing is left to change.
    for d, n in files:
        plan = upload("protocol", d, n, admin).json()["plan"]
        presenters = [p for i in plan["items"] for p in i["presenters"]]
        assert {c["field"] for p in presenters for c in p["changes"]} <= {"person"}
        assert not any(o["changes"] for o in [plan["meeting"], *plan["items"], *plan["attendance"]])
        assert_applies_exactly(upload, admin, d, n, plan["meeting"]["meeting_id"])
    before = row_counts()
    for d, n in files:
        assert set(all_actions(upload("protocol", d, n, admin).json()["plan"])) <= {"unchanged", "skip"}
    assert row_counts() == before


def test_a_hand_edit_of_an_imported_item_is_not_overwritten_by_the_next_import(
    upload: Upload, client: TestClient, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    data = PROTOCOL.read_bytes()
    meeting_id = upload("protocol", data, PROTOCOL.name, admin, dry_run=False).json()["meeting_id"]
    items = client.get(f"{API}/agenda-items", params={"meeting_id": meeting_id, "limit": 50}, headers=admin).json()
    item21 = next(i for i in items["data"] if i["number"] == "21")
    assert item21["source"] == "protocol"
    r = client.patch(f"{API}/agenda-items/{item21['id']}", json={"title": "Övriga frågor: läkaravtalet"}, headers=admin)
    assert r.status_code == 200 and r.json()["source"] == "manual"

    plan = upload("protocol", data, PROTOCOL.name, admin).json()["plan"]
    assert plan["conflicts"] == ["item/21/title"]
    assert changes(item(plan, "21")) == {"title": ("Övriga frågor: läkaravtalet", "Övriga frågor", True)}
    before = row_counts()
    assert upload("protocol", data, PROTOCOL.name, admin, dry_run=False).status_code == 409
    kept = upload("protocol", data, PROTOCOL.name, admin, dry_run=False, resolutions=answer())
    assert kept.status_code == 200 and kept.json()["applied"] is False
    assert row_counts() == before
    assert (
        client.get(f"{API}/agenda-items/{item21['id']}", headers=admin).json()["title"] == "Övriga frågor: läkaravtalet"
    )
