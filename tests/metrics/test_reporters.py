"""An indicator says which principals report it. The region belongs to every sub-region (länsdel), so for a
municipal indicator it must neither be summed into a sub-region's figure nor be named as missing from it, and it
may not report a value of its own."""

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.metrics.models import Aggregation, Indicator, Reporters, Unit
from tests.metrics.query_factories import County, figures_of, indicator, ok, principal, sub_region

API = "/api/v1"
Headers = dict[str, str]


def _region(client: TestClient, admin: Headers) -> uuid.UUID:
    body = {"kind": "region", "name": "Region Västerbotten", "is_principal": True}
    return uuid.UUID(ok(client.post(f"{API}/organisations", json=body, headers=admin), 201)["id"])


def _point(client: TestClient, headers: Headers, indicator_id: uuid.UUID, scope: uuid.UUID) -> dict[str, Any]:
    r = client.get(
        f"{API}/indicators/{indicator_id}/series",
        params={"scope": str(scope), "from": "2024", "to": "2024"},
        headers=headers,
    )
    return dict(ok(r)["data"][0]["points"][0])


@pytest.mark.parametrize(
    ("reporters", "value", "missing"),
    [
        (Reporters.municipalities, 30, []),
        (Reporters.all_principals, 30, ["Region Västerbotten"]),
    ],
)
def test_the_members_of_a_sub_region_are_the_principals_that_report_the_indicator(
    client: TestClient,
    admin: Headers,
    reader: Headers,
    session: Session,
    reporters: Reporters,
    value: int,
    missing: list[str],
) -> None:
    region = _region(client, admin)
    umea, vannas = principal(client, admin, "Umeå kommun", "2480"), principal(client, admin, "Vännäs kommun", "2460")
    area = sub_region(client, admin, "Umeå med krans", [region, umea, vannas])
    hlt = indicator(session, "HLT-BARN", name="Barn i HLT", unit=Unit.count, aggregation=Aggregation.sum)
    row = session.get(Indicator, hlt)
    assert row is not None
    row.reporters = reporters
    session.commit()
    add = figures_of(session, hlt, County(sub_regions={"Umeå med krans": area}))
    add.value(umea, "2024", 20)
    add.value(vannas, "2024", 10)

    point = _point(client, reader, hlt, area)
    assert point["value"] == value and point["basis"] == "aggregated"
    assert [m["name"] for m in point["missing"]] == missing


def test_a_principal_that_does_not_report_the_indicator_is_refused_a_value(
    client: TestClient, admin: Headers, session: Session
) -> None:
    region = _region(client, admin)
    principal(client, admin, "Umeå kommun", "2480")
    body = {
        "code": "HLT-BARN",
        "name": "Barn i HLT",
        "unit": "count",
        "direction": "increase",
        "aggregation": "sum",
        "reporters": "municipalities",
    }
    created = ok(client.post(f"{API}/indicators", json=body, headers=admin), 201)
    assert created["reporters"] == "municipalities"

    refused = client.post(
        f"{API}/indicator-values",
        json={"indicator_code": "HLT-BARN", "scope": str(region), "period": "2024", "value": 3},
        headers=admin,
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["loc"] == ["body", "scope"]
    assert "does not report" in refused.json()["errors"][0]["msg"]
    value = {"indicator_code": "HLT-BARN", "scope": "2480", "period": "2024", "value": 3}
    ok(client.post(f"{API}/indicator-values", json=value, headers=admin), 201)

    # who reports it is part of what the stored values mean
    changed = client.patch(f"{API}/indicators/{created['id']}", json={"reporters": "all_principals"}, headers=admin)
    assert changed.status_code == 409 and changed.json()["code"] == "indicator_has_values"
