"""Funds over HTTP: kept by admins and fund managers, read by every reader, focus areas kept by number."""

from typing import Any

from fastapi.testclient import TestClient

from tests.funds.conftest import API, Headers, new_round, ok

URL = f"{API}/funds"


def test_a_fund_with_its_focus_areas(client: TestClient, reader: Headers, fund: dict[str, Any], council: str) -> None:
    assert fund["code"] == "UPH" and fund["owning_body_id"] == council
    assert [(a["number"], a["text"].split()[0]) for a in fund["focus_areas"]] == [
        (1, "Långsiktiga"),
        (2, "Lokala"),
        (3, "Suicidprevention,"),
        (4, "Enstaka"),
    ]
    got = client.get(f"{URL}/{fund['id']}", headers=reader)
    assert ok(got) == fund and got.headers["ETag"]
    listed = ok(client.get(URL, headers=reader))["data"]
    assert listed == [fund]
    csv = client.get(URL, headers={**reader, "Accept": "text/csv"}).content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("id;created_at;updated_at;code;name") and "UPH-medel" in csv[1]


def test_only_admins_and_fund_managers_keep_funds(
    client: TestClient, reader: Headers, make_principal: Any, fund: dict[str, Any]
) -> None:
    editor = make_principal(f"editor:{fund['owning_body_id']}")
    for headers in (reader, editor):
        r = client.patch(f"{URL}/{fund['id']}", json={"name": "Annat"}, headers=headers)
        assert r.status_code == 403 and r.json()["code"] == "missing_role"
    assert ok(client.get(f"{URL}/{fund['id']}", headers=reader))["name"] == "UPH-medel"


def test_focus_areas_keep_their_ids_by_number(
    client: TestClient, manager: Headers, admin: Headers, fund: dict[str, Any]
) -> None:
    ids = {a["number"]: a["id"] for a in fund["focus_areas"]}
    etag = client.get(f"{URL}/{fund['id']}", headers=manager).headers["ETag"]
    areas = [
        {"number": 1, "text": "Långsiktiga länsgemensamma insatser."},
        {"number": 3, "text": fund["focus_areas"][2]["text"]},
        {"number": 5, "text": "Ett nytt område."},
    ]
    r = client.patch(f"{URL}/{fund['id']}", json={"focus_areas": areas}, headers={**manager, "If-Match": etag})
    changed = ok(r)
    assert [(a["number"], a["id"] == ids.get(a["number"])) for a in changed["focus_areas"]] == [
        (1, True),
        (3, True),
        (5, False),
    ]
    assert changed["focus_areas"][0]["text"] == "Långsiktiga länsgemensamma insatser."
    assert r.headers["ETag"] != etag
    stale = client.patch(f"{URL}/{fund['id']}", json={"name": "X"}, headers={**manager, "If-Match": etag})
    assert stale.status_code == 412
    audit = ok(client.get(f"{API}/audit", params={"resource_id": fund["id"], "action": "update"}, headers=admin))
    assert list(audit["data"][0]["changes"]) == ["focus_areas"]


def test_bad_input_writes_nothing(client: TestClient, manager: Headers, fund: dict[str, Any]) -> None:
    cases = [
        (
            {"focus_areas": [{"number": 1, "text": "a"}, {"number": 1, "text": "b"}]},
            ["body", "focus_areas", 1, "number"],
        ),
        ({"name": None}, ["body", "name"]),
        ({"code": "uph"}, ["body", "code"]),
        ({"owning_body_id": "00000000-0000-4000-8000-000000000000"}, ["body", "owning_body_id"]),
    ]
    for body, loc in cases:
        r = client.patch(f"{URL}/{fund['id']}", json=body, headers=manager)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["errors"][0]["loc"] == loc
    assert ok(client.get(f"{URL}/{fund['id']}", headers=manager)) == fund


def test_a_fund_needs_bodies_and_a_free_code(
    client: TestClient, admin: Headers, manager: Headers, fund: dict[str, Any], council: str
) -> None:
    umea = ok(
        client.post(f"{API}/organisations", json={"kind": "municipality", "name": "Umeå kommun"}, headers=admin), 201
    )
    body = {"code": "UPH", "name": "Andra medel", "owning_body_id": council, "deciding_body_id": council}
    taken = client.post(URL, json=body, headers=manager)
    assert taken.status_code == 409 and taken.json()["code"] == "duplicate_code"
    not_a_body = client.post(URL, json={**body, "code": "ANDRA", "owning_body_id": umea["id"]}, headers=manager)
    assert not_a_body.status_code == 422
    assert not_a_body.json()["errors"][0]["loc"] == ["body", "owning_body_id"]
    assert len(ok(client.get(URL, headers=manager))["data"]) == 1


def test_a_fund_with_rounds_stays_and_a_deleted_one_is_a_tombstone(
    client: TestClient, manager: Headers, fund: dict[str, Any]
) -> None:
    r = new_round(client, manager, fund["id"], 2025)
    refused = client.delete(f"{URL}/{fund['id']}", headers=manager)
    assert refused.status_code == 409 and refused.json()["code"] == "fund_has_rounds"
    assert client.delete(f"{API}/rounds/{r['id']}", headers=manager).status_code == 204
    assert client.delete(f"{URL}/{fund['id']}", headers=manager).status_code == 204
    assert client.get(f"{URL}/{fund['id']}", headers=manager).status_code == 404
    synced = ok(client.get(URL, params={"updated_since": fund["created_at"]}, headers=manager))["data"]
    assert [(f["id"], f.get("deleted")) for f in synced] == [(fund["id"], True)]


def test_a_fund_is_found_by_its_code(
    client: TestClient, manager: Headers, reader: Headers, fund: dict[str, Any], council: str
) -> None:
    other = {"code": "HLT", "name": "HLT-medel", "owning_body_id": council, "deciding_body_id": council}
    ok(client.post(f"{API}/funds", json=other, headers=manager), 201)
    found = ok(client.get(f"{API}/funds?code=UPH", headers=reader))["data"]
    assert [f["id"] for f in found] == [fund["id"]]
    assert ok(client.get(f"{API}/funds?code=XYZ", headers=reader))["data"] == []
