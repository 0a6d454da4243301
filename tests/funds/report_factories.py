"""Set-up for the review and report tests: applications, grants and reports inserted through the ORM in the
test's own database session.

SETUP ONLY: it reaches any status and report state directly, without the moves before it. What is tested
(reviews, reports, open calls) is always called over HTTP; the whole path from draft to closed project over HTTP,
with reports made by the grant, is tests/funds/test_walkthrough.py.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.auth.models import Principal
from app.core.principal import PrincipalKind
from app.funds.applications.models import Application, ApplicationEvent, ApplicationStatus
from app.funds.grants.models import FundGrant, Report, ReportKind, ReportStatus
from tests.funds.conftest import API, Headers, ok


def principal_organisation(client: TestClient, admin: Headers, name: str) -> str:
    """A principal (huvudman) whose units apply, entered over HTTP."""
    body = {"kind": "municipality", "name": name, "is_principal": True}
    return str(ok(client.post(f"{API}/organisations", json=body, headers=admin), 201)["id"])


@dataclass
class Factory:
    """Inserts rows as setup and commits them, so that the app (its own sessions) sees them."""

    session: Session
    created_by: uuid.UUID | None = None

    def _creator(self) -> uuid.UUID:
        if self.created_by is None:
            p = Principal(kind=PrincipalKind.service, login=f"setup-{uuid.uuid4().hex[:10]}", display_name="Setup")
            self.session.add(p)
            self.session.commit()
            self.created_by = p.id
        return self.created_by

    def application(
        self,
        round_id: str,
        applicant_id: str,
        status: ApplicationStatus = ApplicationStatus.submitted,
        *,
        requested: str = "500000.00",
        pot_id: str | None = None,
        title: str = "Suicidprevention i skolan",
    ) -> Application:
        sequence = None if status is ApplicationStatus.draft else self._next_sequence(round_id)
        application = Application(
            round_id=uuid.UUID(round_id),
            status=status,
            sequence=sequence,
            number=f"UPH-T-{sequence:03d}" if sequence else None,
            applicant_id=uuid.UUID(applicant_id),
            applicant_unit="Socialtjänsten",
            title=title,
            requested=Decimal(requested),
            pot_id=uuid.UUID(pot_id) if pot_id else None,
            created_by_id=self._creator(),
        )
        self.session.add(application)
        self.session.commit()
        return application

    def _next_sequence(self, round_id: str) -> int:
        taken = self.session.exec(select(Application.sequence).where(Application.round_id == uuid.UUID(round_id)))
        return max([s for s in taken if s is not None], default=0) + 1

    def grant(self, application: Application, pot_id: str, amount: str = "400000.00") -> FundGrant:
        grant = FundGrant(
            application_id=application.id,
            pot_id=uuid.UUID(pot_id),
            amount=Decimal(amount),
            delegated_reference="Delegationsbeslut (testdata)",
            created_by_id=self._creator(),
        )
        self.session.add(grant)
        self.session.commit()
        return grant

    def report(
        self,
        grant: FundGrant,
        kind: ReportKind = ReportKind.final,
        due_on: date = date(2030, 6, 30),
        status: ReportStatus = ReportStatus.due,
        **fields: Any,
    ) -> Report:
        report = Report(grant_id=grant.id, kind=kind, due_on=due_on, status=status, **fields)
        self.session.add(report)
        self.session.commit()
        return report

    def status_of(self, application: Application) -> ApplicationStatus:
        self.session.rollback()  # a fresh snapshot: what the app committed since
        found = self.session.get(Application, application.id)
        assert found is not None
        status = found.status
        self.session.rollback()
        return status

    def history(self, application: Application) -> list[tuple[str | None, str, str | None]]:
        """The application's history as (from, to, comment), oldest first."""
        self.session.rollback()
        stmt = select(ApplicationEvent).where(ApplicationEvent.application_id == application.id)
        events = sorted(self.session.exec(stmt), key=lambda e: e.at)
        self.session.rollback()
        return [(e.from_status, e.to_status, e.comment) for e in events]


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["code"] == code, problem
    return problem
