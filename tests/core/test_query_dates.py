"""Date filters in query strings take ISO 8601 only. pydantic alone also reads a number as seconds since 1970, so
`?due_by=0` listed what was due by 1970-01-01 instead of being refused (found by schemathesis)."""

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"
DATE_FILTERS = [
    ("/meetings", "from"),
    ("/meetings", "to"),
    ("/decisions", "due_by"),
    ("/decisions", "decided_from"),
    ("/decisions", "decided_to"),
    ("/organisations", "active_on"),
    ("/memberships", "on"),
]


@pytest.mark.parametrize(("path", "name"), DATE_FILTERS)
@pytest.mark.parametrize("value", ["0", "86400", "1.5"])
def test_a_number_is_no_date(client: TestClient, admin: dict[str, str], path: str, name: str, value: str) -> None:
    r = client.get(API + path, params={name: value}, headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert [e["loc"] for e in r.json()["errors"]] == [["query", name]]


@pytest.mark.parametrize(("path", "name"), DATE_FILTERS)
def test_an_iso_date_is_taken(client: TestClient, admin: dict[str, str], path: str, name: str) -> None:
    assert client.get(API + path, params={name: "2024-05-03"}, headers=admin).status_code == 200
