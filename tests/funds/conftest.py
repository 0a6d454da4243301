"""What the funds tests share: the council's joint body, a fund manager, and helpers that enter funds, rounds
and pots over HTTP as a fund manager would."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"
Headers = dict[str, str]


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def manager(make_principal: Callable[..., Headers]) -> Headers:
    return make_principal("fund_manager")


@pytest.fixture
def council(client: TestClient, admin: Headers) -> str:
    body = {"kind": "joint_body", "name": "Samråd hälsa, vård och omsorg"}
    return str(ok(client.post(f"{API}/organisations", json=body, headers=admin), 201)["id"])


@pytest.fixture
def fund(client: TestClient, manager: Headers, council: str) -> dict[str, Any]:
    body = {
        "code": "UPH",
        "name": "UPH-medel",
        "owning_body_id": council,
        "deciding_body_id": council,
        "description": "Länsgemensamma medel för psykisk hälsa och suicidprevention.",
        "focus_areas": [
            {"number": 1, "text": "Långsiktiga länsgemensamma insatser som når alla huvudmän."},
            {"number": 2, "text": "Lokala eller delregionala insatser som kan spridas, även piloter."},
            {"number": 3, "text": "Suicidprevention, hälsofrämjande och förebyggande arbete."},
            {"number": 4, "text": "Enstaka insatser som fyller ett konkret behov, och kompetenshöjning."},
        ],
    }
    return dict(ok(client.post(f"{API}/funds", json=body, headers=manager), 201))


def new_round(client: TestClient, headers: Headers, fund_id: str, year: int, **extra: Any) -> dict[str, Any]:
    body = {"fund_id": fund_id, "year": year, "opens_on": f"{year}-02-01", "closes_on": f"{year}-03-31", **extra}
    return dict(ok(client.post(f"{API}/rounds", json=body, headers=headers), 201))


def new_pot(client: TestClient, headers: Headers, round_id: str, name: str, budget: Any, **extra: Any) -> str:
    body = {"round_id": round_id, "name": name, "budget": budget, **extra}
    return str(ok(client.post(f"{API}/pots", json=body, headers=headers), 201)["id"])


def move_to(client: TestClient, headers: Headers, round_id: str, *statuses: str) -> None:
    for status in statuses:
        ok(client.patch(f"{API}/rounds/{round_id}", json={"status": status}, headers=headers))
