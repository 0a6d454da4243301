"""People over HTTP: Swedish names kept exact, search and order, contact data only for the entitled, soft delete."""

import csv
import io
import uuid
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session

from app.core.principal import PrincipalKind
from app.people.models import Person, PersonAlias

URL = "/api/v1/people"
ORGS = "/api/v1/organisations"
MEMBERSHIPS = "/api/v1/memberships"
MISSING = "00000000-0000-4000-8000-000000000000"
Headers = dict[str, str]
MakePrincipal = Callable[..., Headers]


def person(given: str = "Anna", family: str = "Svensson", **extra: Any) -> dict[str, Any]:
    return {"given_name": given, "family_name": family, **extra}


def create(client: TestClient, headers: Headers, given: str = "Anna", family: str = "Svensson", **extra: Any) -> Any:
    r = client.post(URL, json=person(given, family, **extra), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def organisation(client: TestClient, admin: Headers, kind: str, name: str, **extra: Any) -> str:
    r = client.post(ORGS, json={"kind": kind, "name": name, **extra}, headers=admin)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def names(client: TestClient, headers: Headers, **params: Any) -> list[str]:
    r = client.get(URL, params=params, headers=headers)
    assert r.status_code == 200, r.text
    return [p["name"] for p in r.json()["data"]]


def total(client: TestClient, admin: Headers) -> int:
    return int(client.get(URL, params={"count": "true"}, headers=admin).json()["pagination"]["total"])


def test_create_get_and_list(client: TestClient, admin: Headers) -> None:
    contact = {"email": "anna.svensson@umea.se", "phone": "+46 90 16 10 00"}
    body = person(party="s", title="Kommunalråd", contact=contact, aliases=["Anna S. Svensson"])
    r = client.post(URL, json=body, headers=admin)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["name"] == "Anna Svensson"
    assert out["party"] == "s"
    assert out["title"] == "Kommunalråd"
    assert out["contact"] == contact
    assert out["aliases"] == ["Anna S. Svensson"]
    assert r.headers["location"].endswith(f"{URL}/{out['id']}")
    assert r.headers["etag"]

    got = client.get(f"{URL}/{out['id']}", headers=admin)
    assert got.status_code == 200
    assert got.json() == out
    assert got.headers["etag"] == r.headers["etag"]

    listed = client.get(URL, headers=admin).json()
    assert listed["data"] == [out]
    assert listed["pagination"] == {"limit": 50, "total": None}


def test_swedish_names_are_kept_and_normalised(client: TestClient, admin: Headers) -> None:
    out = create(client, admin, "A\u030asa", "Lo\u0308fgren-Ärlebäck")
    assert out["given_name"] == "Åsa"
    assert out["family_name"] == "Löfgren-Ärlebäck"
    assert out["name"] == "Åsa Löfgren-Ärlebäck"
    assert out["given_name"].encode() == "\u00c5sa".encode()
    assert client.get(f"{URL}/{out['id']}", headers=admin).json()["family_name"] == "Löfgren-Ärlebäck"
    # a decomposed query finds the composed name
    assert names(client, admin, q="lo\u0308fgren") == ["Åsa Löfgren-Ärlebäck"]


def test_list_is_in_swedish_order_by_family_name(client: TestClient, admin: Headers) -> None:
    for family in ["Öberg", "Åström", "Wikström", "Ängström", "Vikström", "ahlberg", "Zetterberg", "Berg"]:
        create(client, admin, "Kim", family)
    expected = ["ahlberg", "Berg", "Vikström", "Wikström", "Zetterberg", "Åström", "Ängström", "Öberg"]
    assert [n.removeprefix("Kim ") for n in names(client, admin)] == expected
    assert [n.removeprefix("Kim ") for n in names(client, admin, sort="-name")] == expected[::-1]

    # page by page through the cursor: same order, nothing lost or repeated
    seen: list[str] = []
    url: str | None = f"{URL}?limit=3"
    while url:
        page = client.get(url, headers=admin).json()
        seen += [p["family_name"] for p in page["data"]]
        url = page["links"]["next"]
    assert seen == expected


def test_given_name_breaks_ties_in_swedish_order(client: TestClient, admin: Headers) -> None:
    for given in ["Örjan", "Anders", "Åke", "Ulla"]:
        create(client, admin, given, "Nilsson")
    assert names(client, admin) == ["Anders Nilsson", "Ulla Nilsson", "Åke Nilsson", "Örjan Nilsson"]


def test_q_finds_part_of_name_and_alias_keeping_å_ä_ö_distinct(client: TestClient, admin: Headers) -> None:
    create(client, admin, "Åsa", "Lindqvist", aliases=["Åsa Nyström", "a.lindqvist@example.se"])
    create(client, admin, "Per", "Asplund")
    create(client, admin, "Märta", "Öhman")
    assert names(client, admin, q="ÅSA") == ["Åsa Lindqvist"]
    assert names(client, admin, q="lindq") == ["Åsa Lindqvist"]
    assert names(client, admin, q="Lindqvist Åsa") == ["Åsa Lindqvist"]
    assert names(client, admin, q="NYSTRÖM") == ["Åsa Lindqvist"]
    assert names(client, admin, q="asp") == ["Per Asplund"]
    assert names(client, admin, q="märta ö") == ["Märta Öhman"]
    # å/ä/ö are letters of their own, not a with decoration
    assert names(client, admin, q="nystrom") == []
    assert names(client, admin, q="ohman") == []
    assert names(client, admin, q="asa ") == []
    assert names(client, admin, q="asa l") == []
    # wildcards are data, not patterns
    assert names(client, admin, q="%") == []
    assert names(client, admin, q="_") == []


def test_q_asa_does_not_find_åsa(client: TestClient, admin: Headers) -> None:
    create(client, admin, "Åsa", "Berg")
    assert names(client, admin, q="asa") == []
    assert names(client, admin, q="åsa") == ["Åsa Berg"]


def test_party_pattern(client: TestClient, admin: Headers) -> None:
    create(client, admin, "Per", "Persson", party="åp")
    create(client, admin, "Eva", "Ek", party="kd")
    for bad in ["S", "s1", "socialdemokraterna", "", "m p"]:
        r = client.post(URL, json=person("X", "Y", party=bad), headers=admin)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["errors"][0]["loc"] == ["body", "party"]
    assert names(client, admin, party="åp") == ["Per Persson"]
    r = client.get(URL, params={"party": "ÅP"}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["query", "party"]
    assert total(client, admin) == 2


def test_refusals_name_the_field_and_write_nothing(client: TestClient, admin: Headers) -> None:
    cases = [
        (person(given=""), "given_name"),
        (person(given="   "), "given_name"),
        ({"given_name": "Anna"}, "family_name"),
        (person(family="x" * 101), "family_name"),
        (person(title=""), "title"),
        (person(contact={"email": "not-an-email"}), "email"),
        (person(contact={"email": "anna@"}), "email"),
        (person(contact={"phone": "ring mig"}), "phone"),
        (person(contact={"phone": "123"}), "phone"),
        (person(contact={"fax": "090-10 00 00"}), "fax"),
        (person(employer_id=MISSING), "employer_id"),
        (person(employer_id="not-a-uuid"), "employer_id"),
        (person(aliases=[""]), "aliases"),
        (person(aliases=["x" * 255]), "aliases"),
        (person(aliases="Anna"), "aliases"),
        (person(id=MISSING), "id"),
        (person(name_sort="a"), "name_sort"),
    ]
    for body, field in cases:
        r = client.post(URL, json=body, headers=admin)
        assert r.status_code == 422, (field, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["code"] == "validation_failed"
        assert any(field in map(str, e["loc"]) for e in problem["errors"]), (field, problem)
    assert total(client, admin) == 0


def test_patch_refusals_change_nothing(client: TestClient, admin: Headers) -> None:
    p = create(client, admin, contact={"email": "anna@umea.se"})
    for body, field in [
        ({"given_name": None}, "given_name"),
        ({"family_name": ""}, "family_name"),
        ({"party": "S"}, "party"),
        ({"contact": {"email": "nope"}}, "email"),
        ({"employer_id": MISSING}, "employer_id"),
        ({"aliases": [" "]}, "aliases"),
    ]:
        r = client.patch(f"{URL}/{p['id']}", json=body, headers=admin)
        assert r.status_code == 422, (field, r.text)
        assert any(field in map(str, e["loc"]) for e in r.json()["errors"]), (field, r.json())
    assert client.get(f"{URL}/{p['id']}", headers=admin).json() == p


def test_employer_must_exist(client: TestClient, admin: Headers) -> None:
    umea = organisation(client, admin, "municipality", "Umeå kommun", is_principal=True)
    p = create(client, admin, employer_id=umea)
    assert p["employer_id"] == umea
    assert [x["id"] for x in client.get(URL, params={"employer_id": umea}, headers=admin).json()["data"]] == [p["id"]]
    assert client.delete(f"{ORGS}/{umea}", headers=admin).status_code == 409


def test_duplicate_email_is_a_conflict_ignoring_case(client: TestClient, admin: Headers) -> None:
    first = create(client, admin, contact={"email": "Anna.Svensson@Umea.se"})
    assert first["contact"]["email"] == "anna.svensson@umea.se"
    r = client.post(URL, json=person("Anna", "Andersson", contact={"email": "ANNA.SVENSSON@umea.se"}), headers=admin)
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_email"
    assert total(client, admin) == 1

    other = create(client, admin, "Bo", "Ek", contact={"email": "bo.ek@umea.se"})
    r = client.patch(f"{URL}/{other['id']}", json={"contact": {"email": "anna.svensson@UMEA.SE"}}, headers=admin)
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_email"
    assert client.get(f"{URL}/{other['id']}", headers=admin).json()["contact"]["email"] == "bo.ek@umea.se"
    # a person may keep (or re-case) their own address
    r = client.patch(f"{URL}/{first['id']}", json={"contact": {"email": "ANNA.svensson@umea.se"}}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["contact"]["email"] == "anna.svensson@umea.se"

    # the address is free again once its holder is deleted
    assert client.delete(f"{URL}/{first['id']}", headers=admin).status_code == 204
    assert client.post(URL, json=person(contact={"email": "anna.svensson@umea.se"}), headers=admin).status_code == 201


def test_contact_data_only_for_entitled_principals(
    client: TestClient, admin: Headers, reader: Headers, make_principal: MakePrincipal
) -> None:
    body_id = organisation(client, admin, "joint_body", "Samråd hälsa, vård och omsorg")
    umea = organisation(client, admin, "municipality", "Umeå kommun", is_principal=True)
    p = create(client, admin, contact={"email": "anna@umea.se", "phone": "090-16 10 00"}, aliases=["Anna S"])
    service = PrincipalKind.service
    entitled = {
        "person reader": reader,
        "person fund manager": make_principal("fund_manager"),
        "service secretary": make_principal(f"secretary:{body_id}", kind=service),
        "service editor": make_principal(f"editor:{umea}", kind=service),
        "service fund manager": make_principal("fund_manager", kind=service),
        "service admin": make_principal("admin", kind=service),
    }
    for who, headers in entitled.items():
        got = client.get(f"{URL}/{p['id']}", headers=headers).json()
        assert got["contact"] == {"email": "anna@umea.se", "phone": "090-16 10 00"}, who
        assert got["aliases"] == ["Anna S"], who
        assert client.get(URL, headers=headers).json()["data"][0]["contact"]["email"] == "anna@umea.se", who

    intranet = make_principal("reader", kind=service)
    got = client.get(f"{URL}/{p['id']}", headers=intranet)
    assert got.status_code == 200
    assert got.json()["contact"] is None
    assert got.json()["aliases"] is None
    assert got.json()["name"] == "Anna Svensson"
    listed = client.get(URL, headers=intranet).json()["data"]
    assert listed[0]["contact"] is None
    assert listed[0]["aliases"] is None
    exported = client.get(URL, headers={**intranet, "Accept": "text/csv"}).text
    assert "anna@umea.se" not in exported
    assert "Anna S;" not in exported


def test_filter_by_email_or_alias_needs_the_right(
    client: TestClient, admin: Headers, reader: Headers, make_principal: MakePrincipal
) -> None:
    p = create(client, admin, contact={"email": "anna@umea.se"}, aliases=["Svensson, Anna"])
    create(client, admin, "Bo", "Ek", contact={"email": "bo@umea.se"})
    intranet = make_principal("reader", kind=PrincipalKind.service)
    for params in ({"email": "anna@umea.se"}, {"alias": "Svensson, Anna"}):
        r = client.get(URL, params=params, headers=intranet)
        assert r.status_code == 403, params
        assert r.json()["code"] == "missing_role"
    for headers in (admin, reader):
        found = client.get(URL, params={"email": " ANNA@Umea.se "}, headers=headers).json()["data"]
        assert [x["id"] for x in found] == [p["id"]]
        found = client.get(URL, params={"alias": "svensson, ANNA"}, headers=headers).json()["data"]
        assert [x["id"] for x in found] == [p["id"]]
        assert client.get(URL, params={"alias": "Svensson"}, headers=headers).json()["data"] == []
        assert client.get(URL, params={"email": "anna@umea"}, headers=headers).json()["data"] == []


def test_patch_contact_is_a_json_merge(client: TestClient, admin: Headers) -> None:
    p = create(client, admin, party="s", contact={"email": "anna@umea.se", "phone": "090-16 10 00"}, aliases=["Nisse"])
    url = f"{URL}/{p['id']}"

    r = client.patch(url, json={"contact": {"phone": None}}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["contact"] == {"email": "anna@umea.se", "phone": None}

    r = client.patch(url, json={"contact": {"phone": "+46 70 123 45 67"}}, headers=admin)
    assert r.json()["contact"] == {"email": "anna@umea.se", "phone": "+46 70 123 45 67"}

    r = client.patch(url, json={"title": "Ordförande"}, headers=admin)
    assert r.json()["contact"] == {"email": "anna@umea.se", "phone": "+46 70 123 45 67"}
    assert r.json()["aliases"] == ["Nisse"]
    assert r.json()["party"] == "s"

    r = client.patch(url, json={"party": None, "aliases": ["Anna Maria Svensson"]}, headers=admin)
    assert r.json()["party"] is None
    assert r.json()["aliases"] == ["Anna Maria Svensson"]
    assert names(client, admin, q="maria") == ["Anna Svensson"]
    assert names(client, admin, q="nisse") == []

    r = client.patch(url, json={"contact": None}, headers=admin)
    assert r.json()["contact"] == {"email": None, "phone": None}
    assert client.get(url, headers=admin).json() == r.json()


def test_patch_renames_and_reindexes(client: TestClient, admin: Headers) -> None:
    p = create(client, admin, "Anna", "Andersson")
    create(client, admin, "Bo", "Berg")
    r = client.patch(f"{URL}/{p['id']}", json={"family_name": "O\u0308berg"}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Anna Öberg"
    assert names(client, admin) == ["Bo Berg", "Anna Öberg"]
    assert names(client, admin, q="öberg") == ["Anna Öberg"]
    assert names(client, admin, q="andersson") == []


def test_if_match_and_stale_etag(client: TestClient, admin: Headers) -> None:
    r = client.post(URL, json=person(), headers=admin)
    url, etag = f"{URL}/{r.json()['id']}", r.headers["etag"]
    ok = client.patch(url, json={"title": "Politiker"}, headers={**admin, "If-Match": etag})
    assert ok.status_code == 200
    assert ok.headers["etag"] != etag
    stale = client.patch(url, json={"title": "Tjänsteperson"}, headers={**admin, "If-Match": etag})
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert client.get(url, headers=admin).json()["title"] == "Politiker"
    assert client.delete(url, headers={**admin, "If-Match": etag}).status_code == 412
    assert client.get(url, headers=admin).status_code == 200
    assert client.delete(url, headers={**admin, "If-Match": ok.headers["etag"]}).status_code == 204


def test_delete_is_soft_and_erases_contact_data(client: TestClient, admin: Headers, session: Session) -> None:
    before = "2000-01-01T00:00:00Z"
    p = create(
        client,
        admin,
        "Åsa",
        "Öberg",
        contact={"email": "asa@umea.se", "phone": "090-10 00 00"},
        aliases=["asa.oberg@privat.se", "Åsa Ö"],
    )
    keep = create(client, admin, "Bo", "Berg")
    url = f"{URL}/{p['id']}"
    assert client.delete(url, headers=admin).status_code == 204

    assert client.get(url, headers=admin).status_code == 404
    assert client.patch(url, json={"title": "x"}, headers=admin).status_code == 404
    assert client.delete(url, headers=admin).status_code == 404
    assert names(client, admin) == ["Bo Berg"]
    assert names(client, admin, q="öberg") == []
    assert client.get(URL, params={"email": "asa@umea.se"}, headers=admin).json()["data"] == []
    assert client.get(URL, params={"alias": "Åsa Ö"}, headers=admin).json()["data"] == []

    synced = client.get(URL, params={"updated_since": before}, headers=admin).json()["data"]
    assert len(synced) == 2
    tombstone = next(x for x in synced if x["id"] == p["id"])
    assert set(tombstone) == {"id", "deleted", "updated_at"}
    assert tombstone["deleted"] is True
    assert next(x for x in synced if x["id"] == keep["id"])["name"] == "Bo Berg"

    row = session.get(Person, uuid.UUID(p["id"]))
    assert row is not None
    assert row.deleted_at is not None
    assert (row.email, row.phone) == (None, None)
    assert session.execute(select(PersonAlias).where(PersonAlias.person_id == row.id)).all() == []
    assert "privat.se" not in row.search_text


def test_person_with_live_memberships_is_in_use(client: TestClient, admin: Headers) -> None:
    body_id = organisation(client, admin, "joint_body", "Länssamverkansgruppen")
    p = create(client, admin)
    m = client.post(
        MEMBERSHIPS,
        json={"person_id": p["id"], "body_id": body_id, "role": "member", "start_date": "2020-09-01"},
        headers=admin,
    )
    assert m.status_code == 201, m.text
    r = client.delete(f"{URL}/{p['id']}", headers=admin)
    assert r.status_code == 409
    assert r.json()["code"] == "in_use"
    assert client.get(f"{URL}/{p['id']}", headers=admin).status_code == 200
    assert client.delete(f"{MEMBERSHIPS}/{m.json()['id']}", headers=admin).status_code == 204
    assert client.delete(f"{URL}/{p['id']}", headers=admin).status_code == 204


def test_permissions(client: TestClient, admin: Headers, reader: Headers, make_principal: MakePrincipal) -> None:
    p = create(client, admin)
    url = f"{URL}/{p['id']}"
    for method, target in [("GET", URL), ("GET", url), ("POST", URL), ("PATCH", url), ("DELETE", url)]:
        r = client.request(method, target, json=person() if method in ("POST", "PATCH") else None)
        assert r.status_code == 401, (method, target)
        assert r.headers["www-authenticate"].startswith("Bearer")

    assert client.get(url, headers=reader).status_code == 200
    for who in (reader, make_principal("fund_manager"), make_principal("reader", kind=PrincipalKind.service)):
        assert client.post(URL, json=person("Bo", "Ek"), headers=who).status_code == 403
        r = client.patch(url, json={"title": "x"}, headers=who)
        assert r.status_code == 403
        assert r.json()["code"] == "missing_role"
        assert client.delete(url, headers=who).status_code == 403
    assert client.get(url, headers=admin).json() == p
    assert total(client, admin) == 1

    # a secretary of any body keeps the register of people
    body_id = organisation(client, admin, "working_group", "Beredning barn och unga")
    secretary = make_principal(f"secretary:{body_id}")
    r = client.post(URL, json=person("Bo", "Ek"), headers=secretary)
    assert r.status_code == 201, r.text
    assert client.patch(url, json={"title": "Sekreterare"}, headers=secretary).status_code == 200
    assert client.delete(f"{URL}/{r.json()['id']}", headers=secretary).status_code == 204

    for method in ("GET", "PATCH", "DELETE"):
        r = client.request(
            method, f"{URL}/{MISSING}", json={"title": "x"} if method == "PATCH" else None, headers=admin
        )
        assert r.status_code == 404, method
        assert r.json()["code"] == "not_found"
    assert client.get(f"{URL}/not-a-uuid", headers=admin).status_code == 422


def test_csv_export(client: TestClient, admin: Headers) -> None:
    create(client, admin, "Åsa", "Öberg", party="åp", contact={"email": "asa@umea.se"})
    create(client, admin, "Märta", "Ängström", title="Ordförande; Samråd")
    r = client.get(URL, headers={**admin, "Accept": "text/csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    assert {"id", "given_name", "family_name", "name", "party"} <= set(header)
    by_name = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [x["name"] for x in by_name] == ["Märta Ängström", "Åsa Öberg"]
    assert by_name[1]["party"] == "åp"
    assert by_name[0]["title"] == "Ordförande; Samråd"
    assert "Åsa;Öberg" in text.replace('"', "")


def test_list_queries_do_not_grow_with_page_size(client: TestClient, admin: Headers, count_queries: Any) -> None:
    employer = organisation(client, admin, "region", "Region Västerbotten", is_principal=True)
    for i in range(22):
        create(
            client,
            admin,
            f"Person{i}",
            f"Efternamn{i:02d}",
            employer_id=employer,
            contact={"email": f"p{i}@rvn.se"},
            aliases=[f"Alias {i}", f"Annat {i}"],
        )
    with count_queries() as small:
        page = client.get(URL, params={"limit": 2}, headers=admin).json()["data"]
        assert len(page) == 2
        assert page[0]["aliases"] == ["Alias 0", "Annat 0"]
    with count_queries() as large:
        page = client.get(URL, params={"limit": 20}, headers=admin).json()["data"]
        assert len(page) == 20
        assert all(len(p["aliases"]) == 2 for p in page)
    assert small() == large()
