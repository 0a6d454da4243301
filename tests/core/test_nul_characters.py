"""The NUL character is refused in bodies and queries (PostgreSQL cannot store it): a 422, never a 500."""

from fastapi.testclient import TestClient


def test_nul_in_a_body_field_is_a_422_naming_the_field(client: TestClient, admin: dict[str, str]) -> None:
    r = client.post("/api/v1/organisations", json={"kind": "joint_body", "name": "Sam\u0000råd"}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "name"]
    r = client.post("/api/v1/people", json={"given_name": "Åsa", "family_name": "Öberg", "aliases": ["a\u0000b"]},
                    headers=admin)  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "aliases"]
    assert (
        client.get("/api/v1/organisations", params={"count": "true"}, headers=admin).json()["pagination"]["total"] == 0
    )


def test_nul_in_a_query_is_a_422(client: TestClient, admin: dict[str, str]) -> None:
    r = client.get("/api/v1/organisations?q=a%00b", headers=admin)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
