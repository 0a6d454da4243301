"""Organisations over HTTP: the happy path and every refusal, with nothing written on a refusal."""

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

URL = "/api/v1/organisations"


def municipality(name: str = "Umeå kommun", code: str = "2480", **extra: Any) -> dict[str, Any]:
    return {
        "kind": "municipality",
        "name": name,
        "municipality_code": code,
        "county_code": "24",
        "is_principal": True,
        **extra,
    }


def test_create_get_and_list(client: TestClient, admin: dict[str, str]) -> None:
    r = client.post(URL, json=municipality(org_number="2120002742"), headers=admin)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["name"] == "Umeå kommun"
    assert body["org_number"] == "212000-2742"
    assert r.headers["location"].endswith(f"{URL}/{body['id']}")
    assert r.headers["etag"]

    got = client.get(f"{URL}/{body['id']}", headers=admin)
    assert got.status_code == 200
    assert got.json() == body
    assert got.headers["etag"] == r.headers["etag"]

    listed = client.get(URL, headers=admin).json()
    assert [o["name"] for o in listed["data"]] == ["Umeå kommun"]
    assert listed["pagination"] == {"limit": 50, "total": None}


def test_swedish_order_and_name_search(client: TestClient, admin: dict[str, str]) -> None:
    for name, code in [
        ("Örnsköldsvik", "2284"),
        ("Åsele kommun", "2463"),
        ("Vännäs kommun", "2460"),
        ("Arvidsjaur", "2505"),
        ("Älvsbyn", "2560"),
        ("Umeå kommun", "2480"),
    ]:
        county = code[:2]
        assert client.post(URL, json=municipality(name, code, county_code=county), headers=admin).status_code == 201
    names = [o["name"] for o in client.get(URL, headers=admin).json()["data"]]
    assert names == ["Arvidsjaur", "Umeå kommun", "Vännäs kommun", "Åsele kommun", "Älvsbyn", "Örnsköldsvik"]
    found = client.get(URL, params={"q": "åSELE"}, headers=admin).json()["data"]
    assert [o["name"] for o in found] == ["Åsele kommun"]
    assert client.get(URL, params={"q": "asele"}, headers=admin).json()["data"] == []


def test_rename_keeps_former_name_and_is_found_by_it(client: TestClient, admin: dict[str, str]) -> None:
    r = client.post(
        URL, json={"kind": "joint_body", "name": "Samråd vård och omsorg", "start_date": "2020-09-01"}, headers=admin
    )
    org_id = r.json()["id"]
    r = client.patch(
        f"{URL}/{org_id}", json={"name": "Samråd hälsa, vård och omsorg", "renamed_on": "2024-01-01"}, headers=admin
    )
    assert r.status_code == 200, r.text
    assert r.json()["former_names"] == [
        {"name": "Samråd vård och omsorg", "valid_from": "2020-09-01", "valid_to": "2023-12-31"}
    ]
    for q in ("vård och omsorg", "Samråd vård", "hälsa"):
        hits = client.get(URL, params={"q": q}, headers=admin).json()["data"]
        assert [o["id"] for o in hits] == [org_id], q


@pytest.mark.parametrize("renamed_on", ["2020-09-01", "2019-12-31"], ids=["on_start_date", "before_start_date"])
def test_a_rename_before_the_start_date_is_refused_naming_renamed_on(
    client: TestClient, admin: dict[str, str], renamed_on: str
) -> None:
    r = client.post(URL, json={"kind": "joint_body", "name": "Samråd vård", "start_date": "2020-09-01"}, headers=admin)
    org_id, etag = r.json()["id"], r.headers["etag"]
    refused = client.patch(f"{URL}/{org_id}", json={"name": "Samråd hälsa", "renamed_on": renamed_on}, headers=admin)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "renamed_on"]]
    after = client.get(f"{URL}/{org_id}", headers=admin)
    assert after.headers["etag"] == etag
    assert (after.json()["name"], after.json()["former_names"]) == ("Samråd vård", [])


@pytest.mark.parametrize("starts_in_days", [0, 30], ids=["starts_today", "starts_later"])
def test_renaming_a_body_that_has_not_yet_begun_corrects_its_name(
    client: TestClient, admin: dict[str, str], starts_in_days: int
) -> None:
    start = (date.today() + timedelta(days=starts_in_days)).isoformat()
    r = client.post(URL, json={"kind": "joint_body", "name": "Samråd vårf", "start_date": start}, headers=admin)
    renamed = client.patch(f"{URL}/{r.json()['id']}", json={"name": "Samråd vård"}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    assert (renamed.json()["name"], renamed.json()["former_names"]) == ("Samråd vård", [])


def test_sub_region_members_and_filter(client: TestClient, admin: dict[str, str]) -> None:
    umea = client.post(URL, json=municipality(), headers=admin).json()["id"]
    vannas = client.post(URL, json=municipality("Vännäs kommun", "2460"), headers=admin).json()["id"]
    area = client.post(
        URL, json={"kind": "sub_region", "name": "Umeå med krans", "member_ids": [umea, vannas]}, headers=admin
    )
    assert area.status_code == 201, area.text
    assert sorted(area.json()["member_ids"]) == sorted([umea, vannas])
    members = client.get(URL, params={"member_of": area.json()["id"]}, headers=admin).json()["data"]
    assert {o["id"] for o in members} == {umea, vannas}


def test_refusals_name_the_field_and_write_nothing(client: TestClient, admin: dict[str, str]) -> None:
    cases = [
        (municipality(org_number="2120002743"), "org_number"),
        (municipality(code="248"), "municipality_code"),
        (municipality(code="2580"), "municipality_code"),
        (municipality(name="x" * 201), "name"),
        (municipality(start_date="2024-02-30"), "start_date"),
        (municipality(unknown_field=1), "unknown_field"),
        ({**municipality(), "kind": "parish"}, "kind"),
        ({"kind": "external", "name": "SKR", "is_principal": True}, "is_principal"),
        (municipality(start_date="2024-01-01", end_date="2023-01-01"), "end_date"),
        (municipality(website="not a url"), "website"),
    ]
    for body, field in cases:
        r = client.post(URL, json=body, headers=admin)
        assert r.status_code == 422, (field, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        problem = r.json()
        assert problem["code"] == "validation_failed"
        assert any(field in map(str, e["loc"]) for e in problem["errors"]), (field, problem)
    assert client.get(URL, params={"count": "true"}, headers=admin).json()["pagination"]["total"] == 0


def test_malformed_json_is_a_problem(client: TestClient, admin: dict[str, str]) -> None:
    r = client.post(URL, content=b'{"kind": "municipality", ', headers={**admin, "Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["type"] == "json_invalid"


def test_duplicates_conflict(client: TestClient, admin: dict[str, str]) -> None:
    assert client.post(URL, json=municipality(org_number="212000-2742"), headers=admin).status_code == 201
    r = client.post(URL, json=municipality("Annan kommun", "2481", org_number="212000-2742"), headers=admin)
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_org_number"
    r = client.post(URL, json=municipality("UMEÅ KOMMUN", "2482"), headers=admin)
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_name"


def test_if_match_and_stale_etag(client: TestClient, admin: dict[str, str]) -> None:
    r = client.post(URL, json=municipality(), headers=admin)
    org_id, etag = r.json()["id"], r.headers["etag"]
    ok = client.patch(f"{URL}/{org_id}", json={"short_name": "Umeå"}, headers={**admin, "If-Match": etag})
    assert ok.status_code == 200
    assert ok.headers["etag"] != etag
    stale = client.patch(f"{URL}/{org_id}", json={"short_name": "U"}, headers={**admin, "If-Match": etag})
    assert stale.status_code == 412
    assert client.get(f"{URL}/{org_id}", headers=admin).json()["short_name"] == "Umeå"
    assert client.delete(f"{URL}/{org_id}", headers={**admin, "If-Match": etag}).status_code == 412


def test_delete_is_soft_and_leaves_a_tombstone(client: TestClient, admin: dict[str, str]) -> None:
    before = "2000-01-01T00:00:00Z"
    org_id = client.post(URL, json=municipality(), headers=admin).json()["id"]
    assert client.delete(f"{URL}/{org_id}", headers=admin).status_code == 204
    assert client.get(f"{URL}/{org_id}", headers=admin).status_code == 404
    assert client.get(URL, headers=admin).json()["data"] == []
    synced = client.get(URL, params={"updated_since": before}, headers=admin).json()["data"]
    assert len(synced) == 1
    assert set(synced[0]) == {"id", "deleted", "updated_at"}
    assert synced[0]["deleted"] is True
    # the code is free again once the old one is deleted
    assert client.post(URL, json=municipality(), headers=admin).status_code == 201


def test_parent_cycle_refused(client: TestClient, admin: dict[str, str]) -> None:
    council = client.post(URL, json={"kind": "joint_body", "name": "Samråd"}, headers=admin).json()["id"]
    au = client.post(URL, json={"kind": "joint_body", "name": "AU", "parent_id": council}, headers=admin).json()["id"]
    r = client.patch(f"{URL}/{council}", json={"parent_id": au}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "parent_id"]


def test_permissions(client: TestClient, admin: dict[str, str], reader: dict[str, str]) -> None:
    org_id = client.post(URL, json=municipality(), headers=admin).json()["id"]
    assert client.get(URL).status_code == 401
    assert client.get(URL).headers["www-authenticate"].startswith("Bearer")
    assert client.get(URL, headers=reader).status_code == 200
    assert client.post(URL, json=municipality("X", "2481"), headers=reader).status_code == 403
    assert client.patch(f"{URL}/{org_id}", json={"short_name": "U"}, headers=reader).status_code == 403
    assert client.delete(f"{URL}/{org_id}", headers=reader).status_code == 403
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"{URL}/{missing}", headers=reader).status_code == 404


def test_list_queries_do_not_grow_with_page_size(client: TestClient, admin: dict[str, str], count_queries: Any) -> None:
    ids = [
        client.post(URL, json=municipality(f"Kommun {i}", f"24{i:02d}"), headers=admin).json()["id"] for i in range(12)
    ]
    client.post(URL, json={"kind": "sub_region", "name": "Område", "member_ids": ids[:3]}, headers=admin)
    with count_queries() as small:
        assert len(client.get(URL, params={"limit": 2}, headers=admin).json()["data"]) == 2
    with count_queries() as large:
        assert len(client.get(URL, params={"limit": 13}, headers=admin).json()["data"]) == 13
    assert small() == large()
