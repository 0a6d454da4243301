"""Indicators and organisations inserted directly, for the bulk import tests (no API of another helper needed)."""

import uuid
from dataclasses import dataclass

from sqlmodel import Session

from app.core.principal import Actor, Grant, PrincipalKind, Role
from app.metrics.models import Aggregation, Direction, Indicator, Unit
from app.organisations import service as orgs
from app.organisations.models import OrganisationCreate, OrganisationKind

ADMIN = Actor(uuid.uuid4(), PrincipalKind.service, "test", frozenset({Grant(Role.admin)}))


def principal(session: Session, name: str, code: str) -> uuid.UUID:
    body = OrganisationCreate(kind=OrganisationKind.municipality, name=name, municipality_code=code, is_principal=True)
    org = orgs.create(session, ADMIN, body)
    session.flush()
    return org.id


def indicator(
    session: Session,
    code: str,
    unit: Unit = Unit.count,
    aggregation: Aggregation = Aggregation.sum,
    *,
    by_gender: bool = False,
    kolada_kpi: str | None = None,
) -> uuid.UUID:
    ind = Indicator(
        code=code,
        name=f"Indikator {code}",
        name_sort=code.lower(),
        unit=unit,
        direction=Direction.increase,
        by_gender=by_gender,
        aggregation=aggregation,
        kolada_kpi=kolada_kpi,
    )
    session.add(ind)
    session.flush()
    return ind.id


@dataclass
class World:
    """Two principals (Umeå 2480, Skellefteå 2482) and three indicators: a count by gender, a share, a plain count."""

    umea: uuid.UUID
    skelleftea: uuid.UUID
    hlt: uuid.UUID  # HLT-BARN: count, sum, by gender
    sip: uuid.UUID  # SIP-ANDEL: percent, ratio, by gender
    days: uuid.UUID  # BETALNING-DAGAR: days, sum


def world(session: Session) -> World:
    out = World(
        umea=principal(session, "Umeå kommun", "2480"),
        skelleftea=principal(session, "Skellefteå kommun", "2482"),
        hlt=indicator(session, "HLT-BARN", by_gender=True, kolada_kpi="N00945"),
        sip=indicator(session, "SIP-ANDEL", Unit.percent, Aggregation.ratio, by_gender=True, kolada_kpi="U00002"),
        days=indicator(session, "BETALNING-DAGAR", Unit.days),
    )
    session.commit()
    return out
