"""A case's timeline: creation, status changes, handlings at meetings, decisions, referrals and report-backs."""

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from app.core.time import today
from tests.cases import API, CASES, Headers, body, case, decision, item, meeting

# Meetings next year: everything recorded today (creation, status changes) comes before them.
YEAR = today().year + 1


def timeline(client: TestClient, headers: Headers, case_id: str) -> dict[str, Any]:
    r = client.get(f"{CASES}/{case_id}/timeline", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def patch(client: TestClient, admin: Headers, path: str, fields: dict[str, Any]) -> dict[str, Any]:
    r = client.patch(API + path, json=fields, headers=admin)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_the_whole_story_of_a_case_oldest_first(client: TestClient, admin: Headers, reader: Headers) -> None:
    council = body(client, admin, "Samråd hälsa, vård och omsorg", "SHVO")
    lsg = body(client, admin, "Länssamverkansgruppen", "LSG")
    made = case(client, admin, responsible_body_id=council)
    for status in ("in_preparation", "ready", "decided", "in_follow_up"):
        patch(client, admin, f"/cases/{made['id']}", {"status": status})

    february = meeting(client, admin, council, f"{YEAR}-02-07T09:30:00")
    march = meeting(client, admin, lsg, f"{YEAR}-03-14T13:00:00")
    may = meeting(client, admin, council, f"{YEAR}-05-03T09:30:00")
    assigned_at = item(client, admin, february, made["id"], number="19", title="Primärvården är navet")
    referred_at = item(client, admin, february, made["id"], number="20", title="Ärenden till Länssamverkansgruppen")
    prepared_at = item(client, admin, march, made["id"], number="4", title="Rehabilitering i länet")
    reported_at = item(client, admin, may, number="12", title="Återrapport: rehabilitering")
    item(client, admin, may, number="13", title="Ett annat ärende")  # not linked: not on the timeline

    assignment = decision(client, admin, assigned_at["id"], "assignment", assignee_body_id=lsg)
    referral = decision(client, admin, referred_at["id"], "referral", target_body_id=lsg)
    noted = decision(client, admin, prepared_at["id"], "noted", decided_on=f"{YEAR}-03-15")
    patch(client, admin, f"/decisions/{assignment['id']}", {"report_item_id": reported_at["id"]})

    out = timeline(client, reader, made["id"])
    assert out["case"] == client.get(f"{CASES}/{made['id']}", headers=admin).json()
    entries = out["entries"]
    assert [e["kind"] for e in entries] == [
        "created",
        *["status_changed"] * 4,
        "handled",
        "handled",
        "decision",
        "decision",
        "referred",
        "handled",
        "decision",
        "report_back",
    ]
    days = [date.fromisoformat(e["on"]) for e in entries]
    assert days == sorted(days)

    created = entries[0]
    assert (created["on"], created["to_status"]) == (today().isoformat(), "open")
    assert [(e["from_status"], e["to_status"]) for e in entries[1:5]] == [
        ("open", "in_preparation"),
        ("in_preparation", "ready"),
        ("ready", "decided"),
        ("decided", "in_follow_up"),
    ]
    assert {e["on"] for e in entries[1:5]} == {today().isoformat()}

    handled = [e for e in entries if e["kind"] == "handled"]
    assert [(e["on"], e["meeting_id"], e["agenda_item_id"], e["item_number"], e["body_id"]) for e in handled] == [
        (f"{YEAR}-02-07", february, assigned_at["id"], "19", council),
        (f"{YEAR}-02-07", february, referred_at["id"], "20", council),
        (f"{YEAR}-03-14", march, prepared_at["id"], "4", lsg),
    ]
    assert handled[0]["title"] == "Primärvården är navet"
    assert handled[0]["at"].startswith(f"{YEAR}-02-07T08:30:00")  # 09:30 in Stockholm, UTC+1 in February

    decisions = [e for e in entries if e["kind"] == "decision"]
    assert [(e["decision_id"], e["on"], e["agenda_item_id"], e["body_id"]) for e in decisions] == [
        (assignment["id"], f"{YEAR}-02-07", assigned_at["id"], council),
        (referral["id"], f"{YEAR}-02-07", referred_at["id"], council),
        (noted["id"], f"{YEAR}-03-15", prepared_at["id"], lsg),
    ]
    assert [e["title"] for e in decisions] == ["assignment", "referral", "noted"]

    referred = entries[9]
    assert (referred["on"], referred["body_id"], referred["decision_id"]) == (f"{YEAR}-02-07", lsg, referral["id"])

    report = entries[-1]
    assert (report["on"], report["meeting_id"], report["agenda_item_id"]) == (f"{YEAR}-05-03", may, reported_at["id"])
    assert (report["item_number"], report["decision_id"], report["body_id"]) == ("12", assignment["id"], council)


def test_a_referral_is_dated_by_its_decision(client: TestClient, admin: Headers) -> None:
    council, lsg = body(client, admin, "Samråd", "SHVO"), body(client, admin, "Länssamverkansgruppen", "LSG")
    made = case(client, admin, responsible_body_id=council)
    at = item(client, admin, meeting(client, admin, council, "2024-05-03T09:30:00"), made["id"], number="20")
    decision(client, admin, at["id"], "referral", target_body_id=lsg)
    entries = timeline(client, admin, made["id"])["entries"]
    # Entered afterwards, the meeting of 2024 still comes before the case was recorded today.
    assert [e["kind"] for e in entries] == ["handled", "decision", "referred", "created"]
    assert entries[2]["on"] == "2024-05-03"


def test_items_taken_off_the_agenda_leave_the_timeline(client: TestClient, admin: Headers) -> None:
    council, lsg = body(client, admin, "Samråd", "SHVO"), body(client, admin, "Länssamverkansgruppen", "LSG")
    made = case(client, admin, responsible_body_id=council)
    first = item(client, admin, meeting(client, admin, council, f"{YEAR}-02-07T09:30:00"), made["id"])
    later = meeting(client, admin, council, f"{YEAR}-05-03T09:30:00")
    dropped = item(client, admin, later, made["id"], title="Struken punkt")
    report = item(client, admin, later, title="Återrapport")
    assignment = decision(client, admin, first["id"], "assignment", assignee_body_id=lsg)
    patch(client, admin, f"/decisions/{assignment['id']}", {"report_item_id": report["id"]})
    kinds = [e["kind"] for e in timeline(client, admin, made["id"])["entries"]]
    assert kinds == ["created", "handled", "decision", "handled", "report_back"]

    assert client.delete(f"{API}/agenda-items/{dropped['id']}", headers=admin).status_code == 204
    kinds = [e["kind"] for e in timeline(client, admin, made["id"])["entries"]]
    assert kinds == ["created", "handled", "decision", "report_back"]
    # The report-back item is in use while the assignment names it.
    refused = client.delete(f"{API}/agenda-items/{report['id']}", headers=admin)
    assert refused.status_code == 409 and refused.json()["code"] == "in_use"
    patch(client, admin, f"/decisions/{assignment['id']}", {"report_item_id": None})
    assert client.delete(f"{API}/agenda-items/{report['id']}", headers=admin).status_code == 204
    kinds = [e["kind"] for e in timeline(client, admin, made["id"])["entries"]]
    assert kinds == ["created", "handled", "decision"]


def test_statements_do_not_grow_with_the_handlings(client: TestClient, admin: Headers, count_queries: Any) -> None:
    council, lsg = body(client, admin, "Samråd", "SHVO"), body(client, admin, "Länssamverkansgruppen", "LSG")

    def handled_at(count: int) -> str:
        made = case(client, admin, responsible_body_id=council)
        patch(client, admin, f"/cases/{made['id']}", {"status": "in_preparation"})
        items = []
        for n in range(count):
            m = meeting(client, admin, council if n % 2 == 0 else lsg, f"{YEAR}-{n + 2:02d}-07T09:30:00")
            items.append(item(client, admin, m, made["id"]))
            decision(client, admin, items[-1]["id"], "noted")
        assignment = decision(client, admin, items[0]["id"], "assignment", assignee_body_id=lsg)
        decision(client, admin, items[-1]["id"], "referral", target_body_id=lsg)
        report = item(client, admin, meeting(client, admin, lsg, f"{YEAR}-12-04T09:30:00"), title="Återrapport")
        patch(client, admin, f"/decisions/{assignment['id']}", {"report_item_id": report["id"]})
        return str(made["id"])

    one, six = handled_at(1), handled_at(6)
    with count_queries() as few:
        kinds = [e["kind"] for e in timeline(client, admin, one)["entries"]]
    assert kinds.count("handled") == 1 and kinds.count("report_back") == 1 and kinds.count("referred") == 1
    with count_queries() as many:
        kinds = [e["kind"] for e in timeline(client, admin, six)["entries"]]
    assert kinds.count("handled") == 6 and kinds.count("decision") == 8 and kinds.count("report_back") == 1
    assert few() == many()
