"""Indicators and organisations for the values tests, inserted with the session (the indicators API is another
part of the work), and HTTP helpers for values."""

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.principal import Actor, Grant, PrincipalKind, Role
from app.metrics.models import Aggregation, Direction, Indicator, Unit
from app.organisations import service as orgs
from app.organisations.models import OrganisationCreate, OrganisationKind

API = "/api/v1"
VALUES = f"{API}/indicator-values"
Headers = dict[str, str]
_SYSTEM = Actor(uuid.uuid4(), PrincipalKind.service, "tests", frozenset({Grant(Role.admin)}))


def make_indicator(
    session: Session,
    code: str,
    *,
    unit: Unit = Unit.count,
    aggregation: Aggregation = Aggregation.sum,
    by_gender: bool = False,
    name: str = "Barn i HLT",
) -> Indicator:
    indicator = Indicator(
        code=code,
        name=name,
        name_sort=name.lower(),
        unit=unit,
        direction=Direction.increase,
        by_gender=by_gender,
        aggregation=aggregation,
    )
    session.add(indicator)
    session.commit()
    return indicator


def share_indicator(session: Session, code: str = "SIP-ANDEL") -> Indicator:
    """A share of children with a SIP: percent, recomputed as a ratio, split by gender."""
    return make_indicator(
        session, code, unit=Unit.percent, aggregation=Aggregation.ratio, by_gender=True, name="Andel barn med SIP"
    )


def make_organisation(
    session: Session, name: str, kind: OrganisationKind = OrganisationKind.municipality, code: str | None = None
) -> str:
    """A principal (a municipality with its SCB code), or another kind (a sub-region)."""
    principal = kind in (OrganisationKind.municipality, OrganisationKind.region)
    body = OrganisationCreate(kind=kind, name=name, municipality_code=code, is_principal=principal)
    org = orgs.create(session, _SYSTEM, body)
    session.commit()
    return str(org.id)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def report(client: TestClient, headers: Headers, **body: Any) -> dict[str, Any]:
    """POST one value; the created value's answer."""
    return dict(ok(client.post(VALUES, json=body, headers=headers), 201))


def problem_locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.text
    return [e["loc"] for e in response.json()["errors"]]
