"""Meetings over HTTP: planning and editing, Stockholm times, status transitions, joint meetings, filters,
permissions, and the whole protocol read back in a constant number of statements."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.meetings.meeting_api import (
    API,
    LSG,
    MEETINGS,
    add_item,
    assert_invalid,
    assert_problem,
    body,
    ids,
    municipality,
    person,
    plan,
    set_status,
)

MISSING = "00000000-0000-4000-8000-000000000000"


def count(client: TestClient, headers: dict[str, str]) -> int:
    total: int = client.get(MEETINGS, params={"count": "true"}, headers=headers).json()["pagination"]["total"]
    return total


def test_create_get_and_list(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    r = client.post(
        MEETINGS,
        json={
            "body_ids": [council],
            "title": "Samrådsmöte i maj",
            "starts_at": "2024-05-03T09:30:00",
            "ends_at": "2024-05-03T15:00:00",
            "place": "Teams",
            "diary_number": "HSN 50:2-2024",
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert r.headers["location"].endswith(f"{MEETINGS}/{made['id']}")
    assert r.headers["etag"]
    assert made["body_ids"] == [council]
    assert (made["kind"], made["status"]) == ("ordinary", "planned")
    assert made["title"] == "Samrådsmöte i maj"
    assert made["online"] is True  # the place is Teams
    assert made["diary_number"] == "HSN 50:2-2024"
    assert made["item_range"] is None and made["adjuster_ids"] == []

    got = client.get(f"{MEETINGS}/{made['id']}", headers=admin)
    assert got.status_code == 200
    assert got.json() == {**made, "items": None, "decisions": None, "attendance": None, "documents": None}
    assert got.headers["etag"] == r.headers["etag"]

    listed = client.get(MEETINGS, headers=admin).json()
    assert listed["data"] == [made]
    assert listed["pagination"] == {"limit": 50, "total": None}


def test_times_without_offset_are_stockholm_time(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    summer = plan(client, admin, [council], "2024-06-14T09:00:00", ends_at="2024-06-14T12:00:00")
    assert summer["starts_at"] == "2024-06-14T09:00:00+02:00"
    assert summer["ends_at"] == "2024-06-14T12:00:00+02:00"
    winter = plan(client, admin, [council], "2024-01-19T09:00:00")
    assert winter["starts_at"] == "2024-01-19T09:00:00+01:00"
    in_utc = plan(client, admin, [council], "2024-05-03T07:30:00Z", ends_at="2024-05-03T13:00:00+00:00")
    assert in_utc["starts_at"] == "2024-05-03T09:30:00+02:00"
    assert in_utc["ends_at"] == "2024-05-03T15:00:00+02:00"
    other_offset = plan(client, admin, [council], "2024-11-08T10:00:00+02:00")
    assert other_offset["starts_at"] == "2024-11-08T09:00:00+01:00"

    moved = client.patch(f"{MEETINGS}/{summer['id']}", json={"starts_at": "2024-06-14T08:30:00"}, headers=admin)
    assert moved.status_code == 200, moved.text
    assert moved.json()["starts_at"] == "2024-06-14T08:30:00+02:00"
    into_winter = client.patch(
        f"{MEETINGS}/{summer['id']}",
        json={"starts_at": "2024-12-13T09:00:00", "ends_at": "2024-12-13T11:00:00"},
        headers=admin,
    )
    assert into_winter.json()["starts_at"] == "2024-12-13T09:00:00+01:00"
    assert into_winter.json()["ends_at"] == "2024-12-13T11:00:00+01:00"


def test_ends_at_must_follow_starts_at(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    for ends_at in ("2024-05-03T08:00:00", "2024-05-03T09:30:00", "2024-05-03T07:00:00Z"):
        r = client.post(
            MEETINGS,
            json={"body_ids": [council], "starts_at": "2024-05-03T09:30:00", "ends_at": ends_at},
            headers=admin,
        )
        assert_invalid(r, "ends_at")
    assert count(client, admin) == 0

    made = plan(client, admin, [council], "2024-05-03T09:30:00", ends_at="2024-05-03T15:00:00")
    late = client.patch(f"{MEETINGS}/{made['id']}", json={"starts_at": "2024-05-03T16:00:00"}, headers=admin)
    assert_invalid(late, "ends_at")
    early = client.patch(f"{MEETINGS}/{made['id']}", json={"ends_at": "2024-05-03T09:00:00"}, headers=admin)
    assert_invalid(early, "ends_at")
    got = client.get(f"{MEETINGS}/{made['id']}", headers=admin).json()
    assert (got["starts_at"], got["ends_at"]) == ("2024-05-03T09:30:00+02:00", "2024-05-03T15:00:00+02:00")


def test_patch_honours_if_match(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    r = client.post(MEETINGS, json={"body_ids": [council], "starts_at": "2024-05-03T09:30:00"}, headers=admin)
    meeting_id, etag = r.json()["id"], r.headers["etag"]

    ok = client.patch(f"{MEETINGS}/{meeting_id}", json={"place": "Umeå"}, headers={**admin, "If-Match": etag})
    assert ok.status_code == 200, ok.text
    assert ok.json()["place"] == "Umeå"
    assert ok.headers["etag"] != etag
    assert client.get(f"{MEETINGS}/{meeting_id}", headers=admin).headers["etag"] == ok.headers["etag"]

    stale = client.patch(f"{MEETINGS}/{meeting_id}", json={"place": "Lycksele"}, headers={**admin, "If-Match": etag})
    assert_problem(stale, 412, "precondition_failed")
    assert client.get(f"{MEETINGS}/{meeting_id}", headers=admin).json()["place"] == "Umeå"
    assert_problem(client.delete(f"{MEETINGS}/{meeting_id}", headers={**admin, "If-Match": etag}), 412)
    assert client.get(f"{MEETINGS}/{meeting_id}", headers=admin).status_code == 200

    # JSON merge: null clears an optional field, but never a required one
    cleared = client.patch(f"{MEETINGS}/{meeting_id}", json={"place": None}, headers=admin)
    assert cleared.status_code == 200 and cleared.json()["place"] is None
    assert_invalid(client.patch(f"{MEETINGS}/{meeting_id}", json={"starts_at": None}, headers=admin), "starts_at")
    assert_invalid(client.patch(f"{MEETINGS}/{meeting_id}", json={"status": None}, headers=admin), "status")


def test_status_transitions(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council])
    url = f"{MEETINGS}/{meeting['id']}"
    for status in ("convened", "held", "minutes_approved"):
        r = client.patch(url, json={"status": status}, headers=admin)
        assert r.status_code == 200, (status, r.text)
        assert r.json()["status"] == status
    back = client.patch(url, json={"status": "planned"}, headers=admin)
    assert_problem(back, 409, "invalid_transition")
    assert_problem(client.patch(url, json={"status": "cancelled"}, headers=admin), 409, "invalid_transition")
    assert client.get(url, headers=admin).json()["status"] == "minutes_approved"

    other = plan(client, admin, [council], "2024-06-14T09:00:00")
    other_url = f"{MEETINGS}/{other['id']}"
    set_status(client, admin, other["id"], "cancelled")
    assert_problem(client.patch(other_url, json={"status": "held"}, headers=admin), 409, "invalid_transition")
    set_status(client, admin, other["id"], "planned")
    assert client.get(other_url, headers=admin).json()["status"] == "planned"
    # the same status again is no transition at all
    assert client.patch(other_url, json={"status": "planned"}, headers=admin).status_code == 200


def test_delete_is_soft_and_leaves_a_tombstone(client: TestClient, admin: dict[str, str]) -> None:
    before = "2000-01-01T00:00:00Z"
    council = body(client, admin)
    kept = plan(client, admin, [council], "2024-06-14T09:00:00")
    gone = plan(client, admin, [council], title="Ställs in")
    assert client.delete(f"{MEETINGS}/{gone['id']}", headers=admin).status_code == 204
    assert_problem(client.get(f"{MEETINGS}/{gone['id']}", headers=admin), 404, "not_found")
    assert_problem(client.delete(f"{MEETINGS}/{gone['id']}", headers=admin), 404)
    assert_problem(client.patch(f"{MEETINGS}/{gone['id']}", json={"place": "Umeå"}, headers=admin), 404)
    assert ids(client.get(MEETINGS, headers=admin)) == [kept["id"]]

    synced = client.get(MEETINGS, params={"updated_since": before}, headers=admin).json()["data"]
    tombstone = next(m for m in synced if m["id"] == gone["id"])
    assert tombstone["deleted"] is True
    assert set(tombstone) == {"id", "deleted", "updated_at"}
    assert {m["id"] for m in synced} == {kept["id"], gone["id"]}


def test_a_meeting_with_agenda_items_cannot_be_deleted(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council])
    item = add_item(client, admin, meeting["id"], "Godkännande av dagordning", kind="standing")
    assert_problem(client.delete(f"{MEETINGS}/{meeting['id']}", headers=admin), 409, "in_use")
    assert client.get(f"{MEETINGS}/{meeting['id']}", headers=admin).status_code == 200

    assert client.delete(f"{API}/agenda-items/{item['id']}", headers=admin).status_code == 204
    assert client.delete(f"{MEETINGS}/{meeting['id']}", headers=admin).status_code == 204


def test_a_joint_meeting_is_found_by_either_body(client: TestClient, admin: dict[str, str]) -> None:
    council, lsg = body(client, admin), body(client, admin, LSG)
    joint = plan(client, admin, [council, lsg], kind="joint", title="Systemledning för Nära vård")
    assert joint["body_ids"] == [council, lsg]
    own = plan(client, admin, [lsg], "2024-04-12T09:00:00")

    assert ids(client.get(MEETINGS, params={"body_id": council}, headers=admin)) == [joint["id"]]
    assert ids(client.get(MEETINGS, params={"body_id": lsg}, headers=admin)) == [joint["id"], own["id"]]
    assert ids(client.get(MEETINGS, params={"body_id": MISSING}, headers=admin)) == []

    # the officials' group takes the lead; the meeting stays on both bodies' lists
    r = client.patch(f"{MEETINGS}/{joint['id']}", json={"body_ids": [lsg, council]}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["body_ids"] == [lsg, council]
    assert ids(client.get(MEETINGS, params={"body_id": council}, headers=admin)) == [joint["id"]]


def test_filters(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    # Local times near midnight fall on another date in UTC: the filters take Stockholm dates.
    made = {
        name: plan(client, admin, [council], starts_at)["id"]
        for name, starts_at in [
            ("13th_late", "2024-06-13T23:30:00"),
            ("14th_early", "2024-06-14T00:30:00"),
            ("14th_late", "2024-06-14T23:30:00"),
            ("15th_early", "2024-06-15T00:30:00"),
            ("new_year_eve", "2024-12-31T23:30:00"),
            ("new_year", "2025-01-01T00:30:00"),
        ]
    }

    def listed(**params: Any) -> set[str]:
        found = ids(client.get(MEETINGS, params={"limit": 500, **params}, headers=admin))
        return {name for name, ident in made.items() if ident in found}

    assert listed(**{"from": "2024-06-14", "to": "2024-06-14"}) == {"14th_early", "14th_late"}
    assert listed(**{"from": "2024-06-15"}) == {"15th_early", "new_year_eve", "new_year"}
    assert listed(to="2024-06-13") == {"13th_late"}
    assert listed(year=2025) == {"new_year"}
    assert listed(year=2024) == set(made) - {"new_year"}

    set_status(client, admin, made["13th_late"], "held")
    set_status(client, admin, made["14th_early"], "held", "minutes_approved")
    set_status(client, admin, made["new_year"], "cancelled")
    assert listed(status="held") == {"13th_late"}
    assert listed(status=["held", "minutes_approved"]) == {"13th_late", "14th_early"}
    assert listed(status="cancelled", year=2025) == {"new_year"}
    assert listed(status="planned", **{"from": "2024-06-14", "to": "2024-06-30"}) == {"14th_late", "15th_early"}

    carin, bo = person(client, admin, "Carin Nilsson", "s"), person(client, admin, "Bo-Anders Johansson", "s")
    for meeting, status in [("13th_late", "present"), ("14th_early", "absent"), ("14th_late", "present")]:
        rows = [{"person_id": carin, "status": status}, {"person_id": bo}]
        r = client.put(f"{MEETINGS}/{made[meeting]}/attendance", json={"attendance": rows}, headers=admin)
        assert r.status_code == 200, r.text
    assert listed(person_id=carin) == {"13th_late", "14th_late"}  # absent is not attended
    assert listed(person_id=bo) == {"13th_late", "14th_early", "14th_late"}
    assert listed(person_id=carin, year=2024, status="held") == {"13th_late"}

    sorted_up = ids(client.get(MEETINGS, params={"sort": "starts_at", "limit": 500}, headers=admin))
    assert sorted_up == [made[n] for n in ("13th_late", "14th_early", "14th_late", "15th_early", "new_year_eve")] + [
        made["new_year"]
    ]
    assert_invalid(client.get(MEETINGS, params={"from": "2024-02-30"}, headers=admin), "query.from")
    assert_invalid(client.get(MEETINGS, params={"from": "0001-01-01"}, headers=admin), "query.from")
    assert_invalid(client.get(MEETINGS, params={"to": "9999-12-31"}, headers=admin), "query.to")
    assert_invalid(client.get(MEETINGS, params={"year": 1899}, headers=admin), "query.year")
    assert_invalid(client.get(MEETINGS, params={"status": "postponed"}, headers=admin), "query.status.0")


def test_links_next_carries_the_filters(client: TestClient, admin: dict[str, str]) -> None:
    council, lsg = body(client, admin), body(client, admin, LSG)
    mine = [plan(client, admin, [council], f"2024-0{month}-10T09:00:00")["id"] for month in (3, 4, 5)]
    plan(client, admin, [lsg], "2024-04-11T09:00:00")
    seen: list[str] = []
    url: str | None = MEETINGS
    params: dict[str, Any] | None = {"body_id": council, "limit": 2, "sort": "starts_at"}
    while url:
        page = client.get(url, params=params, headers=admin).json()
        seen += [m["id"] for m in page["data"]]
        url, params = page["links"]["next"], None
    assert seen == mine


def test_body_ids_must_name_bodies(client: TestClient, admin: dict[str, str]) -> None:
    council, umea = body(client, admin), municipality(client, admin)
    assert_invalid(
        client.post(MEETINGS, json={"body_ids": [council, umea], "starts_at": "2024-05-03T09:30:00"}, headers=admin),
        "body_ids.1",
    )
    assert_invalid(
        client.post(MEETINGS, json={"body_ids": [umea], "starts_at": "2024-05-03T09:30:00"}, headers=admin),
        "body_ids.0",
    )
    assert_invalid(
        client.post(MEETINGS, json={"body_ids": [MISSING], "starts_at": "2024-05-03T09:30:00"}, headers=admin),
        "body_ids.0",
    )
    assert_invalid(
        client.post(MEETINGS, json={"body_ids": [council, council], "starts_at": "2024-05-03T09:30:00"}, headers=admin),
        "body_ids",
    )
    assert count(client, admin) == 0

    meeting = plan(client, admin, [council])
    assert_invalid(
        client.patch(f"{MEETINGS}/{meeting['id']}", json={"body_ids": [council, umea]}, headers=admin), "body_ids.1"
    )
    assert client.get(f"{MEETINGS}/{meeting['id']}", headers=admin).json()["body_ids"] == [council]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unknown_field": 1}, "unknown_field"),
        ({"kind": "party"}, "kind"),
        ({"status": "postponed"}, "status"),
        ({"starts_at": "3 maj 2024"}, "starts_at"),
        ({"starts_at": "2024-02-30T09:00:00"}, "starts_at"),
        # in UTC these fall outside the calendar
        ({"starts_at": "0001-01-01T00:30:00"}, "starts_at"),
        ({"ends_at": "9999-12-31T23:30:00-14:00"}, "ends_at"),
        ({"body_ids": []}, "body_ids"),
        ({"title": "x" * 201}, "title"),
        ({"diary_number": ""}, "diary_number"),
        ({"chair_id": MISSING}, "chair_id"),
        ({"adjuster_ids": ["not-a-uuid"]}, "adjuster_ids.0"),
        ({"adjuster_ids": [MISSING]}, "adjuster_ids.0"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(
    client: TestClient, admin: dict[str, str], change: dict[str, Any], field: str
) -> None:
    council = body(client, admin)
    r = client.post(MEETINGS, json={"body_ids": [council], "starts_at": "2024-05-03T09:30:00", **change}, headers=admin)
    assert_invalid(r, field)
    assert count(client, admin) == 0
    meeting = plan(client, admin, [council], diary_number="HSN 50:2-2024")
    assert_invalid(client.patch(f"{MEETINGS}/{meeting['id']}", json=change, headers=admin), field)
    got = client.get(f"{MEETINGS}/{meeting['id']}", headers=admin).json()
    assert {k: got[k] for k in meeting} == meeting


def test_chair_and_adjusters(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    carin, anna = person(client, admin, "Carin Nilsson", "s"), person(client, admin, "Anna-Lena Danielsson", "m")
    meeting = plan(client, admin, [council], chair_id=carin, adjuster_ids=[anna])
    assert (meeting["chair_id"], meeting["adjuster_ids"]) == (carin, [anna])
    r = client.patch(f"{MEETINGS}/{meeting['id']}", json={"adjuster_ids": [], "chair_id": anna}, headers=admin)
    assert r.status_code == 200, r.text
    assert (r.json()["chair_id"], r.json()["adjuster_ids"]) == (anna, [])


def test_secretaries_edit_their_own_bodies_meetings_only(
    client: TestClient, admin: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    a, b = body(client, admin), body(client, admin, LSG)
    secretary = make_principal(f"secretary:{a}")
    own = plan(client, secretary, [a])
    assert client.patch(f"{MEETINGS}/{own['id']}", json={"place": "Umeå"}, headers=secretary).status_code == 200
    set_status(client, secretary, own["id"], "convened")
    joint = plan(client, secretary, [a, b], kind="joint")
    assert joint["body_ids"] == [a, b]

    theirs = plan(client, admin, [b])
    assert_problem(
        client.post(MEETINGS, json={"body_ids": [b], "starts_at": "2024-05-03T09:30:00"}, headers=secretary),
        403,
        "missing_role",
    )
    # joining a meeting is not leading it
    assert_problem(
        client.post(MEETINGS, json={"body_ids": [b, a], "starts_at": "2024-05-03T09:30:00"}, headers=secretary), 403
    )
    assert_problem(
        client.patch(f"{MEETINGS}/{theirs['id']}", json={"place": "Umeå"}, headers=secretary), 403, "missing_role"
    )
    assert_problem(client.delete(f"{MEETINGS}/{theirs['id']}", headers=secretary), 403)
    # nor may a meeting be handed to a body the secretary does not serve
    assert_problem(client.patch(f"{MEETINGS}/{own['id']}", json={"body_ids": [b]}, headers=secretary), 403)
    assert client.get(f"{MEETINGS}/{own['id']}", headers=admin).json()["body_ids"] == [a]
    assert client.get(f"{MEETINGS}/{theirs['id']}", headers=admin).json()["place"] is None
    assert set(ids(client.get(MEETINGS, params={"body_id": b}, headers=admin))) == {theirs["id"], joint["id"]}

    # a secretary of the second body of a joint meeting edits it too
    b_secretary = make_principal(f"secretary:{b}")
    assert client.patch(f"{MEETINGS}/{joint['id']}", json={"place": "Lycksele"}, headers=b_secretary).status_code == 200
    assert client.delete(f"{MEETINGS}/{own['id']}", headers=secretary).status_code == 204


def test_readers_read_and_others_are_refused(
    client: TestClient, admin: dict[str, str], reader: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council])
    url = f"{MEETINGS}/{meeting['id']}"
    assert client.get(MEETINGS, headers=reader).status_code == 200
    assert client.get(url, headers=reader).status_code == 200
    editor = make_principal(f"editor:{municipality(client, admin)}")
    new = {"body_ids": [council], "starts_at": "2024-06-14T09:00:00"}
    for headers in (reader, editor):
        assert_problem(client.post(MEETINGS, json=new, headers=headers), 403, "missing_role")
        assert_problem(client.patch(url, json={"place": "Umeå"}, headers=headers), 403, "missing_role")
        assert_problem(client.delete(url, headers=headers), 403, "missing_role")
    assert count(client, admin) == 1
    assert client.get(url, headers=admin).json()["place"] is None

    for method, path in [("GET", MEETINGS), ("GET", url), ("POST", MEETINGS), ("PATCH", url), ("DELETE", url)]:
        r = client.request(
            method, path, json=new if method == "POST" else {"place": "x"} if method == "PATCH" else None
        )
        assert_problem(r, 401, "unauthorized")
        assert r.headers["www-authenticate"].startswith("Bearer")
    bad = {"Authorization": "Bearer not-a-token"}
    assert_problem(client.get(MEETINGS, headers=bad), 401)

    missing = f"{MEETINGS}/{MISSING}"
    assert_problem(client.get(missing, headers=reader), 404, "not_found")
    assert_problem(client.patch(missing, json={"place": "Umeå"}, headers=admin), 404)
    assert_problem(client.delete(missing, headers=admin), 404)
    assert_invalid(client.get(f"{MEETINGS}/not-a-uuid", headers=reader), "path.id")


def test_include_reads_the_protocol(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    meeting = plan(client, admin, [council])
    carin = person(client, admin, "Carin Nilsson", "s")
    first = add_item(client, admin, meeting["id"], "Godkännande av dagordning", kind="standing", number="15")
    second = add_item(client, admin, meeting["id"], "Lägesrapport", number="16", presenters=[{"person_id": carin}])
    r = client.put(f"{MEETINGS}/{meeting['id']}/attendance", json={"attendance": [{"person_id": carin}]}, headers=admin)
    assert r.status_code == 200, r.text

    for include in ("items,attendance", ["items", "attendance"]):
        doc = client.get(f"{MEETINGS}/{meeting['id']}", params={"include": include}, headers=admin).json()
        assert [i["id"] for i in doc["items"]] == [first["id"], second["id"]], include
        assert [a["person_name"] for a in doc["attendance"]] == ["Carin Nilsson"]
        assert doc["decisions"] is None and doc["documents"] is None
        assert doc["item_range"] == "15-16"
    everything = client.get(
        f"{MEETINGS}/{meeting['id']}", params={"include": "items,decisions,attendance,documents"}, headers=admin
    ).json()
    assert everything["decisions"] == [] and everything["documents"] == []
    assert_invalid(
        client.get(f"{MEETINGS}/{meeting['id']}", params={"include": "minutes"}, headers=admin), "query.include.0"
    )
    # An empty part names nothing the contract lists (found by schemathesis: `include=` was taken as no include).
    for empty in ("", "items,", " "):
        r = client.get(f"{MEETINGS}/{meeting['id']}", params={"include": empty}, headers=admin)
        assert r.status_code == 422, (empty, r.text)
        assert r.json()["errors"][0]["loc"][:2] == ["query", "include"]


def _filled_meeting(
    client: TestClient, admin: dict[str, str], council: str, starts_at: str, items: int, attendance: list[str]
) -> str:
    meeting = plan(client, admin, [council], starts_at)
    for n in range(items):
        presenter = {"person_id": attendance[n % len(attendance)]} if attendance else {"name": "Dag Norén"}
        item = add_item(client, admin, meeting["id"], f"Ärende {n}", kind="decision", presenters=[presenter])
        decision = {
            "agenda_item_id": item["id"],
            "kind": "resolved",
            "text": "Samrådet beslutade",
            "clauses": ["att godkänna"],
        }
        r = client.post(f"{API}/decisions", json=decision, headers=admin)
        assert r.status_code == 201, r.text
    rows = [{"person_id": p} for p in attendance]
    assert (
        client.put(f"{MEETINGS}/{meeting['id']}/attendance", json={"attendance": rows}, headers=admin).status_code
        == 200
    )
    return str(meeting["id"])


def test_the_whole_protocol_costs_the_same_number_of_statements_whatever_its_size(
    client: TestClient, admin: dict[str, str], count_queries: Any
) -> None:
    council = body(client, admin)
    people = [person(client, admin, f"Person Nummer{n}", "s") for n in range(30)]
    small = _filled_meeting(client, admin, council, "2024-05-03T09:30:00", items=2, attendance=people[:1])
    large = _filled_meeting(client, admin, council, "2024-06-14T09:30:00", items=12, attendance=people)
    full = {"include": "items,decisions,attendance,documents"}

    with count_queries() as tiny:
        r = client.get(f"{MEETINGS}/{small}", params=full, headers=admin)
        assert len(r.json()["items"]) == 2
    with count_queries() as big:
        r = client.get(f"{MEETINGS}/{large}", params=full, headers=admin)
        doc = r.json()
        assert (len(doc["items"]), len(doc["decisions"]), len(doc["attendance"])) == (12, 12, 30)
    assert tiny() == big()


def test_a_retried_post_plans_the_meeting_once(client: TestClient, admin: dict[str, str]) -> None:
    council = body(client, admin)
    new = {"body_ids": [council], "starts_at": "2024-05-03T09:30:00", "title": "Samrådsmöte"}
    headers = {**admin, "Idempotency-Key": "planera-2024-05-03"}
    first = client.post(MEETINGS, json=new, headers=headers)
    again = client.post(MEETINGS, json=new, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert_problem(client.post(MEETINGS, json={**new, "title": "Annat möte"}, headers=headers), 409)
    assert count(client, admin) == 1
