"""Who sees which application: fund managers and admins everything, an editor its own principal's in every state
and other principals' only once granted, readers (and anonymous callers, when public reading is on) granted ones
only. One you may not see is 404, in lists it is not there, and the review figures are for managers alone."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core import db as core_db
from app.core.db import utcnow
from app.core.settings import get_settings
from app.funds.applications.models import ApplicationStatus, Recommendation, Review
from tests.funds.applying import (  # noqa: F401 - fixtures
    Applicants,
    OpenRound,
    applicants_fixture,
    draft,
    get,
    move,
    round_fixture,
    set_status,
)
from tests.funds.conftest import API, Headers, ok


@dataclass
class Seen:
    umea_draft: str
    draft: str
    submitted: str
    granted: str
    in_progress: str


@pytest.fixture
def seen(client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound) -> Seen:
    """Umeå's draft, and Skellefteå's applications: a draft, a submitted one, a granted one and one in progress."""
    skelleftea = applicants.editor_skelleftea

    def skelleftea_at(*moves: str, granted: bool = False) -> str:
        ident = str(draft(client, skelleftea, round_, applicants.skelleftea, title=f"Skellefteå {moves}")["id"])
        for to in moves:
            ok(move(client, manager if to in ("in_review", "in_progress") else skelleftea, ident, to))
            if to == "in_review" and granted:
                set_status(ident, ApplicationStatus.granted)  # setup: a grant (POST /grants) is built elsewhere
        return ident

    return Seen(
        umea_draft=str(draft(client, applicants.editor_umea, round_, applicants.umea)["id"]),
        draft=skelleftea_at(),
        submitted=skelleftea_at("submitted"),
        granted=skelleftea_at("submitted", "in_review", granted=True),
        in_progress=skelleftea_at("submitted", "in_review", "in_progress", granted=True),
    )


def listed(client: TestClient, headers: Headers, query: str = "") -> set[str]:
    """Every id the list shows, following its pages one row at a time (keyset pages over the visible rows)."""
    ids: list[str] = []
    url: str | None = f"{API}/applications?limit=1{query}"
    while url:
        page = ok(client.get(url, headers=headers))
        ids += [row["id"] for row in page["data"]]
        url = page["links"]["next"]
    assert len(ids) == len(set(ids))
    return set(ids)


def test_an_editor_for_umea_can_neither_see_nor_touch_skellefteas_draft(
    client: TestClient, manager: Headers, applicants: Applicants, seen: Seen
) -> None:
    umea = applicants.editor_umea
    before = get(client, manager, seen.draft).json()
    assert get(client, umea, seen.draft).status_code == 404
    assert get(client, umea, seen.submitted).status_code == 404
    assert listed(client, umea) == {seen.umea_draft, seen.granted, seen.in_progress}
    assert listed(client, umea, f"&applicant_id={applicants.skelleftea}") == {seen.granted, seen.in_progress}
    total = ok(client.get(f"{API}/applications?count=true", headers=umea))["pagination"]["total"]
    assert total == 3
    url = f"{API}/applications/{seen.draft}"
    tries = [
        client.patch(url, json={"title": "Umeås titel"}, headers=umea),
        client.post(f"{url}/transitions", json={"to": "withdrawn"}, headers=umea),
        client.post(f"{url}/transitions", json={"to": "submitted"}, headers=umea),
        client.delete(url, headers=umea),
        client.get(f"{url}/history", headers=umea),
    ]
    assert [t.status_code for t in tries] == [404] * 5
    assert all(t.json()["code"] == "not_found" for t in tries)
    assert get(client, manager, seen.draft).json() == before  # untouched
    # Skellefteå's own editor sees all of its own.
    assert listed(client, applicants.editor_skelleftea) == {seen.draft, seen.submitted, seen.granted, seen.in_progress}
    assert listed(client, manager) == {seen.umea_draft, seen.draft, seen.submitted, seen.granted, seen.in_progress}


def test_once_granted_another_principal_sees_it_but_does_not_act_on_it(
    client: TestClient, applicants: Applicants, seen: Seen
) -> None:
    umea = applicants.editor_umea
    granted = ok(get(client, umea, seen.granted))
    assert granted["status"] == "granted" and granted["review_counts"] is None
    assert ok(client.get(f"{API}/applications/{seen.granted}/history", headers=umea))["data"]
    edit = client.patch(f"{API}/applications/{seen.granted}", json={"title": "x"}, headers=umea)
    assert edit.status_code == 403
    start = move(client, umea, seen.granted, "in_progress")
    assert start.status_code == 403 and start.json()["code"] == "transition_forbidden"
    assert start.json()["allowed"] == []


def test_a_reader_sees_granted_applications_only_and_never_review_figures(
    client: TestClient,
    manager: Headers,
    reader: Headers,
    applicants: Applicants,
    seen: Seen,
    make_principal: Callable[..., Headers],
) -> None:
    assert listed(client, reader) == {seen.granted, seen.in_progress}
    assert listed(client, reader, "&status=draft&status=submitted") == set()
    for ident in (seen.umea_draft, seen.draft, seen.submitted):
        assert get(client, reader, ident).status_code == 404
    for ident in (seen.granted, seen.in_progress):
        assert ok(get(client, reader, ident))["status"] in ("granted", "in_progress")

    reviewers = [make_principal("fund_manager") for _ in range(4)]
    _review(client, reviewers[0], seen.granted, "3.33", Recommendation.grant)
    _review(client, reviewers[1], seen.granted, "4.00", Recommendation.grant)
    _review(client, reviewers[2], seen.granted, "2.50", Recommendation.partial)
    _review(client, reviewers[3], seen.granted, "0.00", Recommendation.reject, deleted=True)
    as_manager = ok(get(client, manager, seen.granted))
    # (3.33 + 4.00 + 2.50) / 3 = 3.2766…, shown with two decimals; a deleted review counts for nothing.
    assert as_manager["review_mean_score"] == "3.28"
    assert as_manager["review_counts"] == {"grant": 2, "partial": 1, "reject": 0}
    in_list = {a["id"]: a for a in ok(client.get(f"{API}/applications", headers=manager))["data"]}
    assert in_list[seen.granted]["review_mean_score"] == "3.28"
    assert in_list[seen.in_progress]["review_counts"] == {"grant": 0, "partial": 0, "reject": 0}
    for headers in (reader, applicants.editor_skelleftea, applicants.editor_umea):
        one = ok(get(client, headers, seen.granted))
        assert (one["review_mean_score"], one["review_counts"]) == (None, None)
        for row in ok(client.get(f"{API}/applications", headers=headers))["data"]:
            assert (row["review_mean_score"], row["review_counts"]) == (None, None)
        csv = client.get(f"{API}/applications", headers={**headers, "Accept": "text/csv"}).text
        assert "3,28" not in csv and "3.28" not in csv


def _review(
    client: TestClient, headers: Headers, ident: str, mean: str, rec: Recommendation, deleted: bool = False
) -> None:
    """Test setup only: reviews are entered through their own resource, built elsewhere."""
    reviewer = uuid.UUID(ok(client.get(f"{API}/auth/me", headers=headers))["id"])
    with Session(core_db.get_engine()) as s:
        s.add(
            Review(
                application_id=uuid.UUID(ident),
                reviewer_id=reviewer,
                scores={"Länsgemensam nytta": 3},
                mean_score=Decimal(mean),
                recommendation=rec,
                deleted_at=utcnow() if deleted else None,
            )
        )
        s.commit()


def test_without_a_token_only_granted_ones_when_public_reading_is_on(
    client: TestClient, seen: Seen, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get(f"{API}/applications").status_code == 401
    monkeypatch.setenv("SAMVERKAN_PUBLIC_READ", "true")
    get_settings.cache_clear()
    try:
        assert listed(client, {}) == {seen.granted, seen.in_progress}
        assert ok(client.get(f"{API}/applications/{seen.granted}"))["review_counts"] is None
        assert client.get(f"{API}/applications/{seen.draft}").status_code == 404
        assert client.get(f"{API}/applications/{seen.granted}/history").status_code == 401
    finally:
        monkeypatch.delenv("SAMVERKAN_PUBLIC_READ")
        get_settings.cache_clear()


def test_the_answer_of_a_write_keeps_to_the_callers_view(
    client: TestClient, manager: Headers, applicants: Applicants, seen: Seen
) -> None:
    answered: Any = ok(move(client, manager, seen.submitted, "in_review"))
    assert answered["review_counts"] == {"grant": 0, "partial": 0, "reject": 0}
    answered = ok(move(client, applicants.editor_skelleftea, seen.submitted, "withdrawn"))
    assert answered["review_counts"] is None
