"""What the metrics tests share: a fund manager, organisations to hold figures, and an indicator entered over HTTP
as a fund manager would."""

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

API = "/api/v1"
Headers = dict[str, str]


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


def error_locs(response: Any) -> list[list[Any]]:
    """The `loc` of every error of a 422."""
    body = problem(response, 422, "validation_failed")
    return [e["loc"] for e in body["errors"]]


@pytest.fixture
def manager(make_principal: Callable[..., Headers]) -> Headers:
    return make_principal("fund_manager")


def organisation(client: TestClient, admin: Headers, **body: Any) -> str:
    return str(ok(client.post(f"{API}/organisations", json=body, headers=admin), 201)["id"])


IndicatorFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def indicator(client: TestClient, manager: Headers) -> IndicatorFactory:
    """`indicator(code=…, unit=…, …)`: a new indicator (by default a count summed over organisations)."""

    def make(**fields: Any) -> dict[str, Any]:
        body = {
            "code": "HLT-BARN",
            "name": "Barn i HLT",
            "unit": "count",
            "direction": "increase",
            "aggregation": "sum",
            **fields,
        }
        return dict(ok(client.post(f"{API}/indicators", json=body, headers=manager), 201))

    return make


def insert_value(session: Session, indicator_id: str, period: str = "2020", value: str = "690") -> None:
    """SETUP ONLY: a county value of the indicator, inserted directly (the values API is tested on its own)."""
    from app.metrics import periods
    from app.metrics.models import COUNTY_KEY, IndicatorValue, ScopeKind

    p = periods.parse(period)
    session.add(
        IndicatorValue(
            indicator_id=uuid.UUID(indicator_id),
            scope_kind=ScopeKind.county,
            scope_key=COUNTY_KEY,
            period=p.text,
            period_start=p.start,
            period_end=p.end,
            value=Decimal(value),
        )
    )
    session.commit()
