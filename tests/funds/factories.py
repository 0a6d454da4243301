"""Setup for the grant, payment and summary tests: applications already in review.

SETUP ONLY, inserted through the ORM in the test's own database session: numbered, in status `in_review` (or the
status asked for), with a budget line for the whole requested amount, as the applications service would leave
them. It is fast enough for the summary's thousand applications, and reaches a status without the moves before it.
Everything these tests check goes through the API; the whole path from draft to closed project over HTTP is
tests/funds/test_walkthrough.py.
"""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.funds.applications.models import Application, ApplicationStatus, BudgetLine
from app.funds.models import FocusArea, Fund, Round
from tests.funds.conftest import API, Headers, ok


def principal_id(client: TestClient, headers: Headers) -> uuid.UUID:
    return uuid.UUID(ok(client.get(f"{API}/auth/me", headers=headers))["id"])


def municipality(client: TestClient, admin: Headers, name: str) -> uuid.UUID:
    body = {"kind": "municipality", "name": name, "is_principal": True}
    return uuid.UUID(ok(client.post(f"{API}/organisations", json=body, headers=admin), 201)["id"])


def focus_area_ids(session: Session, fund_id: Any) -> dict[int, uuid.UUID]:
    """The fund's focus areas by number."""
    found = session.execute(
        select(FocusArea.number, FocusArea.id).where(col(FocusArea.fund_id) == uuid.UUID(str(fund_id)))
    )
    out = {number: ident for number, ident in found}
    session.rollback()
    return out


@dataclass
class Wanted:
    """One application to insert: what it asks for, from which pot, by whom."""

    title: str
    requested: Decimal | str
    pot_id: Any
    applicant_id: uuid.UUID
    focus_area_id: uuid.UUID | None = None
    status: ApplicationStatus = ApplicationStatus.in_review


def insert_applications(
    session: Session, round_id: Any, created_by_id: uuid.UUID, wanted: list[Wanted]
) -> list[uuid.UUID]:
    """SETUP: applications in review (or `status`), numbered after the round's last number as the applications
    service numbers them (UPH-2021-001 …), each with one budget line for its whole amount. One flush and commit,
    so a thousand of them take a moment."""
    # A fresh transaction: SQLite cannot turn an older read (made before the API's writes) into a write.
    session.rollback()
    r = session.get(Round, uuid.UUID(str(round_id)))
    assert r is not None
    fund = session.get(Fund, r.fund_id)
    assert fund is not None
    made = []
    for w in wanted:
        r.last_sequence += 1
        amount = Decimal(str(w.requested))
        application = Application(
            round_id=r.id,
            sequence=r.last_sequence,
            number=f"{fund.code}-{r.year}-{r.last_sequence:03d}",
            status=w.status,
            applicant_id=w.applicant_id,
            applicant_unit="Socialtjänsten",
            title=w.title,
            summary=f"{w.title}: ett projekt inom UPH-medel.",
            focus_area_id=w.focus_area_id,
            pot_id=uuid.UUID(str(w.pot_id)) if w.pot_id else None,
            requested=amount,
            created_by_id=created_by_id,
        )
        session.add(application)
        session.add(
            BudgetLine(application_id=application.id, position=1, category="Personal", year=r.year, amount=amount)
        )
        made.append(application.id)
    session.add(r)
    session.commit()
    return made


def a_decision(client: TestClient, admin: Headers) -> str:
    """A decision in the record: the deciding body's meeting, an agenda item and its decision."""
    body_id = ok(
        client.post(f"{API}/organisations", json={"kind": "joint_body", "name": "Samrådet"}, headers=admin), 201
    )["id"]
    meeting = ok(
        client.post(
            f"{API}/meetings",
            json={"body_ids": [body_id], "starts_at": "2021-09-14T13:00:00+02:00", "status": "held"},
            headers=admin,
        ),
        201,
    )
    item = ok(
        client.post(
            f"{API}/agenda-items",
            json={"meeting_id": meeting["id"], "title": "Fördelning av UPH-medel 2021", "kind": "decision"},
            headers=admin,
        ),
        201,
    )
    body = {"agenda_item_id": item["id"], "kind": "resolved", "decided_on": "2021-09-14"}
    decision = ok(client.post(f"{API}/decisions", json=body, headers=admin), 201)
    return str(decision["id"])
