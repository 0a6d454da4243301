"""The authorisation matrix: every operation of the route table, called by every role, gives the expected status.

For each operation the table names the roles allowed. No token gives 401 (unless the route is public), a role not
allowed gives 403, and an allowed role gets past authorisation: any status but 401/403 (a success, a validation
error, a 404 or 409 of the domain), never a 5xx. A new route without an entry here fails the test. Every object
the requests touch is seeded first (tests/seeded.py), with the objects owned by one body and one principal, so
"secretary of this body" and "editor of this principal" mean something; the forbidden roles go first, so an
allowed delete cannot hide a refusal behind a 404.

Reads by a reader-only service client (an intranet that publishes pages) never carry personal contact data.
"""

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from tests.conftest import DatabaseInfo
from tests.seeded import CONTACT_VALUES, ROLES, World, object_for, seed
from tests.snapshot import fresh_world

AUTHENTICATED = frozenset(ROLES) - {"none"}
READERS = AUTHENTICATED  # every role may read
ADMIN = frozenset({"admin"})
SECRETARIES = frozenset({"secretary_this", "secretary_other", "admin"})
SECRETARY_THIS = frozenset({"secretary_this", "admin"})
EDITOR_THIS = frozenset({"editor_this", "admin"})
FUNDS = frozenset({"fund_manager", "admin"})
# Writes to Umeå's draft application: Skellefteå's editors pass the role check and then meet a 404 (they may not
# see the draft), which is what they must get; fund managers may not edit nor withdraw it (403).
APPLICANTS = frozenset({"editor_this", "editor_other", "admin"})
EDITORS = frozenset({"editor_this", "editor_other", "admin"})
# Values: editors for their own principal (Umeå's editor; Skellefteå's passes the role check and is refused for
# Umeå's scope), fund managers and admins for any scope.
VALUE_REPORTERS = frozenset({"editor_this", "fund_manager", "admin"})
PUBLIC = frozenset(ROLES)

Request = Callable[[World], dict[str, Any]]


def _json(body: Callable[[dict[str, str]], dict[str, Any]]) -> Request:
    return lambda w: {"json": body(w.ids)}


def _file(name: str, data: bytes, **form: Callable[[dict[str, str]], Any]) -> Request:
    return lambda w: {"files": {"file": (name, data, "text/plain")}, "data": {k: f(w.ids) for k, f in form.items()}}


def _login(w: World) -> dict[str, Any]:
    form = {"grant_type": "client_credentials", "client_id": "intranat", "client_secret": w.service_secret}
    return {"data": form}


def _unique() -> str:
    return uuid.uuid4().hex[:8]


NO_BODY: Request = lambda w: {}  # noqa: E731

# operationId -> (roles allowed, what the request sends besides its path).
MATRIX: dict[str, tuple[frozenset[str], Request]] = {
    # Public by design.
    "health_live": (PUBLIC, NO_BODY),
    "health_ready": (PUBLIC, NO_BODY),
    "auth_token": (PUBLIC, _login),
    "auth_me": (AUTHENTICATED, NO_BODY),
    # Administration: principals, API tokens, the audit log.
    "principals_list": (ADMIN, NO_BODY),
    "principals_get": (ADMIN, NO_BODY),
    "principals_create": (
        ADMIN,
        _json(lambda ids: {"kind": "service", "login": f"skript-{_unique()}", "display_name": "Importskript"}),
    ),
    "principals_update": (ADMIN, _json(lambda ids: {"display_name": "Intranätet (publicering)"})),
    "api_tokens_list": (ADMIN, NO_BODY),
    "api_tokens_get": (ADMIN, NO_BODY),
    "api_tokens_create": (ADMIN, _json(lambda ids: {"principal_id": ids["principal"], "name": "Ny token"})),
    "api_tokens_revoke": (ADMIN, NO_BODY),
    "audit_list": (ADMIN, NO_BODY),
    # The organisation structure and the roadmap's strategies: admins (coordinators) only.
    "organisations_list": (READERS, NO_BODY),
    "organisations_get": (READERS, NO_BODY),
    "organisations_create": (
        ADMIN,
        _json(lambda ids: {"kind": "working_group", "name": f"Arbetsgrupp psykisk hälsa {_unique()}"}),
    ),
    "organisations_update": (ADMIN, _json(lambda ids: {"short_name": "Samrådet"})),
    "organisations_delete": (ADMIN, NO_BODY),
    "strategies_list": (READERS, NO_BODY),
    "strategies_get": (READERS, NO_BODY),
    "strategies_create": (ADMIN, _json(lambda ids: {"number": 2, "name": "Låt behoven stå i centrum"})),
    "strategies_update": (ADMIN, _json(lambda ids: {"description": "Hälsofrämjande och förebyggande arbete."})),
    "strategies_delete": (ADMIN, NO_BODY),
    # Funds: admins and fund managers keep funds, rounds, pots and transfers; every reader reads them.
    "funds_list": (READERS, NO_BODY),
    "funds_get": (READERS, NO_BODY),
    "funds_create": (
        FUNDS,
        _json(
            lambda ids: {
                "code": f"F{_unique().upper()}",
                "name": f"Fond {_unique()}",
                "owning_body_id": ids["council"],
                "deciding_body_id": ids["council"],
            }
        ),
    ),
    "funds_update": (FUNDS, _json(lambda ids: {"description": "Länsgemensamma medel för psykisk hälsa."})),
    "funds_delete": (FUNDS, NO_BODY),
    "rounds_list": (READERS, NO_BODY),
    "rounds_get": (READERS, NO_BODY),
    "rounds_summary": (READERS, NO_BODY),
    "rounds_create": (
        FUNDS,
        _json(lambda ids: {"fund_id": ids["fund"], "year": 2022, "opens_on": "2022-02-01", "closes_on": "2022-03-31"}),
    ),
    "rounds_update": (FUNDS, _json(lambda ids: {"priorities": "Samsjuklighet och suicidprevention."})),
    "rounds_delete": (FUNDS, NO_BODY),
    "pots_list": (READERS, NO_BODY),
    "pots_get": (READERS, NO_BODY),
    "pots_create": (FUNDS, _json(lambda ids: {"round_id": ids["round"], "name": f"Pott {_unique()}", "budget": 100})),
    "pots_update": (FUNDS, _json(lambda ids: {"name": f"Pott {_unique()}"})),
    "pots_delete": (FUNDS, NO_BODY),
    "transfers_list": (READERS, NO_BODY),
    "transfers_get": (READERS, NO_BODY),
    "transfers_create": (
        FUNDS,
        _json(
            lambda ids: {
                "from_pot_id": ids["pot"],
                "to_pot_id": ids["other_pot"],
                "amount": "1.00",
                "decision_id": ids["recommendation"],
            }
        ),
    ),
    # Applications: editors of the applicant principal draft, edit, move and delete them; every reader reads what
    # it may see (the others are 404).
    "applications_list": (READERS, NO_BODY),
    "applications_get": (READERS, NO_BODY),
    "applications_history": (READERS, NO_BODY),
    "applications_create": (
        EDITOR_THIS,
        _json(
            lambda ids: {
                "round_id": ids["round"],
                "applicant_id": ids["umea"],
                "applicant_unit": "Individ- och familjeomsorgen",
                "title": "Dans för hälsa",
                "requested": "120000.00",
            }
        ),
    ),
    "applications_update": (APPLICANTS, _json(lambda ids: {"summary": "Kompletterad projektplan."})),
    "applications_delete": (APPLICANTS, NO_BODY),
    "applications_transition": (APPLICANTS, _json(lambda ids: {"to": "withdrawn"})),
    # Grants and payments: admins and fund managers grant and pay, only admins undo a mistake; every reader reads.
    # A new grant names an unknown application (404: past the role gate all the same); the rest act on the seeded
    # grant and payment.
    "grants_list": (READERS, NO_BODY),
    "grants_get": (READERS, NO_BODY),
    "grants_create": (
        FUNDS,
        _json(
            lambda ids: {
                "application_id": str(uuid.uuid4()),
                "amount": "1000.00",
                "decision_id": ids["recommendation"],
                "reports": [{"kind": "final", "due_on": "2022-12-31"}],
            }
        ),
    ),
    "grants_update": (FUNDS, _json(lambda ids: {"conditions": "Slutrapport till samrådet i mars."})),
    "grants_delete": (ADMIN, NO_BODY),
    "payments_list": (READERS, NO_BODY),
    "payments_get": (READERS, NO_BODY),
    "payments_create": (
        FUNDS,
        _json(lambda ids: {"grant_id": ids["grant"], "kind": "payment", "paid_on": "2021-10-01", "amount": 1}),
    ),
    "payments_delete": (ADMIN, NO_BODY),
    # Funds: reviews (fund managers and admins only, reads included), report-back and open calls. The seeded review
    # is the admin's: another fund manager may not change it (403 `not_reviewer`). The seeded report is Umeå's:
    # only Umeå's editors write and submit it (Skellefteå's get 403; fund managers accept, they do not submit).
    "reviews_list": (FUNDS, NO_BODY),
    "reviews_get": (FUNDS, NO_BODY),
    "reviews_create": (
        FUNDS,
        _json(lambda ids: {"application_id": str(uuid.uuid4()), "scores": {}, "recommendation": "grant"}),
    ),
    "reviews_update": (ADMIN, _json(lambda ids: {"comment": "Väl förankrat hos alla huvudmän."})),
    "reviews_delete": (ADMIN, NO_BODY),
    "reports_list": (READERS, NO_BODY),
    "reports_get": (READERS, NO_BODY),
    "reports_update": (EDITOR_THIS, _json(lambda ids: {"text": "Sex utbildningstillfällen i fyra kommuner."})),
    "reports_transition": (EDITOR_THIS, _json(lambda ids: {"to": "submitted"})),
    "open_calls_list": (READERS, NO_BODY),
    # Metrics: values. The seeded value is Umeå's; a new one is Umeå's too.
    "indicator_values_list": (READERS, NO_BODY),
    "indicator_values_get": (READERS, NO_BODY),
    "indicator_values_history": (READERS, NO_BODY),
    "indicator_values_create": (
        VALUE_REPORTERS,
        _json(
            lambda ids: {
                "indicator_id": ids["indicator"],
                "scope": ids["umea"],
                "period": "2023",
                "gender": "male",
                "numerator": 1,
                "denominator": 4,
            }
        ),
    ),
    "indicator_values_update": (VALUE_REPORTERS, _json(lambda ids: {"comment": "Kontrollerad.", "reason": "Kontroll"})),
    "indicator_values_delete": (VALUE_REPORTERS, lambda w: {"params": {"reason": "Dubblett"}}),
    # People: any secretary; memberships: a secretary of the body.
    "people_list": (READERS, NO_BODY),
    "people_get": (READERS, NO_BODY),
    "people_create": (SECRETARIES, _json(lambda ids: {"given_name": "Berit", "family_name": "Öberg"})),
    "people_update": (SECRETARIES, _json(lambda ids: {"title": "Förvaltningschef"})),
    "people_delete": (SECRETARIES, NO_BODY),
    "memberships_list": (READERS, NO_BODY),
    "memberships_get": (READERS, NO_BODY),
    "memberships_create": (
        SECRETARY_THIS,
        _json(
            lambda ids: {
                "person_id": ids["substitute"],
                "body_id": ids["council"],
                "role": "substitute",
                "start_date": "2024-01-01",
            }
        ),
    ),
    "memberships_update": (SECRETARY_THIS, _json(lambda ids: {"end_date": "2026-12-31"})),
    "memberships_delete": (SECRETARY_THIS, NO_BODY),
    # Meetings and what belongs to them: a secretary of the meeting's body.
    "meetings_list": (READERS, NO_BODY),
    "meetings_get": (READERS, NO_BODY),
    "meetings_calendar": (READERS, NO_BODY),
    "meetings_calendar_one": (READERS, NO_BODY),
    "meetings_next_item_number": (READERS, NO_BODY),
    "meetings_create": (
        SECRETARY_THIS,
        _json(lambda ids: {"body_ids": [ids["council"]], "starts_at": "2024-06-14T09:00:00+02:00"}),
    ),
    "meetings_update": (SECRETARY_THIS, _json(lambda ids: {"place": "Umeå"})),
    "meetings_delete": (SECRETARY_THIS, NO_BODY),
    "attendance_list": (READERS, NO_BODY),
    "attendance_replace": (
        SECRETARY_THIS,
        _json(lambda ids: {"attendance": [{"person_id": ids["substitute"], "status": "present"}]}),
    ),
    "agenda_items_list": (READERS, NO_BODY),
    "agenda_items_get": (READERS, NO_BODY),
    "agenda_items_create": (SECRETARY_THIS, _json(lambda ids: {"meeting_id": ids["meeting"], "title": "Aktuellt"})),
    "agenda_items_update": (SECRETARY_THIS, _json(lambda ids: {"minutes_text": "Informationen noterades."})),
    "agenda_items_delete": (SECRETARY_THIS, NO_BODY),
    # Cases: a secretary of the responsible body; decisions: of the deciding body; answers: an editor of the principal.
    "cases_list": (READERS, NO_BODY),
    "cases_get": (READERS, NO_BODY),
    "cases_timeline": (READERS, NO_BODY),
    "cases_create": (
        SECRETARY_THIS,
        _json(lambda ids: {"title": "Suicidprevention", "responsible_body_id": ids["council"]}),
    ),
    "cases_update": (SECRETARY_THIS, _json(lambda ids: {"description": "Bereds i beredningen vuxna och äldre."})),
    "cases_delete": (SECRETARY_THIS, NO_BODY),
    "decisions_list": (READERS, NO_BODY),
    "decisions_get": (READERS, NO_BODY),
    "decisions_create": (SECRETARY_THIS, _json(lambda ids: {"agenda_item_id": ids["item"], "kind": "noted"})),
    "decisions_update": (SECRETARY_THIS, _json(lambda ids: {"text": "Samrådet beslutade att rekommendera …"})),
    "decisions_delete": (SECRETARY_THIS, NO_BODY),
    "responses_list": (READERS, NO_BODY),
    "responses_answer": (EDITOR_THIS, _json(lambda ids: {"organisation_id": ids["umea"], "status": "adopted"})),
    # Documents: a secretary of the body that keeps the linked object.
    "documents_list": (READERS, NO_BODY),
    "documents_get": (READERS, NO_BODY),
    "documents_content": (READERS, NO_BODY),
    "documents_text": (READERS, NO_BODY),
    "documents_upload": (
        SECRETARY_THIS,
        _file("bilaga.txt", "Bilaga 23: lägesrapport.\n".encode(), link=lambda ids: [f"meeting:{ids['meeting']}"]),
    ),
    "documents_update": (SECRETARY_THIS, _json(lambda ids: {"label": "Bilaga 23"})),
    "documents_delete": (SECRETARY_THIS, NO_BODY),
    # Imports. A file that is not a report or protocol stops at the role gate (any secretary) or, for attendance,
    # at the meeting's body; the protocol's own bodies are checked in tests/imports.
    "imports_list": (READERS, NO_BODY),
    "imports_get": (READERS, NO_BODY),
    "imports_attendance": (
        SECRETARY_THIS,
        _file("närvaro.csv", b"inte en rapport\n", meeting_id=lambda ids: ids["meeting"]),
    ),
    "imports_protocol": (SECRETARIES, _file("protokoll.txt", "Inget protokoll här.\n".encode())),
    "imports_folder": (SECRETARIES, _file("mapp.zip", b"inte en zip\n")),
    "search_query": (READERS, lambda w: {"params": {"q": "vård"}}),
    # Metrics: admins and fund managers keep indicators and targets; every reader reads them. A report's figures
    # are written as its text is: by Umeå's editors (the seeded report is Umeå's).
    "indicators_list": (READERS, NO_BODY),
    "indicators_get": (READERS, NO_BODY),
    "indicators_create": (
        FUNDS,
        _json(
            lambda ids: {
                "code": f"I-{_unique()}",
                "name": "Antal barn i HLT",
                "unit": "count",
                "direction": "increase",
                "aggregation": "sum",
            }
        ),
    ),
    "indicators_update": (FUNDS, _json(lambda ids: {"definition": "Barn i HLT-uppföljningen, per år."})),
    "indicators_delete": (FUNDS, NO_BODY),
    "indicator_applications": (READERS, NO_BODY),
    "targets_list": (READERS, NO_BODY),
    "targets_get": (READERS, NO_BODY),
    "targets_create": (
        FUNDS,
        _json(
            lambda ids: {
                "indicator_id": ids["indicator"],
                "scope": "county",
                "period_from": "2020",
                "comparison": "gte",
                "value": 50,
            }
        ),
    ),
    "targets_update": (FUNDS, _json(lambda ids: {"comment": "Beslutat av samrådet."})),
    "targets_delete": (FUNDS, NO_BODY),
    "report_values_list": (READERS, NO_BODY),
    "report_values_replace": (
        EDITOR_THIS,
        _json(
            lambda ids: {
                "values": [{"indicator_id": ids["indicator"], "period": "2025", "numerator": 11, "denominator": 20}]
            }
        ),
    ),
    # Metrics queries: series, attainment, a strategy's indicators and charts; any reader.
    "indicators_series": (READERS, lambda w: {"params": {"from": "2020", "to": "2025"}}),
    "indicators_attainment": (READERS, lambda w: {"params": {"from": "2020", "to": "2025"}}),
    "indicators_chart": (READERS, lambda w: {"params": {"from": "2020", "to": "2025"}}),
    "strategies_indicators": (READERS, NO_BODY),
    # Metrics, bulk imports: editors for their own principal (the scope decides before any bad row is told),
    # fund managers and admins for any scope. A Kolada file of KPIs no indicator carries names no scope at all, so
    # every editor passes the role gate; its scopes are checked in tests/metrics/test_kolada.py.
    "indicator_values_import": (
        frozenset({"editor_this", "fund_manager", "admin"}),
        _json(
            lambda ids: {"values": [{"indicator_code": "INGEN", "scope": ids["umea"], "period": "2024", "value": 1}]}
        ),
    ),
    "indicator_values_kolada": (
        EDITORS | FUNDS,
        _json(lambda ids: {"values": [{"kpi": "N00945", "municipality": "2480", "period": 2020, "values": []}]}),
    ),
}


def route_table(app: Any) -> dict[str, tuple[str, str, bool]]:
    """operationId -> (method, path, public) for every route of the app (its name is its operationId)."""
    out = {}
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        if isinstance(route, APIRoute) and ctx.path and route.include_in_schema:
            for method in route.methods - {"HEAD", "OPTIONS"}:
                out[route.name] = (method, ctx.path, bool((route.openapi_extra or {}).get("x-public")))
    return out


def concrete(path: str, ids: dict[str, str]) -> str:
    obj = object_for(path)
    return re.sub(r"\{id\}", ids[obj] if obj else str(uuid.uuid4()), path)


def test_every_route_has_an_entry(app: Any) -> None:
    routes = route_table(app)
    assert sorted(set(routes) - set(MATRIX)) == [], "routes without an entry in the authorisation matrix"
    assert sorted(set(MATRIX) - set(routes)) == [], "entries for routes that no longer exist"
    public = {name for name, (_, _, is_public) in routes.items() if is_public}
    assert public == {name for name, (allowed, _) in MATRIX.items() if allowed == PUBLIC}


@pytest.fixture
def world(client: TestClient, make_principal: Callable[..., dict[str, str]]) -> World:
    return seed(client, make_principal)


@pytest.fixture
def fresh(client: TestClient, make_principal: Callable[..., dict[str, str]], db: DatabaseInfo) -> World:
    """The seeded world, restored from a snapshot taken the first time (seeding it anew for each write cost most
    of this file's time)."""
    return fresh_world(client, make_principal, db.kind, db.url)


def _cells(app: Any, world: World, operation: str) -> list[str]:
    """Every role calls the operation once; what went against the table."""
    method, path, _ = route_table(app)[operation]
    allowed, request = MATRIX[operation]
    url = concrete(path, world.ids)
    # Refusals first: an allowed DELETE must not turn a later refusal into a 404.
    wrong = []
    for role in sorted(ROLES, key=lambda role: (role != "none", role in allowed)):
        r = world.client.request(method, url, headers=world.roles[role], **request(world))
        if role in allowed:
            ok = r.status_code not in (401, 403) and r.status_code < 500
        else:
            ok = r.status_code == (401 if role == "none" else 403)
            ok = ok and r.headers.get("content-type") == "application/problem+json"
        if not ok:
            wrong.append(f"{method} {url} ({operation}) as {role}: {r.status_code} {r.text[:200]}")
    return wrong


def test_matrix_of_reads(app: Any, world: World, record_property: Callable[[str, Any], None]) -> None:
    """Reads change nothing, so they share one seeded world."""
    reads = [name for name, (method, _, _) in route_table(app).items() if method == "GET"]
    wrong = [cell for name in sorted(reads) for cell in _cells(app, world, name)]
    record_property("authz_cells", len(reads) * len(ROLES))
    assert not wrong, "\n".join(wrong)


# The writes, from the committed contract (tests/test_openapi.py keeps it equal to the route table).
CONTRACT = json.loads((Path(__file__).parent.parent / "openapi" / "openapi.json").read_text(encoding="utf-8"))
WRITES = sorted(op["operationId"] for item in CONTRACT["paths"].values() for m, op in item.items() if m != "get")


@pytest.mark.parametrize("operation", WRITES)
def test_matrix_of_writes(operation: str, app: Any, fresh: World, record_property: Callable[[str, Any], None]) -> None:
    """Each write starts from a fresh world: an allowed write must not change what the next role meets."""
    wrong = _cells(app, fresh, operation)
    record_property("authz_cells", len(ROLES))
    assert not wrong, "\n".join(wrong)


def _get_operations(app: Any) -> list[tuple[str, str]]:
    return sorted((name, path) for name, (method, path, _) in route_table(app).items() if method == "GET")


# Extra query strings for the reads that can say more about a person than their plain form.
READ_VARIANTS = {
    "meetings_get": [{"include": "items,decisions,attendance,documents"}],
    "people_list": [{"q": "Lindqvist"}, {"q": "anna.lindqvist"}],
    "memberships_list": [{"person_id": "{person}"}],
    "meetings_list": [{"person_id": "{person}"}],
    "search_query": [{"q": "Lindqvist"}, {"q": "anna"}],
}


def test_a_reader_only_service_client_never_sees_contact_data(
    app: Any, world: World, record_property: Callable[[str, Any], None]
) -> None:
    """Every read, with the seeded objects, as JSON and where lists answer it as CSV too."""
    service = world.roles["reader_service"]
    seen_as_person = ""
    reads = 0
    for name, path in _get_operations(app):
        if name in {"principals_list", "principals_get", "api_tokens_list", "api_tokens_get", "audit_list"}:
            continue  # admin only: refused to a reader (the matrix checks that)
        url = concrete(path, world.ids)
        for variant in [{}, *READ_VARIANTS.get(name, [])]:
            params = {k: v.format(**world.ids) for k, v in variant.items()}
            for accept in ("application/json", "text/csv"):
                r = world.client.get(url, params=params, headers={**service, "Accept": accept})
                reads += 1
                assert r.status_code < 500, (url, r.text)
                for value in CONTACT_VALUES:
                    assert value not in r.text, f"{value!r} in {name} {params} ({accept}): {r.text[:300]}"
                seen_as_person += world.client.get(
                    url, params=params, headers={**world.roles["reader"], "Accept": accept}
                ).text
    # The same walk as a reader person does reach the contact data: the check above looks where it is.
    assert all(value in seen_as_person for value in CONTACT_VALUES)
    record_property("contact_reads", reads)
    assert reads > 60
