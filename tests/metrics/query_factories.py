"""Rows for the query tests, inserted directly (the write APIs are built alongside): indicators, targets and
values, and the county's principals and sub-regions over HTTP, as an administrator enters them."""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.text import swedish_sort_key
from app.metrics import periods
from app.metrics.models import (
    Aggregation,
    Comparison,
    Direction,
    Gender,
    Indicator,
    IndicatorStrategy,
    IndicatorValue,
    ScopeKind,
    Target,
    Unit,
    scope_key,
)

API = "/api/v1"
Headers = dict[str, str]
Number = int | str | Decimal | None


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def figure(value: Number) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@dataclass
class County:
    """Principals by name and sub-regions by name, as ids."""

    principals: dict[str, uuid.UUID] = field(default_factory=dict)
    sub_regions: dict[str, uuid.UUID] = field(default_factory=dict)

    def __getitem__(self, name: str) -> uuid.UUID:
        return self.principals.get(name) or self.sub_regions[name]


def principal(client: TestClient, admin: Headers, name: str, code: str | None = None) -> uuid.UUID:
    body = {"kind": "municipality", "name": name, "is_principal": True, "municipality_code": code}
    return uuid.UUID(ok(client.post(f"{API}/organisations", json=body, headers=admin), 201)["id"])


def sub_region(client: TestClient, admin: Headers, name: str, members: list[uuid.UUID]) -> uuid.UUID:
    body = {"kind": "sub_region", "name": name, "member_ids": [str(m) for m in members]}
    return uuid.UUID(ok(client.post(f"{API}/organisations", json=body, headers=admin), 201)["id"])


def county(client: TestClient, admin: Headers, regions: dict[str, list[tuple[str, str | None]]]) -> County:
    """Sub-regions and their principals: {"Umeå med krans": [("Umeå kommun", "2480"), …], …}."""
    out = County()
    for region, members in regions.items():
        for name, code in members:
            out.principals[name] = principal(client, admin, name, code)
        out.sub_regions[region] = sub_region(client, admin, region, [out.principals[n] for n, _ in members])
    return out


UMEA, VANNAS, SKELLEFTEA, NORSJO, LYCKSELE = (
    "Umeå kommun",
    "Vännäs kommun",
    "Skellefteå kommun",
    "Norsjö kommun",
    "Lycksele kommun",
)
UMEA_REGION, SKELLEFTEA_REGION, SOUTH_LAPLAND = "Umeå med krans", "Skellefteå med krans", "Södra Lappland"


def small_county(client: TestClient, admin: Headers) -> County:
    return county(
        client,
        admin,
        {
            UMEA_REGION: [(UMEA, "2480"), (VANNAS, "2460")],
            SKELLEFTEA_REGION: [(SKELLEFTEA, "2482"), (NORSJO, "2417")],
            SOUTH_LAPLAND: [(LYCKSELE, "2481")],
        },
    )


def indicator(
    session: Session,
    code: str = "SIP-ANDEL",
    *,
    name: str = "Andel barn med SIP",
    unit: Unit = Unit.percent,
    aggregation: Aggregation = Aggregation.ratio,
    direction: Direction = Direction.increase,
    by_gender: bool = False,
    decimals: int = 1,
    strategy_ids: list[Any] | None = None,
) -> uuid.UUID:
    row = Indicator(
        code=code,
        name=name,
        name_sort=swedish_sort_key(name),
        unit=unit,
        direction=direction,
        by_gender=by_gender,
        aggregation=aggregation,
        decimals=decimals,
    )
    session.add(row)
    session.flush()
    for strategy_id in strategy_ids or []:
        session.add(IndicatorStrategy(indicator_id=row.id, strategy_id=uuid.UUID(str(strategy_id))))
    session.commit()
    return row.id


def _kind(organisation_id: uuid.UUID | None, sub_regions: set[uuid.UUID]) -> ScopeKind:
    if organisation_id is None:
        return ScopeKind.county
    return ScopeKind.sub_region if organisation_id in sub_regions else ScopeKind.principal


@dataclass
class Figures:
    """Adds values and targets of one indicator; `scope` None is the county."""

    session: Session
    indicator_id: uuid.UUID
    sub_regions: set[uuid.UUID] = field(default_factory=set)

    def value(
        self,
        scope: uuid.UUID | None,
        period: str,
        value: Number = None,
        *,
        numerator: Number = None,
        denominator: Number = None,
        weight: Number = None,
        gender: Gender = Gender.total,
    ) -> None:
        p = periods.parse(period)
        if value is None:  # a share from its parts, as the service computes it
            value = (Decimal(str(numerator)) / Decimal(str(denominator)) * 100).quantize(Decimal("0.0001"))
        self.session.add(
            IndicatorValue(
                indicator_id=self.indicator_id,
                scope_kind=_kind(scope, self.sub_regions),
                organisation_id=scope,
                scope_key=scope_key(scope),
                period=p.text,
                period_start=p.start,
                period_end=p.end,
                gender=gender,
                value=figure(value),
                numerator=figure(numerator),
                denominator=figure(denominator),
                weight=figure(weight),
            )
        )
        self.session.commit()

    def target(
        self,
        scope: uuid.UUID | None,
        period_from: str,
        value: Number,
        *,
        period_to: str | None = None,
        comparison: Comparison = Comparison.gte,
        tolerance: Number = None,
        gender: Gender = Gender.total,
    ) -> None:
        first = periods.parse(period_from)
        last = periods.parse(period_to) if period_to else None
        self.session.add(
            Target(
                indicator_id=self.indicator_id,
                scope_kind=_kind(scope, self.sub_regions),
                organisation_id=scope,
                scope_key=scope_key(scope),
                gender=gender,
                period_from=first.text,
                period_to=last.text if last else None,
                period_start=first.start,
                period_end=last.end if last else None,
                comparison=comparison,
                value=figure(value),
                tolerance=figure(tolerance),
            )
        )
        self.session.commit()


def figures_of(session: Session, indicator_id: uuid.UUID, where: County) -> Figures:
    return Figures(session, indicator_id, set(where.sub_regions.values()))


def series(client: TestClient, headers: Headers, indicator_id: uuid.UUID, **params: Any) -> dict[str, Any]:
    return dict(ok(client.get(f"{API}/indicators/{indicator_id}/series", params=params, headers=headers)))


def points_of(answer: dict[str, Any], scope: str) -> dict[str, dict[str, Any]]:
    """A scope's points by period."""
    entry = next(e for e in answer["data"] if e["scope"] == scope)
    return {p["period"]: p for p in entry["points"]}
