"""What the meeting suites share: bodies, principals, people and meetings made over HTTP, and problem checks."""

from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"
MEETINGS = f"{API}/meetings"
COUNCIL = "Samråd hälsa, vård och omsorg"
LSG = "Länssamverkansgruppen"


def body(client: TestClient, admin: dict[str, str], name: str = COUNCIL) -> str:
    r = client.post(f"{API}/organisations", json={"kind": "joint_body", "name": name}, headers=admin)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def municipality(client: TestClient, admin: dict[str, str], name: str = "Umeå kommun", code: str = "2480") -> str:
    org = {"kind": "municipality", "name": name, "municipality_code": code, "county_code": "24", "is_principal": True}
    r = client.post(f"{API}/organisations", json=org, headers=admin)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def person(client: TestClient, admin: dict[str, str], name: str, party: str | None = None, **extra: Any) -> str:
    given, family = name.split(" ", 1)
    r = client.post(
        f"{API}/people", json={"given_name": given, "family_name": family, "party": party, **extra}, headers=admin
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def plan(
    client: TestClient,
    headers: dict[str, str],
    body_ids: list[str],
    starts_at: str = "2024-05-03T09:30:00",
    **fields: Any,
) -> dict[str, Any]:
    r = client.post(MEETINGS, json={"body_ids": body_ids, "starts_at": starts_at, **fields}, headers=headers)
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def set_status(client: TestClient, headers: dict[str, str], meeting_id: str, *statuses: str) -> None:
    for status in statuses:
        r = client.patch(f"{MEETINGS}/{meeting_id}", json={"status": status}, headers=headers)
        assert r.status_code == 200, (status, r.text)


def add_item(client: TestClient, headers: dict[str, str], meeting_id: str, title: str, **fields: Any) -> dict[str, Any]:
    r = client.post(f"{API}/agenda-items", json={"meeting_id": meeting_id, "title": title, **fields}, headers=headers)
    assert r.status_code == 201, r.text
    created: dict[str, Any] = r.json()
    return created


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]]


def assert_problem(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    if code is not None:
        assert problem["code"] == code, problem
    return problem


def assert_invalid(response: Any, where: str) -> dict[str, Any]:
    """A 422 whose errors name `where` (a dotted loc without its `body.` prefix, e.g. `attendance.1.person_id`).

    Pydantic adds the member of a union it tried (`starts_at.datetime`), so a loc may go on below the field.
    """
    problem = assert_problem(response, 422, "validation_failed")
    locs = [".".join(map(str, e["loc"])) for e in problem["errors"]]
    wanted = where if where.startswith(("query.", "path.")) else f"body.{where}"
    assert any(loc == wanted or loc.startswith(f"{wanted}.") for loc in locs), (where, locs)
    return problem
