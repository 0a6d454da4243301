"""The funds link to the follow-up over HTTP: a report's figures on indicators, checked by the indicators' rules and
written by whoever may write the report; an indicator's funded applications, as far as the caller may see them.
Applications, grants and reports are inserted as setup (report_factories.py); indicators are made over HTTP."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.funds.applications.models import ApplicationStatus
from app.funds.grants.models import FundGrant, ReportStatus
from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok
from tests.funds.report_factories import Factory, assert_problem, principal_organisation

APP = ApplicationStatus


@dataclass
class Setting:
    factory: Factory
    grant: FundGrant
    report: str
    round_id: str
    pot_id: str
    umea: str
    editor: Headers  # an editor of Umeå, the applicant
    other_editor: Headers  # an editor of Skellefteå
    participants: str  # a count, summed
    sip: str  # a percent by gender, aggregated as a ratio


def _indicator(client: TestClient, manager: Headers, **fields: Any) -> str:
    body = {"name": fields["code"], "direction": "increase", "unit": "count", "aggregation": "sum", **fields}
    return str(ok(client.post(f"{API}/indicators", json=body, headers=manager), 201)["id"])


@pytest.fixture
def setting(
    client: TestClient,
    admin: Headers,
    manager: Headers,
    make_principal: Callable[..., Headers],
    fund: dict[str, Any],
    session: Session,
) -> Setting:
    umea = principal_organisation(client, admin, "Umeå kommun")
    skelleftea = principal_organisation(client, admin, "Skellefteå kommun")
    made = new_round(client, manager, fund["id"], 2025)
    pot = new_pot(client, manager, made["id"], "Det suicidpreventiva arbetet", "1000000.00")
    move_to(client, manager, made["id"], "open")
    factory = Factory(session)
    application = factory.application(made["id"], umea, APP.in_progress, pot_id=pot, title="Dans för hälsa")
    grant = factory.grant(application, pot)
    report = str(factory.report(grant).id)
    return Setting(
        factory,
        grant,
        report,
        made["id"],
        pot,
        umea,
        make_principal(f"editor:{umea}"),
        make_principal(f"editor:{skelleftea}"),
        _indicator(client, manager, code="DELTAGARE"),
        _indicator(client, manager, code="SIP-ANDEL", unit="percent", aggregation="ratio", by_gender=True),
    )


def put(client: TestClient, headers: Headers, report: str, values: list[dict[str, Any]]) -> Any:
    return client.put(f"{API}/reports/{report}/indicator-values", json={"values": values}, headers=headers)


def test_the_applicant_reports_figures_checked_by_the_indicators_rules(
    client: TestClient, reader: Headers, admin: Headers, setting: Setting
) -> None:
    s = setting
    values = [
        {"indicator_id": s.sip, "period": "2025-H2", "gender": "female", "numerator": 18, "denominator": 24},
        {"indicator_id": s.participants, "period": "2025", "value": "42", "comment": "Deltagare i dansgrupperna."},
        {"indicator_id": s.sip, "period": "2025-H1", "numerator": "1", "denominator": "3", "value": "33.33"},
    ]
    r = put(client, s.editor, s.report, values)
    answer = ok(r)
    assert [(v["indicator_code"], v["period"], v["gender"], v["value"]) for v in answer["data"]] == [
        ("DELTAGARE", "2025", "total", 42),
        ("SIP-ANDEL", "2025-H1", "total", 33.33),
        ("SIP-ANDEL", "2025-H2", "female", 75),
    ]
    assert answer["data"][0]["comment"] == "Deltagare i dansgrupperna." and answer["data"][2]["denominator"] == 24
    got = client.get(f"{API}/reports/{s.report}/indicator-values", headers=reader)
    assert ok(got)["data"] == answer["data"] and got.headers["ETag"] == r.headers["ETag"]
    # The figures are part of the report: its ETag moved with them, and the change is in the audit log.
    assert client.get(f"{API}/reports/{s.report}", headers=reader).headers["ETag"] == r.headers["ETag"]
    entries = ok(client.get(f"{API}/audit", params={"resource_id": s.report}, headers=admin))["data"]
    change = next(e for e in entries if "indicator_values" in e["changes"])["changes"]["indicator_values"]
    assert change[0] == [] and len(change[1]) == 3


def test_a_put_replaces_the_whole_set(client: TestClient, setting: Setting) -> None:
    s = setting
    two = [{"indicator_id": s.participants, "period": p, "value": 1} for p in ("2023", "2024")]
    ok(put(client, s.editor, s.report, two))
    ok(put(client, s.editor, s.report, [{"indicator_id": s.participants, "period": "2024", "value": 7}]))
    rows = ok(client.get(f"{API}/reports/{s.report}/indicator-values", headers=s.editor))["data"]
    assert [(r["period"], r["value"]) for r in rows] == [("2024", 7)]
    assert ok(put(client, s.editor, s.report, []))["data"] == []


def test_every_bad_figure_is_named_and_nothing_is_written(client: TestClient, setting: Setting) -> None:
    s = setting
    ok(put(client, s.editor, s.report, [{"indicator_id": s.participants, "period": "2024", "value": 7}]))
    values = [
        {"indicator_id": s.participants, "period": "2025", "value": 1},
        {"indicator_id": "00000000-0000-4000-8000-000000000000", "period": "2025", "value": 1},
        {"indicator_id": s.participants, "period": "2025", "gender": "male", "value": 1},
        {"indicator_id": s.sip, "period": "2025", "value": 50},
        {"indicator_id": s.sip, "period": "2025", "numerator": 1, "denominator": 4, "value": 30},
        {"indicator_id": s.participants, "period": "2025", "value": 2},
        {"indicator_id": s.participants, "period": "1850", "value": 2},
        {"indicator_id": s.participants, "period": "2026", "numerator": 1, "denominator": 2},
    ]
    problem = assert_problem(put(client, s.editor, s.report, values), 422, "validation_failed")
    assert [e["loc"] for e in problem["errors"]] == [
        ["body", "values", 1, "indicator_id"],
        ["body", "values", 2, "gender"],
        ["body", "values", 3, "numerator"],
        ["body", "values", 4, "value"],
        ["body", "values", 5, "period"],
        ["body", "values", 6, "period"],
        ["body", "values", 7, "numerator"],
    ]
    malformed = put(client, s.editor, s.report, [{"indicator_id": s.participants, "period": "2025-Q5", "value": 1}])
    assert assert_problem(malformed, 422, "validation_failed")["errors"][0]["loc"] == ["body", "values", 0, "period"]
    rows = ok(client.get(f"{API}/reports/{s.report}/indicator-values", headers=s.editor))["data"]
    assert [(r["period"], r["value"]) for r in rows] == [("2024", 7)]


def test_whoever_may_write_the_report_writes_its_figures(
    client: TestClient, reader: Headers, manager: Headers, admin: Headers, setting: Setting
) -> None:
    s = setting
    values = [{"indicator_id": s.participants, "period": "2025", "value": 3}]
    assert_problem(put(client, reader, s.report, values), 403, "missing_role")
    assert_problem(put(client, manager, s.report, values), 403, "missing_role")
    assert_problem(put(client, s.other_editor, s.report, values), 403, "missing_role")
    etag = client.get(f"{API}/reports/{s.report}/indicator-values", headers=reader).headers["ETag"]
    ok(put(client, admin, s.report, values))
    stale = client.put(
        f"{API}/reports/{s.report}/indicator-values", json={"values": []}, headers={**s.editor, "If-Match": etag}
    )
    assert stale.status_code == 412
    accepted = str(s.factory.report(s.grant, status=ReportStatus.accepted).id)
    assert_problem(put(client, s.editor, accepted, values), 409, "report_not_editable")
    missing = "00000000-0000-4000-8000-000000000000"
    assert_problem(put(client, s.editor, missing, values), 404, "not_found")


def test_a_report_of_an_application_you_may_not_see_is_not_found(
    client: TestClient, reader: Headers, manager: Headers, setting: Setting
) -> None:
    s = setting
    hidden = s.factory.application(s.round_id, s.umea, APP.in_review, pot_id=s.pot_id)
    report = str(s.factory.report(s.factory.grant(hidden, s.pot_id)).id)
    assert_problem(client.get(f"{API}/reports/{report}/indicator-values", headers=reader), 404, "not_found")
    assert_problem(put(client, s.other_editor, report, []), 404, "not_found")
    assert ok(client.get(f"{API}/reports/{report}/indicator-values", headers=manager))["data"] == []
    assert ok(client.get(f"{API}/reports/{report}/indicator-values", headers=s.editor))["data"] == []


def test_figures_on_an_indicator_keep_its_rules(client: TestClient, manager: Headers, setting: Setting) -> None:
    s = setting
    ok(put(client, s.editor, s.report, [{"indicator_id": s.participants, "period": "2025", "value": 3}]))
    url = f"{API}/indicators/{s.participants}"
    assert_problem(client.patch(url, json={"unit": "days"}, headers=manager), 409, "indicator_has_values")
    assert_problem(client.delete(url, headers=manager), 409, "indicator_in_use")


def test_an_indicator_lists_the_funded_applications_that_report_on_it(
    client: TestClient, reader: Headers, manager: Headers, setting: Setting, count_queries: Any
) -> None:
    s = setting
    ok(put(client, s.editor, s.report, [{"indicator_id": s.participants, "period": "2025", "value": 42}]))
    interim = str(s.factory.report(s.grant).id)
    ok(put(client, s.editor, interim, [{"indicator_id": s.participants, "period": "2025-H1", "value": 20}]))
    other = s.factory.application(s.round_id, s.umea, APP.closed, pot_id=s.pot_id, title="Äldres hälsa")
    other_report = str(s.factory.report(s.factory.grant(other, s.pot_id)).id)
    both = [
        {"indicator_id": s.participants, "period": "2024", "value": 5},
        {"indicator_id": s.sip, "period": "2024", "numerator": 1, "denominator": 2},
    ]
    ok(put(client, s.editor, other_report, both))
    # Not yet granted: the figures of its report never make it a funded application that reports on it.
    draft = s.factory.application(s.round_id, s.umea, APP.in_review, pot_id=s.pot_id)
    ok(
        put(
            client,
            s.editor,
            str(s.factory.report(s.factory.grant(draft, s.pot_id)).id),
            [{"indicator_id": s.participants, "period": "2025", "value": 1}],
        )
    )
    url = f"{API}/indicators/{s.participants}/applications"
    for headers in (reader, manager):
        with count_queries() as seen:
            rows = ok(client.get(url, headers=headers))["data"]
        assert [(r["title"], r["applicant_name"]) for r in rows] == [
            ("Dans för hälsa", "Umeå kommun"),
            ("Äldres hälsa", "Umeå kommun"),
        ]
        assert [(v["period"], v["value"]) for v in rows[0]["values"]] == [("2025", 42), ("2025-H1", 20)]
        assert {v["report_id"] for v in rows[0]["values"]} == {s.report, interim}
        assert [(v["period"], v["value"]) for v in rows[1]["values"]] == [("2024", 5)]  # not the SIP figure
    assert (
        ok(client.get(f"{API}/indicators/{s.sip}/applications", headers=reader))["data"][0]["title"] == "Äldres hälsa"
    )
    with count_queries() as one:
        ok(client.get(f"{url}?limit=1", headers=reader))
    assert one() == seen()
    r = client.get(url, headers={**reader, "Accept": "text/csv"})
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["id", "number", "title"] and len(lines) == 3
    assert (
        client.get(f"{API}/indicators/00000000-0000-4000-8000-000000000000/applications", headers=reader).status_code
        == 404
    )
