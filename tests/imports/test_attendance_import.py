"""Importing a Teams attendance report into a meeting over the API: matching people (e-mail, alias, name; never a
guess between two), the plan, apply, resolutions that become aliases, re-imports, dates and rights."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures import protocol_2024_05_03 as P
from tests.imports.conftest import API, PROTOCOL, TEAMS, Upload, row_counts

CURRENT = TEAMS / "attendance_current_en_utf16le.csv"
JOHAN = "Johan Påhittad (Kommun Exempel)"
JOHAN_EMAIL = "johan.pahittad@kommun.example"


class World:
    """A council meeting on the report's day, and people made over the API."""

    def __init__(self, client: TestClient, headers: dict[str, str], orgs: dict[str, str]) -> None:
        self.c, self.h, self.orgs = client, headers, orgs

    def meeting(self, day: str = "2025-03-12", body: str = P.COUNCIL) -> str:
        r = self.c.post(
            f"{API}/meetings",
            json={"body_ids": [self.orgs[body]], "starts_at": f"{day}T13:00:00", "ends_at": f"{day}T15:00:00"},
            headers=self.h,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def person(self, given: str, family: str, email: str | None = None, aliases: list[str] | None = None) -> str:
        body: dict[str, Any] = {"given_name": given, "family_name": family, "aliases": aliases or []}
        if email:
            body["contact"] = {"email": email}
        r = self.c.post(f"{API}/people", json=body, headers=self.h)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def attendance(self, meeting_id: str) -> list[dict[str, Any]]:
        r = self.c.get(f"{API}/meetings/{meeting_id}/attendance", headers=self.h)
        assert r.status_code == 200, r.text
        return r.json()["data"]  # type: ignore[no-any-return]


@pytest.fixture
def world(client: TestClient, admin: dict[str, str], orgs: dict[str, str]) -> World:
    return World(client, admin, orgs)


def without_johans_email(data: bytes) -> bytes:
    """The current report with Johan's Email cells empty: only his B2B guest UPN (#EXT#) is left."""
    text = data.decode("utf-16")
    changed = text.replace(f"\t{JOHAN_EMAIL}\tjohan.pahittad_kommun", "\t\tjohan.pahittad_kommun").replace(
        f"\t{JOHAN_EMAIL}\tAttendee", "\t\tAttendee"
    )
    assert JOHAN_EMAIL not in changed and "#EXT#" in changed
    return changed.encode("utf-16")


def at(text: str) -> datetime:
    """An instant, whatever the offset it is written with."""
    return datetime.fromisoformat(text)


def summary(plan: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (p["name"], p["guest"], p["match"]["status"], p["match"]["by"], p["match"]["person_id"], p["action"])
        for p in plan["participants"]
    ]


def test_participants_are_matched_by_email_alias_and_name_and_never_guessed(
    world: World, upload: Upload, admin: dict[str, str]
) -> None:
    meeting = world.meeting()
    anna = world.person("Anna", "Exempel", email="anna.exempel@region.example")
    bjorn = world.person("Björn", "Lind", aliases=["Björn Prövsson"])  # his name before he married
    maria = world.person("Maria", "Lindqvist")
    johan = world.person("Johan", "Påhittad")
    karl = [world.person("Karl-Åke", "Fiktiv"), world.person("Karl-Åke", "Fiktiv")]
    before = row_counts()

    r = upload("attendance", CURRENT.read_bytes(), CURRENT.name, admin, meeting_id=meeting)
    assert r.status_code == 200, r.text
    assert row_counts() == before
    assert r.json()["applied"] is False and r.json()["meeting_id"] == meeting
    plan = r.json()["plan"]
    assert plan["kind"] == "attendance" and plan["meeting_id"] == meeting and plan["already_imported"] is False
    assert (plan["file"]["layout"], plan["file"]["encoding"], plan["file"]["language"]) == (
        "current",
        "utf-16-le",
        "en",
    )
    assert plan["warnings"] == []
    assert summary(plan) == [
        ("Anna Exempel", False, "matched", "email", anna, "create"),
        ("Björn Prövsson", False, "matched", "alias", bjorn, "create"),
        ("Lindqvist, Maria", False, "matched", "name", maria, "create"),
        (JOHAN, False, "matched", "name", johan, "create"),
        ("Eva Öberg (Guest)", True, "guest", None, None, "skip"),
        ("Karl-Åke Fiktiv", False, "ambiguous", "name", None, "skip"),
    ]
    ambiguous = plan["participants"][5]["match"]
    assert sorted(c["id"] for c in ambiguous["candidates"]) == sorted(karl)
    assert {c["name"] for c in ambiguous["candidates"]} == {"Karl-Åke Fiktiv"}
    assert plan["counts"] == {
        "matched": 4,
        "unmatched": 0,
        "ambiguous": 1,
        "created": 0,
        "guest": 1,
        "create": 4,
        "update": 0,
    }
    bjorn_planned = plan["participants"][1]
    assert (bjorn_planned["joined_at"], bjorn_planned["left_at"]) == ("2025-03-12T12:02:10Z", "2025-03-12T13:58:40Z")
    assert (bjorn_planned["duration_seconds"], bjorn_planned["intervals"]) == (6065, 2)

    applied = upload(
        "attendance", CURRENT.read_bytes(), CURRENT.name, admin, meeting_id=meeting, dry_run=False,
        expected_plan=plan["plan_hash"],
    )  # fmt: skip
    assert applied.status_code == 200, applied.text
    assert applied.json()["applied"] is True
    after = row_counts()
    assert {t: after[t] - before[t] for t in after if after[t] != before[t]}.keys() <= {
        "attendance",
        "imports",
        "audit_log",
    }
    assert after["attendance"] - before["attendance"] == 4 and after["imports"] - before["imports"] == 1

    rows = {a["person_id"]: a for a in world.attendance(meeting)}
    assert set(rows) == {anna, bjorn, maria, johan}  # matched people only: no guest, no guess
    assert {(a["source"], a["status"], a["role"]) for a in rows.values()} == {("teams", "present", "member")}
    rejoined = rows[bjorn]
    assert (at(rejoined["joined_at"]), at(rejoined["left_at"]), rejoined["duration_seconds"]) == (
        at("2025-03-12T13:02:10+01:00"),
        at("2025-03-12T14:58:40+01:00"),
        6065,
    )
    assert rows[anna]["duration_seconds"] == 7244
    assert at(rows[johan]["joined_at"]) == at("2025-03-12T13:05:40+01:00")


def test_the_same_person_twice_in_one_report_is_one_attendance(
    world: World, upload: Upload, admin: dict[str, str]
) -> None:
    meeting = world.meeting()
    bjorn = world.person("Björn", "Prövsson", email="bjorn.provsson@region.example")
    # He also dialled in from his phone, 13:10:00–13:55:30, under another display name.
    text = CURRENT.read_bytes().decode("utf-16").replace("Eva Öberg (Guest)", "Prövsson, Björn")
    r = upload("attendance", text.encode("utf-16"), "report.csv", admin, meeting_id=meeting)
    assert r.status_code == 200, r.text
    plan = r.json()["plan"]
    twice = [p for p in summary(plan) if p[4] == bjorn]
    assert twice == [
        ("Björn Prövsson", False, "matched", "email", bjorn, "create"),
        ("Prövsson, Björn", False, "matched", "name", bjorn, "update"),
    ]
    assert (plan["counts"]["create"], plan["counts"]["update"]) == (1, 1)
    applied = upload(
        "attendance", text.encode("utf-16"), "report.csv", admin, meeting_id=meeting, dry_run=False,
        expected_plan=plan["plan_hash"],
    )  # fmt: skip
    assert applied.status_code == 200, applied.text
    [row] = world.attendance(meeting)
    assert (row["person_id"], at(row["joined_at"]), at(row["left_at"])) == (
        bjorn,
        at("2025-03-12T13:02:10+01:00"),
        at("2025-03-12T14:58:40+01:00"),
    )
    assert row["duration_seconds"] == 6990  # 6065 s + 2730 s overlap: no more than first join to last leave


def test_a_b2b_guest_upn_is_turned_back_into_the_persons_email(
    world: World, upload: Upload, admin: dict[str, str]
) -> None:
    meeting = world.meeting()
    johan = world.person("Johan", "Berg", email=JOHAN_EMAIL)  # another name: only the address can find him
    r = upload("attendance", without_johans_email(CURRENT.read_bytes()), "report.csv", admin, meeting_id=meeting)
    assert r.status_code == 200, r.text
    planned = next(p for p in r.json()["plan"]["participants"] if p["name"] == JOHAN)
    assert planned["email"] == JOHAN_EMAIL
    assert (planned["match"]["status"], planned["match"]["by"], planned["match"]["person_id"]) == (
        "matched",
        "email",
        johan,
    )


def test_a_resolution_matches_and_is_remembered_as_an_alias_for_the_next_report(
    world: World, upload: Upload, client: TestClient, admin: dict[str, str]
) -> None:
    meeting = world.meeting()
    johan = world.person("Johan", "Berg")
    data = CURRENT.read_bytes()
    plan = upload("attendance", data, CURRENT.name, admin, meeting_id=meeting).json()["plan"]
    assert summary(plan)[3] == (JOHAN, False, "unmatched", None, None, "skip")
    assert plan["counts"]["unmatched"] == 5

    resolve = [f"{JOHAN}={johan}"]
    plan = upload("attendance", data, CURRENT.name, admin, meeting_id=meeting, resolve=resolve).json()["plan"]
    assert summary(plan)[3] == (JOHAN, False, "matched", "resolution", johan, "create")
    assert plan["participants"][3]["match"]["person_name"] == "Johan Berg"
    applied = upload(
        "attendance", data, CURRENT.name, admin, meeting_id=meeting, resolve=resolve, dry_run=False,
        expected_plan=plan["plan_hash"],
    )  # fmt: skip
    assert applied.status_code == 200, applied.text
    assert [a["person_id"] for a in world.attendance(meeting)] == [johan]
    aliases = client.get(f"{API}/people/{johan}", headers=admin).json()["aliases"]
    assert {"Johan Påhittad", JOHAN_EMAIL} <= set(aliases)

    # The Graph report of the same meeting names him the same way: matched by itself now.
    graph = TEAMS / "graph_attendance_report.json"
    r = upload("attendance", graph.read_bytes(), graph.name, admin, meeting_id=meeting)
    assert r.status_code == 200, r.text
    again = next(p for p in r.json()["plan"]["participants"] if p["name"] == JOHAN)
    assert (again["match"]["status"], again["match"]["by"], again["match"]["person_id"]) == ("matched", "alias", johan)
    assert again["action"] == "update"


@pytest.mark.parametrize(
    ("value", "loc"),
    [("Johan Påhittad", ["body", "resolve", 0]), (f"{JOHAN}=00000000-0000-4000-8000-000000000000", None)],
    ids=["no-person-id", "unknown-person"],
)
def test_a_bad_resolution_is_a_422(
    world: World, upload: Upload, admin: dict[str, str], value: str, loc: list[object] | None
) -> None:
    meeting = world.meeting()
    before = row_counts()
    r = upload(
        "attendance", CURRENT.read_bytes(), CURRENT.name, admin, meeting_id=meeting, resolve=[value], dry_run=False
    )
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == (loc or ["body", "resolve", JOHAN])
    assert row_counts() == before


def test_importing_the_same_report_again_changes_nothing(
    world: World, upload: Upload, client: TestClient, admin: dict[str, str]
) -> None:
    meeting = world.meeting()
    world.person("Anna", "Exempel", email="anna.exempel@region.example")
    data = CURRENT.read_bytes()
    first = upload("attendance", data, CURRENT.name, admin, meeting_id=meeting, dry_run=False)
    assert first.json()["applied"] is True
    stamp = client.get(f"{API}/meetings/{meeting}", headers=admin).json()["updated_at"]
    before = row_counts()

    plan = upload("attendance", data, CURRENT.name, admin, meeting_id=meeting).json()["plan"]
    assert plan["already_imported"] is True
    again = upload(
        "attendance", data, CURRENT.name, admin, meeting_id=meeting, dry_run=False, expected_plan=plan["plan_hash"]
    )
    assert again.status_code == 200, again.text
    assert again.json()["applied"] is False and again.json()["plan"]["already_imported"] is True
    assert row_counts() == before
    assert client.get(f"{API}/meetings/{meeting}", headers=admin).json()["updated_at"] == stamp


def test_a_stale_plan_is_refused(world: World, upload: Upload, admin: dict[str, str]) -> None:
    meeting = world.meeting()
    data = CURRENT.read_bytes()
    plan = upload("attendance", data, CURRENT.name, admin, meeting_id=meeting).json()["plan"]
    world.person("Maria", "Lindqvist")  # now "Lindqvist, Maria" would be matched: not the plan that was shown
    before = row_counts()
    r = upload(
        "attendance", data, CURRENT.name, admin, meeting_id=meeting, dry_run=False, expected_plan=plan["plan_hash"]
    )
    assert r.status_code == 409 and r.json()["code"] == "plan_changed"
    assert row_counts() == before


def test_a_report_of_another_day_warns(world: World, upload: Upload, admin: dict[str, str]) -> None:
    meeting = world.meeting("2025-03-19")
    r = upload("attendance", CURRENT.read_bytes(), CURRENT.name, admin, meeting_id=meeting)
    assert r.status_code == 200, r.text
    assert r.json()["plan"]["warnings"] == ["the report starts 2025-03-12, the meeting 2025-03-19"]


@pytest.mark.parametrize(
    ("filename", "day", "names", "rejoined_seconds", "open_ended"),
    [
        ("attendance_current_sv_GUESSED_utf16le.csv", "2025-03-12", ["Anna Exempel", "Björn Prövsson"], 6065, []),
        # "Last First" without a comma; Björn was in before the list began, left and came back.
        (
            "attendance_legacy_2020_list_utf16le.csv",
            "2020-11-04",
            ["Exempel Anna", "Prövsson Björn"],
            2388 + 3795,
            ["Exempel Anna"],
        ),
        ("graph_attendance_report.json", "2025-03-12", ["Anna Exempel", "Björn Prövsson"], 6065, ["Karl-Åke Fiktiv"]),
    ],
)
def test_every_sample_layout_matches_the_same_people(
    world: World,
    upload: Upload,
    admin: dict[str, str],
    filename: str,
    day: str,
    names: list[str],
    rejoined_seconds: int,
    open_ended: list[str],
) -> None:
    meeting = world.meeting(day)
    anna = world.person("Anna", "Exempel")
    bjorn = world.person("Björn", "Prövsson")
    data = (TEAMS / filename).read_bytes()
    r = upload("attendance", data, filename, admin, meeting_id=meeting)
    assert r.status_code == 200, r.text
    plan = r.json()["plan"]
    # No word about the date (it is the meeting's); only who never left is pointed out.
    assert [w.partition(" has no leave time")[0] for w in plan["warnings"]] == open_ended
    found = {p["name"]: p for p in plan["participants"]}
    assert [found[n]["match"]["person_id"] for n in names] == [anna, bjorn]
    rejoined = found[names[1]]
    assert (rejoined["intervals"], rejoined["duration_seconds"]) == (2, rejoined_seconds)
    assert [p["match"]["status"] for p in plan["participants"] if p["guest"]] == ["guest"]
    r = upload("attendance", data, filename, admin, meeting_id=meeting, dry_run=False)
    assert r.status_code == 200, r.text
    assert sorted(a["person_id"] for a in world.attendance(meeting)) == sorted([anna, bjorn])


@pytest.mark.parametrize(
    ("name", "data"),
    [("report.csv", b""), ("report.csv", PROTOCOL.read_bytes()), ("report.json", b'{"attendanceRecords": 5}')],
    ids=["empty", "a-protocol", "broken-json"],
)
def test_a_bad_report_is_a_422_naming_the_file(
    world: World, upload: Upload, admin: dict[str, str], name: str, data: bytes
) -> None:
    meeting = world.meeting()
    before = row_counts()
    r = upload("attendance", data, name, admin, meeting_id=meeting, dry_run=False)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "file"]]
    assert row_counts() == before


def test_who_may_import_attendance(
    world: World,
    upload: Upload,
    orgs: dict[str, str],
    make_principal: Callable[..., dict[str, str]],
    reader: dict[str, str],
) -> None:
    meeting = world.meeting()
    data = CURRENT.read_bytes()
    assert upload("attendance", data, CURRENT.name, {}, meeting_id=meeting).status_code == 401
    assert upload("attendance", data, CURRENT.name, reader, meeting_id=meeting).status_code == 403
    elsewhere = make_principal(f"secretary:{orgs[P.LSG]}")
    r = upload("attendance", data, CURRENT.name, elsewhere, meeting_id=meeting, dry_run=False)
    assert r.status_code == 403 and r.json()["code"] == "missing_role"
    missing = upload("attendance", data, CURRENT.name, elsewhere, meeting_id="00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == ["body", "meeting_id"]
    secretary = make_principal(f"secretary:{orgs[P.COUNCIL]}")
    r = upload("attendance", data, CURRENT.name, secretary, meeting_id=meeting, dry_run=False)
    assert r.status_code == 200 and r.json()["applied"] is True
