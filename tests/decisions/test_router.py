"""Decisions over HTTP: each kind on an agenda item, what is taken from the item, the rules per kind,
concurrency, soft delete, the list's filters, referrals and who may do what."""

import unicodedata
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.decisions.conftest import (
    AIDS_COUNCIL,
    AU,
    COUNCIL,
    DECISIONS,
    FUTURE_DEADLINE,
    LSG,
    SKR,
    UMEA,
    World,
    assert_refused,
)

CLAUSES = [
    "Samråd hälsa, vård och omsorg och Länssamverkansgruppen utgör systemledning för Nära vård i Västerbotten",
    "fastställa Framtidsbild Nära vård 2030",
    "uppdra åt de regionala samverkanskoordinatorerna att återkomma med en plan för uppföljning",
]


def test_each_kind_is_recorded_on_an_agenda_item(world: World) -> None:
    case = world.case("Framtidsbild Nära vård 2030")
    meeting = world.meeting("2024-05-03T09:30:00")
    item = world.item(meeting, "Framtidsbild och systemledning", case_ids=[case["id"]])

    noted = world.decide(item, "noted", text="Samråd hälsa, vård och omsorg godkände informationen.")
    resolved = world.try_decide(item, "resolved", text="Samrådet beslutade", clauses=CLAUSES)
    assert resolved.status_code == 201, resolved.text
    assert resolved.headers["location"].endswith(f"{DECISIONS}/{resolved.json()['id']}")
    assert resolved.headers["etag"]
    recommendation = world.decide(item, "recommendation", clauses=CLAUSES[:2], response_deadline="2024-09-30")
    assignment = world.decide(item, "assignment", assignee_body_id=world.orgs[LSG], due_date="2024-10-11")
    referral = world.decide(item, "referral", target_body_id=world.orgs[LSG])

    made = [noted, resolved.json(), recommendation, assignment, referral]
    assert [d["kind"] for d in made] == ["noted", "resolved", "recommendation", "assignment", "referral"]
    for d in made:
        assert d["agenda_item_id"] == item["id"]
        assert d["meeting_id"] == meeting["id"]
        assert d["body_id"] == world.orgs[COUNCIL]
        assert d["case_id"] == case["id"]
        assert d["decided_on"] == "2024-05-03"
    assert resolved.json()["clauses"] == CLAUSES
    assert resolved.json()["clauses"][2].startswith("uppdra åt")
    assert noted["clauses"] == [] and noted["tally"] is None and noted["overdue_principal_ids"] is None
    assert recommendation["response_deadline"] == "2024-09-30"
    assert recommendation["tally"]["pending"] == 16
    assert assignment["assignee_body_id"] == world.orgs[LSG]
    assert assignment["due_date"] == "2024-10-11"
    assert assignment["assignment_status"] == "open"
    assert referral["target_body_id"] == world.orgs[LSG]
    for d in (noted, recommendation, referral):
        assert d["assignment_status"] is None and d["due_date"] is None
    for d in made:
        got = world.client.get(f"{DECISIONS}/{d['id']}", headers=world.admin)
        assert got.status_code == 200
        assert got.json() == d
    listed = world.decisions(agenda_item_id=item["id"], sort="created_at")
    assert [d["id"] for d in listed] == [d["id"] for d in made]


def test_text_pasted_decomposed_is_stored_composed(world: World) -> None:
    item = world.item(world.meeting("2024-05-03T09:30:00"))
    decomposed = [unicodedata.normalize("NFD", c) for c in CLAUSES]
    assert decomposed != CLAUSES
    made = world.decide(item, "resolved", text=decomposed[1], clauses=decomposed)
    assert made["text"] == CLAUSES[1] and made["clauses"] == CLAUSES
    r = world.client.patch(
        f"{DECISIONS}/{made['id']}", json={"text": decomposed[0], "clauses": decomposed[2:]}, headers=world.admin
    )
    assert r.status_code == 200, r.text
    assert r.json()["text"] == CLAUSES[0] and r.json()["clauses"] == CLAUSES[2:]


def test_decided_on_is_the_meetings_stockholm_date_unless_given(world: World) -> None:
    # 00:30 in Stockholm is still the day before in UTC.
    meeting = world.meeting("2024-05-03T00:30:00")
    assert meeting["starts_at"] == "2024-05-03T00:30:00+02:00"
    item = world.item(meeting)
    assert world.decide(item, "noted")["decided_on"] == "2024-05-03"
    assert world.decide(item, "noted", decided_on="2024-05-06")["decided_on"] == "2024-05-06"


def test_the_case_is_taken_from_the_item_only_when_it_has_exactly_one(world: World) -> None:
    meeting = world.meeting("2024-05-03T09:30:00")
    first, second = world.case("Rehabilitering i länet"), world.case("Hälsa, lärande, trygghet")
    none = world.item(meeting, "Utan ärende")
    one = world.item(meeting, "Ett ärende", case_ids=[first["id"]])
    two = world.item(meeting, "Två ärenden", case_ids=[first["id"], second["id"]])
    assert world.decide(none, "noted")["case_id"] is None
    assert world.decide(one, "noted")["case_id"] == first["id"]
    assert world.decide(two, "noted")["case_id"] is None
    assert world.decide(two, "noted", case_id=second["id"])["case_id"] == second["id"]
    # A missing object named in the body is the client's 422, naming the field (404 is for the path).
    assert_refused(world.try_decide(one, "noted", case_id="00000000-0000-4000-8000-000000000000"), "case_id")


def test_the_body_is_the_items_or_another_of_the_meetings_bodies(world: World) -> None:
    joint = world.meeting("2024-05-03T09:30:00", COUNCIL, LSG)
    item = world.item(joint)
    assert world.decide(item, "noted")["body_id"] == world.orgs[COUNCIL]
    assert world.decide(item, "noted", body_id=world.orgs[LSG])["body_id"] == world.orgs[LSG]
    assert_refused(world.try_decide(item, "noted", body_id=world.orgs[AIDS_COUNCIL]), "body_id")
    assert world.count() == 2


def test_kind_specific_fields_are_refused_on_the_wrong_kind(world: World) -> None:
    meeting = world.meeting("2024-05-03T09:30:00")
    item = world.item(meeting)
    lsg = world.orgs[LSG]
    cases = [
        ("noted", {"due_date": "2024-10-11"}, "due_date"),
        ("noted", {"assignment_status": "open"}, "assignment_status"),
        ("resolved", {"response_deadline": "2024-09-30"}, "response_deadline"),
        ("resolved", {"report_item_id": item["id"]}, "report_item_id"),
        ("assignment", {"assignee_body_id": lsg, "target_body_id": lsg}, "target_body_id"),
        ("assignment", {"assignee_body_id": lsg, "response_deadline": "2024-09-30"}, "response_deadline"),
        ("recommendation", {"response_deadline": "2024-09-30", "assignee_body_id": lsg}, "assignee_body_id"),
        ("referral", {"target_body_id": lsg, "due_date": "2024-10-11"}, "due_date"),
    ]
    for kind, fields, name in cases:
        assert_refused(world.try_decide(item, kind, **fields), name)
    assert world.count() == 0


def test_required_fields_and_bodies_are_checked(world: World) -> None:
    meeting = world.meeting("2024-05-03T09:30:00")
    item = world.item(meeting)
    unknown = "00000000-0000-4000-8000-000000000000"
    cases = [
        ("assignment", {"due_date": "2024-10-11"}, "assignee_body_id"),
        ("referral", {}, "target_body_id"),
        ("assignment", {"assignee_body_id": world.orgs[UMEA]}, "assignee_body_id"),
        ("assignment", {"assignee_body_id": unknown}, "assignee_body_id"),
        ("referral", {"target_body_id": world.orgs[SKR]}, "target_body_id"),
        ("referral", {"target_body_id": world.orgs[UMEA]}, "target_body_id"),
        ("noted", {"recipient_ids": [world.orgs[UMEA]]}, "recipient_ids"),
        ("assignment", {"assignee_body_id": world.orgs[LSG], "recipient_ids": []}, "recipient_ids"),
        ("noted", {"clauses": ["x" * 10], "colour": "blue"}, "colour"),
        ("fined", {}, "kind"),
    ]
    for kind, fields, name in cases:
        assert_refused(world.try_decide(item, kind, **fields), name)
    assert world.count() == 0
    # A protocol seldom states the deadline: a recommendation may be recorded without one, and is then never overdue.
    undated = world.decide(item, "recommendation")
    assert undated["response_deadline"] is None
    assert (undated["tally"]["pending"], undated["tally"]["overdue"]) == (16, 0)
    # A working group is a body too.
    group = world.orgs["Beredning barn och unga"]
    assert world.decide(item, "assignment", assignee_body_id=group)["assignee_body_id"] == group


def test_patch_edits_but_never_changes_the_kind(world: World) -> None:
    meeting = world.meeting("2024-05-03T09:30:00")
    item = world.item(meeting)
    noted = world.decide(item, "noted", text="Informationen noterades.")
    url = f"{DECISIONS}/{noted['id']}"

    r = world.client.patch(url, json={"kind": "resolved", "clauses": ["anta planen"]}, headers=world.admin)
    assert_refused(r, "kind")
    assert_refused(world.client.patch(url, json={"due_date": "2024-10-11"}, headers=world.admin), "due_date")
    assert_refused(world.client.patch(url, json={"decided_on": None}, headers=world.admin), "decided_on")
    assert_refused(world.client.patch(url, json={"recipient_ids": []}, headers=world.admin), "recipient_ids")
    assert world.client.get(url, headers=world.admin).json() == noted

    r = world.client.patch(url, json={"kind": "noted", "clauses": CLAUSES[:1], "text": None}, headers=world.admin)
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "noted" and r.json()["clauses"] == CLAUSES[:1] and r.json()["text"] is None

    assignment = world.decide(item, "assignment", assignee_body_id=world.orgs[LSG])
    url = f"{DECISIONS}/{assignment['id']}"
    assert_refused(world.client.patch(url, json={"assignee_body_id": None}, headers=world.admin), "assignee_body_id")
    r = world.client.patch(url, json={"target_body_id": world.orgs[AU]}, headers=world.admin)
    assert_refused(r, "target_body_id")
    r = world.client.patch(url, json={"assignee_body_id": world.orgs[AU]}, headers=world.admin)
    assert r.status_code == 200 and r.json()["assignee_body_id"] == world.orgs[AU]


def test_if_match_and_a_stale_etag(world: World) -> None:
    meeting = world.meeting("2024-05-03T09:30:00")
    decision = world.try_decide(world.item(meeting), "resolved", clauses=CLAUSES[:1])
    url, etag = f"{DECISIONS}/{decision.json()['id']}", decision.headers["etag"]
    assert world.client.get(url, headers=world.admin).headers["etag"] == etag

    ok = world.client.patch(url, json={"clauses": CLAUSES}, headers={**world.admin, "If-Match": etag})
    assert ok.status_code == 200, ok.text
    assert ok.headers["etag"] != etag
    stale = world.client.patch(url, json={"clauses": []}, headers={**world.admin, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert world.client.delete(url, headers={**world.admin, "If-Match": etag}).status_code == 412
    assert world.client.get(url, headers=world.admin).json()["clauses"] == CLAUSES
    assert world.client.delete(url, headers={**world.admin, "If-Match": ok.headers["etag"]}).status_code == 204


def test_delete_is_soft_and_leaves_a_tombstone(world: World) -> None:
    meeting = world.meeting("2024-05-03T09:30:00")
    item = world.item(meeting)
    kept = world.decide(item, "noted")
    gone = world.decide(item, "recommendation", response_deadline=FUTURE_DEADLINE)
    url = f"{DECISIONS}/{gone['id']}"
    assert world.client.delete(url, headers=world.admin).status_code == 204

    assert world.client.get(url, headers=world.admin).status_code == 404
    assert world.client.get(f"{url}/responses", headers=world.admin).status_code == 404
    assert world.client.patch(url, json={"clauses": []}, headers=world.admin).status_code == 404
    assert world.client.delete(url, headers=world.admin).status_code == 404
    answer = {"organisation_id": world.orgs[UMEA], "status": "adopted"}
    assert world.client.post(f"{url}/responses", json=answer, headers=world.admin).status_code == 404
    assert world.ids() == {kept["id"]}
    assert world.ids(kind="recommendation", principal_id=world.orgs[UMEA]) == set()
    synced = world.decisions(updated_since="2000-01-01T00:00:00Z")
    tombstone = next(d for d in synced if d["id"] == gone["id"])
    assert tombstone["deleted"] is True and set(tombstone) == {"id", "deleted", "updated_at"}


def test_unknown_ids_are_404_problems(world: World) -> None:
    url = f"{DECISIONS}/00000000-0000-4000-8000-000000000000"
    for r in (
        world.client.get(url, headers=world.admin),
        world.client.patch(url, json={"clauses": []}, headers=world.admin),
        world.client.delete(url, headers=world.admin),
        world.client.get(f"{url}/responses", headers=world.admin),
    ):
        assert r.status_code == 404, r.text
        assert r.headers["content-type"] == "application/problem+json"
    r = world.client.post(
        DECISIONS, json={"agenda_item_id": url.rsplit("/", 1)[1], "kind": "noted"}, headers=world.admin
    )
    assert_refused(r, "agenda_item_id")
    assert world.client.get(f"{DECISIONS}/not-a-uuid", headers=world.admin).status_code == 422


def test_list_filters(world: World) -> None:
    march = world.meeting("2024-03-15T09:00:00")
    may = world.meeting("2024-05-03T09:30:00", COUNCIL, LSG)
    case = world.case("Primärvården är navet")
    m1, m2 = world.item(march, "Mars"), world.item(march, "Mars, ärende", case_ids=[case["id"]])
    y1 = world.item(may, "Maj", case_ids=[case["id"]])
    a = world.decide(m1, "noted")
    b = world.decide(m2, "assignment", assignee_body_id=world.orgs[LSG])
    c = world.decide(y1, "resolved", clauses=CLAUSES)
    d = world.decide(y1, "noted", body_id=world.orgs[LSG])
    e = world.decide(y1, "referral", target_body_id=world.orgs[AU])
    all_ids = {x["id"] for x in (a, b, c, d, e)}

    assert world.ids() == all_ids
    assert world.ids(kind="noted") == {a["id"], d["id"]}
    assert world.ids(kind=["noted", "referral"]) == {a["id"], d["id"], e["id"]}
    assert world.ids(body_id=world.orgs[LSG]) == {d["id"]}
    assert world.ids(body_id=world.orgs[COUNCIL]) == all_ids - {d["id"]}
    assert world.ids(meeting_id=march["id"]) == {a["id"], b["id"]}
    assert world.ids(agenda_item_id=y1["id"]) == {c["id"], d["id"], e["id"]}
    assert world.ids(case_id=case["id"]) == {b["id"], c["id"], d["id"], e["id"]}
    assert world.ids(decided_from="2024-04-01") == {c["id"], d["id"], e["id"]}
    assert world.ids(decided_to="2024-03-15") == {a["id"], b["id"]}
    assert world.ids(decided_from="2024-03-16", decided_to="2024-05-02") == set()
    assert world.ids(decided_from="2024-05-03", decided_to="2024-05-03", kind="noted") == {d["id"]}
    assert world.ids(assignee_body_id=world.orgs[LSG]) == {b["id"]}
    assert world.ids(target_body_id=world.orgs[AU]) == {e["id"]}
    assert [x["decided_on"] for x in world.decisions()] == ["2024-05-03"] * 3 + ["2024-03-15"] * 2
    assert world.client.get(DECISIONS, params={"kind": "vetoed"}, headers=world.admin).status_code == 422

    first = world.get("/decisions", kind="noted", meeting_id=may["id"], limit=1)
    assert first["links"]["next"] is None
    page = world.get("/decisions", kind="noted", limit=1, count="true")
    assert page["pagination"] == {"limit": 1, "total": 2}
    assert "kind=noted" in page["links"]["next"]
    rest = world.client.get(page["links"]["next"], headers=world.admin).json()
    assert {page["data"][0]["id"], rest["data"][0]["id"]} == {a["id"], d["id"]}


def test_a_referral_moves_the_case_to_the_target_bodys_queue(world: World) -> None:
    case = world.case("Likvärdiga förutsättningar för rehabilitering i länet")
    assert world.get("/cases", queue_body_id=world.orgs[COUNCIL])["data"][0]["id"] == case["id"]
    meeting = world.meeting("2024-05-03T09:30:00")
    item = world.item(meeting, "Ärenden till Länssamverkansgruppen", case_ids=[case["id"]])
    referral = world.decide(item, "referral", target_body_id=world.orgs[LSG], text="Frågan bereds vidare.")

    assert [c["id"] for c in world.get("/cases", queue_body_id=world.orgs[LSG])["data"]] == [case["id"]]
    assert world.get("/cases", queue_body_id=world.orgs[COUNCIL])["data"] == []
    assert world.get(f"/cases/{case['id']}")["queue_body_id"] == world.orgs[LSG]
    entries = world.get(f"/cases/{case['id']}/timeline")["entries"]
    referred = [e for e in entries if e["kind"] == "referred"]
    assert len(referred) == 1
    assert referred[0]["body_id"] == world.orgs[LSG] and referred[0]["decision_id"] == referral["id"]
    assert referred[0]["on"] == referral["decided_on"] == "2024-05-03"
    assert any(e["kind"] == "decision" and e["decision_id"] == referral["id"] for e in entries)

    # A referral without a case moves nothing.
    world.decide(world.item(meeting, "Utan ärende"), "referral", target_body_id=world.orgs[AU])
    assert world.get("/cases", queue_body_id=world.orgs[AU])["data"] == []


def test_only_a_secretary_of_the_deciding_body_or_an_admin_writes(
    world: World, make_principal: Callable[..., dict[str, str]], reader: dict[str, str]
) -> None:
    council, lsg = world.orgs[COUNCIL], world.orgs[LSG]
    council_secretary = make_principal(f"secretary:{council}")
    lsg_secretary = make_principal(f"secretary:{lsg}")
    editor = make_principal(f"editor:{world.orgs[UMEA]}")
    joint = world.meeting("2024-05-03T09:30:00", COUNCIL, LSG)
    item = world.item(joint)

    for headers in (lsg_secretary, editor, reader):
        r = world.try_decide(item, "noted", headers=headers)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "missing_role"
    assert world.try_decide(item, "noted", headers={}).status_code == 401
    assert world.count() == 0

    r = world.try_decide(item, "noted", headers=council_secretary)
    assert r.status_code == 201, r.text
    mine = r.json()
    own = world.try_decide(item, "noted", headers=lsg_secretary, body_id=lsg)
    assert own.status_code == 201, own.text

    url = f"{DECISIONS}/{mine['id']}"
    for headers in (lsg_secretary, editor, reader):
        assert world.client.patch(url, json={"clauses": ["x"]}, headers=headers).status_code == 403
        assert world.client.delete(url, headers=headers).status_code == 403
    r = world.client.patch(url, json={"clauses": ["x"]}, headers=council_secretary)
    assert r.status_code == 200 and r.json()["clauses"] == ["x"]
    own_url = f"{DECISIONS}/{own.json()['id']}"
    assert world.client.patch(own_url, json={"text": "y"}, headers=lsg_secretary).status_code == 200
    assert world.client.delete(url, headers=council_secretary).status_code == 204
    assert world.client.delete(own_url, headers=world.admin).status_code == 204


def test_reading_needs_a_token_and_any_reading_role(world: World, reader: dict[str, str]) -> None:
    meeting = world.meeting("2024-05-03T09:30:00")
    decision = world.decide(world.item(meeting), "noted")
    url = f"{DECISIONS}/{decision['id']}"
    assert world.get(f"/decisions/{decision['id']}", headers=reader) == decision
    assert [d["id"] for d in world.get("/decisions", headers=reader)["data"]] == [decision["id"]]
    for r in (world.client.get(url), world.client.get(DECISIONS), world.client.get(f"{url}/responses")):
        assert r.status_code == 401
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert world.client.get(url, headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def _recorded(world: World, n: int) -> None:
    meeting = world.meeting("2021-03-19T09:00:00")
    item = world.item(meeting, "Rekommendation till beslut om systemledning och framtidsbild för Nära vård 2030")
    for _ in range(n):
        world.decide(item, "recommendation", clauses=CLAUSES[:2], response_deadline="2021-09-30")
    world.decide(item, "assignment", assignee_body_id=world.orgs[LSG], due_date="2021-06-01")


def test_the_list_takes_a_constant_number_of_statements(world: World, count_queries: Any) -> None:
    _recorded(world, 20)
    world.get("/decisions", limit=1)
    counts = {}
    for limit in (2, 21):
        with count_queries() as n:
            page = world.get("/decisions", limit=limit, kind=["recommendation", "assignment"])
        assert len(page["data"]) == limit
        assert all(d["tally"]["overdue"] == 16 for d in page["data"] if d["kind"] == "recommendation")
        counts[limit] = n()
    assert counts[2] == counts[21]
    with count_queries() as n:
        assert len(world.get("/decisions", overdue="true", limit=20)["data"]) == 20
    assert n() == counts[2]


def test_openapi_documents_the_kinds(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    kinds = schema["components"]["schemas"]["DecisionKind"]["enum"]
    assert kinds == ["noted", "resolved", "recommendation", "assignment", "referral"]
