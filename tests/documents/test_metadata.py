"""Documents' metadata over HTTP: links, list filters, edits with If-Match, soft deletes and permissions."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.documents.api import (
    API,
    MISSING,
    URL,
    Headers,
    Record,
    assert_problem,
    count,
    created,
    make_record,
    tmp_files,
    unique_text,
    upload,
)

# Run once with the local store and once with the S3 test server (--store narrows it).
pytestmark = pytest.mark.usefixtures("document_store")

# --- links ---


def test_unknown_link_target_is_422_naming_it(client: TestClient, admin: Headers, record: Record) -> None:
    links = [f"meeting:{record.meeting}", f"case:{MISSING}"]
    problem = assert_problem(upload(client, admin, "a.txt", unique_text(), links=links), 422)
    assert [e["loc"] for e in problem["errors"]] == [["body", "links", 1, "target_id"]]
    # the right kind matters: a meeting's id is not a case
    links = [f"case:{record.meeting}"]
    assert_problem(upload(client, admin, "a.txt", unique_text(), links=links), 422, ["body", "links", 0, "target_id"])
    assert count(client, admin) == 0
    assert tmp_files() == []


@pytest.mark.parametrize(
    "bad", ["meeting", "meeting:", "meeting:inte-ett-id", "room:00000000-0000-4000-8000-000000000000", ":", ""]
)
def test_malformed_link_is_422(client: TestClient, admin: Headers, record: Record, bad: str) -> None:
    links = [f"meeting:{record.meeting}", bad]
    problem = assert_problem(upload(client, admin, "a.txt", unique_text(), links=links), 422)
    assert problem["errors"][0]["loc"][:2] == ["body", "link"]
    assert count(client, admin) == 0


def test_deleted_target_cannot_be_linked(client: TestClient, admin: Headers) -> None:
    body = created(client.post(f"{API}/organisations", json={"kind": "joint_body", "name": "AU"}, headers=admin))
    case = created(client.post(f"{API}/cases", json={"title": "Gammalt", "responsible_body_id": body}, headers=admin))
    assert client.delete(f"{API}/cases/{case}", headers=admin).status_code == 204
    assert_problem(upload(client, admin, "a.txt", unique_text(), links=[f"case:{case}"]), 422)


def test_repeated_link_is_stored_once(client: TestClient, admin: Headers, record: Record) -> None:
    links = [f"meeting:{record.meeting}", f"meeting:{record.meeting}"]
    r = upload(client, admin, "a.txt", unique_text(), links=links)
    assert r.status_code == 201, r.text
    assert r.json()["links"] == [{"target_type": "meeting", "target_id": record.meeting}]


# --- lists ---


def test_list_filters(client: TestClient, admin: Headers, record: Record) -> None:
    other = make_record(client, admin, "Länssamverkansgruppen")
    minutes = upload(client, admin, "protokoll.txt", unique_text(), role="minutes", links=[f"meeting:{record.meeting}"])
    basis = upload(
        client,
        admin,
        "underlag.txt",
        unique_text(),
        role="decision_basis",
        links=[f"agenda_item:{record.item}", f"case:{record.case}"],
    )
    elsewhere = upload(client, admin, "annat.txt", unique_text(), role="minutes", links=[f"meeting:{other.meeting}"])
    loose = upload(client, admin, "lös.txt", unique_text())
    ids = {name: r.json()["id"] for name, r in [("m", minutes), ("b", basis), ("e", elsewhere), ("l", loose)]}

    def found(**params: Any) -> set[str]:
        r = client.get(URL, params={"limit": 500, **params}, headers=admin)
        assert r.status_code == 200, r.text
        return {d["id"] for d in r.json()["data"]}

    assert found() == set(ids.values())
    assert found(target_id=record.meeting) == {ids["m"]}
    assert found(target_type="meeting", target_id=record.meeting) == {ids["m"]}
    assert found(target_type="case", target_id=record.meeting) == set()
    assert found(target_id=record.case) == {ids["b"]}
    assert found(target_type="meeting") == {ids["m"], ids["e"]}
    assert found(target_type="agenda_item") == {ids["b"]}
    assert found(role="minutes") == {ids["m"], ids["e"]}
    assert found(role="minutes", target_id=other.meeting) == {ids["e"]}
    assert found(sha256=basis.json()["sha256"]) == {ids["b"]}
    assert found(sha256="0" * 64) == set()
    for bad in ({"sha256": "abc"}, {"role": "protocol"}, {"target_type": "person"}, {"target_id": "x"}):
        assert_problem(client.get(URL, params=bad, headers=admin), 422)


def test_list_pages_carry_the_filter(client: TestClient, admin: Headers) -> None:
    for i in range(3):
        upload(client, admin, f"protokoll {i}.txt", unique_text(), role="minutes")
    upload(client, admin, "övrigt.txt", unique_text(), role="other")
    seen: list[str] = []
    url: str | None = f"{URL}?role=minutes&limit=2"
    while url:
        page = client.get(url, headers=admin).json()
        seen += [d["filename"] for d in page["data"]]
        url = page["links"]["next"]
        assert url is None or "role=minutes" in url
    assert sorted(seen) == ["protokoll 0.txt", "protokoll 1.txt", "protokoll 2.txt"]


def test_list_queries_do_not_grow_with_page_size(
    client: TestClient, admin: Headers, record: Record, count_queries: Callable[[], Any]
) -> None:
    for i in range(8):
        upload(client, admin, f"bilaga {i}.txt", unique_text(), links=record.links()[: 1 + i % 4])
    with count_queries() as small:
        assert len(client.get(URL, params={"limit": 2}, headers=admin).json()["data"]) == 2
    with count_queries() as large:
        assert len(client.get(URL, params={"limit": 8}, headers=admin).json()["data"]) == 8
    assert small() == large()


# --- edits and deletes ---


def test_patch_with_if_match(client: TestClient, admin: Headers, record: Record) -> None:
    r = upload(client, admin, "underlag.txt", unique_text(), role="other", links=[f"meeting:{record.meeting}"])
    doc_id, etag = r.json()["id"], r.headers["etag"]
    url = f"{URL}/{doc_id}"

    changed = client.patch(
        url,
        json={
            "label": "Bilaga 23",
            "role": "information_basis",
            "links": [{"target_type": "case", "target_id": record.case}],
        },
        headers={**admin, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["label"], body["role"]) == ("Bilaga 23", "information_basis")
    assert body["links"] == [{"target_type": "case", "target_id": record.case}]
    assert changed.headers["etag"] != etag
    assert client.get(URL, params={"target_id": record.meeting}, headers=admin).json()["data"] == []
    assert [d["id"] for d in client.get(URL, params={"target_id": record.case}, headers=admin).json()["data"]] == [
        doc_id
    ]

    stale = client.patch(url, json={"label": "Bilaga 24"}, headers={**admin, "If-Match": etag})
    assert_problem(stale, 412)
    assert client.get(url, headers=admin).json()["label"] == "Bilaga 23"
    assert_problem(client.delete(url, headers={**admin, "If-Match": etag}), 412)

    # the content and its hash never change with the metadata
    got = client.get(url, headers=admin).json()
    assert (got["sha256"], got["size"]) == (r.json()["sha256"], r.json()["size"])


def test_patch_refusals_change_nothing(client: TestClient, admin: Headers, record: Record) -> None:
    r = upload(client, admin, "underlag.txt", unique_text(), label="Bilaga 1", links=[f"meeting:{record.meeting}"])
    url = f"{URL}/{r.json()['id']}"
    before = client.get(url, headers=admin).json()
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        (
            {"label": "Bilaga 2", "links": [{"target_type": "case", "target_id": MISSING}]},
            ["body", "links", 0, "target_id"],
        ),
        ({"role": "protocol"}, ["body", "role"]),
        ({"role": None}, ["body", "role"]),
        ({"label": "x" * 61}, ["body", "label"]),
        ({"sha256": "0" * 64}, ["body", "sha256"]),
        ({"links": [{"target_type": "person", "target_id": record.meeting}]}, ["body", "links", 0, "target_type"]),
    ]
    for patch, loc in cases:
        assert_problem(client.patch(url, json=patch, headers=admin), 422, loc)
    assert client.get(url, headers=admin).json() == before


def test_rename_keeps_the_base_name(client: TestClient, admin: Headers) -> None:
    r = upload(client, admin, "utkast.txt", unique_text())
    changed = client.patch(f"{URL}/{r.json()['id']}", json={"filename": "../Slutlig version.txt"}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["filename"] == "Slutlig version.txt"
    disposition = client.get(f"{URL}/{r.json()['id']}/content", headers=admin).headers["content-disposition"]
    assert "Slutlig%20version.txt" in disposition


def test_delete_is_soft(client: TestClient, admin: Headers, record: Record) -> None:
    data = unique_text()
    kept = upload(client, admin, "kvar.txt", data).json()
    gone = upload(client, admin, "borta.txt", data, links=[f"meeting:{record.meeting}"]).json()
    url = f"{URL}/{gone['id']}"
    assert client.delete(url, headers=admin).status_code == 204

    for path in (url, f"{url}/content", f"{url}/text"):
        assert client.get(path, headers=admin).status_code == 404, path
    assert_problem(client.patch(url, json={"label": "Bilaga 3"}, headers=admin), 404)
    assert_problem(client.delete(url, headers=admin), 404)
    assert [d["id"] for d in client.get(URL, headers=admin).json()["data"]] == [kept["id"]]
    assert client.get(URL, params={"target_id": record.meeting}, headers=admin).json()["data"] == []

    synced = client.get(URL, params={"updated_since": "2000-01-01T00:00:00Z"}, headers=admin).json()["data"]
    tombstone = next(d for d in synced if d["id"] == gone["id"])
    assert set(tombstone) == {"id", "deleted", "updated_at"}
    # the other document with the same content still has its file
    assert client.get(f"{URL}/{kept['id']}/content", headers=admin).content == data


# --- permissions ---


def test_permissions(
    client: TestClient, admin: Headers, reader: Headers, record: Record, make_principal: Callable[..., Headers]
) -> None:
    secretary = make_principal(f"secretary:{record.body}")
    r = upload(client, secretary, "protokoll.txt", unique_text(), role="minutes", links=record.links())
    assert r.status_code == 201, r.text
    doc_id = r.json()["id"]
    url = f"{URL}/{doc_id}"

    assert client.get(URL).status_code == 401
    assert client.get(URL).headers["www-authenticate"].startswith("Bearer")
    for path in (url, f"{url}/content", f"{url}/text"):
        assert client.get(path).status_code == 401, path
        assert client.get(path, headers=reader).status_code == 200, path
    assert upload(client, {}, "a.txt", unique_text()).status_code == 401

    assert_problem(upload(client, reader, "a.txt", unique_text()), 403)
    assert_problem(client.patch(url, json={"label": "Bilaga 5"}, headers=reader), 403)
    assert_problem(client.delete(url, headers=reader), 403)
    assert count(client, admin) == 1

    assert client.patch(url, json={"label": "Bilaga 5"}, headers=secretary).status_code == 200
    for path in (f"{URL}/{MISSING}", f"{URL}/{MISSING}/content", f"{URL}/{MISSING}/text"):
        assert_problem(client.get(path, headers=reader), 404)
    assert_problem(client.patch(f"{URL}/{MISSING}", json={"label": "x"}, headers=admin), 404)
    assert client.get(f"{URL}/inte-ett-id", headers=reader).status_code == 422
    assert client.delete(url, headers=secretary).status_code == 204


def test_secretaries_file_documents_for_their_own_bodies_only(
    client: TestClient, admin: Headers, record: Record, make_principal: Callable[..., Headers]
) -> None:
    other = make_record(client, admin, "Länssamverkansgruppen")
    ours = make_principal(f"secretary:{record.body}")
    theirs = make_principal(f"secretary:{other.body}")

    # no links, or a case no body is responsible for: any secretary
    assert upload(client, theirs, "lös.txt", unique_text()).status_code == 201
    open_case = created(client.post(f"{API}/cases", json={"title": "Utan ansvarig"}, headers=admin))
    assert upload(client, theirs, "a.txt", unique_text(), links=[f"case:{open_case}"]).status_code == 201
    for link in record.links():
        assert_problem(upload(client, theirs, "a.txt", unique_text(), links=[link]), 403)
    assert_problem(upload(client, theirs, "a.txt", unique_text(), links=[other.links()[0], record.links()[0]]), 403)

    doc = upload(client, ours, "protokoll.txt", unique_text(), links=[f"meeting:{record.meeting}"]).json()
    url = f"{URL}/{doc['id']}"
    assert_problem(client.patch(url, json={"label": "Bilaga 7"}, headers=theirs), 403)
    assert_problem(client.delete(url, headers=theirs), 403)
    # nor may ours move it to the other body's meeting
    move = {"links": [{"target_type": "meeting", "target_id": other.meeting}]}
    assert_problem(client.patch(url, json=move, headers=ours), 403)
    assert client.get(url, headers=admin).json()["links"] == [{"target_type": "meeting", "target_id": record.meeting}]
    assert client.patch(url, json=move, headers=admin).status_code == 200
    assert client.get(URL, params={"target_id": other.meeting}, headers=theirs).json()["data"][0]["id"] == doc["id"]
