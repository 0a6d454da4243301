"""What the application tests share: two principals (Umeå and Skellefteå) with an editor each, a round open until
the end of next year with a pot, and helpers that draft, move and read applications over HTTP."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core import db as core_db
from app.core.time import today
from app.funds.applications.models import Application, ApplicationStatus
from tests.funds.conftest import API, Headers, move_to, new_pot, new_round, ok


@dataclass
class Applicants:
    umea: str
    skelleftea: str
    region: str
    editor_umea: Headers
    editor_skelleftea: Headers


@pytest.fixture(name="applicants")
def applicants_fixture(client: TestClient, admin: Headers, make_principal: Callable[..., Headers]) -> Applicants:
    def principal(kind: str, name: str) -> str:
        body = {"kind": kind, "name": name, "is_principal": True}
        return str(ok(client.post(f"{API}/organisations", json=body, headers=admin), 201)["id"])

    umea = principal("municipality", "Umeå kommun")
    skelleftea = principal("municipality", "Skellefteå kommun")
    region = principal("region", "Region Västerbotten")
    return Applicants(
        umea, skelleftea, region, make_principal(f"editor:{umea}"), make_principal(f"editor:{skelleftea}")
    )


@dataclass
class OpenRound:
    id: str
    year: int
    pot: str
    focus_area: str
    fund: dict[str, Any]


def open_round(client: TestClient, manager: Headers, fund: dict[str, Any], year: int | None = None) -> OpenRound:
    """A round of `fund`, open from today to the end of next year (or of `year`), with one pot."""
    year = year or today().year + 1
    made = new_round(client, manager, fund["id"], year, opens_on=today().isoformat(), closes_on=f"{year}-12-31")
    pot = new_pot(client, manager, made["id"], "En mer sammanhållen vård", "5000000.00")
    move_to(client, manager, made["id"], "open")
    return OpenRound(made["id"], year, pot, fund["focus_areas"][0]["id"], fund)


@pytest.fixture(name="round_")
def round_fixture(client: TestClient, manager: Headers, fund: dict[str, Any]) -> OpenRound:
    return open_round(client, manager, fund)


def application_body(r: OpenRound, applicant: str, **extra: Any) -> dict[str, Any]:
    return {
        "round_id": r.id,
        "applicant_id": applicant,
        "applicant_unit": "Socialtjänsten",
        "title": "Hälsosamtal i LSS-boenden",
        "focus_area_id": r.focus_area,
        "pot_id": r.pot,
        "requested": "450000.00",
        "budget_lines": [
            {"category": "Personal", "year": r.year, "amount": "300000.00"},
            {"category": "Resor och material", "year": r.year, "amount": "150000.00"},
        ],
        **extra,
    }


def draft(client: TestClient, headers: Headers, r: OpenRound, applicant: str, **extra: Any) -> dict[str, Any]:
    return dict(
        ok(client.post(f"{API}/applications", json=application_body(r, applicant, **extra), headers=headers), 201)
    )


def move(client: TestClient, headers: Headers, ident: str, to: str, comment: str | None = None) -> Any:
    body = {"to": to} | ({"comment": comment} if comment else {})
    return client.post(f"{API}/applications/{ident}/transitions", json=body, headers=headers)


def set_status(ident: str, status: ApplicationStatus) -> None:
    """Test setup only: a status that only a grant or the final report makes is set in the database (both are
    tested in their own files)."""
    with Session(core_db.get_engine()) as s:
        application = s.get_one(Application, uuid.UUID(ident))
        application.status = status
        s.add(application)
        s.commit()


def get(client: TestClient, headers: Headers, ident: str) -> Any:
    return client.get(f"{API}/applications/{ident}", headers=headers)
