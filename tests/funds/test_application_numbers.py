"""Application numbers (`UPH-2025-014`): given at the first submission, per round, gap-free and unique, also when
several applications are submitted at the same moment to two server processes on one database; never given again,
and never taken by a draft withdrawn before it was submitted."""

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core import db as core_db
from app.funds.models import Round
from tests.funds.applying import (  # noqa: F401 - fixtures
    Applicants,
    OpenRound,
    applicants_fixture,
    draft,
    get,
    move,
    open_round,
    round_fixture,
)
from tests.funds.conftest import API, Headers, ok
from tests.test_e2e import env, start_server  # noqa: F401 - fixtures

SUBMITTERS = 8


def test_numbers_are_given_at_submission_without_gaps(
    client: TestClient,
    manager: Headers,
    admin: Headers,
    applicants: Applicants,
    round_: OpenRound,
    fund: dict[str, Any],
) -> None:
    editor = applicants.editor_umea
    first, withdrawn, second = (draft(client, editor, round_, applicants.umea)["id"] for _ in range(3))
    ok(move(client, editor, withdrawn, "withdrawn"))
    deleted = draft(client, editor, round_, applicants.umea)["id"]
    assert client.delete(f"{API}/applications/{deleted}", headers=editor).status_code == 204
    submitted = ok(move(client, editor, first, "submitted"))
    assert submitted["number"] == f"UPH-{round_.year}-001" and submitted["submitted_at"]
    assert ok(move(client, editor, second, "submitted"))["number"] == f"UPH-{round_.year}-002"
    assert ok(get(client, manager, withdrawn))["number"] is None
    # Answering a request for more information is no new submission: the number stays.
    ok(move(client, manager, first, "in_review"))
    ok(move(client, manager, first, "more_info_requested"))
    again = ok(move(client, editor, first, "in_review"))
    assert (again["number"], again["submitted_at"]) == (submitted["number"], submitted["submitted_at"])
    # Another round counts from 1 again.
    other = open_round(client, manager, fund, round_.year + 1)
    elsewhere = draft(client, editor, other, applicants.umea)["id"]
    assert ok(move(client, editor, elsewhere, "submitted"))["number"] == f"UPH-{other.year}-001"
    third = draft(client, editor, round_, applicants.umea)["id"]
    assert ok(move(client, editor, third, "submitted"))["number"] == f"UPH-{round_.year}-003"
    # The round's counter is its own bookkeeping: submissions leave its ETag alone.
    round_etag = client.get(f"{API}/rounds/{round_.id}", headers=manager).headers["ETag"]
    fourth = draft(client, editor, round_, applicants.umea)["id"]
    ok(move(client, editor, fourth, "submitted"))
    assert client.get(f"{API}/rounds/{round_.id}", headers=manager).headers["ETag"] == round_etag
    audit = ok(client.get(f"{API}/audit?resource_id={fourth}", headers=admin))
    assert any(e["changes"].get("number") == [None, f"UPH-{round_.year}-004"] for e in audit["data"]), audit


def test_simultaneous_submissions_get_distinct_numbers_without_gaps(
    client: TestClient,
    applicants: Applicants,
    round_: OpenRound,
    start_server: Callable[[], str],  # noqa: F811
) -> None:
    bases = [start_server(), start_server()]
    editor = applicants.editor_umea
    drafts = [draft(client, editor, round_, applicants.umea, title=f"Ansökan {i}")["id"] for i in range(SUBMITTERS)]

    def submit(i: int) -> httpx.Response:
        with httpx.Client(base_url=bases[i % len(bases)], timeout=60) as http:
            return http.post(f"{API}/applications/{drafts[i]}/transitions", json={"to": "submitted"}, headers=editor)

    with ThreadPoolExecutor(max_workers=SUBMITTERS) as pool:
        answers = list(pool.map(submit, range(SUBMITTERS)))

    assert [r.status_code for r in answers] == [200] * SUBMITTERS, [r.text for r in answers]
    numbers = sorted(r.json()["number"] for r in answers)
    assert numbers == [f"UPH-{round_.year}-{n:03d}" for n in range(1, SUBMITTERS + 1)]
    stored = ok(client.get(f"{API}/applications?round_id={round_.id}&sort=number", headers=editor))["data"]
    assert [a["number"] for a in stored] == numbers


def test_numbers_sort_by_their_sequence_past_999(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound
) -> None:
    """`UPH-2025-1000` follows `UPH-2025-999` (a string sort put it before `UPH-2025-101`)."""
    with Session(core_db.get_engine()) as s:  # setup: a round that has numbered 997 applications already
        r = s.get_one(Round, uuid.UUID(round_.id))
        r.last_sequence = 997
        s.add(r)
        s.commit()
    editor = applicants.editor_umea
    for _ in range(4):
        ok(move(client, editor, draft(client, editor, round_, applicants.umea)["id"], "submitted"))
    numbers, url = [], f"{API}/applications?round_id={round_.id}&status=submitted&sort=number&limit=2"
    while url:
        page = ok(client.get(url, headers=manager))
        numbers += [a["number"].rsplit("-", 1)[1] for a in page["data"]]
        url = page["links"]["next"]
    assert numbers == ["998", "999", "1000", "1001"]
