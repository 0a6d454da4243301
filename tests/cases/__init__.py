"""Helpers the case tests share: bodies, meetings, agenda items and decisions made over HTTP as a client would."""

from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"
CASES = f"{API}/cases"
MISSING = "00000000-0000-4000-8000-000000000000"
Headers = dict[str, str]


def post(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(API + path, json=body, headers=headers)
    assert r.status_code == 201, (path, r.text)
    return r.json()  # type: ignore[no-any-return]


def body(client: TestClient, admin: Headers, name: str, short_name: str | None = None) -> str:
    fields = {"kind": "joint_body", "name": name} | ({"short_name": short_name} if short_name else {})
    return str(post(client, admin, "/organisations", fields)["id"])


def meeting(client: TestClient, admin: Headers, body_id: str, starts_at: str) -> str:
    return str(post(client, admin, "/meetings", {"body_ids": [body_id], "starts_at": starts_at})["id"])


def item(client: TestClient, admin: Headers, meeting_id: str, *case_ids: str, **fields: Any) -> dict[str, Any]:
    fields = {"meeting_id": meeting_id, "title": "Likvärdig rehabilitering", "case_ids": list(case_ids), **fields}
    return post(client, admin, "/agenda-items", fields)


def decision(client: TestClient, admin: Headers, item_id: str, kind: str, **fields: Any) -> dict[str, Any]:
    return post(client, admin, "/decisions", {"agenda_item_id": item_id, "kind": kind, **fields})


def case(client: TestClient, headers: Headers, title: str = "Likvärdig rehabilitering i länet", **fields: Any) -> Any:
    return post(client, headers, "/cases", {"title": title, **fields})
