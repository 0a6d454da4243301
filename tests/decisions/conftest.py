"""The world the decision tests work in: the demo structure (16 principals, the joint bodies) and meetings,
agenda items and cases entered through the API, as a coordinator's client would."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.demo import load

API = "/api/v1"
DECISIONS = f"{API}/decisions"
COUNCIL = "Samråd hälsa, vård och omsorg"
LSG = "Länssamverkansgruppen"
AU = "Samråd hälsa, vård och omsorg – arbetsutskott"
AIDS_COUNCIL = "Hjälpmedelsrådet"
SKR = "Sveriges Kommuner och Regioner"
REGION, UMEA, SKELLEFTEA, LYCKSELE = "Region Västerbotten", "Umeå kommun", "Skellefteå kommun", "Lycksele kommun"
# The 16 principals as a Swedish reader expects them: å, ä, ö after z.
PRINCIPALS_IN_ORDER = [
    "Bjurholms kommun",
    "Dorotea kommun",
    "Lycksele kommun",
    "Malå kommun",
    "Nordmalings kommun",
    "Norsjö kommun",
    "Region Västerbotten",
    "Robertsfors kommun",
    "Skellefteå kommun",
    "Sorsele kommun",
    "Storumans kommun",
    "Umeå kommun",
    "Vilhelmina kommun",
    "Vindelns kommun",
    "Vännäs kommun",
    "Åsele kommun",
]
PAST_DEADLINE = "2021-09-30"
FUTURE_DEADLINE = "2099-12-31"


def assert_refused(r: httpx.Response, *loc: str | int) -> None:
    """A 422 problem whose errors name the field (loc is the path after "body")."""
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["code"] == "validation_failed", problem
    assert any(e["loc"][-len(loc) :] == list(loc) for e in problem["errors"]), (loc, problem)


@dataclass
class World:
    client: TestClient
    admin: dict[str, str]
    orgs: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any) -> Any:
        r = self.client.get(API + path, params=params, headers=self.admin if headers is None else headers)
        assert r.status_code == 200, (path, r.text)
        return r.json()

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.client.post(API + path, json=body, headers=self.admin)
        assert r.status_code == 201, (path, r.text)
        return r.json()  # type: ignore[no-any-return]

    def meeting(self, starts_at: str, *bodies: str) -> dict[str, Any]:
        body_ids = [self.orgs[b] for b in bodies or (COUNCIL,)]
        return self.post("/meetings", {"body_ids": body_ids, "starts_at": starts_at, "status": "held"})

    def item(self, meeting: dict[str, Any], title: str = "Beslutsärende", **extra: Any) -> dict[str, Any]:
        return self.post("/agenda-items", {"meeting_id": meeting["id"], "title": title, "kind": "decision", **extra})

    def case(self, title: str, body: str = COUNCIL) -> dict[str, Any]:
        return self.post("/cases", {"title": title, "responsible_body_id": self.orgs[body], "target_group": "all"})

    def try_decide(
        self, item: dict[str, Any], kind: str, headers: dict[str, str] | None = None, **fields: Any
    ) -> httpx.Response:
        body = {"agenda_item_id": item["id"], "kind": kind, **fields}
        return self.client.post(DECISIONS, json=body, headers=self.admin if headers is None else headers)

    def decide(self, item: dict[str, Any], kind: str, **fields: Any) -> dict[str, Any]:
        r = self.try_decide(item, kind, **fields)
        assert r.status_code == 201, r.text
        return r.json()  # type: ignore[no-any-return]

    def decisions(self, **params: Any) -> list[dict[str, Any]]:
        return self.get("/decisions", limit=500, **params)["data"]  # type: ignore[no-any-return]

    def ids(self, **params: Any) -> set[str]:
        return {d["id"] for d in self.decisions(**params)}

    def count(self) -> int:
        return self.get("/decisions", count="true")["pagination"]["total"]  # type: ignore[no-any-return]

    def principals(self) -> list[str]:
        return [self.orgs[name] for name in PRINCIPALS_IN_ORDER]


@pytest.fixture
def world(client: TestClient, session: Session, make_principal: Callable[..., dict[str, str]]) -> World:
    load(session)
    session.commit()
    w = World(client, make_principal("admin"))
    w.orgs = {o["name"]: o["id"] for o in w.get("/organisations", limit=500)["data"]}
    return w
