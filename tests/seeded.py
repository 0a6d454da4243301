"""A small, realistic data set entered over HTTP as an admin would, and one principal per role of the
authorisation matrix. The fuzz suite and the matrix both start from it, so path ids hit real objects."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from app.core.principal import PrincipalKind
from app.core.time import today

API = "/api/v1"
Headers = dict[str, str]

# Personal contact data of the seeded person: a reader-only service client must never see any of it.
EMAIL = "anna.lindqvist@umea.se"
PHONE = "090-16 10 00"
ALIAS = "anna.lindqvist@teams.umea.se"
CONTACT_VALUES = (EMAIL, PHONE, ALIAS)

# The roles of the matrix. "this" means the seeded body (secretary) or principal (editor) the objects belong to.
ROLES = (
    "none",
    "reader",
    "reader_service",
    "secretary_this",
    "secretary_other",
    "editor_this",
    "editor_other",
    "fund_manager",
    "admin",
)


@dataclass
class World:
    client: TestClient
    admin: Headers
    ids: dict[str, str] = field(default_factory=dict)
    roles: dict[str, Headers] = field(default_factory=dict)
    service_secret: str = ""

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.client.post(API + path, json=body, headers=self.admin)
        assert r.status_code in (200, 201), (path, r.text)
        out: dict[str, Any] = r.json()
        return out

    def pool(self, name: str) -> list[str]:
        """The seeded ids a field or path parameter of this name may refer to (every id when unknown)."""
        kinds = _POOLS.get(name)
        if kinds is None:
            return list(self.ids.values())
        return [self.ids[k] for k in kinds if k in self.ids]


# Which seeded objects a parameter or body field of a given name refers to.
_BODIES = ("council", "officials")
_PRINCIPALS = ("umea", "region")
_POOLS: dict[str, tuple[str, ...]] = {
    "body_id": _BODIES,
    "body_ids": _BODIES,
    "assignee_body_id": _BODIES,
    "target_body_id": _BODIES,
    "responsible_body_id": _BODIES,
    "queue_body_id": _BODIES,
    "member_of": _BODIES,
    "organisation_id": _PRINCIPALS,
    "on_behalf_of_id": _PRINCIPALS,
    "recipient_ids": _PRINCIPALS,
    "employer_id": _PRINCIPALS,
    "parent_id": ("region",),
    "member_ids": _PRINCIPALS,
    "person_id": ("person", "substitute"),
    "chair_id": ("person",),
    "adjuster_ids": ("person", "substitute"),
    "substitute_for_id": ("person",),
    "meeting_id": ("meeting",),
    "agenda_item_id": ("item",),
    "report_item_id": ("item",),
    "case_id": ("case",),
    "case_ids": ("case",),
    "strategy_id": ("strategy",),
    "strategy_ids": ("strategy",),
    "document_id": ("document",),
    "principal_id": ("principal",),
    "resource_id": ("meeting", "person", "umea"),
    "owning_body_id": _BODIES,
    "deciding_body_id": _BODIES,
    "decision_id": ("recommendation",),
    "fund_id": ("fund",),
    "round_id": ("round",),
    "pot_id": ("pot", "other_pot"),
    "from_pot_id": ("pot",),
    "to_pot_id": ("other_pot",),
    "carried_from_pot_id": ("pot",),
    # Applications.
    "applicant_id": _PRINCIPALS,
    "co_applicant_ids": ("region", "skelleftea"),
    "contact_person_id": ("person",),
    "focus_area_id": ("focus_area",),
    "application_id": ("application", "submitted_application", "granted_application"),
    "grant_id": ("grant",),
    # Metrics.
    "indicator_id": ("indicator",),
}

# The object each collection's `/{id}` refers to.
COLLECTION_OBJECT = {
    "organisations": "council",
    "people": "person",
    "memberships": "membership",
    "meetings": "meeting",
    "agenda-items": "item",
    "cases": "case",
    "decisions": "recommendation",
    "documents": "document",
    "strategies": "strategy",
    "principals": "principal",
    "api-tokens": "api_token",
    "imports": "import",
    "funds": "fund",
    "rounds": "round",
    "pots": "pot",
    "transfers": "transfer",
    "applications": "application",
    "grants": "grant",
    "payments": "payment",
    "reviews": "review",
    "reports": "report",
    "indicators": "indicator",
    "targets": "target",
    "indicator-values": "value",
}


def object_for(path: str) -> str | None:
    """The seeded object a path's `{id}` names, e.g. /api/v1/meetings/{id}/attendance -> "meeting"."""
    parts = path.removeprefix(API + "/").split("/")
    collection = parts[0].removesuffix("{id}.ics").removesuffix(".ics")
    return COLLECTION_OBJECT.get(collection)


def seed(client: TestClient, make_principal: Callable[..., Headers]) -> World:
    admin = make_principal("admin")
    w = World(client, admin)
    ids = w.ids
    ids["region"] = w.post("/organisations", {"kind": "region", "name": "Region Västerbotten", "is_principal": True})[
        "id"
    ]
    ids["umea"] = w.post(
        "/organisations",
        {"kind": "municipality", "name": "Umeå kommun", "is_principal": True, "municipality_code": "2480"},
    )["id"]
    ids["skelleftea"] = w.post(
        "/organisations", {"kind": "municipality", "name": "Skellefteå kommun", "is_principal": True}
    )["id"]
    ids["council"] = w.post(
        "/organisations",
        {"kind": "joint_body", "name": "Samråd hälsa, vård och omsorg", "start_date": "2020-09-01"},
    )["id"]
    ids["officials"] = w.post("/organisations", {"kind": "joint_body", "name": "Länssamverkansgruppen"})["id"]
    ids["strategy"] = w.post("/strategies", {"number": 1, "name": "Med hälsan i fokus"})["id"]
    ids["person"] = w.post(
        "/people",
        {
            "given_name": "Anna",
            "family_name": "Lindqvist",
            "party": "s",
            "employer_id": ids["umea"],
            "contact": {"email": EMAIL, "phone": PHONE},
            "aliases": [ALIAS],
        },
    )["id"]
    ids["substitute"] = w.post("/people", {"given_name": "Örjan", "family_name": "Åström", "party": "åp"})["id"]
    ids["membership"] = w.post(
        "/memberships",
        {
            "person_id": ids["person"],
            "body_id": ids["council"],
            "role": "member",
            "on_behalf_of_id": ids["umea"],
            "start_date": "2023-01-01",
        },
    )["id"]
    ids["meeting"] = w.post(
        "/meetings",
        {
            "body_ids": [ids["council"]],
            "starts_at": "2024-05-03T09:30:00+02:00",
            "ends_at": "2024-05-03T12:00:00+02:00",
            "place": "Teams",
            "diary_number": "HSN 50:2-2024",
            "status": "held",
        },
    )["id"]
    ids["case"] = w.post(
        "/cases",
        {
            "title": "Nära vård i Västerbotten",
            "responsible_body_id": ids["council"],
            "strategy_ids": [ids["strategy"]],
        },
    )["id"]
    ids["item"] = w.post(
        "/agenda-items",
        {
            "meeting_id": ids["meeting"],
            "title": "Rekommendation om gemensam riktlinje",
            "kind": "decision",
            "case_ids": [ids["case"]],
        },
    )["id"]
    ids["recommendation"] = w.post(
        "/decisions",
        {
            "agenda_item_id": ids["item"],
            "kind": "recommendation",
            "decided_on": "2024-05-03",
            "response_deadline": "2024-09-30",
            "clauses": ["att rekommendera respektive huvudman att anta förslaget"],
            "recipient_ids": [ids["umea"], ids["region"]],
        },
    )["id"]
    w.post(f"/decisions/{ids['recommendation']}/responses", {"organisation_id": ids["umea"], "status": "adopted"})
    r = client.put(
        f"{API}/meetings/{ids['meeting']}/attendance",
        json={"attendance": [{"person_id": ids["person"], "status": "present", "on_behalf_of_id": ids["umea"]}]},
        headers=admin,
    )
    assert r.status_code == 200, r.text
    r = client.post(
        f"{API}/documents",
        files={"file": ("protokoll.txt", "Protokoll, Samråd hälsa, vård och omsorg.\n".encode(), "text/plain")},
        data={"role": "minutes", "label": "Protokoll", "link": [f"meeting:{ids['meeting']}"]},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    ids["document"] = r.json()["id"]
    intranet = {"kind": "service", "login": "intranat", "display_name": "Intranätet", "grants": [{"role": "reader"}]}
    service = w.post("/principals", intranet)
    ids["principal"], w.service_secret = service["id"], service["client_secret"]
    ids["api_token"] = w.post("/api-tokens", {"principal_id": ids["principal"], "name": "Intranätets publicering"})[
        "id"
    ]
    _seed_funds(w)
    _seed_applications(w)
    _seed_grant(w)
    _seed_metrics(w)
    _seed_values(w)
    ids["import"] = str(uuid.uuid4())  # nothing imported: the read answers 404, which is not a refusal
    w.roles = _role_headers(make_principal, ids, admin)
    return w


def _seed_funds(w: World) -> None:
    """UPH-medel with an open 2021 round, two pots and a transfer between them."""
    ids = w.ids
    ids["fund"] = w.post(
        "/funds",
        {
            "code": "UPH",
            "name": "UPH-medel",
            "owning_body_id": ids["council"],
            "deciding_body_id": ids["council"],
            "focus_areas": [{"number": 3, "text": "Suicidprevention, hälsofrämjande och förebyggande arbete."}],
        },
    )["id"]
    ids["round"] = w.post(
        "/rounds", {"fund_id": ids["fund"], "year": 2021, "opens_on": "2021-02-01", "closes_on": "2021-03-31"}
    )["id"]
    ids["pot"] = w.post("/pots", {"round_id": ids["round"], "name": "En mer sammanhållen vård", "budget": "7500934"})[
        "id"
    ]
    ids["other_pot"] = w.post(
        "/pots", {"round_id": ids["round"], "name": "Det suicidpreventiva arbetet", "budget": "5265124.00"}
    )["id"]
    r = w.client.patch(f"{API}/rounds/{ids['round']}", json={"status": "open"}, headers=w.admin)
    assert r.status_code == 200, r.text
    ids["transfer"] = w.post(
        "/transfers",
        {
            "from_pot_id": ids["pot"],
            "to_pot_id": ids["other_pot"],
            "amount": "1000.00",
            "decision_reference": "Delegationsbeslut 2021-09-14",
        },
    )["id"]


def _seed_applications(w: World) -> None:
    """Umeå's draft in the 2021 round, and a submitted application in a round open until the end of next year (a
    submission needs a round before its deadline, whatever day the tests run)."""
    ids = w.ids
    ids["focus_area"] = w.client.get(f"{API}/funds/{ids['fund']}", headers=w.admin).json()["focus_areas"][0]["id"]
    year = today().year + 1
    ids["open_round"] = w.post(
        "/rounds", {"fund_id": ids["fund"], "year": year, "opens_on": today().isoformat(), "closes_on": f"{year}-12-31"}
    )["id"]
    ids["open_pot"] = w.post("/pots", {"round_id": ids["open_round"], "name": "Suicidprevention", "budget": "2000000"})[
        "id"
    ]
    r = w.client.patch(f"{API}/rounds/{ids['open_round']}", json={"status": "open"}, headers=w.admin)
    assert r.status_code == 200, r.text
    ids["application"] = w.post(
        "/applications",
        {
            "round_id": ids["round"],
            "applicant_id": ids["umea"],
            "applicant_unit": "Socialtjänsten",
            "title": "Hälsosamtal i LSS-boenden",
            "focus_area_id": ids["focus_area"],
            "pot_id": ids["pot"],
            "contact_person_id": ids["person"],
            "strategy_ids": [ids["strategy"]],
            "requested": "250000.00",
            "budget_lines": [{"category": "Personal", "year": 2021, "amount": "250000.00"}],
        },
    )["id"]
    ids["submitted_application"] = w.post(
        "/applications",
        {
            "round_id": ids["open_round"],
            "applicant_id": ids["region"],
            "applicant_unit": "Hälsoval",
            "co_applicant_ids": [ids["umea"]],
            "title": "Suicide Zero i skolan",
            "focus_area_id": ids["focus_area"],
            "pot_id": ids["open_pot"],
            "requested": "450000",
            "budget_lines": [
                {"category": "Utbildare", "year": year, "amount": "300000"},
                {"category": "Material", "year": year, "amount": "150000"},
            ],
        },
    )["id"]
    w.post(f"/applications/{ids['submitted_application']}/transitions", {"to": "submitted"})


def _seed_grant(w: World) -> None:
    """Umeå's application in the open round, reviewed and granted by a delegated decision, with a payment and its
    interim and final reports due (the admin, who holds every role, makes every move)."""
    ids = w.ids
    year = today().year + 1
    ids["granted_application"] = w.post(
        "/applications",
        {
            "round_id": ids["open_round"],
            "applicant_id": ids["umea"],
            "applicant_unit": "Individ- och familjeomsorgen",
            "title": "Dans för hälsa",
            "focus_area_id": ids["focus_area"],
            "pot_id": ids["open_pot"],
            "requested": "200000.00",
            "budget_lines": [{"category": "Danspedagoger", "year": year, "amount": "200000.00"}],
        },
    )["id"]
    for to in ("submitted", "in_review"):
        w.post(f"/applications/{ids['granted_application']}/transitions", {"to": to})
    ids["review"] = w.post(
        "/reviews", {"application_id": ids["granted_application"], "scores": {}, "recommendation": "partial"}
    )["id"]
    grant = w.post(
        "/grants",
        {
            "application_id": ids["granted_application"],
            "amount": "150000.00",
            "delegated": {"by": "Förbundschef", "on": today().isoformat(), "reference": "Dnr 2026/12"},
            "reports": [{"kind": "interim", "due_on": f"{year}-06-30"}, {"kind": "final", "due_on": f"{year}-12-31"}],
        },
    )
    ids["grant"] = grant["id"]
    ids["payment"] = w.post(
        "/payments", {"grant_id": ids["grant"], "kind": "payment", "paid_on": today().isoformat(), "amount": "75000"}
    )["id"]
    reports = w.client.get(f"{API}/reports?grant_id={ids['grant']}", headers=w.admin).json()["data"]
    ids["report"] = next(r["id"] for r in reports if r["kind"] == "final")


def _seed_metrics(w: World) -> None:
    """An indicator the council owns, following up the seeded strategy, with Umeå's target from 2020 and a figure
    on the seeded report."""
    ids = w.ids
    ids["indicator"] = w.post(
        "/indicators",
        {
            "code": "SIP-ANDEL",
            "name": "Andel barn med samordnad individuell plan (SIP)",
            "unit": "percent",
            "direction": "increase",
            "by_gender": True,
            "aggregation": "ratio",
            "body_id": ids["council"],
            "strategy_ids": [ids["strategy"]],
        },
    )["id"]
    ids["target"] = w.post(
        "/targets",
        {"indicator_id": ids["indicator"], "scope": "2480", "period_from": "2020", "comparison": "gte", "value": 50},
    )["id"]
    r = w.client.put(
        f"{API}/reports/{ids['report']}/indicator-values",
        json={"values": [{"indicator_id": ids["indicator"], "period": "2025", "numerator": 12, "denominator": 20}]},
        headers=w.admin,
    )
    assert r.status_code == 200, r.text


def _seed_values(w: World) -> None:
    """Umeå's share of children with a SIP in 2024 (the seeded indicator), reported and then corrected."""
    value = {"indicator_id": w.ids["indicator"], "scope": w.ids["umea"], "period": "2024", "gender": "female"}
    w.ids["value"] = w.post("/indicator-values", {**value, "numerator": 131, "denominator": 250})["id"]
    r = w.client.patch(
        f"{API}/indicator-values/{w.ids['value']}",
        json={"numerator": 140, "reason": "Nio planer saknades i underlaget."},
        headers=w.admin,
    )
    assert r.status_code == 200, r.text


def _role_headers(make_principal: Callable[..., Headers], ids: dict[str, str], admin: Headers) -> dict[str, Headers]:
    return {
        "none": {},
        "reader": make_principal("reader"),
        "reader_service": make_principal("reader", kind=PrincipalKind.service),
        "secretary_this": make_principal(f"secretary:{ids['council']}"),
        "secretary_other": make_principal(f"secretary:{ids['officials']}"),
        "editor_this": make_principal(f"editor:{ids['umea']}"),
        "editor_other": make_principal(f"editor:{ids['skelleftea']}"),
        "fund_manager": make_principal("fund_manager"),
        "admin": admin,
    }
