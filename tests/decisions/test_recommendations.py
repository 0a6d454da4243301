"""Recommendations to the principals: recipients, each principal's answer, the tally and what is overdue.

Modelled on the recommendation of 2021-04-23 (decided 2021-03-19, feedback due 2021-09-30)."""

import unicodedata
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.decisions.conftest import (
    COUNCIL,
    DECISIONS,
    FUTURE_DEADLINE,
    LSG,
    LYCKSELE,
    PAST_DEADLINE,
    PRINCIPALS_IN_ORDER,
    REGION,
    SKELLEFTEA,
    SKR,
    UMEA,
    World,
    assert_refused,
)

CLAUSES = [
    "Samråd vård och omsorg och Länssamverkansgruppen utgör systemledning för Nära vård i Västerbotten",
    "fastställa Framtidsbild Nära vård 2030",
]
NO_ANSWERS = {"adopted": 0, "adopted_with_changes": 0, "rejected": 0, "not_applicable": 0}


@pytest.fixture
def item(world: World) -> dict[str, Any]:
    meeting = world.meeting("2021-03-19T09:00:00")
    return world.item(meeting, "Systemledning och framtidsbild för Nära vård 2030")


def recommend(world: World, item: dict[str, Any], deadline: str = PAST_DEADLINE, **fields: Any) -> dict[str, Any]:
    return world.decide(item, "recommendation", clauses=CLAUSES, response_deadline=deadline, **fields)


def answer(
    world: World, decision: dict[str, Any], org: str, status: str = "adopted", headers: Any = None, **fields: Any
) -> httpx.Response:
    body = {"organisation_id": world.orgs[org], "status": status, **fields}
    return world.client.post(
        f"{DECISIONS}/{decision['id']}/responses", json=body, headers=world.admin if headers is None else headers
    )


def responses(world: World, decision: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["organisation_name"]: r for r in world.get(f"/decisions/{decision['id']}/responses")["data"]}


def tally(world: World, decision: dict[str, Any]) -> dict[str, int]:
    return world.get(f"/decisions/{decision['id']}")["tally"]  # type: ignore[no-any-return]


def test_recipients_default_to_all_sixteen_principals_in_swedish_order(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item, FUTURE_DEADLINE)
    assert rec["decided_on"] == "2021-03-19"
    assert rec["tally"] == {**NO_ANSWERS, "pending": 16, "overdue": 0}
    assert rec["overdue_principal_ids"] == []
    page = world.get(f"/decisions/{rec['id']}/responses")
    assert [r["organisation_name"] for r in page["data"]] == PRINCIPALS_IN_ORDER
    assert [r["organisation_id"] for r in page["data"]] == world.principals()
    assert page["pagination"]["total"] == 16
    for r in page["data"]:
        assert r["decision_id"] == rec["id"]
        assert r["status"] == "pending" and r["overdue"] is False
        assert r["decided_on"] is None and r["assembly"] is None


def test_a_given_list_of_recipients(world: World, item: dict[str, Any]) -> None:
    ids = [world.orgs[UMEA], world.orgs[REGION], world.orgs[SKELLEFTEA], world.orgs[UMEA]]
    rec = recommend(world, item, recipient_ids=ids)
    assert [r["organisation_name"] for r in world.get(f"/decisions/{rec['id']}/responses")["data"]] == [
        REGION,
        SKELLEFTEA,
        UMEA,
    ]
    assert rec["tally"]["pending"] == 3


def test_a_recipient_that_is_not_a_principal_is_refused_by_position(world: World, item: dict[str, Any]) -> None:
    for other in (world.orgs[LSG], world.orgs[SKR], "00000000-0000-4000-8000-00000000000a"):
        r = world.try_decide(
            item,
            "recommendation",
            response_deadline=PAST_DEADLINE,
            recipient_ids=[world.orgs[UMEA], other],
        )
        assert_refused(r, "recipient_ids", 1)
        assert r.json()["errors"][0]["loc"] == ["body", "recipient_ids", 1]
    assert world.count() == 0


def test_an_editor_answers_for_its_own_principal_only(
    world: World, item: dict[str, Any], make_principal: Callable[..., dict[str, str]], reader: dict[str, str]
) -> None:
    rec = recommend(world, item)
    umea_editor = make_principal(f"editor:{world.orgs[UMEA]}")
    r = answer(
        world,
        rec,
        UMEA,
        "adopted_with_changes",
        umea_editor,
        decided_on="2021-06-14",
        assembly=unicodedata.normalize("NFD", "Kommunfullmäktige"),
        reference="KS-2021/00412",
        note=unicodedata.normalize("NFD", "Antogs med ett tillägg om uppföljning i länsdelen Umeå med krans."),
    )
    assert r.status_code == 200, r.text
    assert r.json() == {
        **r.json(),
        "decision_id": rec["id"],
        "organisation_id": world.orgs[UMEA],
        "organisation_name": UMEA,
        "status": "adopted_with_changes",
        "decided_on": "2021-06-14",
        "assembly": "Kommunfullmäktige",
        "reference": "KS-2021/00412",
        "note": "Antogs med ett tillägg om uppföljning i länsdelen Umeå med krans.",
        "document_id": None,
        "overdue": False,
    }
    assert responses(world, rec)[UMEA]["assembly"] == "Kommunfullmäktige"

    for headers in (umea_editor, reader, make_principal(f"secretary:{world.orgs[COUNCIL]}")):
        r = answer(world, rec, SKELLEFTEA, "rejected", headers)
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "missing_role"
    assert answer(world, rec, SKELLEFTEA, headers={}).status_code == 401
    assert responses(world, rec)[SKELLEFTEA]["status"] == "pending"

    r = answer(world, rec, SKELLEFTEA, "rejected", decided_on="2021-09-27", assembly="Kommunstyrelsen")
    assert r.status_code == 200, r.text
    assert tally(world, rec) == {
        **NO_ANSWERS,
        "adopted_with_changes": 1,
        "rejected": 1,
        "pending": 14,
        "overdue": 14,
    }


def test_answers_that_are_refused(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item, recipient_ids=[world.orgs[UMEA], world.orgs[SKELLEFTEA]])
    assert_refused(answer(world, rec, REGION), "organisation_id")
    assert_refused(answer(world, rec, LSG), "organisation_id")
    assert_refused(answer(world, rec, UMEA, decided_on="2021-03-18"), "decided_on")
    assert_refused(answer(world, rec, UMEA, "vetoed"), "status")
    assert_refused(answer(world, rec, UMEA, assembly=""), "assembly")
    assert_refused(answer(world, rec, UMEA, decided_on="2021-02-30"), "decided_on")
    assert all(r["status"] == "pending" for r in responses(world, rec).values())
    # the day of the recommendation itself is fine
    assert answer(world, rec, UMEA, decided_on="2021-03-19").status_code == 200

    noted = world.decide(item, "noted")
    r = world.client.post(
        f"{DECISIONS}/{noted['id']}/responses",
        json={"organisation_id": world.orgs[UMEA], "status": "adopted"},
        headers=world.admin,
    )
    assert r.status_code == 422
    assert world.get(f"/decisions/{noted['id']}/responses")["data"] == []


def test_the_tally_follows_the_answers_and_an_answer_can_be_corrected(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item, FUTURE_DEADLINE)
    plan = [
        (UMEA, "adopted"),
        (SKELLEFTEA, "adopted"),
        (LYCKSELE, "adopted_with_changes"),
        (REGION, "rejected"),
        ("Åsele kommun", "not_applicable"),
    ]
    for org, status in plan:
        assert answer(world, rec, org, status, decided_on="2021-05-20").status_code == 200
    assert tally(world, rec) == {
        "adopted": 2,
        "adopted_with_changes": 1,
        "rejected": 1,
        "not_applicable": 1,
        "pending": 11,
        "overdue": 0,
    }
    # Region Västerbotten reconsiders; Skellefteå's answer is withdrawn.
    assert answer(world, rec, REGION, "adopted", decided_on="2021-06-01").json()["status"] == "adopted"
    assert answer(world, rec, SKELLEFTEA, "pending").status_code == 200
    assert tally(world, rec) == {
        "adopted": 2,
        "adopted_with_changes": 1,
        "rejected": 0,
        "not_applicable": 1,
        "pending": 12,
        "overdue": 0,
    }
    assert world.get(f"/decisions/{rec['id']}")["overdue_principal_ids"] == []


def test_pending_answers_past_the_deadline_are_overdue(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item)
    for org in (UMEA, SKELLEFTEA, REGION):
        assert answer(world, rec, org, decided_on="2021-09-01").status_code == 200
    got = world.get(f"/decisions/{rec['id']}")
    assert got["tally"] == {**NO_ANSWERS, "adopted": 3, "pending": 13, "overdue": 13}
    late = {world.orgs[n] for n in PRINCIPALS_IN_ORDER} - {world.orgs[n] for n in (UMEA, SKELLEFTEA, REGION)}
    assert set(got["overdue_principal_ids"]) == late and len(got["overdue_principal_ids"]) == 13
    by_name = responses(world, rec)
    assert by_name[UMEA]["overdue"] is False
    assert by_name[LYCKSELE]["overdue"] is True
    assert sum(r["overdue"] for r in by_name.values()) == 13

    # Moving the deadline into the future clears it.
    r = world.client.patch(f"{DECISIONS}/{rec['id']}", json={"response_deadline": FUTURE_DEADLINE}, headers=world.admin)
    assert r.status_code == 200, r.text
    assert r.json()["tally"]["overdue"] == 0 and r.json()["overdue_principal_ids"] == []
    # Clearing it (the deadline is not known yet) leaves nothing overdue.
    r = world.client.patch(f"{DECISIONS}/{rec['id']}", json={"response_deadline": None}, headers=world.admin)
    assert r.status_code == 200, r.text
    assert r.json()["tally"]["overdue"] == 0


def test_the_overdue_list_per_principal(world: World, item: dict[str, Any]) -> None:
    umea, skelleftea, region = world.orgs[UMEA], world.orgs[SKELLEFTEA], world.orgs[REGION]
    # a: past the deadline; Umeå has answered, the other 15 have not.
    a = recommend(world, item)
    assert answer(world, a, UMEA, decided_on="2021-06-14").status_code == 200
    # b: past the deadline; Skellefteå has answered, Umeå has not.
    b = recommend(world, item, recipient_ids=[umea, skelleftea])
    assert answer(world, b, SKELLEFTEA, "rejected").status_code == 200
    # c: past the deadline, and everyone has answered.
    c = recommend(world, item, recipient_ids=[umea])
    assert answer(world, c, UMEA, "not_applicable").status_code == 200
    # d: the deadline lies in the future, so nothing is overdue whoever has not answered.
    d = recommend(world, item, FUTURE_DEADLINE)
    world.decide(item, "noted")
    world.decide(item, "assignment", assignee_body_id=world.orgs[LSG], due_date="2021-06-01")

    assert world.ids(overdue="true") == {a["id"], b["id"]}
    assert world.ids(overdue="true", principal_id=umea) == {b["id"]}
    assert world.ids(overdue="true", principal_id=skelleftea) == {a["id"]}
    assert world.ids(overdue="true", principal_id=region) == {a["id"]}
    assert world.ids(overdue="false") == {c["id"], d["id"]}
    assert world.ids(overdue="false", principal_id=umea) == {a["id"], c["id"], d["id"]}
    # Without overdue: the recommendations the principal has not answered yet, late or not.
    assert world.ids(principal_id=umea) == {b["id"], d["id"]}
    assert world.ids(principal_id=region) == {a["id"], d["id"]}
    listed = {x["id"]: x for x in world.decisions(overdue="true")}
    assert listed[b["id"]]["overdue_principal_ids"] == [umea]
    assert listed[a["id"]]["tally"]["overdue"] == 15

    # Once Umeå answers b, it is no longer late anywhere; b stays overdue for nobody.
    assert answer(world, b, UMEA, decided_on="2021-10-04").status_code == 200
    assert world.ids(overdue="true", principal_id=umea) == set()
    assert world.ids(overdue="true") == {a["id"]}
    page = world.get("/decisions", overdue="true", principal_id=skelleftea, limit=1)
    assert "overdue=true" in page["links"]["self"]
    assert page["links"]["next"] is None


def test_a_future_deadline_is_never_overdue(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item, FUTURE_DEADLINE)
    assert rec["tally"] == {**NO_ANSWERS, "pending": 16, "overdue": 0}
    assert world.ids(overdue="true") == set()
    for org in PRINCIPALS_IN_ORDER:
        assert world.ids(overdue="true", principal_id=world.orgs[org]) == set()
    assert not any(r["overdue"] for r in responses(world, rec).values())


def test_the_answers_export_to_a_spreadsheet(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item)
    assert answer(world, rec, UMEA, assembly="Kommunfullmäktige", decided_on="2021-06-14").status_code == 200
    r = world.client.get(f"{DECISIONS}/{rec['id']}/responses", headers={**world.admin, "Accept": "text/csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode())
    rows = [line.split(";") for line in r.content.decode("utf-8-sig").splitlines()]
    header, data = rows[0], rows[1:]
    names = [row[header.index("organisation_name")] for row in data]
    assert names == PRINCIPALS_IN_ORDER
    umea = data[names.index(UMEA)]
    assert umea[header.index("status")] == "adopted" and umea[header.index("assembly")] == "Kommunfullmäktige"
    assert data[names.index("Åsele kommun")][header.index("overdue")] == "true"


def test_a_deadline_before_the_recommendation_is_refused(world: World, item: dict[str, Any]) -> None:
    before = world.client.get(DECISIONS, params={"count": "true"}, headers=world.admin).json()["pagination"]["total"]
    body = {"agenda_item_id": item["id"], "kind": "recommendation", "clauses": CLAUSES}
    r = world.client.post(DECISIONS, json={**body, "response_deadline": "2021-03-18"}, headers=world.admin)
    assert_refused(r, "response_deadline")
    after = world.client.get(DECISIONS, params={"count": "true"}, headers=world.admin).json()["pagination"]["total"]
    assert after == before
    rec = recommend(world, item, "2021-03-19")  # the day of the meeting itself is fine
    for change in ({"response_deadline": "2021-01-31"}, {"decided_on": "2021-03-20"}):
        assert_refused(
            world.client.patch(f"{DECISIONS}/{rec['id']}", json=change, headers=world.admin), "response_deadline"
        )
    assert world.get(f"/decisions/{rec['id']}")["response_deadline"] == "2021-03-19"


def test_answering_again_changes_only_what_is_sent(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item, FUTURE_DEADLINE)
    first = {"decided_on": "2021-05-20", "assembly": "Kommunfullmäktige", "reference": "KS 2021/112"}
    assert answer(world, rec, UMEA, "adopted_with_changes", **first).status_code == 200
    again = answer(world, rec, UMEA, "adopted", reference="KF 2021/40")
    assert again.status_code == 200, again.text
    kept = {k: again.json()[k] for k in ("status", "decided_on", "assembly", "reference")}
    assert kept == {"status": "adopted", **first, "reference": "KF 2021/40"}
    assert {k: responses(world, rec)[UMEA][k] for k in kept} == kept
    # null clears, as in every PATCH
    assert answer(world, rec, UMEA, "adopted", assembly=None).json()["assembly"] is None


def test_answers_filtered_by_status(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item, FUTURE_DEADLINE)
    for org, status in ((UMEA, "adopted"), (SKELLEFTEA, "rejected"), (REGION, "adopted")):
        assert answer(world, rec, org, status).status_code == 200
    url = f"{DECISIONS}/{rec['id']}/responses"

    def names(*statuses: str) -> list[str]:
        r = world.client.get(url, params=[("status", s) for s in statuses], headers=world.admin)
        assert r.status_code == 200, r.text
        return [a["organisation_name"] for a in r.json()["data"]]

    assert names("adopted") == [REGION, UMEA]
    assert names("adopted", "rejected") == [REGION, SKELLEFTEA, UMEA]
    assert len(names("pending")) == 13 and UMEA not in names("pending")
    assert len(names()) == 16
    r = world.client.get(url, params={"status": "vetoed"}, headers=world.admin)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "status", 0]


def test_a_missing_document_in_an_answer_is_422_naming_it(world: World, item: dict[str, Any]) -> None:
    rec = recommend(world, item, FUTURE_DEADLINE)
    assert_refused(answer(world, rec, UMEA, document_id="00000000-0000-4000-8000-000000000000"), "document_id")
    assert responses(world, rec)[UMEA]["status"] == "pending"
