"""Report-back over HTTP: the overdue and due-by lists, the applicant writing and submitting, fund managers
accepting or sending back, every report transition allowed and refused, and the application following its final
report through its history. Applications, grants and reports are inserted as setup (report_factories.py)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.time import today
from app.funds.applications.models import Application, ApplicationStatus
from app.funds.grants.models import FundGrant, ReportKind, ReportStatus
from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.funds.report_factories import Factory, assert_problem, principal_organisation

S = ReportStatus
APP = ApplicationStatus
TEXT = "Projektet har genomfört sex utbildningstillfällen i fyra kommuner."


@dataclass
class Project:
    """A granted application of Umeå's in progress, with its grant, and the people around it."""

    factory: Factory
    application: Application
    grant: FundGrant
    round_id: str
    pot_id: str
    umea: str
    editor: Headers  # an editor of Umeå: the applicant
    other_editor: Headers  # an editor of Skellefteå

    def report(self, kind: ReportKind = ReportKind.final, **fields: Any) -> str:
        return str(self.factory.report(self.grant, kind, **fields).id)


@pytest.fixture
def project(
    client: TestClient,
    admin: Headers,
    manager: Headers,
    make_principal: Callable[..., Headers],
    fund: dict[str, Any],
    session: Session,
) -> Project:
    umea = principal_organisation(client, admin, "Umeå kommun")
    skelleftea = principal_organisation(client, admin, "Skellefteå kommun")
    made = new_round(client, manager, fund["id"], 2025)
    pot = new_pot(client, manager, made["id"], "Det suicidpreventiva arbetet", "1000000.00")
    move_to(client, manager, made["id"], "open")
    factory = Factory(session)
    application = factory.application(made["id"], umea, APP.in_progress, pot_id=pot)
    grant = factory.grant(application, pot)
    return Project(
        factory,
        application,
        grant,
        made["id"],
        pot,
        umea,
        make_principal(f"editor:{umea}"),
        make_principal(f"editor:{skelleftea}"),
    )


def move(client: TestClient, headers: Headers, report_id: str, to: str, comment: str | None = None) -> Any:
    body = {"to": to} | ({"comment": comment} if comment else {})
    return client.post(f"{API}/reports/{report_id}/transitions", json=body, headers=headers)


def get(client: TestClient, headers: Headers, report_id: str) -> dict[str, Any]:
    return dict(ok(client.get(f"{API}/reports/{report_id}", headers=headers)))


def listed(client: TestClient, headers: Headers, **params: Any) -> list[str]:
    return [r["id"] for r in ok(client.get(f"{API}/reports", params=params, headers=headers))["data"]]


def test_any_reader_reads_reports(client: TestClient, reader: Headers, project: Project) -> None:
    report_id = project.report(due_on=date(2026, 6, 30))
    r = client.get(f"{API}/reports/{report_id}", headers=reader)
    got = ok(r)
    assert r.headers["ETag"]
    assert got["grant_id"] == str(project.grant.id) and got["application_id"] == str(project.application.id)
    assert got["applicant_id"] == project.umea and got["kind"] == "final" and got["due_on"] == "2026-06-30"
    assert got["status"] == "due" and got["text"] is None and got["amount_spent"] is None
    assert listed(client, reader) == [report_id]
    assert client.get(f"{API}/reports/{report_id}").status_code == 401


def test_overdue_and_due_by_are_one_request_each(client: TestClient, reader: Headers, project: Project) -> None:
    now = today()
    yesterday, later = now - timedelta(days=1), now + timedelta(days=30)
    late = project.report(ReportKind.interim, due_on=yesterday)
    sent_back = project.report(ReportKind.interim, due_on=now - timedelta(days=10), status=S.revision_requested)
    project.report(ReportKind.interim, due_on=now - timedelta(days=20), status=S.submitted, text=TEXT)
    project.report(ReportKind.interim, due_on=now - timedelta(days=40), status=S.accepted, text=TEXT)
    due_today = project.report(ReportKind.interim, due_on=now)
    coming = project.report(due_on=later)
    assert listed(client, reader, overdue="true") == [sent_back, late]  # the earliest due first
    assert set(listed(client, reader, overdue="false")) == set(listed(client, reader)) - {sent_back, late}
    assert listed(client, reader, due_by=now.isoformat()) == [sent_back, late, due_today]
    assert listed(client, reader, due_by=later.isoformat()) == [sent_back, late, due_today, coming]
    assert listed(client, reader, overdue="true", status="revision_requested") == [sent_back]
    assert len(listed(client, reader, status=["submitted", "accepted"])) == 2
    assert listed(client, reader, kind="final") == [coming]
    assert len(listed(client, reader, kind="interim")) == 5
    assert_problem(client.get(f"{API}/reports", params={"due_by": "30/6"}, headers=reader), 422, "validation_failed")


def test_the_list_filters_by_grant_application_and_round(
    client: TestClient, reader: Headers, manager: Headers, fund: dict[str, Any], project: Project
) -> None:
    mine = project.report()
    other_round = new_round(client, manager, fund["id"], 2024)
    application = project.factory.application(other_round["id"], project.umea, APP.in_progress)
    theirs = str(project.factory.report(project.factory.grant(application, project.pot_id)).id)
    assert listed(client, reader, grant_id=str(project.grant.id)) == [mine]
    assert listed(client, reader, application_id=str(application.id)) == [theirs]
    assert listed(client, reader, round_id=project.round_id) == [mine]
    page = ok(client.get(f"{API}/reports", params={"limit": 1, "count": "true"}, headers=reader))
    assert page["pagination"]["total"] == 2 and page["links"]["next"]
    assert len(ok(client.get(page["links"]["next"], headers=reader))["data"]) == 1
    csv = client.get(f"{API}/reports", headers={**reader, "Accept": "text/csv"})
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").splitlines()[0].startswith("id;")


def test_the_applicant_writes_the_report(
    client: TestClient, admin: Headers, reader: Headers, manager: Headers, project: Project
) -> None:
    report_id = project.report()
    url = f"{API}/reports/{report_id}"
    tag = client.get(url, headers=reader).headers["ETag"]
    body = {"text": TEXT, "amount_spent": "412500.50", "results": "120 deltagare."}
    r = client.patch(url, json=body, headers={**project.editor, "If-Match": tag})
    written = ok(r)
    assert written["text"] == TEXT and written["amount_spent"] == "412500.50" and r.headers["ETag"] != tag
    stale = client.patch(url, json={"results": "Fler"}, headers={**project.editor, "If-Match": tag})
    assert_problem(stale, 412, "precondition_failed")
    for headers in (project.other_editor, manager):
        assert_problem(client.patch(url, json={"text": "Nej"}, headers=headers), 403, "missing_role")
    assert_problem(client.patch(url, json={"text": "Nej"}, headers=reader), 403, "missing_role")
    ok(client.patch(url, json={"amount_spent": None}, headers=admin))
    audit = ok(client.get(f"{API}/audit", params={"resource_id": report_id}, headers=admin))["data"]
    assert [a["resource_type"] for a in audit] == ["fund_report", "fund_report"]
    assert get(client, reader, report_id)["text"] == TEXT


@pytest.mark.parametrize(
    "body",
    [
        {"amount_spent": "1.234"},
        {"amount_spent": -1},
        {"amount_spent": "1e400"},
        {"amount_spent": 12.5},
        {"amount_spent": "NaN"},
        {"text": 5},
        {"status": "accepted"},
    ],
)
def test_bad_writes_are_refused(client: TestClient, reader: Headers, project: Project, body: dict[str, Any]) -> None:
    report_id = project.report(text=TEXT)
    before = get(client, reader, report_id)
    r = client.patch(f"{API}/reports/{report_id}", json=body, headers=project.editor)
    assert_problem(r, 422, "validation_failed")
    assert get(client, reader, report_id) == before


@pytest.mark.parametrize("status", [S.submitted, S.accepted])
def test_a_submitted_report_is_not_written(
    client: TestClient, reader: Headers, project: Project, status: ReportStatus
) -> None:
    report_id = project.report(ReportKind.interim, status=status, text=TEXT)
    r = client.patch(f"{API}/reports/{report_id}", json={"text": "Ändrat"}, headers=project.editor)
    problem = assert_problem(r, 409, "report_not_editable")
    assert problem["report_status"] == status
    assert get(client, reader, report_id)["text"] == TEXT


# Every pair of report statuses, and who may make the move: A the applicant's editor, M a fund manager.
ALLOWED = {
    (S.due, S.submitted): "A",
    (S.revision_requested, S.submitted): "A",
    (S.submitted, S.accepted): "M",
    (S.submitted, S.revision_requested): "M",
}


@pytest.mark.parametrize(("old", "new"), list(product(ReportStatus, ReportStatus)))
def test_every_report_transition(
    client: TestClient, manager: Headers, reader: Headers, project: Project, old: ReportStatus, new: ReportStatus
) -> None:
    """Interim reports, so that the application stays where it is."""
    report_id = project.report(ReportKind.interim, status=old, text=TEXT)
    before = get(client, reader, report_id)
    who = ALLOWED.get((old, new))
    mover, other = (project.editor, manager) if who == "A" else (manager, project.editor)
    if who is None:
        problem = assert_problem(move(client, manager, report_id, new, "Kommentar"), 409, "invalid_transition")
        allowed = sorted(n for (o, n) in ALLOWED if o == old)
        assert problem["allowed"] == allowed and new in problem["detail"]
        assert get(client, reader, report_id) == before
        return
    refused = assert_problem(move(client, other, report_id, new, "Kommentar"), 403, "transition_forbidden")
    assert new not in refused["allowed"]
    assert get(client, reader, report_id) == before
    moved = ok(move(client, mover, report_id, new, "Redovisa kostnaderna per år."))
    assert moved["status"] == new
    if new is S.submitted:
        assert moved["submitted_at"] and moved["submitted_by_id"]
    else:
        assert moved["reviewed_at"] and moved["review_comment"] == "Redovisa kostnaderna per år."
    assert project.factory.status_of(project.application) is APP.in_progress


def test_the_refusals_name_what_the_caller_may_do(client: TestClient, manager: Headers, project: Project) -> None:
    report_id = project.report(ReportKind.interim, status=S.submitted, text=TEXT)
    refused = assert_problem(move(client, project.editor, report_id, "accepted"), 403, "transition_forbidden")
    assert refused["allowed"] == []
    due = project.report(ReportKind.interim, text=TEXT)
    refused = assert_problem(move(client, manager, due, "submitted"), 403, "transition_forbidden")
    assert refused["allowed"] == [] and "applicant" in refused["detail"]
    assert_problem(move(client, project.other_editor, due, "submitted"), 403, "transition_forbidden")


def test_a_report_is_submitted_with_its_text_and_sent_back_with_a_reason(
    client: TestClient, manager: Headers, reader: Headers, project: Project
) -> None:
    report_id = project.report(ReportKind.interim)
    problem = assert_problem(move(client, project.editor, report_id, "submitted"), 422, "validation_failed")
    assert problem["errors"][0]["loc"] == ["report", "text"]
    assert get(client, reader, report_id)["status"] == "due"
    ok(client.patch(f"{API}/reports/{report_id}", json={"text": TEXT}, headers=project.editor))
    ok(move(client, project.editor, report_id, "submitted"))
    problem = assert_problem(move(client, manager, report_id, "revision_requested"), 422, "validation_failed")
    assert problem["errors"][0]["loc"] == ["body", "comment"]
    assert get(client, reader, report_id)["status"] == "submitted"
    bad = client.post(f"{API}/reports/{report_id}/transitions", json={"to": "closed"}, headers=manager)
    assert_problem(bad, 422, "validation_failed")


def test_the_application_follows_its_final_report(
    client: TestClient, manager: Headers, reader: Headers, project: Project
) -> None:
    interim = project.report(ReportKind.interim, text=TEXT, due_on=date(2026, 1, 31))
    final = project.report(text=TEXT, due_on=date(2026, 12, 31))
    ok(move(client, project.editor, interim, "submitted"))
    ok(move(client, manager, interim, "accepted"))
    assert project.factory.status_of(project.application) is APP.in_progress  # interim reports move nothing

    ok(move(client, project.editor, final, "submitted", "Slutrapport bifogad."))
    history = project.factory.history(project.application)
    assert [(old, new) for old, new, _ in history] == [
        (APP.in_progress, APP.report_due),
        (APP.report_due, APP.reported),
    ]
    assert "lämnas in" in (history[0][2] or "") and "2026-12-31" in (history[0][2] or "")
    assert "Slutrapport bifogad." in (history[1][2] or "")

    ok(move(client, manager, final, "revision_requested", "Redovisa kostnaderna per år."))
    assert project.factory.status_of(project.application) is APP.report_due
    ok(client.patch(f"{API}/reports/{final}", json={"amount_spent": "400000"}, headers=project.editor))
    ok(move(client, project.editor, final, "submitted"))
    assert project.factory.status_of(project.application) is APP.reported
    ok(move(client, manager, final, "accepted", "Godkänd."))
    assert project.factory.status_of(project.application) is APP.closed
    assert [new for _, new, _ in project.factory.history(project.application)] == [
        APP.report_due,
        APP.reported,
        APP.report_due,
        APP.reported,
        APP.closed,
    ]
    assert get(client, reader, final)["status"] == "accepted"


@pytest.mark.parametrize("status", [APP.granted, APP.partially_granted, APP.closed, APP.reported])
def test_a_final_report_is_refused_when_its_application_cannot_follow(
    client: TestClient, reader: Headers, project: Project, status: ApplicationStatus
) -> None:
    application = project.factory.application(project.round_id, project.umea, status)
    report_id = str(project.factory.report(project.factory.grant(application, project.pot_id), text=TEXT).id)
    problem = assert_problem(move(client, project.editor, report_id, "submitted"), 409, "application_not_reporting")
    assert problem["application_status"] == status
    assert get(client, reader, report_id)["status"] == "due"
    assert project.factory.status_of(application) is status and project.factory.history(application) == []


def test_a_document_is_attached_to_a_report(
    client: TestClient, admin: Headers, reader: Headers, project: Project
) -> None:
    """Attachments go through the documents resource, linked to `fund_report:<id>`; a link to no report is 422."""
    report_id = project.report()
    files = {"file": ("slutrapport.txt", "Slutrapport: sex utbildningstillfällen.\n".encode(), "text/plain")}
    made = client.post(f"{API}/documents", files=files, data={"link": [f"fund_report:{report_id}"]}, headers=admin)
    document = ok(made, 201)
    assert {"target_type": "fund_report", "target_id": report_id} in document["links"]
    params = {"target_type": "fund_report", "target_id": report_id}
    assert [d["id"] for d in ok(client.get(f"{API}/documents", params=params, headers=reader))["data"]] == [
        document["id"]
    ]
    nowhere = {"link": ["fund_report:00000000-0000-4000-8000-000000000000"]}
    assert_problem(client.post(f"{API}/documents", files=files, data=nowhere, headers=admin), 422, "validation_failed")


def test_the_applicant_attaches_documents_to_its_report(client: TestClient, reader: Headers, project: Project) -> None:
    """The editors who write a report attach its documents; an editor of another principal may not."""
    report_id = project.report()
    files = {"file": ("ekonomisk-redovisning.txt", b"Ekonomisk redovisning 2026.\n", "text/plain")}
    link = {"link": [f"fund_report:{report_id}"]}
    refused = client.post(f"{API}/documents", files=files, data=link, headers=project.other_editor)
    assert_problem(refused, 403, "missing_role")
    document = ok(client.post(f"{API}/documents", files=files, data=link, headers=project.editor), 201)
    params = {"target_type": "fund_report", "target_id": report_id}
    assert [d["id"] for d in ok(client.get(f"{API}/documents", params=params, headers=reader))["data"]] == [
        document["id"]
    ]
