"""Applications over HTTP: drafting and editing, what they must refer to, budgets that add up, exact money, the
list (filters, sorting, cursors, sync, CSV) and its constant cost in SQL statements."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.funds.applications.models import ApplicationStatus
from tests.funds.applying import (  # noqa: F401 - fixtures
    Applicants,
    OpenRound,
    applicants_fixture,
    application_body,
    draft,
    get,
    move,
    open_round,
    round_fixture,
    set_status,
)
from tests.funds.conftest import API, Headers, new_round, ok


def count_rows(client: TestClient, headers: Headers) -> int:
    return int(ok(client.get(f"{API}/applications?count=true", headers=headers))["pagination"]["total"])


def test_a_draft_and_its_answer(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound, admin: Headers
) -> None:
    strategy = ok(
        client.post(f"{API}/strategies", json={"number": 1, "name": "Med hälsan i fokus"}, headers=admin), 201
    )
    person = ok(client.post(f"{API}/people", json={"given_name": "Åsa", "family_name": "Öberg"}, headers=admin), 201)
    case = ok(client.post(f"{API}/cases", json={"title": "Suicidprevention i länet"}, headers=admin), 201)
    made = client.post(
        f"{API}/applications",
        json=application_body(
            round_,
            applicants.umea,
            co_applicant_ids=[applicants.region, applicants.skelleftea],
            strategy_ids=[strategy["id"]],
            contact_person_id=person["id"],
            case_id=case["id"],
            summary="Hälsosamtal för boende i LSS-boenden i  hela länet.",
            target_group="Vuxna med funktionsnedsättning",
            period_start=f"{round_.year}-01-01",
            period_end=f"{round_.year}-12-31",
        ),
        headers=applicants.editor_umea,
    )
    body = ok(made, 201)
    assert made.headers["Location"].endswith(f"/applications/{body['id']}") and made.headers["ETag"]
    assert body["status"] == "draft" and body["number"] is None and body["submitted_at"] is None
    assert body["fund_id"] == round_.fund["id"] and body["round_id"] == round_.id
    assert sorted(body["co_applicant_ids"]) == sorted([applicants.region, applicants.skelleftea])
    assert body["strategy_ids"] == [strategy["id"]] and body["case_id"] == case["id"]
    assert body["requested"] == "450000.00" and body["document_ids"] == []
    assert body["budget_lines"] == [
        {"category": "Personal", "year": round_.year, "amount": "300000.00"},
        {"category": "Resor och material", "year": round_.year, "amount": "150000.00"},
    ]
    # Review figures are for fund managers: the applicant's own answer has none.
    assert body["review_mean_score"] is None and body["review_counts"] is None
    as_manager = ok(get(client, manager, body["id"]))
    assert as_manager["review_counts"] == {"grant": 0, "partial": 0, "reject": 0}
    assert as_manager["review_mean_score"] is None
    assert {k: v for k, v in as_manager.items() if not k.startswith("review_")} == {
        k: v for k, v in body.items() if not k.startswith("review_")
    }
    history = ok(client.get(f"{API}/applications/{body['id']}/history", headers=applicants.editor_umea))
    assert [(e["from_status"], e["to_status"]) for e in history["data"]] == [(None, "draft")]


def test_only_editors_of_the_applicant_draft(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound, reader: Headers
) -> None:
    body = application_body(round_, applicants.umea)
    for headers in (applicants.editor_skelleftea, manager, reader):
        refused = client.post(f"{API}/applications", json=body, headers=headers)
        assert refused.status_code == 403 and refused.json()["code"] == "missing_role", refused.text
    assert count_rows(client, manager) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"applicant_id": "council"}, "applicant_id"),
        ({"co_applicant_ids": ["umea"]}, "co_applicant_ids"),
        ({"co_applicant_ids": ["council"]}, "co_applicant_ids"),
        ({"focus_area_id": "other_area"}, "focus_area_id"),
        ({"pot_id": "other_pot"}, "pot_id"),
        ({"strategy_ids": ["unknown"]}, "strategy_ids"),
        ({"case_id": "unknown"}, "case_id"),
        ({"contact_person_id": "unknown"}, "contact_person_id"),
        ({"period_start": "2026-05-01", "period_end": "2026-04-30"}, "period_end"),
        ({"requested": "0", "budget_lines": []}, "requested"),
        ({"requested": "12.345"}, "requested"),
        ({"requested": 1e400}, "requested"),
        ({"requested": "1e400"}, "requested"),
        ({"requested": "NaN"}, "requested"),
        ({"requested": "-5.00"}, "requested"),
        ({"requested": 12.5}, "requested"),
        ({"budget_lines": [{"category": "Personal", "year": 2026, "amount": "-450000.00"}]}, "budget_lines"),
        ({"budget_lines": [{"category": "Personal", "year": 2026, "amount": "0.001"}]}, "budget_lines"),
        ({"budget_lines": [{"category": "Personal", "year": 2026, "amount": "450000.00"}] * 2}, "budget_lines"),
        ({"round_id": "unknown"}, "round_id"),
    ],
)
def test_bad_input_is_a_problem_and_nothing_is_written(
    client: TestClient,
    manager: Headers,
    admin: Headers,
    applicants: Applicants,
    round_: OpenRound,
    fund: dict[str, Any],
    council: str,
    change: dict[str, Any],
    field: str,
) -> None:
    other_fund = ok(
        client.post(
            f"{API}/funds",
            json={
                "code": "ANN",
                "name": "Annan fond",
                "owning_body_id": council,
                "deciding_body_id": council,
                "focus_areas": [{"number": 1, "text": "Något annat."}],
            },
            headers=manager,
        ),
        201,
    )
    other_round = new_round(client, manager, fund["id"], 2020)
    other_pot = ok(
        client.post(f"{API}/pots", json={"round_id": other_round["id"], "name": "Pott", "budget": 1}, headers=manager),
        201,
    )
    names = {
        "council": council,
        "umea": applicants.umea,
        "other_area": other_fund["focus_areas"][0]["id"],
        "other_pot": other_pot["id"],
        "unknown": "00000000-0000-4000-8000-000000000000",
    }

    def named(value: Any) -> Any:
        if isinstance(value, list):
            return [named(v) for v in value]
        return names.get(value, value) if isinstance(value, str) else value

    body = application_body(round_, applicants.umea) | {k: named(v) for k, v in change.items()}
    # 1e400 is sent as the JSON number itself, which no float can hold.
    raw = client.post(
        f"{API}/applications",
        content=_dumps(body),
        headers={**admin, "Content-Type": "application/json"},  # an admin may apply for any principal
    )
    assert raw.status_code == 422, raw.text
    problem = raw.json()
    assert raw.headers["content-type"] == "application/problem+json"
    assert any(field in error["loc"] for error in problem["errors"]), problem
    assert count_rows(client, manager) == 0


def _dumps(body: dict[str, Any]) -> str:
    import json

    text = json.dumps(body)
    return text.replace("Infinity", "1e400")  # json.dumps writes the float 1e400 as Infinity


def test_budget_lines_must_add_up(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound
) -> None:
    lines = [{"category": "Personal", "year": round_.year, "amount": "300000.00"}]
    refused = client.post(
        f"{API}/applications",
        json=application_body(round_, applicants.umea, budget_lines=lines),
        headers=applicants.editor_umea,
    )
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["errors"][0]["loc"] == ["body", "budget_lines"]
    assert "300000.00" in problem["detail"] and "450000.00" in problem["detail"]
    assert count_rows(client, manager) == 0

    # No lines while drafting is fine; once given they must add up, also when only the amount changes.
    made = draft(client, applicants.editor_umea, round_, applicants.umea, budget_lines=[])
    assert made["budget_lines"] == []
    url = f"{API}/applications/{made['id']}"
    ok(client.patch(url, json={"budget_lines": lines, "requested": "300000"}, headers=applicants.editor_umea))
    mismatch = client.patch(url, json={"requested": "300000.01"}, headers=applicants.editor_umea)
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["loc"] == ["body", "budget_lines"]
    assert "300000.01" in mismatch.json()["detail"]
    kept = ok(get(client, applicants.editor_umea, made["id"]))
    assert kept["requested"] == "300000.00" and kept["version"] == 2
    exact = [
        {"category": "Personal", "year": round_.year, "amount": "0.10"},
        {"category": "Material", "year": round_.year, "amount": "0.20"},
    ]
    fixed = ok(client.patch(url, json={"budget_lines": exact, "requested": "0.30"}, headers=applicants.editor_umea))
    assert fixed["requested"] == "0.30" and [line["amount"] for line in fixed["budget_lines"]] == ["0.10", "0.20"]


def test_edits_only_in_draft_and_more_info_requested(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound
) -> None:
    made = draft(client, applicants.editor_umea, round_, applicants.umea)
    url = f"{API}/applications/{made['id']}"
    etag = get(client, applicants.editor_umea, made["id"]).headers["ETag"]
    stale = client.patch(url, json={"title": "Ny titel"}, headers={**applicants.editor_umea, "If-Match": '"x-1"'})
    assert stale.status_code == 412
    edited = client.patch(url, json={"title": "Ny  titel"}, headers={**applicants.editor_umea, "If-Match": etag})
    assert ok(edited)["title"] == "Ny titel" and edited.headers["ETag"] != etag
    refused = client.patch(url, json={"title": "Från förvaltaren"}, headers=manager)
    assert refused.status_code == 403, refused.text
    null = client.patch(url, json={"title": None}, headers=applicants.editor_umea)
    assert null.status_code == 422
    ok(move(client, applicants.editor_umea, made["id"], "submitted"))
    locked = client.patch(url, json={"title": "För sent"}, headers=applicants.editor_umea)
    assert locked.status_code == 409 and locked.json()["code"] == "not_editable"
    assert locked.json()["current_status"] == "submitted" and "submitted" in locked.json()["detail"]
    ok(move(client, manager, made["id"], "in_review"))
    ok(move(client, manager, made["id"], "more_info_requested", "Beskriv spridningen."))
    answered = client.patch(url, json={"summary": "Spridning till alla kommuner."}, headers=applicants.editor_umea)
    assert ok(answered)["summary"] == "Spridning till alla kommuner."
    # Out of draft the budget cannot be emptied.
    emptied = client.patch(url, json={"budget_lines": []}, headers=applicants.editor_umea)
    assert emptied.status_code == 422 and emptied.json()["errors"][0]["loc"] == ["body", "budget_lines"]


def test_only_drafts_are_deleted(
    client: TestClient, manager: Headers, admin: Headers, applicants: Applicants, round_: OpenRound
) -> None:
    first = draft(client, applicants.editor_umea, round_, applicants.umea)
    second = draft(client, applicants.editor_umea, round_, applicants.umea)
    refused = client.delete(f"{API}/applications/{first['id']}", headers=manager)
    assert refused.status_code == 403
    assert client.delete(f"{API}/applications/{first['id']}", headers=applicants.editor_umea).status_code == 204
    assert get(client, manager, first["id"]).status_code == 404
    ok(move(client, applicants.editor_umea, second["id"], "submitted"))
    submitted = client.delete(f"{API}/applications/{second['id']}", headers=admin)
    assert submitted.status_code == 409 and submitted.json()["code"] == "not_draft"
    since = ok(client.get(f"{API}/applications?updated_since=2000-01-01T00:00:00Z", headers=manager))
    assert {"id": first["id"], "deleted": True} == {k: v for k, v in since["data"][0].items() if k != "updated_at"}


def test_drafting_in_a_closed_round_is_refused(
    client: TestClient, manager: Headers, applicants: Applicants, fund: dict[str, Any]
) -> None:
    r = open_round(client, manager, fund)
    ok(client.patch(f"{API}/rounds/{r.id}", json={"status": "closed"}, headers=manager))
    refused = client.post(
        f"{API}/applications", json=application_body(r, applicants.umea), headers=applicants.editor_umea
    )
    assert refused.status_code == 409 and refused.json()["code"] == "round_closed"


def test_the_list(client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound, fund: Any) -> None:
    titles = ["Örnsköldsvik-modellen", "Ängelholm", "Dans för hälsa", "Suicide Zero", "Åtgärd", "Apoteket"]
    made = [draft(client, applicants.editor_umea, round_, applicants.umea, title=t) for t in titles]
    other = draft(client, applicants.editor_skelleftea, round_, applicants.skelleftea, title="Fenixprojektet")
    for a in made[:3]:
        ok(move(client, applicants.editor_umea, a["id"], "submitted"))
    by_title = ok(client.get(f"{API}/applications?sort=title&limit=50", headers=manager))["data"]
    assert [a["title"] for a in by_title] == sorted([*titles, "Fenixprojektet"], key=_swedish)
    numbered = ok(client.get(f"{API}/applications?sort=number&status=submitted", headers=manager))["data"]
    assert [a["number"] for a in numbered] == [f"UPH-{round_.year}-00{n}" for n in (1, 2, 3)]
    drafts = ok(client.get(f"{API}/applications?status=draft&applicant_id={applicants.umea}", headers=manager))
    assert {a["id"] for a in drafts["data"]} == {a["id"] for a in made[3:]}
    assert ok(client.get(f"{API}/applications?q=fenix", headers=manager))["data"][0]["id"] == other["id"]
    for name, value in (("round_id", round_.id), ("fund_id", fund["id"]), ("focus_area_id", round_.focus_area)):
        assert len(ok(client.get(f"{API}/applications?{name}={value}", headers=manager))["data"]) == 7
    assert (
        ok(client.get(f"{API}/applications?pot_id={round_.pot}&count=true", headers=manager))["pagination"]["total"]
        == 7
    )
    # Keyset pages by number, with the drafts (no number yet) first: every row once.
    seen, url = [], f"{API}/applications?sort=number&limit=2"
    while url:
        page = ok(client.get(url, headers=manager))
        seen += [a["id"] for a in page["data"]]
        url = page["links"]["next"]
    assert len(seen) == len(set(seen)) == 7
    csv = client.get(f"{API}/applications?sort=number&status=submitted", headers={**manager, "Accept": "text/csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "450000,00" in csv.text and "UPH-" in csv.text and "Personal" in csv.text


def _swedish(title: str) -> Any:
    from app.core.text import swedish_sort_key

    return swedish_sort_key(title)


def test_a_page_is_one_statement_whatever_its_size(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound, count_queries: Any
) -> None:
    for i in range(52):
        draft(
            client,
            applicants.editor_umea,
            round_,
            applicants.umea,
            title=f"Ansökan {i}",
            co_applicant_ids=[applicants.region],
        )
    for headers in (manager, applicants.editor_umea):
        with count_queries() as small:
            assert len(ok(client.get(f"{API}/applications?limit=2", headers=headers))["data"]) == 2
        with count_queries() as large:
            assert len(ok(client.get(f"{API}/applications?limit=50", headers=headers))["data"]) == 50
        assert small() == large()


def test_documents_link_to_applications(
    client: TestClient, manager: Headers, applicants: Applicants, round_: OpenRound, reader: Headers
) -> None:
    made = draft(client, applicants.editor_umea, round_, applicants.umea)

    def upload(headers: Headers, target: str) -> Any:
        return client.post(
            f"{API}/documents",
            files={"file": ("budget.txt", "Budget för Hälsosamtal i LSS-boenden.\n".encode(), "text/plain")},
            data={"role": "other", "link": [f"fund_application:{target}"]},
            headers=headers,
        )

    doc = ok(upload(applicants.editor_umea, made["id"]), 201)
    assert doc["links"] == [{"target_type": "fund_application", "target_id": made["id"]}]
    assert ok(get(client, applicants.editor_umea, made["id"]))["document_ids"] == [doc["id"]]
    missing = upload(applicants.editor_umea, "00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"][-1] == "target_id"
    for headers in (applicants.editor_skelleftea, reader):
        assert upload(headers, made["id"]).status_code == 403
    ok(upload(manager, made["id"]), 201)

    # A draft's attachments are seen by those who see the draft, and found by no search.
    def sees(headers: Headers) -> list[bool]:
        listed = ok(client.get(f"{API}/documents?target_type=fund_application", headers=headers))["data"]
        return [
            any(d["id"] == doc["id"] for d in listed),
            *(
                client.get(f"{API}/documents/{doc['id']}{part}", headers=headers).status_code == 200
                for part in ("", "/content", "/text")
            ),
        ]

    for headers in (manager, applicants.editor_umea):
        assert sees(headers) == [True] * 4
    for headers in (reader, applicants.editor_skelleftea):
        assert sees(headers) == [False] * 4
        assert client.delete(f"{API}/documents/{doc['id']}", headers=headers).status_code == 404
    found = ok(client.get(f"{API}/search", params={"q": "Budget"}, headers=manager))["data"]
    assert all(hit.get("id") != doc["id"] for hit in found)
    set_status(made["id"], ApplicationStatus.granted)  # setup: a grant (POST /grants) is built elsewhere
    assert sees(reader) == [True] * 4

    assert client.delete(f"{API}/documents/{doc['id']}", headers=applicants.editor_umea).status_code == 204
    assert len(ok(get(client, manager, made["id"]))["document_ids"]) == 1
