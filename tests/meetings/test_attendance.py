"""A meeting's attendance over HTTP: the whole list replaced at once, its rules, and nothing written on a refusal."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.meetings.meeting_api import (
    API,
    LSG,
    MEETINGS,
    assert_invalid,
    assert_problem,
    body,
    municipality,
    person,
    plan,
)

MISSING = "00000000-0000-4000-8000-000000000000"


@dataclass
class Setting:
    council: str
    lsg: str
    other_body: str
    umea: str
    meeting: str
    carin: str
    anna_lena: str
    roland: str
    bo_anders: str
    official: str

    @property
    def url(self) -> str:
        return f"{MEETINGS}/{self.meeting}/attendance"


@pytest.fixture
def s(client: TestClient, admin: dict[str, str]) -> Setting:
    council, lsg = body(client, admin), body(client, admin, LSG)
    other_body = body(client, admin, "Beredning barn och unga")
    meeting = plan(client, admin, [council, lsg], kind="joint")["id"]
    return Setting(
        council=council,
        lsg=lsg,
        other_body=other_body,
        umea=municipality(client, admin),
        meeting=meeting,
        carin=person(client, admin, "Carin Nilsson", "s"),
        anna_lena=person(client, admin, "Anna-Lena Danielsson", "m"),
        roland=person(client, admin, "Roland Gustafsson", "c"),
        bo_anders=person(client, admin, "Bo-Anders Johansson", "s"),
        official=person(client, admin, "Åsa Öberg"),
    )


def put(client: TestClient, headers: dict[str, str], s: Setting, rows: list[dict[str, Any]], **extra: str) -> Any:
    return client.put(s.url, json={"attendance": rows}, headers={**headers, **extra})


def listed(client: TestClient, headers: dict[str, str], s: Setting) -> list[dict[str, Any]]:
    r = client.get(s.url, headers=headers)
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()["data"]
    return rows


def test_put_replaces_the_whole_list(client: TestClient, admin: dict[str, str], s: Setting) -> None:
    rows = [
        {"person_id": s.carin, "role": "chair", "body_id": s.council, "on_behalf_of_id": s.umea},
        {"person_id": s.anna_lena, "role": "adjuster", "body_id": s.council},
        {"person_id": s.bo_anders, "status": "absent", "body_id": s.council},
        {"person_id": s.official, "role": "official", "body_id": s.lsg},
    ]
    r = put(client, admin, s, rows)
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert [(a["person_name"], a["party"], a["role"], a["status"]) for a in data] == [
        ("Carin Nilsson", "s", "chair", "present"),
        ("Anna-Lena Danielsson", "m", "adjuster", "present"),
        ("Bo-Anders Johansson", "s", "member", "absent"),
        ("Åsa Öberg", None, "official", "present"),
    ]
    assert data[0]["on_behalf_of_id"] == s.umea and data[0]["source"] == "manual"
    assert [a["body_id"] for a in data] == [s.council, s.council, s.council, s.lsg]
    assert listed(client, admin, s) == data
    assert r.json()["pagination"] == {"limit": 4, "total": 4}

    fewer = put(client, admin, s, [{"person_id": s.bo_anders, "status": "excused"}, {"person_id": s.carin}])
    assert fewer.status_code == 200, fewer.text
    now = listed(client, admin, s)
    assert [(a["person_id"], a["status"], a["role"]) for a in now] == [
        (s.bo_anders, "excused", "member"),
        (s.carin, "present", "member"),
    ]
    assert put(client, admin, s, []).status_code == 200
    assert listed(client, admin, s) == []


def test_substitutes_and_partial_presence_round_trip(client: TestClient, admin: dict[str, str], s: Setting) -> None:
    rows: list[dict[str, Any]] = [
        {
            "person_id": s.roland,
            "role": "substitute",
            "substitute_for_id": s.bo_anders,
            "body_id": s.council,
            "on_behalf_of_id": s.umea,
            "from_item": "18",
            "to_item": "25",
            "absent_items": ["21", "22a"],
            "note": "anslöt från punkt 18, ej närvarande under §§ 21 och 22a",
        },
        {
            "person_id": s.official,
            "role": "official",
            "body_id": s.lsg,
            "source": "teams",
            "joined_at": "2024-05-03T09:31:12+02:00",
            "left_at": "2024-05-03T13:02:00Z",
            "duration_seconds": 12648,
        },
    ]
    assert put(client, admin, s, rows).status_code == 200
    roland, official = listed(client, admin, s)
    assert roland["substitute_for_id"] == s.bo_anders
    assert (roland["from_item"], roland["to_item"], roland["absent_items"]) == ("18", "25", ["21", "22a"])
    assert roland["note"] == "anslöt från punkt 18, ej närvarande under §§ 21 och 22a"
    assert official["absent_items"] == []
    assert (roland["person_name"], roland["party"]) == ("Roland Gustafsson", "c")
    assert official["source"] == "teams"
    assert datetime.fromisoformat(official["joined_at"]) == datetime.fromisoformat("2024-05-03T07:31:12+00:00")
    assert datetime.fromisoformat(official["left_at"]) == datetime.fromisoformat("2024-05-03T15:02:00+02:00")
    assert official["duration_seconds"] == 12648


# Rows name people and bodies by their attribute in `Setting` (`"carin"`); `resolve` puts in the ids.
ROW_REFUSALS: list[tuple[str, list[dict[str, Any]], str]] = [
    ("listed twice", [{"person_id": "carin"}, {"person_id": "roland"}, {"person_id": "carin"}], "2.person_id"),
    (
        "substitute naming no one",
        [{"person_id": "carin"}, {"person_id": "roland", "role": "substitute"}],
        "1.substitute_for_id",
    ),
    (
        "replacing oneself",
        [{"person_id": "roland", "role": "substitute", "substitute_for_id": "roland"}],
        "0.substitute_for_id",
    ),
    ("another body", [{"person_id": "carin", "body_id": "other_body"}], "0.body_id"),
    (
        "on behalf of a body",
        [{"person_id": "carin"}, {"person_id": "roland", "on_behalf_of_id": "council"}],
        "1.on_behalf_of_id",
    ),
    ("on behalf of nothing", [{"person_id": "carin", "on_behalf_of_id": MISSING}], "0.on_behalf_of_id"),
    (
        "left before joining",
        [{"person_id": "carin", "joined_at": "2024-05-03T10:00:00+02:00", "left_at": "2024-05-03T07:59:00Z"}],
        "0.left_at",
    ),
    ("an unknown person", [{"person_id": "carin"}, {"person_id": MISSING}], "1.person_id"),
    (
        "replacing an unknown person",
        [{"person_id": "roland", "role": "substitute", "substitute_for_id": MISSING}],
        "0.substitute_for_id",
    ),
    ("item number with a capital", [{"person_id": "carin", "from_item": "7A"}], "0.from_item"),
    ("item number with two letters", [{"person_id": "carin", "to_item": "7ab"}], "0.to_item"),
    ("item number as words", [{"person_id": "carin", "from_item": "punkt 7"}], "0.from_item"),
    ("item number too long", [{"person_id": "carin", "from_item": "123456"}], "0.from_item"),
    ("an absent item as words", [{"person_id": "carin", "absent_items": ["12", "§ 14"]}], "0.absent_items.1"),
    ("absent items not a list", [{"person_id": "carin", "absent_items": "12"}], "0.absent_items"),
    ("a time before the calendar", [{"person_id": "carin", "joined_at": "0001-01-01T00:00:00+01:00"}], "0.joined_at"),
    ("a time after the calendar", [{"person_id": "carin", "left_at": "9999-12-31T23:30:00-14:00"}], "0.left_at"),
    ("a time without offset", [{"person_id": "carin", "joined_at": "2024-05-03T09:30:00"}], "0.joined_at"),
    ("an unknown status", [{"person_id": "carin", "status": "late"}], "0.status"),
    ("an unknown role", [{"person_id": "carin", "role": "observer"}], "0.role"),
    ("an unknown field", [{"person_id": "carin", "email": "carin@example.se"}], "0.email"),
    ("a negative duration", [{"person_id": "carin", "duration_seconds": -1}], "0.duration_seconds"),
]


def resolve(s: Setting, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: getattr(s, v, v) if k.endswith("_id") else v for k, v in row.items()} for row in rows]


@pytest.mark.parametrize(("case", "rows", "field"), ROW_REFUSALS, ids=[c for c, _, _ in ROW_REFUSALS])
def test_refusals_name_the_row_and_write_nothing(
    client: TestClient,
    admin: dict[str, str],
    s: Setting,
    case: str,
    rows: list[dict[str, Any]],
    field: str,
) -> None:
    assert put(client, admin, s, [{"person_id": s.bo_anders, "from_item": "16"}]).status_code == 200
    before = client.get(f"{MEETINGS}/{s.meeting}", headers=admin)

    assert_invalid(put(client, admin, s, resolve(s, rows)), f"attendance.{field}")

    assert [(a["person_id"], a["from_item"]) for a in listed(client, admin, s)] == [(s.bo_anders, "16")]
    after = client.get(f"{MEETINGS}/{s.meeting}", headers=admin)
    assert after.headers["etag"] == before.headers["etag"]
    assert after.json()["updated_at"] == before.json()["updated_at"]


def test_a_body_without_the_list_is_refused(client: TestClient, admin: dict[str, str], s: Setting) -> None:
    assert_invalid(client.put(s.url, json={"rows": []}, headers=admin), "attendance")
    assert_invalid(client.put(s.url, json={"attendance": {"person_id": s.carin}}, headers=admin), "attendance")
    assert listed(client, admin, s) == []


def test_put_moves_the_meetings_etag_and_honours_if_match(
    client: TestClient, admin: dict[str, str], s: Setting
) -> None:
    meeting = client.get(f"{MEETINGS}/{s.meeting}", headers=admin)
    first = meeting.headers["etag"]
    assert client.get(s.url, headers=admin).headers["etag"] == first

    r = put(client, admin, s, [{"person_id": s.carin}], **{"If-Match": first})
    assert r.status_code == 200, r.text
    second = r.headers["etag"]
    assert second != first
    again = client.get(f"{MEETINGS}/{s.meeting}", headers=admin)
    assert again.headers["etag"] == second
    assert again.json()["updated_at"] > meeting.json()["updated_at"]

    stale = put(client, admin, s, [{"person_id": s.anna_lena}], **{"If-Match": first})
    assert_problem(stale, 412, "precondition_failed")
    assert [a["person_id"] for a in listed(client, admin, s)] == [s.carin]
    # an edit of the list makes an edit of the meeting made from the old ETag stale, too
    assert_problem(
        client.patch(f"{MEETINGS}/{s.meeting}", json={"place": "Umeå"}, headers={"If-Match": first, **admin}), 412
    )

    assert put(client, admin, s, [{"person_id": s.anna_lena}], **{"If-Match": second}).status_code == 200
    assert [a["person_id"] for a in listed(client, admin, s)] == [s.anna_lena]


def test_who_may_record_attendance(
    client: TestClient,
    admin: dict[str, str],
    reader: dict[str, str],
    make_principal: Callable[..., dict[str, str]],
    s: Setting,
) -> None:
    rows = [{"person_id": s.carin}]
    assert put(client, admin, s, rows).status_code == 200
    change = [{"person_id": s.anna_lena}]
    for headers in (
        reader,
        make_principal(f"secretary:{s.other_body}"),
        make_principal(f"editor:{s.umea}"),
    ):
        assert_problem(put(client, headers, s, change), 403, "missing_role")
    r = client.put(s.url, json={"attendance": change})
    assert_problem(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert_problem(client.get(s.url), 401)
    assert [a["person_id"] for a in listed(client, reader, s)] == [s.carin]

    # a secretary of either body of the joint meeting keeps its list
    for secretary_of in (s.council, s.lsg):
        assert put(client, make_principal(f"secretary:{secretary_of}"), s, change).status_code == 200

    missing = f"{MEETINGS}/{MISSING}/attendance"
    assert_problem(client.get(missing, headers=reader), 404, "not_found")
    assert_problem(client.put(missing, json={"attendance": rows}, headers=admin), 404)


def test_a_deleted_meeting_has_no_attendance(client: TestClient, admin: dict[str, str], s: Setting) -> None:
    assert put(client, admin, s, [{"person_id": s.carin}]).status_code == 200
    assert client.delete(f"{MEETINGS}/{s.meeting}", headers=admin).status_code == 204
    assert_problem(client.get(s.url, headers=admin), 404)
    assert_problem(put(client, admin, s, [{"person_id": s.anna_lena}]), 404)


def test_deleted_people_and_principals_cannot_be_named(client: TestClient, admin: dict[str, str], s: Setting) -> None:
    assert client.delete(f"{API}/people/{s.roland}", headers=admin).status_code == 204
    assert client.delete(f"{API}/organisations/{s.umea}", headers=admin).status_code == 204
    assert_invalid(put(client, admin, s, [{"person_id": s.carin}, {"person_id": s.roland}]), "attendance.1.person_id")
    substitute = {"person_id": s.carin, "role": "substitute", "substitute_for_id": s.roland}
    assert_invalid(put(client, admin, s, [substitute]), "attendance.0.substitute_for_id")
    on_behalf = {"person_id": s.carin, "on_behalf_of_id": s.umea}
    assert_invalid(put(client, admin, s, [on_behalf]), "attendance.0.on_behalf_of_id")
    assert listed(client, admin, s) == []


def test_reading_the_list_takes_a_constant_number_of_statements(
    client: TestClient, admin: dict[str, str], s: Setting, count_queries: Any
) -> None:
    assert put(client, admin, s, [{"person_id": s.carin}]).status_code == 200
    with count_queries() as one:
        assert len(listed(client, admin, s)) == 1
    everyone = [s.carin, s.anna_lena, s.roland, s.bo_anders, s.official]
    assert put(client, admin, s, [{"person_id": p} for p in everyone]).status_code == 200
    with count_queries() as five:
        assert len(listed(client, admin, s)) == 5
    assert one() == five()
