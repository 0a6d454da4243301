"""The protocol of 2024-05-03 entered through the API exactly, and read back as one document."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.demo import load
from tests.fixtures import protocol_2024_05_03 as P

API = "/api/v1"


class Recorder:
    """Enters the protocol the way a coordinator's client would: only through the API."""

    def __init__(self, client: TestClient, headers: dict[str, str]) -> None:
        self.c, self.h = client, headers
        self.orgs = {o["name"]: o["id"] for o in self.get_all("/organisations")}
        self.people: dict[str, str] = {}

    def get_all(self, path: str, **params: Any) -> list[dict[str, Any]]:
        r = self.c.get(API + path, params={"limit": 500, **params}, headers=self.h)
        assert r.status_code == 200, r.text
        return r.json()["data"]  # type: ignore[no-any-return]

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.c.post(API + path, json=body, headers=self.h)
        assert r.status_code == 201, (path, r.text)
        return r.json()  # type: ignore[no-any-return]

    def person(self, name: str, party: str | None = None) -> str:
        if name not in self.people:
            given, family = name.split(" ", 1)
            self.people[name] = self.post("/people", {"given_name": given, "family_name": family, "party": party})["id"]
        return self.people[name]


@pytest.fixture
def recorded(client: TestClient, admin: dict[str, str], session: Session) -> tuple[Recorder, dict[str, Any]]:
    load(session)
    session.commit()
    rec = Recorder(client, admin)
    council, lsg, sl = rec.orgs[P.COUNCIL], rec.orgs[P.LSG], rec.orgs[P.SYSTEMLEDNING]
    meeting = rec.post("/meetings", {**P.MEETING, "status": "planned", "body_ids": [council, lsg, sl]})

    attendance = []
    for name, party, behalf, status, role, substitute_for, note in P.COUNCIL_ATTENDANCE:
        attendance.append(
            {
                "person_id": rec.person(name, party),
                "status": status,
                "role": role,
                "body_id": council,
                "on_behalf_of_id": rec.orgs.get(behalf) if role != "official" else None,
                "substitute_for_id": rec.person(substitute_for, "s") if substitute_for else None,
                "note": note,
                "source": "protocol",
            }
        )
    for name, behalf, status, role, substitute_for, note in P.LSG_ATTENDANCE:
        attendance.append(
            {
                "person_id": rec.person(name),
                "status": status,
                "role": role,
                "body_id": lsg,
                "on_behalf_of_id": rec.orgs.get(behalf) if behalf else None,
                "substitute_for_id": rec.person(substitute_for) if substitute_for else None,
                "note": note,
                "source": "protocol",
            }
        )
    for name, org in P.CO_OPTED:
        attendance.append(
            {"person_id": rec.person(name), "status": "present", "role": "co_opted", "note": org, "source": "protocol"}
        )
    r = rec.c.put(f"{API}/meetings/{meeting['id']}/attendance", json={"attendance": attendance}, headers=rec.h)
    assert r.status_code == 200, r.text

    chair, adjuster = rec.person("Carin Nilsson"), rec.person("Anna-Lena Danielsson")
    r = rec.c.patch(
        f"{API}/meetings/{meeting['id']}", json={"chair_id": chair, "adjuster_ids": [adjuster]}, headers=rec.h
    )
    assert r.status_code == 200, r.text

    case = rec.post(
        "/cases",
        {
            "title": "Likvärdiga förutsättningar för rehabilitering i länet",
            "responsible_body_id": council,
            "target_group": "all",
        },
    )
    for number, title, kind, fmt, section, presenters, minutes, decisions in P.ITEMS:
        body: dict[str, Any] = {
            "meeting_id": meeting["id"],
            "number": number,
            "title": title,
            "kind": kind,
            "format": fmt,
            "section": section,
            "minutes_text": minutes,
            "presenters": [
                {"person_id": rec.person(n)} if o is None else {"name": n, "organisation": o} for n, o in presenters
            ],
        }
        if number in ("19", "20"):
            body["case_ids"] = [case["id"]]
        item = rec.post("/agenda-items", body)
        for dkind, text, clauses, extra in decisions:
            d = {"agenda_item_id": item["id"], "kind": dkind, "text": text, "clauses": clauses}
            if "assignee" in extra:
                d["assignee_body_id"] = rec.orgs[extra["assignee"]]
            if "target" in extra:
                d["target_body_id"] = rec.orgs[extra["target"]]
            if "body" in extra:
                d["body_id"] = rec.orgs[extra["body"]]
            rec.post("/decisions", d)
    for status in ("held", "minutes_approved"):
        assert rec.c.patch(f"{API}/meetings/{meeting['id']}", json={"status": status}, headers=rec.h).status_code == 200
    for title, day, place, kind in P.NEXT_MEETINGS:
        rec.post(
            "/meetings",
            {"body_ids": [council], "title": title, "starts_at": f"{day}T09:00:00", "place": place, "kind": kind},
        )
    return rec, {"meeting": meeting, "case": case}


def test_the_protocol_reads_back_as_one_document(recorded: tuple[Recorder, dict[str, Any]]) -> None:
    rec, made = recorded
    r = rec.c.get(
        f"{API}/meetings/{made['meeting']['id']}",
        params={"include": ["items", "decisions", "attendance", "documents"]},
        headers=rec.h,
    )
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["diary_number"] == "HSN 50:2-2024"
    assert doc["starts_at"] == "2024-05-03T09:30:00+02:00"
    assert doc["ends_at"] == "2024-05-03T15:00:00+02:00"
    assert doc["place"] == "Teams" and doc["online"] is True
    assert doc["item_range"] == "15-25"
    assert doc["status"] == "minutes_approved"
    assert doc["chair_id"] == rec.people["Carin Nilsson"]
    assert doc["adjuster_ids"] == [rec.people["Anna-Lena Danielsson"]]
    assert doc["body_ids"][0] == rec.orgs[P.COUNCIL]

    items = doc["items"]
    assert [(i["number"], i["title"], i["kind"]) for i in items] == [(n, t, k) for n, t, k, *_ in P.ITEMS]
    assert [i["section"] for i in items][-2:] == [P.JOINT_SECTION, P.JOINT_SECTION]
    by_number = {i["number"]: i for i in items}
    assert [p["name"] for p in by_number["19"]["presenters"]] == [n for n, _ in P.ITEMS[4][5]]
    assert by_number["24"]["presenters"] == [{"person_id": None, "name": "Dag Norén", "organisation": "Governo"}]
    assert by_number["16"]["minutes_text"] == "Reflektion efter föregående möte"
    assert by_number["19"]["case_ids"] == by_number["20"]["case_ids"] == [made["case"]["id"]]

    decisions = doc["decisions"]
    assert [(d["kind"], d["agenda_item_id"]) for d in decisions] == [
        ("noted", by_number["17"]["id"]),
        ("noted", by_number["18"]["id"]),
        ("assignment", by_number["19"]["id"]),
        ("referral", by_number["20"]["id"]),
        ("assignment", by_number["24"]["id"]),
    ]
    to_lsg, to_au = decisions[2], decisions[4]
    assert to_lsg["assignee_body_id"] == rec.orgs[P.LSG] and to_lsg["assignment_status"] == "open"
    assert to_lsg["clauses"] == P.ITEMS[4][7][0][2]
    assert to_au["assignee_body_id"] == rec.orgs[P.AU] and to_au["body_id"] == rec.orgs[P.SYSTEMLEDNING]
    assert decisions[3]["target_body_id"] == rec.orgs[P.LSG]
    assert all(d["decided_on"] == "2024-05-03" for d in decisions)

    attendance = doc["attendance"]
    assert len(attendance) == len(P.COUNCIL_ATTENDANCE) + len(P.LSG_ATTENDANCE) + len(P.CO_OPTED)
    roland = next(a for a in attendance if a["person_name"] == "Roland Gustafsson")
    assert roland["role"] == "substitute" and roland["substitute_for_id"] == rec.people["Bo-Anders Johansson"]
    assert roland["on_behalf_of_id"] == rec.orgs["Storumans kommun"]
    kroik = next(a for a in attendance if a["person_name"] == "Anna Kroik")
    assert kroik["body_id"] == rec.orgs[P.LSG] and kroik["substitute_for_id"] == rec.people["Helena Steen"]
    present_council = [a for a in attendance if a["body_id"] == rec.orgs[P.COUNCIL] and a["status"] == "present"]
    assert len(present_council) == 15
    assert sum(a["role"] == "co_opted" for a in attendance) == 2
    assert [a["person_name"] for a in attendance][:3] == ["Carin Nilsson", "Anna-Lena Danielsson", "Roland Gustafsson"]
    assert doc["documents"] == []


def test_reading_the_protocol_takes_a_constant_number_of_statements(
    recorded: tuple[Recorder, dict[str, Any]], count_queries: Any
) -> None:
    rec, made = recorded
    full = {"include": ["items", "decisions", "attendance", "documents"]}
    with count_queries() as big:
        assert rec.c.get(f"{API}/meetings/{made['meeting']['id']}", params=full, headers=rec.h).status_code == 200
    small = rec.post("/meetings", {"body_ids": [rec.orgs[P.COUNCIL]], "starts_at": "2024-06-14T09:00:00"})
    rec.post(
        "/agenda-items", {"meeting_id": small["id"], "title": "Godkännande av föredragningslista", "kind": "standing"}
    )
    with count_queries() as tiny:
        assert rec.c.get(f"{API}/meetings/{small['id']}", params=full, headers=rec.h).status_code == 200
    assert big() == tiny()


def test_the_case_timeline_and_queue(recorded: tuple[Recorder, dict[str, Any]]) -> None:
    rec, made = recorded
    timeline = rec.c.get(f"{API}/cases/{made['case']['id']}/timeline", headers=rec.h).json()
    kinds = [e["kind"] for e in timeline["entries"]]
    assert kinds.count("handled") == 2 and "referred" in kinds and kinds.count("decision") == 2
    referred = next(e for e in timeline["entries"] if e["kind"] == "referred")
    assert referred["body_id"] == rec.orgs[P.LSG]
    queue = rec.get_all("/cases", queue_body_id=rec.orgs[P.LSG])
    assert [c["id"] for c in queue] == [made["case"]["id"]]


def test_next_item_number_continues_the_year_and_assignments_are_due(recorded: tuple[Recorder, dict[str, Any]]) -> None:
    rec, made = recorded
    upcoming = rec.get_all("/meetings", body_id=rec.orgs[P.COUNCIL], **{"from": "2024-10-01"})
    assert [m["starts_at"][:10] for m in upcoming] == ["2024-10-11"]
    nxt = rec.c.get(f"{API}/meetings/{upcoming[0]['id']}/next-item-number", headers=rec.h).json()
    assert nxt["number"] == "26" and nxt["year"] == 2024
    duplicate = rec.c.post(
        f"{API}/agenda-items",
        json={"meeting_id": made["meeting"]["id"], "number": "19", "title": "Dubblett"},
        headers=rec.h,
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "duplicate_item_number"
    assert len(rec.get_all("/decisions", kind="assignment", due_by="2030-01-01")) == 0  # no due dates were set
    assert len(rec.get_all("/decisions", kind="assignment", assignment_status="open")) == 2
