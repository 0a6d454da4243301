"""Strategies over HTTP: the roadmap's numbered taxonomy, kept by admins and read by everyone with a token."""

from typing import Any

from fastapi.testclient import TestClient

URL = "/api/v1/strategies"
MISSING = "00000000-0000-4000-8000-000000000000"
Headers = dict[str, str]

ROADMAP = [
    (1, "Med hälsan i fokus"),
    (2, "Låt behoven stå i centrum för utvecklingen"),
    (3, "Tillsammans för invånaren"),
    (4, "Ledarskap som gör det möjligt"),
    (5, "Kommunikation"),
    (6, "Digitalisering som ett verktyg"),
    (7, "Prioriteringar som stödjer Nära vård"),
    (8, "Här vill jag jobba!"),
]


def create(client: TestClient, admin: Headers, number: int, name: str, **extra: Any) -> Any:
    r = client.post(URL, json={"number": number, "name": name, **extra}, headers=admin)
    assert r.status_code == 201, r.text
    return r.json()


def listed(client: TestClient, headers: Headers, **params: Any) -> list[Any]:
    r = client.get(URL, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["data"])


def count(client: TestClient, admin: Headers) -> int:
    return int(client.get(URL, params={"count": "true"}, headers=admin).json()["pagination"]["total"])


def test_create_get_and_list(client: TestClient, admin: Headers) -> None:
    r = client.post(
        URL, json={"number": 1, "name": "Med hälsan i fokus", "description": "Hälsofrämjande först."}, headers=admin
    )
    assert r.status_code == 201, r.text
    s = r.json()
    assert (s["number"], s["name"], s["description"]) == (1, "Med hälsan i fokus", "Hälsofrämjande först.")
    assert r.headers["location"].endswith(f"{URL}/{s['id']}")
    assert r.headers["etag"]
    got = client.get(f"{URL}/{s['id']}", headers=admin)
    assert got.status_code == 200
    assert got.json() == s
    assert got.headers["etag"] == r.headers["etag"]
    assert client.get(URL, headers=admin).json() == {
        "data": [s],
        "links": {"self": f"http://testserver{URL}", "next": None},
        "pagination": {"limit": 50, "total": None},
    }


def test_names_are_kept_exact_and_normalised(client: TestClient, admin: Headers) -> None:
    s = create(client, admin, 8, "  Ha\u0308r vill  jag jobba!  ")
    assert s["name"] == "Här vill jag jobba!"
    assert client.get(f"{URL}/{s['id']}", headers=admin).json()["name"] == "Här vill jag jobba!"


def test_sort_by_number_by_default_and_by_name_in_swedish_order(client: TestClient, admin: Headers) -> None:
    for number, name in reversed(ROADMAP):
        create(client, admin, number, name)
    assert [s["number"] for s in listed(client, admin)] == list(range(1, 9))
    assert [s["number"] for s in listed(client, admin, sort="-number")] == list(range(8, 0, -1))
    assert [s["name"] for s in listed(client, admin, sort="name")] == [
        "Digitalisering som ett verktyg",
        "Här vill jag jobba!",
        "Kommunikation",
        "Ledarskap som gör det möjligt",
        "Låt behoven stå i centrum för utvecklingen",
        "Med hälsan i fokus",
        "Prioriteringar som stödjer Nära vård",
        "Tillsammans för invånaren",
    ]
    r = client.get(URL, params={"sort": "description"}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "sort"]

    seen: list[int] = []
    url: str | None = f"{URL}?limit=3"
    while url:
        page = client.get(url, headers=admin).json()
        seen += [s["number"] for s in page["data"]]
        url = page["links"]["next"]
    assert seen == list(range(1, 9))


def test_number_is_unique_among_live_strategies(client: TestClient, admin: Headers) -> None:
    first = create(client, admin, 1, "Med hälsan i fokus")
    r = client.post(URL, json={"number": 1, "name": "Något annat"}, headers=admin)
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_number"
    assert count(client, admin) == 1

    second = create(client, admin, 2, "Kommunikation")
    r = client.patch(f"{URL}/{second['id']}", json={"number": 1}, headers=admin)
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_number"
    assert client.get(f"{URL}/{second['id']}", headers=admin).json()["number"] == 2
    # keeping its own number is no conflict
    r = client.patch(f"{URL}/{first['id']}", json={"number": 1, "name": "Hälsan i fokus"}, headers=admin)
    assert r.status_code == 200, r.text

    # free again once the holder is deleted
    assert client.delete(f"{URL}/{first['id']}", headers=admin).status_code == 204
    assert client.patch(f"{URL}/{second['id']}", json={"number": 1}, headers=admin).status_code == 200
    assert create(client, admin, 2, "Kommunikation igen")["number"] == 2


def test_refusals_name_the_field_and_write_nothing(client: TestClient, admin: Headers) -> None:
    cases = [
        ({"number": 0, "name": "Noll"}, "number"),
        ({"number": 100, "name": "Hundra"}, "number"),
        ({"number": -1, "name": "Minus"}, "number"),
        ({"number": "ett", "name": "Ett"}, "number"),
        ({"number": 1.5, "name": "Halv"}, "number"),
        ({"name": "Utan nummer"}, "number"),
        ({"number": 1}, "name"),
        ({"number": 1, "name": ""}, "name"),
        ({"number": 1, "name": "x" * 201}, "name"),
        ({"number": 1, "name": "Lång", "description": "x" * 4001}, "description"),
        ({"number": 1, "name": "Extra", "name_sort": "a"}, "name_sort"),
    ]
    for body, field in cases:
        r = client.post(URL, json=body, headers=admin)
        assert r.status_code == 422, (field, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["code"] == "validation_failed"
        assert any(field in map(str, e["loc"]) for e in problem["errors"]), (field, problem)
    assert count(client, admin) == 0

    s = create(client, admin, 99, "Sist")
    assert create(client, admin, 1, "Först")["number"] == 1
    for body, field in [
        ({"number": 100}, "number"),
        ({"number": None}, "number"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
    ]:
        r = client.patch(f"{URL}/{s['id']}", json=body, headers=admin)
        assert r.status_code == 422, (body, r.text)
        assert any(field in map(str, e["loc"]) for e in r.json()["errors"]), (field, r.json())
    assert client.get(f"{URL}/{s['id']}", headers=admin).json() == s


def test_patch_changes_the_given_fields(client: TestClient, admin: Headers) -> None:
    s = create(client, admin, 5, "Kommunikation", description="Intern och extern.")
    r = client.patch(f"{URL}/{s['id']}", json={"name": "Kommunikation och dialog"}, headers=admin)
    assert r.status_code == 200, r.text
    assert (r.json()["number"], r.json()["name"], r.json()["description"]) == (
        5,
        "Kommunikation och dialog",
        "Intern och extern.",
    )
    r = client.patch(f"{URL}/{s['id']}", json={"description": None}, headers=admin)
    assert r.json()["description"] is None
    assert [x["name"] for x in listed(client, admin, sort="name")] == ["Kommunikation och dialog"]


def test_permissions(client: TestClient, admin: Headers, reader: Headers, make_principal: Any) -> None:
    s = create(client, admin, 1, "Med hälsan i fokus")
    url = f"{URL}/{s['id']}"
    body = {"number": 2, "name": "Kommunikation"}
    for method, target in [("GET", URL), ("GET", url), ("POST", URL), ("PATCH", url), ("DELETE", url)]:
        r = client.request(method, target, json=body if method in ("POST", "PATCH") else None)
        assert r.status_code == 401, (method, target)
        assert r.headers["www-authenticate"].startswith("Bearer")

    assert client.get(url, headers=reader).json() == s
    assert listed(client, reader) == [s]
    for who in (reader, make_principal("fund_manager")):
        r = client.post(URL, json=body, headers=who)
        assert r.status_code == 403
        assert r.json()["code"] == "missing_role"
        assert client.patch(url, json={"name": "Annat"}, headers=who).status_code == 403
        assert client.delete(url, headers=who).status_code == 403
    assert listed(client, admin) == [s]

    for method in ("GET", "PATCH", "DELETE"):
        r = client.request(method, f"{URL}/{MISSING}", json={"name": "x"} if method == "PATCH" else None, headers=admin)
        assert r.status_code == 404, method
        assert r.json()["code"] == "not_found"


def test_if_match_and_stale_etag(client: TestClient, admin: Headers) -> None:
    r = client.post(URL, json={"number": 1, "name": "Med hälsan i fokus"}, headers=admin)
    url, etag = f"{URL}/{r.json()['id']}", r.headers["etag"]
    ok = client.patch(url, json={"description": "Ny"}, headers={**admin, "If-Match": etag})
    assert ok.status_code == 200
    assert ok.headers["etag"] != etag
    stale = client.patch(url, json={"description": "Äldre"}, headers={**admin, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert client.get(url, headers=admin).json()["description"] == "Ny"
    assert client.delete(url, headers={**admin, "If-Match": etag}).status_code == 412
    assert client.get(url, headers=admin).status_code == 200
    assert client.delete(url, headers={**admin, "If-Match": ok.headers["etag"]}).status_code == 204


def test_delete_is_soft_and_leaves_a_tombstone(client: TestClient, admin: Headers) -> None:
    before = "2000-01-01T00:00:00Z"
    s = create(client, admin, 1, "Med hälsan i fokus")
    keep = create(client, admin, 2, "Kommunikation")
    assert client.delete(f"{URL}/{s['id']}", headers=admin).status_code == 204
    assert client.get(f"{URL}/{s['id']}", headers=admin).status_code == 404
    assert client.patch(f"{URL}/{s['id']}", json={"name": "x"}, headers=admin).status_code == 404
    assert client.delete(f"{URL}/{s['id']}", headers=admin).status_code == 404
    assert listed(client, admin) == [keep]
    synced = {x["id"]: x for x in listed(client, admin, updated_since=before)}
    assert set(synced) == {s["id"], keep["id"]}
    assert set(synced[s["id"]]) == {"id", "deleted", "updated_at"}
    assert synced[s["id"]]["deleted"] is True


def test_list_queries_do_not_grow_with_page_size(client: TestClient, admin: Headers, count_queries: Any) -> None:
    for number in range(1, 23):
        create(client, admin, number, f"Strategi {number}")
    with count_queries() as small:
        assert len(listed(client, admin, limit=2)) == 2
    with count_queries() as large:
        assert len(listed(client, admin, limit=20)) == 20
    assert small() == large()
