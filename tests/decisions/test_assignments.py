"""Assignments (uppdrag): the assignee body, the due date, the status, the report-back item, and
"assignments due or overdue" in one request."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.decisions.conftest import AU, COUNCIL, DECISIONS, LSG, World, assert_refused

TASK = "uppdra Länssamverkansgruppen att undersöka hur likvärdiga förutsättningar för rehabilitering kan skapas i länet"


@pytest.fixture
def item(world: World) -> dict[str, Any]:
    return world.item(world.meeting("2024-05-03T09:30:00"), "Primärvården är navet")


def assign(world: World, item: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return world.decide(item, "assignment", assignee_body_id=world.orgs[LSG], clauses=[TASK], **fields)


def patch(world: World, decision: dict[str, Any], headers: dict[str, str] | None = None, **fields: Any) -> Any:
    url = f"{DECISIONS}/{decision['id']}"
    return world.client.patch(url, json=fields, headers=world.admin if headers is None else headers)


def test_an_assignment_is_open_until_reported_and_closed(world: World, item: dict[str, Any]) -> None:
    a = assign(world, item, due_date="2024-10-11")
    assert (a["assignee_body_id"], a["due_date"], a["assignment_status"]) == (world.orgs[LSG], "2024-10-11", "open")
    assert a["report_item_id"] is None and a["tally"] is None
    for status in ("in_progress", "reported", "closed", "open"):
        r = patch(world, a, assignment_status=status)
        assert r.status_code == 200, r.text
        assert r.json()["assignment_status"] == status
        assert world.get(f"/decisions/{a['id']}")["assignment_status"] == status
    assert_refused(patch(world, a, assignment_status="abandoned"), "assignment_status")
    given = assign(world, item, assignment_status="in_progress")
    assert given["assignment_status"] == "in_progress" and given["due_date"] is None
    assert world.ids(assignment_status="in_progress") == {given["id"]}
    assert world.ids(assignment_status=["open", "in_progress"]) == {a["id"], given["id"]}
    assert world.ids(assignee_body_id=world.orgs[LSG]) == {a["id"], given["id"]}


def test_due_or_overdue_is_one_request(world: World, item: dict[str, Any]) -> None:
    overdue = assign(world, item, due_date="2024-06-01")
    due_on_the_day = assign(world, item, due_date="2024-09-30", assignment_status="in_progress")
    later = assign(world, item, due_date="2024-10-01")
    reported = assign(world, item, due_date="2024-06-01", assignment_status="reported")
    closed = assign(world, item, due_date="2024-06-01")
    assert patch(world, closed, assignment_status="closed").status_code == 200
    undated = assign(world, item)
    world.decide(item, "recommendation", response_deadline="2024-06-01")
    world.decide(item, "noted", decided_on="2024-05-03")

    assert world.ids(due_by="2024-09-30") == {overdue["id"], due_on_the_day["id"]}
    assert world.ids(due_by="2024-09-29") == {overdue["id"]}
    assert world.ids(due_by="2024-05-31") == set()
    assert world.ids(due_by="2099-12-31") == {overdue["id"], due_on_the_day["id"], later["id"]}
    assert world.ids(due_by="2099-12-31", assignee_body_id=world.orgs[AU]) == set()
    assert reported["id"] not in world.ids(due_by="2099-12-31")
    assert undated["id"] not in world.ids(due_by="2099-12-31")
    page = world.get("/decisions", due_by="2024-09-30", limit=1)
    assert "due_by=2024-09-30" in page["links"]["next"]
    rest = world.client.get(page["links"]["next"], headers=world.admin).json()["data"]
    assert {page["data"][0]["id"], rest[0]["id"]} == {overdue["id"], due_on_the_day["id"]}

    # Reporting back takes it off the list.
    assert patch(world, overdue, assignment_status="reported").status_code == 200
    assert world.ids(due_by="2024-09-30") == {due_on_the_day["id"]}
    assert world.client.get(DECISIONS, params={"due_by": "someday"}, headers=world.admin).status_code == 422


def test_the_report_back_is_a_later_agenda_item(world: World, item: dict[str, Any]) -> None:
    a = assign(world, item, due_date="2024-10-11")
    october = world.meeting("2024-10-11T09:00:00")
    report = world.item(october, "Återrapport: likvärdig rehabilitering")
    r = patch(world, a, report_item_id=report["id"], assignment_status="reported")
    assert r.status_code == 200, r.text
    assert r.json()["report_item_id"] == report["id"] and r.json()["assignment_status"] == "reported"

    assert_refused(patch(world, a, report_item_id="00000000-0000-4000-8000-000000000000"), "report_item_id")
    march = world.meeting("2024-03-15T09:00:00")
    for earlier in (item, world.item(march, "Tidigare ärende")):
        assert_refused(patch(world, a, report_item_id=earlier["id"]), "report_item_id")
    assert world.get(f"/decisions/{a['id']}")["report_item_id"] == report["id"]
    r = world.try_decide(item, "assignment", assignee_body_id=world.orgs[AU], report_item_id=item["id"])
    assert_refused(r, "report_item_id")
    made = world.decide(item, "assignment", assignee_body_id=world.orgs[AU], report_item_id=report["id"])
    assert made["report_item_id"] == report["id"]
    assert patch(world, made, report_item_id=None).json()["report_item_id"] is None


def test_only_the_deciding_bodys_secretary_changes_the_status(
    world: World, item: dict[str, Any], make_principal: Callable[..., dict[str, str]]
) -> None:
    a = assign(world, item, due_date="2024-10-11")
    # The assignee's secretary does not own the decision; the deciding body's does.
    assignee_secretary = make_principal(f"secretary:{world.orgs[LSG]}")
    assert patch(world, a, assignee_secretary, assignment_status="reported").status_code == 403
    council_secretary = make_principal(f"secretary:{world.orgs[COUNCIL]}")
    r = patch(world, a, council_secretary, assignment_status="reported")
    assert r.status_code == 200, r.text
    assert world.ids(due_by="2099-12-31") == set()
