"""Memberships over HTTP: who sits in which body, for whom and when; rights scoped to the secretary's body."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

URL = "/api/v1/memberships"
PEOPLE = "/api/v1/people"
ORGS = "/api/v1/organisations"
MISSING = "00000000-0000-4000-8000-000000000000"
Headers = dict[str, str]
MakePrincipal = Callable[..., Headers]


@dataclass
class World:
    council: str  # joint body
    lsg: str  # joint body
    beredning: str  # working group
    umea: str  # principal municipality
    region: str  # principal region
    skr: str  # external party, not a principal
    area: str  # sub-region, not a body


def _org(client: TestClient, admin: Headers, kind: str, name: str, **extra: Any) -> str:
    r = client.post(ORGS, json={"kind": kind, "name": name, **extra}, headers=admin)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.fixture
def world(client: TestClient, admin: Headers) -> World:
    umea = _org(client, admin, "municipality", "Umeå kommun", municipality_code="2480", is_principal=True)
    return World(
        council=_org(client, admin, "joint_body", "Samråd hälsa, vård och omsorg"),
        lsg=_org(client, admin, "joint_body", "Länssamverkansgruppen"),
        beredning=_org(client, admin, "working_group", "Beredning barn och unga"),
        umea=umea,
        region=_org(client, admin, "region", "Region Västerbotten", is_principal=True),
        skr=_org(client, admin, "external", "SKR"),
        area=_org(client, admin, "sub_region", "Umeå med krans", member_ids=[umea]),
    )


def person(client: TestClient, admin: Headers, given: str, family: str, party: str | None = None) -> str:
    r = client.post(PEOPLE, json={"given_name": given, "family_name": family, "party": party}, headers=admin)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def membership(person_id: str, body_id: str, role: str = "member", start: str = "2020-09-01", **extra: Any) -> Any:
    return {"person_id": person_id, "body_id": body_id, "role": role, "start_date": start, **extra}


def create(client: TestClient, headers: Headers, *args: Any, **extra: Any) -> Any:
    r = client.post(URL, json=membership(*args, **extra), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def listed(client: TestClient, headers: Headers, **params: Any) -> list[Any]:
    r = client.get(URL, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return list(r.json()["data"])


def count(client: TestClient, admin: Headers) -> int:
    return int(client.get(URL, params={"count": "true"}, headers=admin).json()["pagination"]["total"])


def test_create_and_get_embed_person_body_and_principal(client: TestClient, admin: Headers, world: World) -> None:
    p = person(client, admin, "Åsa", "Öberg", "åp")
    r = client.post(
        URL,
        json=membership(p, world.council, "chair", "2020-09-01", end_date="2022-12-31", on_behalf_of_id=world.umea),
        headers=admin,
    )
    assert r.status_code == 201, r.text
    m = r.json()
    assert m["person"] == {"id": p, "name": "Åsa Öberg", "party": "åp"}
    assert m["body"] == {"id": world.council, "name": "Samråd hälsa, vård och omsorg"}
    assert m["on_behalf_of"] == {"id": world.umea, "name": "Umeå kommun"}
    assert (m["role"], m["voting_right"], m["start_date"], m["end_date"]) == ("chair", True, "2020-09-01", "2022-12-31")
    assert r.headers["location"].endswith(f"{URL}/{m['id']}")
    assert r.headers["etag"]

    got = client.get(f"{URL}/{m['id']}", headers=admin)
    assert got.status_code == 200
    assert got.json() == m
    assert got.headers["etag"] == r.headers["etag"]
    assert listed(client, admin) == [m]

    # without a principal: an official sits for no one
    official = create(client, admin, p, world.lsg, "official")
    assert official["on_behalf_of"] is None


@pytest.mark.parametrize(
    ("role", "votes"),
    [
        ("chair", True),
        ("vice_chair", True),
        ("member", True),
        ("substitute", False),
        ("co_opted", False),
        ("secretary", False),
        ("official", False),
    ],
)
def test_voting_right_defaults_by_role(
    client: TestClient, admin: Headers, world: World, role: str, votes: bool
) -> None:
    p = person(client, admin, "Per", "Persson")
    assert create(client, admin, p, world.council, role)["voting_right"] is votes
    # an explicit value wins over the default
    other = create(client, admin, p, world.lsg, role, voting_right=not votes)
    assert other["voting_right"] is (not votes)


def test_who_sat_in_a_body_on_a_date(client: TestClient, admin: Headers, world: World) -> None:
    ended = person(client, admin, "Anders", "Ahlberg")
    open_ended = person(client, admin, "Berit", "Björk")
    later = person(client, admin, "Cecilia", "Carlsson")
    ends_that_day = person(client, admin, "David", "Dahl")
    starts_that_day = person(client, admin, "Eva", "Ek")
    elsewhere = person(client, admin, "Fredrik", "Falk")
    create(client, admin, ended, world.council, start="2020-09-01", end_date="2022-12-31")
    create(client, admin, open_ended, world.council, start="2021-01-01")
    create(client, admin, later, world.council, start="2024-06-01")
    create(client, admin, ends_that_day, world.council, "substitute", start="2023-01-01", end_date="2024-05-03")
    create(client, admin, starts_that_day, world.council, "vice_chair", start="2024-05-03", end_date="2026-12-31")
    create(client, admin, elsewhere, world.lsg, start="2020-01-01")

    sat = listed(client, admin, body_id=world.council, on="2024-05-03")
    assert [m["person"]["name"] for m in sat] == ["Berit Björk", "David Dahl", "Eva Ek"]
    assert {m["body"]["id"] for m in sat} == {world.council}

    assert [m["person"]["name"] for m in listed(client, admin, body_id=world.council, on="2021-06-01")] == [
        "Anders Ahlberg",
        "Berit Björk",
    ]
    assert [m["person"]["name"] for m in listed(client, admin, body_id=world.council)] == [
        "Anders Ahlberg",
        "Berit Björk",
        "Cecilia Carlsson",
        "David Dahl",
        "Eva Ek",
    ]
    r = client.get(URL, params={"body_id": world.council, "on": "2024-02-30"}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "on"]


def test_which_bodies_a_person_sits_in(client: TestClient, admin: Headers, world: World) -> None:
    p = person(client, admin, "Åsa", "Öberg")
    other = person(client, admin, "Bo", "Berg")
    create(client, admin, p, world.council, "member", on_behalf_of_id=world.umea)
    create(client, admin, p, world.beredning, "chair", on_behalf_of_id=world.region)
    create(client, admin, other, world.lsg)
    mine = listed(client, admin, person_id=p)
    assert {m["body"]["name"] for m in mine} == {"Samråd hälsa, vård och omsorg", "Beredning barn och unga"}
    assert {m["person"]["id"] for m in mine} == {p}
    assert listed(client, admin, person_id=MISSING) == []
    for_umea = listed(client, admin, on_behalf_of_id=world.umea)
    assert [(m["person"]["id"], m["body"]["id"]) for m in for_umea] == [(p, world.council)]


def test_role_filter_is_repeatable(client: TestClient, admin: Headers, world: World) -> None:
    for family, role in [("Ek", "chair"), ("Falk", "vice_chair"), ("Gran", "member"), ("Hed", "substitute")]:
        create(client, admin, person(client, admin, "Kim", family), world.council, role)
    both = listed(client, admin, body_id=world.council, role=["chair", "vice_chair"])
    assert [m["role"] for m in both] == ["chair", "vice_chair"]
    assert [m["role"] for m in listed(client, admin, role="substitute")] == ["substitute"]
    r = client.get(URL, params={"role": "ordförande"}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"][:2] == ["query", "role"]


def test_refusals_name_the_field_and_write_nothing(client: TestClient, admin: Headers, world: World) -> None:
    p = person(client, admin, "Åsa", "Öberg")
    cases = [
        (membership(p, world.umea), "body_id"),
        (membership(p, world.area), "body_id"),
        (membership(p, world.skr), "body_id"),
        (membership(p, MISSING), "body_id"),
        (membership(MISSING, world.council), "person_id"),
        (membership(p, world.council, on_behalf_of_id=world.skr), "on_behalf_of_id"),
        (membership(p, world.council, on_behalf_of_id=world.lsg), "on_behalf_of_id"),
        (membership(p, world.council, on_behalf_of_id=world.area), "on_behalf_of_id"),
        (membership(p, world.council, on_behalf_of_id=MISSING), "on_behalf_of_id"),
        (membership(p, world.council, start="2024-01-01", end_date="2023-12-31"), "end_date"),
        (membership(p, world.council, "ordförande"), "role"),
        (membership(p, world.council, start="2024-02-30"), "start_date"),
        ({"person_id": p, "body_id": world.council, "role": "member"}, "start_date"),
        (membership(p, world.council, voting_right="kanske"), "voting_right"),
        (membership(p, world.council, person_sort="a"), "person_sort"),
    ]
    for body, field in cases:
        r = client.post(URL, json=body, headers=admin)
        assert r.status_code == 422, (field, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["code"] == "validation_failed"
        assert any(field in map(str, e["loc"]) for e in problem["errors"]), (field, problem)
    assert count(client, admin) == 0


def test_patch_refusals_name_the_field_and_change_nothing(client: TestClient, admin: Headers, world: World) -> None:
    p = person(client, admin, "Åsa", "Öberg")
    m = create(client, admin, p, world.council, start="2022-01-01", end_date="2023-12-31", on_behalf_of_id=world.umea)
    url = f"{URL}/{m['id']}"
    for body, field in [
        ({"end_date": "2021-12-31"}, "end_date"),
        ({"start_date": "2024-01-01"}, "end_date"),
        ({"start_date": "2024-01-01", "end_date": "2023-01-01"}, "end_date"),
        ({"start_date": None}, "start_date"),
        ({"role": None}, "role"),
        ({"voting_right": None}, "voting_right"),
        ({"on_behalf_of_id": world.skr}, "on_behalf_of_id"),
        ({"on_behalf_of_id": MISSING}, "on_behalf_of_id"),
        ({"body_id": world.lsg}, "body_id"),
        ({"person_id": MISSING}, "person_id"),
    ]:
        r = client.patch(url, json=body, headers=admin)
        assert r.status_code == 422, (body, r.text)
        assert any(field in map(str, e["loc"]) for e in r.json()["errors"]), (field, r.json())
    assert client.get(url, headers=admin).json() == m


def test_patch_changes_the_given_fields(client: TestClient, admin: Headers, world: World) -> None:
    p = person(client, admin, "Åsa", "Öberg")
    m = create(client, admin, p, world.council, "substitute", on_behalf_of_id=world.umea)
    r = client.patch(
        f"{URL}/{m['id']}", json={"role": "member", "end_date": "2026-12-31", "on_behalf_of_id": None}, headers=admin
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["role"], out["end_date"], out["on_behalf_of"]) == ("member", "2026-12-31", None)
    # voting right was set at creation; changing the role does not silently change it
    assert out["voting_right"] is False
    assert out["start_date"] == "2020-09-01"
    assert client.get(f"{URL}/{m['id']}", headers=admin).json() == out


def test_overlapping_same_role_is_a_conflict(client: TestClient, admin: Headers, world: World) -> None:
    p = person(client, admin, "Åsa", "Öberg")
    first = create(client, admin, p, world.council, start="2020-09-01", end_date="2022-12-31")
    for start, end in [
        ("2022-06-01", None),
        ("2019-01-01", "2020-09-01"),
        ("2022-12-31", "2023-12-31"),
        ("2021-01-01", "2021-02-01"),
    ]:
        r = client.post(URL, json=membership(p, world.council, start=start, end_date=end), headers=admin)
        assert r.status_code == 409, (start, end, r.text)
        assert r.json()["code"] == "duplicate_membership"
    assert count(client, admin) == 1

    # the next term, another role, another body, another person: all fine
    second = create(client, admin, p, world.council, start="2023-01-01")
    create(client, admin, p, world.council, "chair", start="2021-01-01")
    create(client, admin, p, world.lsg, start="2021-01-01")
    create(client, admin, person(client, admin, "Bo", "Berg"), world.council, start="2021-01-01")
    assert count(client, admin) == 5

    # an edit that would overlap is refused too, and changes nothing
    r = client.patch(f"{URL}/{second['id']}", json={"start_date": "2022-12-01"}, headers=admin)
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_membership"
    assert client.get(f"{URL}/{second['id']}", headers=admin).json()["start_date"] == "2023-01-01"
    r = client.patch(f"{URL}/{first['id']}", json={"end_date": None}, headers=admin)
    assert r.status_code == 409

    # a deleted membership no longer blocks
    assert client.delete(f"{URL}/{first['id']}", headers=admin).status_code == 204
    assert client.patch(f"{URL}/{second['id']}", json={"start_date": "2022-12-01"}, headers=admin).status_code == 200


def test_secretary_keeps_only_the_memberships_of_own_body(
    client: TestClient, admin: Headers, world: World, make_principal: MakePrincipal
) -> None:
    secretary = make_principal(f"secretary:{world.council}")
    p = person(client, admin, "Åsa", "Öberg")
    theirs = create(client, admin, p, world.lsg)

    r = client.post(URL, json=membership(p, world.council), headers=secretary)
    assert r.status_code == 201, r.text
    own = r.json()
    r = client.post(URL, json=membership(p, world.lsg, "chair"), headers=secretary)
    assert r.status_code == 403
    assert r.json()["code"] == "missing_role"
    assert [m["id"] for m in listed(client, admin, body_id=world.lsg)] == [theirs["id"]]

    assert client.patch(f"{URL}/{own['id']}", json={"role": "vice_chair"}, headers=secretary).status_code == 200
    assert client.patch(f"{URL}/{theirs['id']}", json={"role": "vice_chair"}, headers=secretary).status_code == 403
    assert client.delete(f"{URL}/{theirs['id']}", headers=secretary).status_code == 403
    assert client.get(f"{URL}/{theirs['id']}", headers=admin).json() == theirs
    assert client.delete(f"{URL}/{own['id']}", headers=secretary).status_code == 204
    assert client.get(f"{URL}/{own['id']}", headers=admin).status_code == 404


def test_permissions(client: TestClient, admin: Headers, reader: Headers, world: World) -> None:
    p = person(client, admin, "Åsa", "Öberg")
    m = create(client, admin, p, world.council)
    url = f"{URL}/{m['id']}"
    for method, target in [("GET", URL), ("GET", url), ("POST", URL), ("PATCH", url), ("DELETE", url)]:
        r = client.request(method, target, json=membership(p, world.lsg) if method == "POST" else None)
        assert r.status_code == 401, (method, target)
        assert r.headers["www-authenticate"].startswith("Bearer")

    assert client.get(url, headers=reader).json() == m
    assert listed(client, reader, body_id=world.council) == [m]
    assert client.post(URL, json=membership(p, world.lsg), headers=reader).status_code == 403
    assert client.patch(url, json={"role": "chair"}, headers=reader).status_code == 403
    assert client.delete(url, headers=reader).status_code == 403
    assert client.get(url, headers=admin).json() == m
    assert count(client, admin) == 1

    for method in ("GET", "PATCH", "DELETE"):
        r = client.request(
            method, f"{URL}/{MISSING}", json={"role": "chair"} if method == "PATCH" else None, headers=admin
        )
        assert r.status_code == 404, method
        assert r.json()["code"] == "not_found"


def test_if_match_and_stale_etag(client: TestClient, admin: Headers, world: World) -> None:
    r = client.post(URL, json=membership(person(client, admin, "Åsa", "Öberg"), world.council), headers=admin)
    url, etag = f"{URL}/{r.json()['id']}", r.headers["etag"]
    ok = client.patch(url, json={"end_date": "2024-12-31"}, headers={**admin, "If-Match": etag})
    assert ok.status_code == 200
    assert ok.headers["etag"] != etag
    stale = client.patch(url, json={"end_date": "2025-12-31"}, headers={**admin, "If-Match": etag})
    assert stale.status_code == 412
    assert client.get(url, headers=admin).json()["end_date"] == "2024-12-31"
    assert client.delete(url, headers={**admin, "If-Match": etag}).status_code == 412
    assert client.get(url, headers=admin).status_code == 200
    assert client.delete(url, headers={**admin, "If-Match": ok.headers["etag"]}).status_code == 204


def test_delete_is_soft_and_leaves_a_tombstone(client: TestClient, admin: Headers, world: World) -> None:
    before = "2000-01-01T00:00:00Z"
    p = person(client, admin, "Åsa", "Öberg")
    m = create(client, admin, p, world.council)
    assert client.delete(f"{URL}/{m['id']}", headers=admin).status_code == 204
    assert client.get(f"{URL}/{m['id']}", headers=admin).status_code == 404
    assert client.patch(f"{URL}/{m['id']}", json={"role": "chair"}, headers=admin).status_code == 404
    assert listed(client, admin) == []
    assert listed(client, admin, body_id=world.council, on="2024-05-03") == []
    synced = listed(client, admin, updated_since=before)
    assert synced == [{"id": m["id"], "deleted": True, "updated_at": synced[0]["updated_at"]}]
    # the body is no longer in use
    assert client.delete(f"{ORGS}/{world.council}", headers=admin).status_code == 204


def test_bodies_and_principals_in_use_cannot_be_deleted(client: TestClient, admin: Headers, world: World) -> None:
    create(client, admin, person(client, admin, "Åsa", "Öberg"), world.council, on_behalf_of_id=world.region)
    for org in (world.council, world.region):
        r = client.delete(f"{ORGS}/{org}", headers=admin)
        assert r.status_code == 409
        assert r.json()["code"] == "in_use"


def test_default_order_is_swedish_by_person_name_and_follows_a_rename(
    client: TestClient, admin: Headers, world: World
) -> None:
    people = {f: person(client, admin, "Kim", f) for f in ["Öberg", "Åström", "Wikström", "Vikström", "Andersson"]}
    for pid in people.values():
        create(client, admin, pid, world.council)

    def order() -> list[str]:
        return [m["person"]["name"].removeprefix("Kim ") for m in listed(client, admin, body_id=world.council)]

    assert order() == ["Andersson", "Vikström", "Wikström", "Åström", "Öberg"]
    desc = listed(client, admin, body_id=world.council, sort="-person_name")
    assert [m["person"]["name"] for m in desc] == [
        f"Kim {f}" for f in ["Öberg", "Åström", "Wikström", "Vikström", "Andersson"]
    ]

    r = client.patch(f"{PEOPLE}/{people['Andersson']}", json={"family_name": "A\u0308ngström"}, headers=admin)
    assert r.status_code == 200, r.text
    assert order() == ["Vikström", "Wikström", "Åström", "Ängström", "Öberg"]
    # the cursor pages by the new order too
    seen: list[str] = []
    url: str | None = f"{URL}?body_id={world.council}&limit=2"
    while url:
        page = client.get(url, headers=admin).json()
        seen += [m["person"]["name"].removeprefix("Kim ") for m in page["data"]]
        url = page["links"]["next"]
    assert seen == ["Vikström", "Wikström", "Åström", "Ängström", "Öberg"]


def test_list_queries_do_not_grow_with_page_size(
    client: TestClient, admin: Headers, world: World, count_queries: Any
) -> None:
    bodies, principals = [world.council, world.lsg, world.beredning], [world.umea, world.region, None]
    for i in range(22):
        pid = person(client, admin, f"Person{i}", f"Efternamn{i:02d}", "s")
        create(client, admin, pid, bodies[i % 3], on_behalf_of_id=principals[i % 3])
    with count_queries() as small:
        assert len(listed(client, admin, limit=2)) == 2
    with count_queries() as large:
        page = listed(client, admin, limit=20)
        assert len(page) == 20
        assert {m["body"]["id"] for m in page} == set(bodies)
    assert small() == large()
