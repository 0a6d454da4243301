"""Reviews over HTTP: scores exactly the round's criteria, the mean rounded half up, one review per reviewer and
application while it is under review, and nobody but fund managers and admins ever sees one. The applications
reviewed are inserted as setup (tests/funds/report_factories.py)."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.funds.applications.models import ApplicationStatus
from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.funds.report_factories import Factory, assert_problem, principal_organisation

CRITERIA = ["Länsgemensam nytta", "Spridningsbarhet", "Uppföljningsbarhet"]
SCORES = {"Länsgemensam nytta": 4, "Spridningsbarhet": 3, "Uppföljningsbarhet": 4}


@pytest.fixture
def umea(client: TestClient, admin: Headers) -> str:
    return principal_organisation(client, admin, "Umeå kommun")


@pytest.fixture
def factory(session: Session) -> Factory:
    return Factory(session)


@pytest.fixture
def round_2025(client: TestClient, manager: Headers, fund: dict[str, Any]) -> dict[str, Any]:
    made = new_round(client, manager, fund["id"], 2025, review_criteria=CRITERIA)
    new_pot(client, manager, made["id"], "Det suicidpreventiva arbetet", "1000000.00")
    move_to(client, manager, made["id"], "open")
    return made


@pytest.fixture
def application(factory: Factory, round_2025: dict[str, Any], umea: str) -> Any:
    return factory.application(round_2025["id"], umea)


def review(client: TestClient, headers: Headers, application_id: Any, scores: Any = None, **extra: Any) -> Any:
    body = {"application_id": str(application_id), "scores": SCORES if scores is None else scores}
    return client.post(f"{API}/reviews", json={"recommendation": "grant", **body, **extra}, headers=headers)


def reviews_of(client: TestClient, headers: Headers, application_id: Any) -> list[dict[str, Any]]:
    got = ok(client.get(f"{API}/reviews", params={"application_id": str(application_id)}, headers=headers))
    return list(got["data"])


def me(client: TestClient, headers: Headers) -> str:
    return str(ok(client.get(f"{API}/auth/me", headers=headers))["id"])


def test_a_fund_manager_reviews_an_application(
    client: TestClient, manager: Headers, admin: Headers, application: Any, round_2025: Any
) -> None:
    r = review(client, manager, application.id, comment="Väl förankrat hos alla huvudmän.")
    made = ok(r, 201)
    assert r.headers["Location"].endswith(f"/reviews/{made['id']}") and r.headers["ETag"]
    assert made["scores"] == SCORES
    assert made["mean_score"] == "3.67"  # 11 / 3, never a float
    assert made["recommendation"] == "grant" and made["comment"] == "Väl förankrat hos alla huvudmän."
    assert made["application_id"] == str(application.id) and made["round_id"] == round_2025["id"]
    assert made["reviewer_id"] == me(client, manager) and made["reviewer_name"] == "Test principal"
    got = client.get(f"{API}/reviews/{made['id']}", headers=admin)
    assert ok(got) == made and got.headers["ETag"] == r.headers["ETag"]
    audit = ok(client.get(f"{API}/audit", params={"resource_id": made["id"]}, headers=admin))["data"]
    assert [(a["action"], a["resource_type"]) for a in audit] == [("create", "fund_review")]


def test_the_mean_is_rounded_half_up(
    client: TestClient, manager: Headers, factory: Factory, fund: dict[str, Any], umea: str
) -> None:
    criteria = [f"Kriterium {n}" for n in range(1, 9)]
    made = new_round(client, manager, fund["id"], 2026, review_criteria=criteria)
    move_to(client, manager, made["id"], "open")
    application = factory.application(made["id"], umea)
    scores = dict(zip(criteria, [3, 3, 3, 3, 3, 2, 2, 2], strict=True))  # 21 / 8 = 2.625
    assert ok(review(client, manager, application.id, scores), 201)["mean_score"] == "2.63"


def test_a_round_without_criteria_takes_empty_scores(
    client: TestClient, manager: Headers, factory: Factory, fund: dict[str, Any], umea: str
) -> None:
    made = new_round(client, manager, fund["id"], 2026)
    application = factory.application(made["id"], umea)
    r = review(client, manager, application.id, {"Länsgemensam nytta": 3})
    problem = assert_problem(r, 422, "validation_failed")
    assert problem["errors"][0]["loc"] == ["body", "scores", "Länsgemensam nytta"]
    made_review = ok(review(client, manager, application.id, {}, recommendation="reject"), 201)
    assert made_review["scores"] == {} and made_review["mean_score"] is None


@pytest.mark.parametrize(
    ("scores", "named"),
    [
        ({**SCORES, "Nyhetsvärde": 5}, "Nyhetsvärde"),
        ({"Länsgemensam nytta": 4, "Spridningsbarhet": 3}, "Uppföljningsbarhet"),
        ({"Länsgemensam nytta": 4, "Spridningsbarhet": 3, "Uppföljning": 4}, "Uppföljning"),
    ],
)
def test_scores_are_exactly_the_round_criteria(
    client: TestClient, manager: Headers, application: Any, scores: dict[str, int], named: str
) -> None:
    problem = assert_problem(review(client, manager, application.id, scores), 422, "validation_failed")
    assert named in problem["detail"]
    assert any(named in str(e["loc"]) + e["msg"] for e in problem["errors"])
    assert reviews_of(client, manager, application.id) == []


@pytest.mark.parametrize("bad", [6, -1, "3", 3.5, True, None])
def test_a_score_is_a_whole_number_from_0_to_5(
    client: TestClient, manager: Headers, application: Any, bad: Any
) -> None:
    r = review(client, manager, application.id, {**SCORES, "Spridningsbarhet": bad})
    problem = assert_problem(r, 422, "validation_failed")
    assert problem["errors"][0]["loc"][:3] == ["body", "scores", "Spridningsbarhet"]
    assert reviews_of(client, manager, application.id) == []


@pytest.mark.parametrize(
    "body",
    [
        {"recommendation": "maybe"},
        {"application_id": "00000000-0000-4000-8000-000000000000"},
        {"comment": "x" * 20001},
        {"extra": 1},
    ],
)
def test_bad_bodies_are_refused(client: TestClient, manager: Headers, application: Any, body: dict[str, Any]) -> None:
    sent = {"application_id": str(application.id), "scores": SCORES, "recommendation": "grant", **body}
    assert_problem(client.post(f"{API}/reviews", json=sent, headers=manager), 422, "validation_failed")
    assert reviews_of(client, manager, application.id) == []


def test_one_review_per_reviewer_and_application(
    client: TestClient, manager: Headers, make_principal: Callable[..., Headers], application: Any
) -> None:
    first = ok(review(client, manager, application.id), 201)
    problem = assert_problem(review(client, manager, application.id), 409, "duplicate_review")
    assert problem["review_id"] == first["id"]
    other = make_principal("fund_manager")
    ok(review(client, other, application.id, recommendation="partial"), 201)
    assert sorted(r["recommendation"] for r in reviews_of(client, manager, application.id)) == ["grant", "partial"]
    # Withdrawn, it may be written again.
    assert client.delete(f"{API}/reviews/{first['id']}", headers=manager).status_code == 204
    ok(review(client, manager, application.id, recommendation="reject"), 201)


@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_reviews_are_written_while_the_application_is_under_review(
    client: TestClient, manager: Headers, factory: Factory, round_2025: Any, umea: str, status: ApplicationStatus
) -> None:
    application = factory.application(round_2025["id"], umea, status)
    r = review(client, manager, application.id)
    if status in (ApplicationStatus.submitted, ApplicationStatus.in_review, ApplicationStatus.more_info_requested):
        ok(r, 201)
        return
    problem = assert_problem(r, 409, "application_not_under_review")
    assert problem["application_status"] == status and status in problem["detail"]
    assert reviews_of(client, manager, application.id) == []


def test_once_decided_a_review_stays_as_it_is(
    client: TestClient, manager: Headers, factory: Factory, application: Any
) -> None:
    made = ok(review(client, manager, application.id), 201)
    application.status = ApplicationStatus.granted  # setup: the decision (made by grants, on another branch)
    factory.session.add(application)
    factory.session.commit()
    r = client.patch(f"{API}/reviews/{made['id']}", json={"recommendation": "reject"}, headers=manager)
    assert_problem(r, 409, "application_not_under_review")
    assert_problem(client.delete(f"{API}/reviews/{made['id']}", headers=manager), 409, "application_not_under_review")
    assert ok(client.get(f"{API}/reviews/{made['id']}", headers=manager)) == made


def test_only_fund_managers_and_admins_see_reviews(
    client: TestClient,
    manager: Headers,
    admin: Headers,
    reader: Headers,
    make_principal: Callable[..., Headers],
    application: Any,
    umea: str,
) -> None:
    made = ok(review(client, manager, application.id), 201)
    applicant_editor = make_principal(f"editor:{umea}")
    secretary = make_principal(f"secretary:{umea}")
    for headers in (reader, applicant_editor, secretary):
        for path in ("/reviews", f"/reviews/{made['id']}"):
            assert_problem(client.get(API + path, headers=headers), 403, "missing_role")
        assert_problem(review(client, headers, application.id), 403, "missing_role")
        body = {"comment": "Ändrat"}
        assert_problem(client.patch(f"{API}/reviews/{made['id']}", json=body, headers=headers), 403, "missing_role")
        assert_problem(client.delete(f"{API}/reviews/{made['id']}", headers=headers), 403, "missing_role")
    assert client.get(f"{API}/reviews/{made['id']}").status_code == 401
    assert [r["id"] for r in reviews_of(client, admin, application.id)] == [made["id"]]
    assert ok(client.get(f"{API}/reviews/{made['id']}", headers=admin))["comment"] is None


def test_only_its_reviewer_or_an_admin_changes_a_review(
    client: TestClient, manager: Headers, admin: Headers, make_principal: Callable[..., Headers], application: Any
) -> None:
    r = review(client, manager, application.id)
    made, tag = ok(r, 201), r.headers["ETag"]
    url = f"{API}/reviews/{made['id']}"
    other = make_principal("fund_manager")
    assert_problem(client.patch(url, json={"comment": "Nej"}, headers=other), 403, "not_reviewer")
    assert_problem(client.delete(url, headers=other), 403, "not_reviewer")
    changed = client.patch(
        url, json={"scores": {**SCORES, "Spridningsbarhet": 5}}, headers={**manager, "If-Match": tag}
    )
    assert ok(changed)["mean_score"] == "4.33" and changed.headers["ETag"] != tag
    stale = client.patch(url, json={"recommendation": "reject"}, headers={**manager, "If-Match": tag})
    assert_problem(stale, 412, "precondition_failed")
    bad = client.patch(url, json={"scores": {"Spridningsbarhet": 5}}, headers=manager)
    assert_problem(bad, 422, "validation_failed")
    assert_problem(client.patch(url, json={"recommendation": None}, headers=manager), 422, "validation_failed")
    by_admin = ok(client.patch(url, json={"recommendation": "partial", "comment": "Utan lokalhyran."}, headers=admin))
    assert by_admin["recommendation"] == "partial" and by_admin["mean_score"] == "4.33"
    audit = ok(client.get(f"{API}/audit", params={"resource_id": made["id"], "action": "update"}, headers=admin))
    assert len(audit["data"]) == 2
    assert client.delete(url, headers={**manager, "If-Match": by_admin_tag(client, url, admin)}).status_code == 204
    assert_problem(client.get(url, headers=manager), 404, "not_found")


def by_admin_tag(client: TestClient, url: str, headers: Headers) -> str:
    return str(client.get(url, headers=headers).headers["ETag"])


def test_the_list_filters_pages_counts_and_syncs(
    client: TestClient,
    manager: Headers,
    make_principal: Callable[..., Headers],
    factory: Factory,
    fund: dict[str, Any],
    round_2025: Any,
    umea: str,
) -> None:
    other_round = new_round(client, manager, fund["id"], 2024, review_criteria=CRITERIA)
    first, second = (factory.application(round_2025["id"], umea) for _ in range(2))
    elsewhere = factory.application(other_round["id"], umea)
    other = make_principal("fund_manager")
    made = [ok(review(client, h, a.id), 201) for h, a in ((manager, first), (other, first), (manager, second))]
    ok(review(client, manager, elsewhere.id), 201)

    def ids(**params: Any) -> list[str]:
        return [r["id"] for r in ok(client.get(f"{API}/reviews", params=params, headers=manager))["data"]]

    assert ids(application_id=str(first.id)) == [made[0]["id"], made[1]["id"]]
    assert ids(round_id=round_2025["id"]) == [r["id"] for r in made]
    assert ids(round_id=round_2025["id"], reviewer_id=me(client, other)) == [made[1]["id"]]
    page = ok(client.get(f"{API}/reviews", params={"limit": 2, "count": "true"}, headers=manager))
    assert page["pagination"]["total"] == 4 and len(page["data"]) == 2
    rest = ok(client.get(page["links"]["next"], headers=manager))
    assert len(rest["data"]) == 2 and rest["links"]["next"] is None
    since = made[2]["updated_at"]
    assert client.delete(f"{API}/reviews/{made[0]['id']}", headers=manager).status_code == 204
    synced = ok(client.get(f"{API}/reviews", params={"updated_since": since}, headers=manager))["data"]
    assert {"id": made[0]["id"], "deleted": True} in [{k: r[k] for k in ("id", "deleted") if k in r} for r in synced]
    csv = client.get(
        f"{API}/reviews", params={"application_id": str(second.id)}, headers={**manager, "Accept": "text/csv"}
    )
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert csv.status_code == 200 and "scores.Länsgemensam nytta" in lines[0].split(";")
    assert lines[1].split(";")[lines[0].split(";").index("mean_score")] == "3,67"
