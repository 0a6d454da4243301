"""Cases over HTTP: references, status transitions, queues, filters, export, deletion and who may do what."""

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.cases.models import CaseStatus
from app.cases.service import TRANSITIONS
from app.core.time import today
from tests.cases import API, CASES, MISSING, Headers, body, case, decision, item, meeting, post

ITEMS = f"{API}/agenda-items"
STRATEGIES = f"{API}/strategies"
SINCE = "2000-01-01T00:00:00Z"
STATUSES = [s.value for s in CaseStatus]
ALLOWED = [(a.value, b.value) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
MakePrincipal = Callable[..., Headers]


def listed(client: TestClient, headers: Headers, **params: Any) -> list[dict[str, Any]]:
    r = client.get(CASES, params={"limit": 500, **params}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["data"]  # type: ignore[no-any-return]


def ids(client: TestClient, headers: Headers, **params: Any) -> set[str]:
    return {c["id"] for c in listed(client, headers, **params)}


def timeline(client: TestClient, headers: Headers, case_id: str) -> list[dict[str, Any]]:
    r = client.get(f"{CASES}/{case_id}/timeline", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["entries"]  # type: ignore[no-any-return]


def strategy(client: TestClient, admin: Headers, number: int, name: str) -> str:
    return str(post(client, admin, "/strategies", {"number": number, "name": name})["id"])


def assert_problem(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = r.json()
    assert problem["code"] == code, problem
    return problem


def test_create_get_and_list(client: TestClient, admin: Headers) -> None:
    council = body(client, admin, "Samråd hälsa, vård och omsorg", "SHVO")
    health = strategy(client, admin, 1, "Med hälsan i fokus")
    together = strategy(client, admin, 3, "Tillsammans för invånaren")
    r = client.post(
        CASES,
        json={
            "title": "Likvärdiga förutsättningar för rehabilitering i länet",
            "description": "Länssamverkansgruppen undersöker hur rehabiliteringen kan bli likvärdig.",
            "responsible_body_id": council,
            "target_group": "adults_elderly",
            "strategy_ids": [together, health],
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert r.headers["location"].endswith(f"{CASES}/{out['id']}")
    assert r.headers["etag"]
    assert out["reference"] == f"SHVO {today().year}/001"
    assert out["title"] == "Likvärdiga förutsättningar för rehabilitering i länet"
    assert out["description"] == "Länssamverkansgruppen undersöker hur rehabiliteringen kan bli likvärdig."
    assert (out["status"], out["target_group"]) == ("open", "adults_elderly")
    assert out["responsible_body_id"] == out["queue_body_id"] == council
    assert out["strategy_ids"] == sorted([health, together])

    got = client.get(f"{CASES}/{out['id']}", headers=admin)
    assert got.status_code == 200
    assert got.json() == out
    assert got.headers["etag"] == r.headers["etag"]
    assert listed(client, admin) == [out]


def test_references_are_generated_in_order_and_a_given_one_is_kept(client: TestClient, admin: Headers) -> None:
    year = today().year
    council = body(client, admin, "Samråd hälsa, vård och omsorg", "SHVO")
    lsg = body(client, admin, "Länssamverkansgruppen")
    made = [case(client, admin, f"Ärende {n}", responsible_body_id=council)["reference"] for n in range(3)]
    assert made == [f"SHVO {year}/001", f"SHVO {year}/002", f"SHVO {year}/003"]
    assert case(client, admin, responsible_body_id=lsg)["reference"] == f"Länssamverkansgruppen {year}/001"

    given = case(client, admin, reference="SHVO 2024/017", responsible_body_id=council)
    assert given["reference"] == "SHVO 2024/017"
    jump = case(client, admin, reference=f"SHVO {year}/010", responsible_body_id=council)
    assert case(client, admin, responsible_body_id=council)["reference"] == f"SHVO {year}/011"
    # A reference is never handed out twice, not even after its case was deleted.
    assert client.delete(f"{CASES}/{jump['id']}", headers=admin).status_code == 204
    assert case(client, admin, responsible_body_id=council)["reference"] == f"SHVO {year}/012"


def test_a_duplicate_reference_conflicts(client: TestClient, admin: Headers) -> None:
    first = case(client, admin, reference="SHVO 2024/017")
    second = case(client, admin, "Annat ärende", reference="SHVO 2024/018")
    problem = assert_problem(
        client.post(CASES, json={"title": "Dubblett", "reference": "SHVO 2024/017"}, headers=admin),
        409,
        "duplicate_reference",
    )
    assert "SHVO 2024/017" in problem["detail"]
    assert len(listed(client, admin)) == 2

    r = client.patch(f"{CASES}/{second['id']}", json={"reference": "SHVO 2024/017", "title": "Ändrad"}, headers=admin)
    assert_problem(r, 409, "duplicate_reference")
    unchanged = client.get(f"{CASES}/{second['id']}", headers=admin).json()
    assert (unchanged["reference"], unchanged["title"]) == ("SHVO 2024/018", "Annat ärende")

    assert client.delete(f"{CASES}/{first['id']}", headers=admin).status_code == 204
    assert case(client, admin, "Nytt ärende", reference="SHVO 2024/017")["reference"] == "SHVO 2024/017"


def test_refusals_name_the_field_and_write_nothing(client: TestClient, admin: Headers) -> None:
    health = strategy(client, admin, 1, "Med hälsan i fokus")
    withdrawn = strategy(client, admin, 2, "Låt behoven stå i centrum för utvecklingen")
    assert client.delete(f"{STRATEGIES}/{withdrawn}", headers=admin).status_code == 204
    umea = post(
        client, admin, "/organisations", {"kind": "municipality", "name": "Umeå kommun", "municipality_code": "2480"}
    )
    refusals: list[tuple[dict[str, Any], list[Any]]] = [
        ({"responsible_body_id": umea["id"]}, ["body", "responsible_body_id"]),
        ({"responsible_body_id": MISSING}, ["body", "responsible_body_id"]),
        ({"strategy_ids": [health, MISSING]}, ["body", "strategy_ids", 1]),
        ({"strategy_ids": [withdrawn]}, ["body", "strategy_ids", 0]),
        ({"strategy_ids": ["inte-ett-id"]}, ["body", "strategy_ids", 0]),
        ({"target_group": "pensioners"}, ["body", "target_group"]),
        ({"status": "archived"}, ["body", "status"]),
        ({"title": ""}, ["body", "title"]),
        ({"reference": "x" * 41}, ["body", "reference"]),
        ({"priority": "high"}, ["body", "priority"]),
    ]
    for extra, loc in refusals:
        r = client.post(CASES, json={"title": "Ärende", **extra}, headers=admin)
        problem = assert_problem(r, 422, "validation_failed")
        assert loc in [e["loc"] for e in problem["errors"]], (extra, problem)
    assert listed(client, admin) == []

    made = case(client, admin, strategy_ids=[health])
    r = client.patch(f"{CASES}/{made['id']}", json={"strategy_ids": [MISSING], "title": "Ändrad"}, headers=admin)
    assert [e["loc"] for e in assert_problem(r, 422, "validation_failed")["errors"]] == [["body", "strategy_ids", 0]]
    for field in ("title", "reference", "status"):
        assert client.patch(f"{CASES}/{made['id']}", json={field: None}, headers=admin).status_code == 422
    assert client.get(f"{CASES}/{made['id']}", headers=admin).json() == made


def test_update_changes_only_the_given_fields(client: TestClient, admin: Headers) -> None:
    council = body(client, admin, "Samråd", "SHVO")
    health, digital = strategy(client, admin, 1, "Med hälsan i fokus"), strategy(client, admin, 6, "Digitalisering")
    made = case(client, admin, description="Bakgrund", responsible_body_id=council, strategy_ids=[health])
    r = client.patch(
        f"{CASES}/{made['id']}", json={"target_group": "children_young", "strategy_ids": [digital]}, headers=admin
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["target_group"], out["strategy_ids"]) == ("children_young", [digital])
    assert (out["title"], out["description"], out["reference"]) == (made["title"], "Bakgrund", made["reference"])
    cleared = client.patch(f"{CASES}/{made['id']}", json={"description": None, "strategy_ids": []}, headers=admin)
    assert (cleared.json()["description"], cleared.json()["strategy_ids"]) == (None, [])


def test_a_case_can_run_its_whole_course(client: TestClient, admin: Headers) -> None:
    """Prepared, decided, followed up and closed; reopened; withdrawn: the path every case may take."""
    made = case(client, admin)
    path = ["in_preparation", "ready", "decided", "in_follow_up", "closed", "open", "withdrawn", "open"]
    for status in path:
        r = client.patch(f"{CASES}/{made['id']}", json={"status": status}, headers=admin)
        assert r.status_code == 200, (status, r.text)
    changes = [(e["from_status"], e["to_status"]) for e in timeline(client, admin, made["id"])[1:]]
    assert changes == list(zip(["open", *path[:-1]], path, strict=True))


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_every_allowed_transition(client: TestClient, admin: Headers, old: str, new: str) -> None:
    made = case(client, admin, status=old)
    r = client.patch(f"{CASES}/{made['id']}", json={"status": new}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == new
    assert client.get(f"{CASES}/{made['id']}", headers=admin).json()["status"] == new
    changes = [e for e in timeline(client, admin, made["id"]) if e["kind"] == "status_changed"]
    assert [(e["from_status"], e["to_status"]) for e in changes] == [(old, new)]


def test_disallowed_transitions_conflict_and_change_nothing(client: TestClient, admin: Headers) -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    refused = 0
    for old in STATUSES:
        made = case(client, admin, status=old)
        r = client.get(f"{CASES}/{made['id']}", headers=admin)
        etag = r.headers["etag"]
        for new in STATUSES:
            if new == old or new in TRANSITIONS[CaseStatus(old)]:
                continue
            r = client.patch(f"{CASES}/{made['id']}", json={"status": new, "title": "Ändrad"}, headers=admin)
            assert_problem(r, 409, "invalid_transition")
            refused += 1
        after = client.get(f"{CASES}/{made['id']}", headers=admin)
        assert after.json() == made
        assert after.headers["etag"] == etag
        assert [e["kind"] for e in timeline(client, admin, made["id"])] == ["created"]
    assert refused == len(STATUSES) * (len(STATUSES) - 1) - len(ALLOWED)
    for old, new in (("open", "in_follow_up"), ("closed", "decided")):
        made = case(client, admin, status=old)
        assert_problem(
            client.patch(f"{CASES}/{made['id']}", json={"status": new}, headers=admin), 409, "invalid_transition"
        )
    same = client.patch(f"{CASES}/{made['id']}", json={"status": "closed"}, headers=admin)
    assert same.status_code == 200 and same.json()["status"] == "closed"


def test_filters(client: TestClient, admin: Headers) -> None:
    council, lsg = body(client, admin, "Samråd", "SHVO"), body(client, admin, "Länssamverkansgruppen", "LSG")
    health, digital = strategy(client, admin, 1, "Med hälsan i fokus"), strategy(client, admin, 6, "Digitalisering")
    a = case(client, admin, "A", responsible_body_id=council, target_group="children_young", strategy_ids=[health])
    b = case(client, admin, "B", responsible_body_id=council, status="ready", strategy_ids=[health, digital])
    c = case(client, admin, "C", responsible_body_id=lsg, status="decided", target_group="children_young")
    d = case(client, admin, "D", status="closed", target_group="all")

    assert ids(client, admin) == {a["id"], b["id"], c["id"], d["id"]}
    assert ids(client, admin, status="ready") == {b["id"]}
    assert ids(client, admin, status=["open", "decided"]) == {a["id"], c["id"]}
    assert ids(client, admin, responsible_body_id=council) == {a["id"], b["id"]}
    assert ids(client, admin, responsible_body_id=council, status="open") == {a["id"]}
    assert ids(client, admin, target_group="children_young") == {a["id"], c["id"]}
    assert ids(client, admin, strategy_id=health) == {a["id"], b["id"]}
    assert ids(client, admin, strategy_id=digital) == {b["id"]}
    assert ids(client, admin, queue_body_id=lsg) == {c["id"]}
    assert ids(client, admin, responsible_body_id=MISSING) == set()
    for bad in ({"status": "archived"}, {"target_group": "pensioners"}, {"strategy_id": "x"}):
        assert client.get(CASES, params=bad, headers=admin).status_code == 422, bad

    page = client.get(CASES, params={"status": ["open", "ready"], "sort": "reference", "limit": 1}, headers=admin)
    assert [x["id"] for x in page.json()["data"]] == [a["id"]]
    following = client.get(page.json()["links"]["next"], headers=admin).json()
    assert [x["id"] for x in following["data"]] == [b["id"]]
    assert following["links"]["next"] is None


def test_a_referral_moves_the_case_to_the_target_bodys_queue(client: TestClient, admin: Headers) -> None:
    council, lsg = body(client, admin, "Samråd", "SHVO"), body(client, admin, "Länssamverkansgruppen", "LSG")
    made = case(client, admin, responsible_body_id=council)
    other = case(client, admin, "Annat ärende", responsible_body_id=council)
    assert ids(client, admin, queue_body_id=council) == {made["id"], other["id"]}
    assert ids(client, admin, queue_body_id=lsg) == set()

    handled = item(client, admin, meeting(client, admin, council, "2024-05-03T09:30:00"), made["id"])
    before = client.get(f"{CASES}/{made['id']}", headers=admin)
    decision(client, admin, handled["id"], "referral", target_body_id=lsg)
    got = client.get(f"{CASES}/{made['id']}", headers=admin)
    assert (got.json()["queue_body_id"], got.json()["responsible_body_id"]) == (lsg, council)
    # The move is a change of the case: sync clients see it, its ETag changes, and the audit log records it.
    assert got.headers["etag"] != before.headers["etag"]
    assert ids(client, admin, updated_since=got.json()["updated_at"]) == {made["id"]}
    audit = client.get(f"{API}/audit", params={"resource_id": made["id"], "action": "update"}, headers=admin).json()
    assert [a["changes"] for a in audit["data"]] == [{"queue_body_id": [council, lsg]}]
    assert ids(client, admin, queue_body_id=lsg) == {made["id"]}
    assert ids(client, admin, queue_body_id=council) == {other["id"]}

    # Finished cases leave the queue; reopened, they are back.
    for status, in_queue in (("closed", False), ("open", True), ("withdrawn", False), ("open", True)):
        assert client.patch(f"{CASES}/{made['id']}", json={"status": status}, headers=admin).status_code == 200
        assert (made["id"] in ids(client, admin, queue_body_id=lsg)) is in_queue, status

    # A new responsible body takes over the queue only of a case that was not referred elsewhere.
    au = body(client, admin, "Arbetsutskottet", "AU")
    for moved in (made, other):
        assert (
            client.patch(f"{CASES}/{moved['id']}", json={"responsible_body_id": au}, headers=admin).status_code == 200
        )
    assert ids(client, admin, queue_body_id=lsg) == {made["id"]}
    assert ids(client, admin, queue_body_id=au) == {other["id"]}


def test_csv_export(client: TestClient, admin: Headers) -> None:
    council = body(client, admin, "Samråd", "SHVO")
    case(client, admin, "Barn och ungas psykiska hälsa", responsible_body_id=council, target_group="children_young")
    case(client, admin, "Suicidprevention; länsgemensamt", reference="=HYPERLINK(1)")
    r = client.get(CASES, params={"sort": "reference"}, headers={**admin, "Accept": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["title"] for row in rows] == ["Suicidprevention; länsgemensamt", "Barn och ungas psykiska hälsa"]
    assert rows[0]["reference"] == "'=HYPERLINK(1)"
    assert rows[1]["reference"] == f"SHVO {today().year}/001"
    assert rows[1]["target_group"] == "children_young"
    assert rows[1]["responsible_body_id"] == council


def test_a_case_once_on_an_agenda_cannot_be_deleted(client: TestClient, admin: Headers) -> None:
    council = body(client, admin, "Samråd", "SHVO")
    handled = case(client, admin, responsible_body_id=council)
    never = case(client, admin, "Aldrig behandlat", responsible_body_id=council)
    on_agenda = item(client, admin, meeting(client, admin, council, "2024-05-03T09:30:00"), handled["id"])

    assert_problem(client.delete(f"{CASES}/{handled['id']}", headers=admin), 409, "in_use")
    assert client.get(f"{CASES}/{handled['id']}", headers=admin).status_code == 200
    # Taking the item off the agenda does not undo that the case was handled.
    assert client.delete(f"{ITEMS}/{on_agenda['id']}", headers=admin).status_code == 204
    assert_problem(client.delete(f"{CASES}/{handled['id']}", headers=admin), 409, "in_use")

    # A decision about the case counts too, even on an item that does not list the case.
    decided = case(client, admin, "Beslutat under annan punkt", responsible_body_id=council)
    other_item = item(client, admin, meeting(client, admin, council, "2024-06-14T09:30:00"))
    decision(client, admin, other_item["id"], "resolved", case_id=decided["id"], clauses=["anta planen"])
    assert_problem(client.delete(f"{CASES}/{decided['id']}", headers=admin), 409, "in_use")
    assert client.get(f"{CASES}/{decided['id']}", headers=admin).status_code == 200

    assert client.delete(f"{CASES}/{never['id']}", headers=admin).status_code == 204
    assert client.get(f"{CASES}/{never['id']}", headers=admin).status_code == 404
    assert client.get(f"{CASES}/{never['id']}/timeline", headers=admin).status_code == 404
    assert client.delete(f"{CASES}/{never['id']}", headers=admin).status_code == 404
    assert {c["id"] for c in listed(client, admin)} == {handled["id"], decided["id"]}
    synced = {c["id"]: c for c in listed(client, admin, updated_since=SINCE)}
    assert set(synced[never["id"]]) == {"id", "deleted", "updated_at"}
    assert synced[handled["id"]]["title"] == handled["title"]


def test_if_match(client: TestClient, admin: Headers) -> None:
    r = client.post(CASES, json={"title": "Ärende"}, headers=admin)
    case_id, etag = r.json()["id"], r.headers["etag"]
    ok = client.patch(f"{CASES}/{case_id}", json={"status": "in_preparation"}, headers={**admin, "If-Match": etag})
    assert ok.status_code == 200 and ok.headers["etag"] != etag
    stale = client.patch(f"{CASES}/{case_id}", json={"status": "ready"}, headers={**admin, "If-Match": etag})
    assert_problem(stale, 412, "precondition_failed")
    assert client.get(f"{CASES}/{case_id}", headers=admin).json()["status"] == "in_preparation"
    assert client.delete(f"{CASES}/{case_id}", headers={**admin, "If-Match": etag}).status_code == 412
    assert client.delete(f"{CASES}/{case_id}", headers={**admin, "If-Match": ok.headers["etag"]}).status_code == 204


def test_permissions(client: TestClient, admin: Headers, reader: Headers, make_principal: MakePrincipal) -> None:
    council, lsg = body(client, admin, "Samråd", "SHVO"), body(client, admin, "Länssamverkansgruppen", "LSG")
    secretary, outsider = make_principal(f"secretary:{council}"), make_principal(f"secretary:{lsg}")

    own = case(client, secretary, responsible_body_id=council)
    assert client.patch(f"{CASES}/{own['id']}", json={"status": "in_preparation"}, headers=secretary).status_code == 200
    for headers in (outsider, reader):
        r = client.post(CASES, json={"title": "Obehörig", "responsible_body_id": council}, headers=headers)
        assert_problem(r, 403, "missing_role")
        assert_problem(
            client.patch(f"{CASES}/{own['id']}", json={"title": "Obehörig"}, headers=headers), 403, "missing_role"
        )
        assert_problem(client.delete(f"{CASES}/{own['id']}", headers=headers), 403, "missing_role")
        assert client.get(f"{CASES}/{own['id']}", headers=headers).status_code == 200
        assert client.get(f"{CASES}/{own['id']}/timeline", headers=headers).status_code == 200
    assert_problem(client.post(CASES, json={"title": "Utan ansvarig"}, headers=reader), 403, "missing_role")
    # A secretary cannot hand the case to a body they do not serve.
    r = client.patch(f"{CASES}/{own['id']}", json={"responsible_body_id": lsg}, headers=secretary)
    assert_problem(r, 403, "missing_role")
    got = client.get(f"{CASES}/{own['id']}", headers=reader).json()
    assert (got["title"], got["status"], got["responsible_body_id"]) == (own["title"], "in_preparation", council)
    assert [c["id"] for c in listed(client, reader)] == [own["id"]]

    # While a case has no responsible body, any secretary may keep it.
    loose = case(client, outsider, "Utan ansvarig")
    assert (
        client.patch(f"{CASES}/{loose['id']}", json={"title": "Fortfarande utan"}, headers=secretary).status_code == 200
    )
    assert case(client, admin, "Länssamverkansgruppens", responsible_body_id=lsg)["responsible_body_id"] == lsg

    assert client.get(CASES).status_code == 401
    assert client.get(CASES).headers["www-authenticate"].startswith("Bearer")
    assert client.get(f"{CASES}/{own['id']}").status_code == 401
    assert client.get(f"{CASES}/{own['id']}/timeline").status_code == 401
    assert client.post(CASES, json={"title": "Anonym"}).status_code == 401
    assert client.patch(f"{CASES}/{own['id']}", json={"title": "Anonym"}).status_code == 401
    assert client.delete(f"{CASES}/{own['id']}").status_code == 401

    assert client.get(f"{CASES}/{MISSING}", headers=reader).status_code == 404
    assert client.get(f"{CASES}/{MISSING}/timeline", headers=reader).status_code == 404
    assert client.patch(f"{CASES}/{MISSING}", json={"title": "x"}, headers=admin).status_code == 404
    assert client.delete(f"{CASES}/{MISSING}", headers=admin).status_code == 404

    assert client.delete(f"{CASES}/{own['id']}", headers=secretary).status_code == 204


def test_list_statements_do_not_grow_with_the_page(client: TestClient, admin: Headers, count_queries: Any) -> None:
    health, digital = strategy(client, admin, 1, "Med hälsan i fokus"), strategy(client, admin, 6, "Digitalisering")
    for n in range(12):
        case(client, admin, f"Ärende {n}", strategy_ids=[health, digital][: n % 3])
    with count_queries() as small:
        assert len(listed(client, admin, limit=2)) == 2
    with count_queries() as large:
        assert len(listed(client, admin, limit=12)) == 12
    assert small() == large()
