"""The application workflow over HTTP: every status × every target, as the applicant's editor and as a fund
manager, gives the move (200), 409 `invalid_transition` or 403 `transition_forbidden` (both naming the allowed
moves), or 409 `grant_required` / `report_required` for the moves only a grant or the final report makes.
Submission: the deadline, completeness, and the history of every move."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from app.core.time import today
from app.funds.applications.models import ApplicationStatus
from app.funds.applications.workflow import BY_GRANT, BY_REPORT, TRANSITIONS, Party
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
from tests.funds.conftest import API, Headers, new_round, ok

S = ApplicationStatus
A, M = Party.applicant, Party.manager
# How each status is reached from a new draft: real moves by the applicant (A) or a manager (M), except a grant's
# statuses, which only POST /grants makes, and the final report's, which only the report makes (both tested in
# their own files): those are set in the database as test setup (None).
PATHS: dict[ApplicationStatus, list[tuple[Party | None, ApplicationStatus]]] = {
    S.draft: [],
    S.submitted: [(A, S.submitted)],
    S.in_review: [(A, S.submitted), (M, S.in_review)],
    S.more_info_requested: [(A, S.submitted), (M, S.in_review), (M, S.more_info_requested)],
    S.rejected: [(A, S.submitted), (M, S.in_review), (M, S.rejected)],
    S.withdrawn: [(A, S.withdrawn)],
    S.granted: [(A, S.submitted), (M, S.in_review), (None, S.granted)],
    S.partially_granted: [(A, S.submitted), (M, S.in_review), (None, S.partially_granted)],
    S.in_progress: [(A, S.submitted), (M, S.in_review), (None, S.granted), (M, S.in_progress)],
    S.report_due: [(A, S.submitted), (M, S.in_review), (None, S.granted), (M, S.in_progress), (M, S.report_due)],
    S.reported: [
        (A, S.submitted),
        (M, S.in_review),
        (None, S.granted),
        (M, S.in_progress),
        (M, S.report_due),
        (None, S.reported),
    ],
    S.closed: [
        (A, S.submitted),
        (M, S.in_review),
        (None, S.granted),
        (M, S.in_progress),
        (M, S.report_due),
        (None, S.reported),
        (None, S.closed),
    ],
}


def test_every_status_has_a_path() -> None:
    assert set(PATHS) == set(ApplicationStatus) == set(TRANSITIONS)


def _reach(client: TestClient, who: dict[Party, Headers], r: OpenRound, applicant: str, status: S) -> str:
    made = draft(client, who[A], r, applicant)
    for party, to in PATHS[status]:
        if party is None:
            set_status(made["id"], to)
        else:
            ok(move(client, who[party], made["id"], to))
    assert ok(get(client, who[M], made["id"]))["status"] == status
    return str(made["id"])


def _expected(status: S, to: S, party: Party) -> tuple[int, str | None, list[str] | None]:
    """What the workflow's table says a move gives: status, problem code and the `allowed` it names."""
    possible = TRANSITIONS[status]
    if to not in possible:
        return 409, "invalid_transition", sorted(possible)
    mine = sorted(t for t, parties in possible.items() if party in parties)
    if party not in possible[to]:
        return 403, "transition_forbidden", mine
    if to in BY_GRANT:
        return 409, "grant_required", [t for t in mine if t not in BY_GRANT]
    if (status, to) in BY_REPORT:
        return 409, "report_required", [t for t in mine if (status, t) not in BY_REPORT]
    return 200, None, None


def test_every_transition_allowed_and_refused(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound
) -> None:
    who = {A: applicants.editor_umea, M: manager}
    made, refused = 0, 0
    for status in ApplicationStatus:
        ident = _reach(client, who, round_, applicants.umea, status)
        allowed_moves = []
        for to in ApplicationStatus:
            for party in (A, M):
                code, problem, allowed = _expected(status, to, party)
                if code == 200:
                    allowed_moves.append((to, party))
                    continue
                r = move(client, who[party], ident, to)
                assert r.status_code == code, (status, to, party, r.text)
                assert r.json()["code"] == problem and r.json()["allowed"] == allowed, (status, to, party, r.text)
                refused += 1
        # A refusal changes nothing.
        assert ok(get(client, manager, ident))["status"] == status
        # Each allowed move from a fresh application in this status.
        for to, party in allowed_moves:
            fresh = _reach(client, who, round_, applicants.umea, status)
            moved = ok(move(client, who[party], fresh, to, f"{party} → {to}"))
            assert moved["status"] == to
            history = ok(client.get(f"{API}/applications/{fresh}/history", headers=manager))["data"]
            assert (history[-1]["from_status"], history[-1]["to_status"], history[-1]["comment"]) == (
                status,
                to,
                f"{party} → {to}",
            )
            made += 1
    # Spot checks that the table itself says what the issue says.
    assert made == 15 and refused == 12 * 12 * 2 - 15


def test_the_moves_the_issue_names(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound
) -> None:
    editor = applicants.editor_umea
    ident = draft(client, editor, round_, applicants.umea)["id"]
    early = move(client, manager, ident, "in_review")
    assert early.status_code == 409 and early.json()["allowed"] == ["submitted", "withdrawn"]
    assert "submitted, withdrawn" in early.json()["detail"]
    ok(move(client, editor, ident, "submitted"))
    review = move(client, editor, ident, "in_review")
    assert review.status_code == 403 and review.json()["allowed"] == ["withdrawn"]
    ok(move(client, manager, ident, "in_review"))
    grant = move(client, manager, ident, "granted")
    assert grant.status_code == 409 and grant.json()["code"] == "grant_required" and "/grants" in grant.json()["detail"]
    assert ok(get(client, manager, ident))["status"] == "in_review"
    ok(move(client, manager, ident, "more_info_requested", "Beskriv hur insatsen sprids."))
    ok(move(client, editor, ident, "in_review", "Se avsnitt 4."))
    ok(move(client, editor, ident, "withdrawn", "Vi söker nästa år."))
    history = ok(client.get(f"{API}/applications/{ident}/history", headers=editor))
    assert [(e["from_status"], e["to_status"]) for e in history["data"]] == [
        (None, "draft"),
        ("draft", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "more_info_requested"),
        ("more_info_requested", "in_review"),
        ("in_review", "withdrawn"),
    ]
    assert history["data"][3]["comment"] == "Beskriv hur insatsen sprids."
    assert all(e["actor_name"] for e in history["data"])
    assert history["pagination"]["total"] == 6 and history["links"]["next"] is None
    ats = [e["at"] for e in history["data"]]
    assert ats == sorted(ats)
    final = move(client, editor, ident, "submitted")
    assert final.status_code == 409 and final.json()["allowed"] == []


def test_submission_after_the_deadline_is_refused_naming_it(
    client: TestClient, manager: Headers, applicants: Applicants, fund: dict[str, Any]
) -> None:
    editor = applicants.editor_umea
    yesterday = today() - timedelta(days=1)
    late = new_round(
        client, manager, fund["id"], yesterday.year, opens_on=f"{yesterday.year}-01-01", closes_on=yesterday.isoformat()
    )
    ok(client.patch(f"{API}/rounds/{late['id']}", json={"status": "open"}, headers=manager))
    r = OpenRound(late["id"], yesterday.year, "", fund["focus_areas"][0]["id"], fund)
    ident = draft(client, editor, r, applicants.umea, pot_id=None)["id"]
    refused = move(client, editor, ident, "submitted")
    assert refused.status_code == 409 and refused.json()["code"] == "round_closed", refused.text
    assert refused.json()["closes_on"] == yesterday.isoformat() and yesterday.isoformat() in refused.json()["detail"]
    after = ok(get(client, manager, ident))
    assert (after["status"], after["number"], after["submitted_at"]) == ("draft", None, None)
    assert len(ok(client.get(f"{API}/applications/{ident}/history", headers=editor))["data"]) == 1


def test_submission_on_the_last_day_and_in_a_closed_round(
    client: TestClient, manager: Headers, applicants: Applicants, fund: dict[str, Any]
) -> None:
    editor = applicants.editor_umea
    year = today().year + 2
    last_day = new_round(client, manager, fund["id"], year, opens_on=today().isoformat(), closes_on=today().isoformat())
    ok(client.patch(f"{API}/rounds/{last_day['id']}", json={"status": "open"}, headers=manager))
    r = OpenRound(last_day["id"], year, "", fund["focus_areas"][0]["id"], fund)
    on_time = draft(client, editor, r, applicants.umea, pot_id=None)["id"]
    too_late = draft(client, editor, r, applicants.umea, pot_id=None)["id"]
    assert ok(move(client, editor, on_time, "submitted"))["number"] == f"UPH-{year}-001"
    ok(client.patch(f"{API}/rounds/{last_day['id']}", json={"status": "closed"}, headers=manager))
    closed = move(client, editor, too_late, "submitted")
    assert closed.status_code == 409 and closed.json()["code"] == "round_closed"
    assert closed.json()["closes_on"] == today().isoformat()


def test_an_incomplete_application_is_not_submitted(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound
) -> None:
    editor = applicants.editor_umea
    no_area = draft(client, editor, round_, applicants.umea, focus_area_id=None)["id"]
    refused = move(client, editor, no_area, "submitted")
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "focus_area_id"]
    no_lines = draft(client, editor, round_, applicants.umea, budget_lines=[])["id"]
    refused = move(client, editor, no_lines, "submitted")
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "budget_lines"]
    for ident in (no_area, no_lines):
        assert ok(get(client, manager, ident))["status"] == "draft"


def test_a_move_honours_if_match(client: TestClient, applicants: Applicants, round_: OpenRound) -> None:
    editor = applicants.editor_umea
    ident = draft(client, editor, round_, applicants.umea)["id"]
    etag = get(client, editor, ident).headers["ETag"]
    ok(client.patch(f"{API}/applications/{ident}", json={"title": "Ändrad"}, headers=editor))
    stale = client.post(
        f"{API}/applications/{ident}/transitions", json={"to": "submitted"}, headers={**editor, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert ok(get(client, editor, ident))["status"] == "draft"
