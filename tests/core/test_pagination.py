"""Lists: keyset cursors in `links.next`, sorting, counts, limits and incremental sync with tombstones."""

import base64
import json
import random
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.core.conftest import ORGS, STRATEGIES, walk

MakeBody = Callable[..., dict[str, Any]]


@pytest.fixture
def bodies(make_body: MakeBody) -> list[dict[str, Any]]:
    """25 bodies, created in an order that is not their name order."""
    names = [f"Grupp {i:02d}" for i in range(25)]
    random.Random(7).shuffle(names)
    return [make_body(name) for name in names]


def _ids(pages: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for page in pages for item in page["data"]]


def _cursor(client: TestClient, headers: dict[str, str], **params: Any) -> str:
    following = client.get(ORGS, params={"limit": 2, **params}, headers=headers).json()["links"]["next"]
    return parse_qs(urlsplit(following).query)["cursor"][0]


def _encode(data: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _decode(cursor: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


@pytest.mark.parametrize("sort", [None, "name", "-name"])
def test_walking_by_name_yields_every_object_once_in_order(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]], sort: str | None
) -> None:
    params = {"limit": 7} | ({"sort": sort} if sort else {})
    pages = walk(client, admin, ORGS, params)
    assert [len(p["data"]) for p in pages] == [7, 7, 7, 4]
    assert all(p["pagination"] == {"limit": 7, "total": None} for p in pages)
    expected = sorted(bodies, key=lambda b: b["name"], reverse=sort == "-name")
    assert _ids(pages) == [b["id"] for b in expected]


@pytest.mark.parametrize("sort", ["created_at", "-created_at"])
def test_walking_by_creation_yields_every_object_once_in_order(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]], sort: str
) -> None:
    pages = walk(client, admin, ORGS, {"limit": 7, "sort": sort})
    expected = [b["id"] for b in bodies]
    assert _ids(pages) == (expected[::-1] if sort.startswith("-") else expected)


def test_ties_are_broken_by_id(client: TestClient, admin: dict[str, str]) -> None:
    ids = []
    for number in range(1, 13):
        r = client.post(STRATEGIES, json={"number": number, "name": "Nära vård"}, headers=admin)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    pages = walk(client, admin, STRATEGIES, {"limit": 5, "sort": "name"})
    assert _ids(pages) == sorted(ids)
    pages = walk(client, admin, STRATEGIES, {"limit": 5, "sort": "-name"})
    assert _ids(pages) == sorted(ids, reverse=True)


def test_next_link_carries_every_filter_and_is_null_on_the_last_page(
    client: TestClient, admin: dict[str, str], make_body: MakeBody
) -> None:
    wanted = [make_body(f"Samråd {i}", kind) for i, kind in enumerate(["joint_body", "working_group"] * 3)]
    make_body("Samråd extern", "external")
    make_body("Beredning 1")
    make_body("Beredning 2", "working_group")
    params = {"kind": ["joint_body", "working_group"], "q": "samråd", "limit": 2, "sort": "-name"}
    pages = walk(client, admin, ORGS, params)
    assert _ids(pages) == [b["id"] for b in sorted(wanted, key=lambda b: b["name"], reverse=True)]
    for page in pages[:-1]:
        query = parse_qs(urlsplit(page["links"]["next"]).query)
        assert query["kind"] == ["joint_body", "working_group"]
        assert query["q"] == ["samråd"]
        assert query["limit"] == ["2"]
        assert query["sort"] == ["-name"]
        assert len(query["cursor"]) == 1
    assert pages[-1]["links"]["next"] is None
    assert pages[0]["links"]["self"].startswith("http")


def test_count_fills_total_only_when_asked(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]]
) -> None:
    pages = walk(client, admin, ORGS, {"limit": 7, "count": "true"})
    assert [p["pagination"] for p in pages] == [{"limit": 7, "total": 25}] * 4
    counted = client.get(ORGS, params={"count": "true", "q": "grupp 1"}, headers=admin).json()
    assert counted["pagination"]["total"] == 10
    assert client.get(ORGS, params={"limit": 7}, headers=admin).json()["pagination"]["total"] is None


@pytest.mark.parametrize("limit", ["0", "501", "-1", "many"])
def test_limit_out_of_range_is_a_problem(client: TestClient, admin: dict[str, str], limit: str) -> None:
    r = client.get(ORGS, params={"limit": limit}, headers=admin)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"] == ["query", "limit"]


def test_limit_bounds_are_inclusive(client: TestClient, admin: dict[str, str], make_body: MakeBody) -> None:
    make_body("Ett")
    make_body("Två")
    assert len(client.get(ORGS, params={"limit": 1}, headers=admin).json()["data"]) == 1
    assert client.get(ORGS, params={"limit": 500}, headers=admin).json()["pagination"]["limit"] == 500


def _assert_cursor_refused(r: Any) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["errors"][0]["loc"] == ["query", "cursor"]
    assert problem["code"] == "invalid_cursor"
    assert "query.cursor" in problem["detail"]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!!",
        _encode("just a string"),
        _encode([1, 2]),
        _encode({"s": "name"}),
        _encode({"s": "name", "v": ["v", "x"], "id": "not-a-uuid"}),
        _encode({"s": "name", "v": ["nope", "x"], "id": "00000000-0000-4000-8000-000000000000"}),
        base64.urlsafe_b64encode(b"\xff\xfe\x00binary").decode(),
    ],
)
def test_garbage_cursor_is_a_problem_naming_the_cursor(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]], cursor: str
) -> None:
    _assert_cursor_refused(client.get(ORGS, params={"cursor": cursor}, headers=admin))


@pytest.mark.parametrize(
    ("sort", "value"),
    [
        ("name", ["v", 12]),
        ("name", ["v", {"a": 1}]),
        ("name", ["v", ["a"]]),
        ("name", ["v", None]),
        ("name", ["dt", "2024-01-01T00:00:00+00:00"]),
        ("created_at", ["v", "yesterday"]),
        ("created_at", ["v", 12]),
        ("created_at", ["dt", "2024-01-01T00:00:00"]),
        ("created_at", ["dt", "9999-12-31T23:59:59-14:00"]),
        ("created_at", ["d", "2024-01-01"]),
    ],
)
def test_tampered_cursor_is_a_problem_not_a_server_error(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]], sort: str, value: list[Any]
) -> None:
    data = _decode(_cursor(client, admin, sort=sort))
    tampered = _encode(data | {"v": value})
    _assert_cursor_refused(client.get(ORGS, params={"cursor": tampered, "sort": sort}, headers=admin))


@pytest.mark.parametrize(
    ("url", "sort", "value"),
    [
        (STRATEGIES, "number", ["v", "3"]),
        (STRATEGIES, "number", ["v", 2.5]),
        (STRATEGIES, "number", ["v", True]),
        (STRATEGIES, "name", ["v", 3]),
        ("/api/v1/audit", "-created_at", ["v", "x"]),
        ("/api/v1/audit", "-created_at", ["dt", "2024-01-01T00:00:00"]),
    ],
)
def test_tampered_cursor_on_other_lists(
    client: TestClient, admin: dict[str, str], url: str, sort: str, value: list[Any]
) -> None:
    for number in range(1, 4):
        client.post(STRATEGIES, json={"number": number, "name": f"Strategi {number}"}, headers=admin)
    following = client.get(url, params={"limit": 1, "sort": sort}, headers=admin).json()["links"]["next"]
    data = _decode(parse_qs(urlsplit(following).query)["cursor"][0])
    assert client.get(following, headers=admin).status_code == 200
    tampered = _encode(data | {"v": value})
    _assert_cursor_refused(client.get(url, params={"cursor": tampered, "sort": sort, "limit": 1}, headers=admin))


def test_cursor_from_another_sort_is_a_problem(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]]
) -> None:
    cursor = _cursor(client, admin, sort="name")
    assert client.get(ORGS, params={"cursor": cursor, "sort": "name"}, headers=admin).status_code == 200
    for other in ("-name", "created_at", "updated_at"):
        _assert_cursor_refused(client.get(ORGS, params={"cursor": cursor, "sort": other}, headers=admin))


def test_a_cursor_belongs_to_the_list_that_issued_it(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]]
) -> None:
    for given, family in (("Anna", "Lind"), ("Per", "Öberg"), ("Karin", "Åberg")):
        person = {"given_name": given, "family_name": family}
        assert client.post("/api/v1/people", json=person, headers=admin).status_code == 201
    # Both lists sort by name by default, so only the binding tells the cursors apart.
    from_orgs = _cursor(client, admin)
    from_people = parse_qs(
        urlsplit(client.get("/api/v1/people", params={"limit": 1}, headers=admin).json()["links"]["next"]).query
    )["cursor"][0]
    assert client.get("/api/v1/people", params={"cursor": from_people}, headers=admin).status_code == 200
    _assert_cursor_refused(client.get("/api/v1/people", params={"cursor": from_orgs}, headers=admin))
    _assert_cursor_refused(client.get(ORGS, params={"cursor": from_people}, headers=admin))


def test_a_cursor_is_bound_to_the_filters_and_sort_it_was_made_with(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]]
) -> None:
    cursor = _cursor(client, admin, kind="joint_body", sort="-name")
    same = {"cursor": cursor, "kind": "joint_body", "sort": "-name"}
    assert client.get(ORGS, params={**same, "limit": 5, "count": "true"}, headers=admin).status_code == 200
    for changed in (
        {"kind": "working_group"},
        {"kind": None},
        {"q": "Grupp"},
        {"sort": "name"},
        {"sort": None},
    ):
        params = {k: v for k, v in (same | changed).items() if v is not None}
        _assert_cursor_refused(client.get(ORGS, params=params, headers=admin))


@pytest.mark.parametrize("sort", ["kind", "--name", "name,created_at", "NAME", ""])
def test_unknown_sort_is_a_problem(client: TestClient, admin: dict[str, str], sort: str) -> None:
    r = client.get(ORGS, params={"sort": sort}, headers=admin)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"] == ["query", "sort"]


def test_long_names_give_a_usable_cursor(client: TestClient, admin: dict[str, str], make_body: MakeBody) -> None:
    # A next link the service hands out must be accepted by the service itself, whatever the sort value.
    names = [f"Samråd för hälsa, vård och omsorg i Västerbottens län, grupp {i} " + "å" * 60 for i in range(3)]
    ids = [make_body(name[:130])["id"] for name in names]
    pages = walk(client, admin, ORGS, {"limit": 1})
    assert _ids(pages) == ids


def test_pages_are_keyset_not_offset(
    client: TestClient, admin: dict[str, str], bodies: list[dict[str, Any]], make_body: MakeBody
) -> None:
    by_name = [b["id"] for b in sorted(bodies, key=lambda b: b["name"])]
    first = client.get(ORGS, params={"limit": 7}, headers=admin).json()
    assert [o["id"] for o in first["data"]] == by_name[:7]
    for name in ("Aaa 1", "Aaa 2", "Grupp 00 a"):
        make_body(name)
    second = client.get(first["links"]["next"], headers=admin).json()
    assert [o["id"] for o in second["data"]] == by_name[7:14]
    # Removing one already seen does not shift the next page either.
    assert client.delete(f"{ORGS}/{by_name[0]}", headers=admin).status_code == 204
    assert [o["id"] for o in client.get(first["links"]["next"], headers=admin).json()["data"]] == by_name[7:14]


def test_updated_since_and_created_since_return_only_newer_objects(
    client: TestClient, admin: dict[str, str], make_body: MakeBody
) -> None:
    a, b, c = make_body("Alfa"), make_body("Beta"), make_body("Gamma")
    since_c = c["created_at"]

    def ids(**params: Any) -> list[str]:
        r = client.get(ORGS, params=params, headers=admin)
        assert r.status_code == 200, r.text
        return [o["id"] for o in r.json()["data"]]

    assert ids(updated_since=since_c) == [c["id"]]
    assert ids(created_since=since_c) == [c["id"]]
    assert ids(created_since=b["created_at"], sort="name") == [b["id"], c["id"]]

    patched = client.patch(f"{ORGS}/{a['id']}", json={"short_name": "A"}, headers=admin)
    assert patched.status_code == 200
    assert patched.json()["updated_at"] > since_c
    # With updated_since the list is in order of change, so a sync job can resume from the last one it saw.
    assert ids(updated_since=since_c) == [c["id"], a["id"]]
    assert ids(created_since=since_c) == [c["id"]]
    assert ids(updated_since=patched.json()["updated_at"]) == [a["id"]]
    # The same instant written in Swedish winter time selects the same objects.
    instant = datetime.fromisoformat(patched.json()["updated_at"])
    assert ids(updated_since=instant.astimezone(timezone(timedelta(hours=1))).isoformat()) == [a["id"]]
    assert ids(updated_since="2999-01-01T00:00:00Z") == []


@pytest.mark.parametrize("field", ["updated_since", "created_since"])
@pytest.mark.parametrize(
    "value",
    # Seconds since 1970 ("0.5", found by schemathesis) are not the ISO 8601 date-time the contract names.
    [
        "2024-05-03T10:00:00",
        "2024-05-03",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "x",
        "0.5",
        "1714723200",
    ],
)
def test_bad_since_is_a_problem(client: TestClient, admin: dict[str, str], field: str, value: str) -> None:
    r = client.get(ORGS, params={field: value}, headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["loc"] == ["query", field]


def test_deleted_objects_come_back_as_tombstones_only_with_updated_since(
    client: TestClient, admin: dict[str, str], make_body: MakeBody
) -> None:
    kept = make_body("Kvar")
    gone = make_body("Borta", short_name="B", contact_email="kansli@example.se")
    assert client.delete(f"{ORGS}/{gone['id']}", headers=admin).status_code == 204

    for params in ({}, {"created_since": "2000-01-01T00:00:00Z"}, {"q": "borta"}, {"count": "true"}):
        page = client.get(ORGS, params=params, headers=admin).json()
        assert gone["id"] not in [o["id"] for o in page["data"]], params
    assert client.get(ORGS, params={"count": "true"}, headers=admin).json()["pagination"]["total"] == 1

    page = client.get(ORGS, params={"updated_since": "2000-01-01T00:00:00Z"}, headers=admin).json()
    by_id = {o["id"]: o for o in page["data"]}
    assert set(by_id) == {kept["id"], gone["id"]}
    tombstone = by_id[gone["id"]]
    assert set(tombstone) == {"id", "deleted", "updated_at"}
    assert tombstone["deleted"] is True
    assert tombstone["updated_at"] > gone["updated_at"]
    assert by_id[kept["id"]]["name"] == "Kvar"
    assert "deleted" not in by_id[kept["id"]]

    pages = walk(client, admin, ORGS, {"updated_since": "2000-01-01T00:00:00Z", "limit": 1})
    assert _ids(pages) == [kept["id"], gone["id"]]
