"""A deterministic world for the golden tests, entered through the real API: every field of the read path has
a value somewhere (two bodies, adjusters, an item range, a recommendation with responses, an assignment,
substitutes and partial presence, documents on the meeting and on an item, å/ä/ö, a soft-deleted object)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.auth.models import Principal, RoleGrant
from app.core import db as core_db
from app.core.principal import Grant, PrincipalKind
from app.core.security import create_token
from tests.conftest import bearer

API = "/api/v1"
Headers = dict[str, str]

ATTENDANCE_CSV = (
    "1. Summary,,,,,,\n"
    'Meeting title,"Samråd hälsa, vård och omsorg",,,,,\n'
    'Start time,"5/3/24, 9:30:00 AM",,,,,\n'
    'End time,"5/3/24, 12:00:00 PM",,,,,\n'
    ",,,,,,\n"
    "2. Participants,,,,,,\n"
    "Name,First Join,Last Leave,In-Meeting Duration,Email,Participant ID (UPN),Role\n"
)
ASA_ROW = (
    '"Öberg, Åsa","5/3/24, 9:31:00 AM","5/3/24, 11:45:00 AM",2h 14m,asa.oberg@umea.se,asa.oberg@umea.se,Presenter\n'
)
LARS_ROW = '"Ek, Lars","5/3/24, 9:40:00 AM","5/3/24, 11:00:00 AM",1h 20m,lars.ek@regionvasterbotten.se,,Attendee\n'


@dataclass
class GoldenWorld:
    client: TestClient
    admin: Headers
    ids: dict[str, str] = field(default_factory=dict)

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.client.post(API + path, json=body, headers=self.admin)
        assert r.status_code in (200, 201), (path, r.text)
        out: dict[str, Any] = r.json()
        return out

    def get(self, path: str, headers: Headers | None = None) -> Any:
        r = self.client.get(path if path.startswith("http") else API + path, headers=headers or self.admin)
        assert r.status_code == 200, (path, r.text)
        return r.json()


def add_principal(login: str, display_name: str, grant: str, kind: PrincipalKind = PrincipalKind.person) -> str:
    """A principal inserted directly, without a secret: the API would hash one, deliberately slowly."""
    with Session(core_db.get_engine()) as s:
        p = Principal(kind=kind, login=login, display_name=display_name)
        s.add(p)
        s.flush()
        s.add(
            RoleGrant(
                principal_id=p.id, role=Grant.parse(grant).role, organisation_id=Grant.parse(grant).organisation_id
            )
        )
        s.commit()
        return str(p.id)


def fixed_admin() -> tuple[Headers, str]:
    """An admin with a fixed login (make_principal's are random), so the principal list is the same each run."""
    ident = add_principal("golden-admin", "Golden admin", "admin")
    return bearer(create_token(ident, kind="access", scopes=["admin"], lifetime=timedelta(minutes=30))), ident


def build(client: TestClient) -> GoldenWorld:
    headers, admin_id = fixed_admin()
    w = GoldenWorld(client, headers)
    ids = w.ids
    ids["admin"] = admin_id
    ids["region"] = w.post("/organisations", {"kind": "region", "name": "Region Västerbotten", "is_principal": True})[
        "id"
    ]
    ids["umea"] = w.post(
        "/organisations",
        {
            "kind": "municipality",
            "name": "Umeå kommun",
            "short_name": "Umeå",
            "is_principal": True,
            "municipality_code": "2480",
            "org_number": "212000-2627",
            "former_names": [{"name": "Umeå stad", "valid_to": "1970-12-31"}],
            "website": "https://www.umea.se",
        },
    )["id"]
    ids["skelleftea"] = w.post(
        "/organisations", {"kind": "municipality", "name": "Skellefteå kommun", "is_principal": True}
    )["id"]
    ids["council"] = w.post(
        "/organisations",
        {
            "kind": "joint_body",
            "name": "Samråd hälsa, vård och omsorg",
            "start_date": "2020-09-01",
        },
    )["id"]
    ids["officials"] = w.post("/organisations", {"kind": "joint_body", "name": "Länssamverkansgruppen"})["id"]
    ids["strategy"] = w.post("/strategies", {"number": 1, "name": "Med hälsan i fokus", "description": "Förebygga."})[
        "id"
    ]
    ids["strategy2"] = w.post("/strategies", {"number": 2, "name": "Jämlik vård"})["id"]
    ids["strategy3"] = w.post("/strategies", {"number": 3, "name": "Strykes"})["id"]
    ids["strategy4"] = w.post("/strategies", {"number": 4, "name": "Ökad delaktighet"})["id"]
    ids["asa"] = w.post(
        "/people",
        {
            "given_name": "Åsa",
            "family_name": "Öberg",
            "title": "Kommunalråd",
            "party": "s",
            "employer_id": ids["umea"],
            "contact": {"email": "asa.oberg@umea.se", "phone": "090-16 10 00"},
            "aliases": ["Öberg, Åsa"],
        },
    )["id"]
    ids["orjan"] = w.post("/people", {"given_name": "Örjan", "family_name": "Åström", "party": "m"})["id"]
    ids["lars"] = w.post("/people", {"given_name": "Lars", "family_name": "Ek", "employer_id": ids["region"]})["id"]
    for person, body, role in (("asa", "council", "chair"), ("orjan", "council", "substitute")):
        ids[f"membership_{person}"] = w.post(
            "/memberships",
            {
                "person_id": ids[person],
                "body_id": ids[body],
                "role": role,
                "on_behalf_of_id": ids["umea"],
                "start_date": "2023-01-01",
                "end_date": "2026-12-31",
            },
        )["id"]
    ids["membership_lars"] = w.post(
        "/memberships",
        {"person_id": ids["lars"], "body_id": ids["officials"], "role": "member", "start_date": "2024-01-01"},
    )["id"]
    ids["meeting"] = w.post(
        "/meetings",
        {
            "body_ids": [ids["council"], ids["officials"]],
            "title": "Gemensamt möte",
            "starts_at": "2024-05-03T09:30:00+02:00",
            "ends_at": "2024-05-03T12:00:00+02:00",
            "place": "Umeå, Västerbottens museum",
            "online": True,
            "diary_number": "HSN 50:2-2024",
            "status": "held",
            "chair_id": ids["asa"],
            "adjuster_ids": [ids["lars"], ids["orjan"]],
            "notes": "Mötet hölls både på plats och på Teams.",
        },
    )["id"]
    ids["meeting2"] = w.post(
        "/meetings",
        {"body_ids": [ids["officials"]], "starts_at": "2024-09-12T13:00:00+02:00", "status": "planned"},
    )["id"]
    ids["meeting3"] = w.post(
        "/meetings", {"body_ids": [ids["council"]], "starts_at": "2025-02-06T09:00:00+01:00", "place": "Skellefteå"}
    )["id"]
    ids["case"] = w.post(
        "/cases",
        {
            "title": "Nära vård i Västerbotten",
            "reference": "RVN 2024-118",
            "responsible_body_id": ids["council"],
            "strategy_ids": [ids["strategy"], ids["strategy2"]],
            "target_group": "adults_elderly",
        },
    )["id"]
    ids["case2"] = w.post("/cases", {"title": "Hjälpmedel för barn", "reference": "SAM 2024/7"})["id"]
    ids["case3"] = w.post("/cases", {"title": "Psykisk hälsa", "reference": "SAM 2024/8", "status": "closed"})["id"]
    ids["item"] = w.post(
        "/agenda-items",
        {
            "meeting_id": ids["meeting"],
            "body_id": ids["council"],
            "number": "15",
            "title": "Rekommendation om gemensam riktlinje",
            "kind": "decision",
            "case_ids": [ids["case"]],
            "presenters": [{"person_id": ids["lars"]}, {"name": "Eva Ström", "organisation": "Region Västerbotten"}],
            "minutes_text": "Samrådet beslutar att rekommendera huvudmännen att anta riktlinjen.",
        },
    )["id"]
    ids["item2"] = w.post(
        "/agenda-items",
        {"meeting_id": ids["meeting"], "body_id": ids["council"], "number": "16", "title": "Uppdrag om uppföljning"},
    )["id"]
    ids["item3"] = w.post(
        "/agenda-items",
        {"meeting_id": ids["meeting"], "body_id": ids["council"], "number": "17", "title": "Information"},
    )["id"]
    ids["recommendation"] = w.post(
        "/decisions",
        {
            "agenda_item_id": ids["item"],
            "kind": "recommendation",
            "decided_on": "2024-05-03",
            "response_deadline": "2024-09-30",
            "clauses": ["att rekommendera respektive huvudman att anta förslaget", "att följa upp 2025"],
            "recipient_ids": [ids["umea"], ids["region"], ids["skelleftea"]],  # Skellefteå never answers
        },
    )["id"]
    w.post(
        f"/decisions/{ids['recommendation']}/responses",
        {"organisation_id": ids["umea"], "status": "adopted", "decided_on": "2024-06-10", "assembly": "KS"},
    )
    w.post(
        f"/decisions/{ids['recommendation']}/responses",
        {"organisation_id": ids["region"], "status": "adopted_with_changes"},
    )
    ids["assignment"] = w.post(
        "/decisions",
        {
            "agenda_item_id": ids["item2"],
            "kind": "assignment",
            "decided_on": "2024-05-02",
            "text": "Länssamverkansgruppen får i uppdrag att följa upp riktlinjen.",
            "assignee_body_id": ids["officials"],
            "due_date": "2024-12-31",
            "assignment_status": "in_progress",
        },
    )["id"]
    ids["decision3"] = w.post(
        "/decisions", {"agenda_item_id": ids["item3"], "kind": "noted", "decided_on": "2024-05-01"}
    )["id"]
    attendance = [
        {"person_id": ids["asa"], "status": "present", "role": "chair", "on_behalf_of_id": ids["umea"]},
        {
            "person_id": ids["orjan"],
            "status": "present",
            "substitute_for_id": ids["asa"],
            "on_behalf_of_id": ids["umea"],
            "joined_at": "2024-05-03T10:15:00+02:00",
            "left_at": "2024-05-03T11:05:00+02:00",
            "from_item": "16",
            "to_item": "17",
            "note": "Ersättare för Åsa Öberg under § 16–17.",
        },
        {"person_id": ids["lars"], "status": "present", "body_id": ids["officials"], "absent_items": ["17"]},
    ]
    r = client.put(f"{API}/meetings/{ids['meeting']}/attendance", json={"attendance": attendance}, headers=w.admin)
    assert r.status_code == 200, r.text
    for key, link, name in (
        ("minutes", f"meeting:{ids['meeting']}", "protokoll.txt"),
        ("attachment", f"agenda_item:{ids['item']}", "riktlinje-bilaga.txt"),
        ("spare", f"case:{ids['case']}", "underlag.txt"),
    ):
        role = "minutes" if key == "minutes" else "decision_basis"
        r = client.post(
            f"{API}/documents",
            files={"file": (name, f"{name}: Samråd hälsa, vård och omsorg, Umeå.\n".encode(), "text/plain")},
            data={"role": role, "label": name.removesuffix(".txt").capitalize(), "link": [link]},
            headers=w.admin,
        )
        assert r.status_code == 201, r.text
        ids[f"document_{key}"] = r.json()["id"]
    for meeting, row in (("meeting3", ASA_ROW), ("meeting2", ASA_ROW), ("meeting3", LARS_ROW)):
        import_attendance(w, meeting, ATTENDANCE_CSV + row)
    for login, name in (("intranat", "Intranätet"), ("diariet", "Diariet i Umeå"), ("webben", "Webben")):
        service = w.post(
            "/principals", {"kind": "service", "login": login, "display_name": name, "grants": [{"role": "reader"}]}
        )
        ids[f"principal_{login}"] = service["id"]
    for key, name in (("publishing", "Intranätets publicering"), ("export", "Nattlig export"), ("stats", "Statistik")):
        ids[f"token_{key}"] = w.post("/api-tokens", {"principal_id": ids["principal_intranat"], "name": name})["id"]
    r = client.delete(f"{API}/strategies/{ids['strategy3']}", headers=w.admin)
    assert r.status_code == 204, r.text
    return w


def import_attendance(w: GoldenWorld, meeting: str, report: str) -> None:
    """A Teams attendance report for the meeting, planned and then applied: one import record."""
    upload = {"file": ("Deltagarlista.csv", report.encode(), "text/csv")}
    r = w.client.post(f"{API}/imports/attendance", files=upload, data={"meeting_id": w.ids[meeting]}, headers=w.admin)
    assert r.status_code == 200, r.text
    apply = {"meeting_id": w.ids[meeting], "dry_run": "false", "expected_plan": r.json()["plan"]["plan_hash"]}
    r = w.client.post(f"{API}/imports/attendance", files=upload, data=apply, headers=w.admin)
    assert r.status_code == 200 and r.json()["applied"], r.text
