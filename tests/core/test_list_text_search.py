"""`q=` on lists (part of the fields each list declares, any case, å/ä/ö kept apart, carried in `links.next`),
and the sorts a list view needs: title, reference and name, in Swedish alphabetical order."""

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.search.test_search import API, Council, Headers


def ids(client: TestClient, headers: Headers, path: str, **params: Any) -> list[str]:
    r = client.get(f"{API}/{path}", params=params, headers=headers)
    assert r.status_code == 200, (path, params, r.text)
    return [row["id"] for row in r.json()["data"]]


def post(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> str:
    r = client.post(f"{API}/{path}", json=body, headers=headers)
    assert r.status_code == 201, (path, r.text)
    return str(r.json()["id"])


@pytest.fixture
def council(client: TestClient, admin: Headers) -> Council:
    return Council(client, admin)


def test_meetings_by_title_place_or_diary_number(client: TestClient, admin: Headers, council: Council) -> None:
    body = council.body("Samråd hälsa, vård och omsorg")
    at = {"body_ids": [body], "starts_at": "2024-05-03T09:30:00"}
    umea = post(client, admin, "meetings", {**at, "title": "Årsmöte", "place": "Umeå"})
    teams = post(client, admin, "meetings", {**at, "title": "Extra möte", "place": "Teams", "diary_number": "HSN 50"})
    other = post(client, admin, "meetings", {**at, "title": "Arbetsmöte", "place": "Skellefteå"})
    assert set(ids(client, admin, "meetings", q="ÅRSMÖTE")) == {umea}
    assert set(ids(client, admin, "meetings", q="årsmöte")) == {umea}
    assert set(ids(client, admin, "meetings", q="arsmote")) == set()
    assert set(ids(client, admin, "meetings", q="umeå")) == {umea}
    assert set(ids(client, admin, "meetings", q="hsn 50")) == {teams}
    assert set(ids(client, admin, "meetings", q="möte")) == {umea, teams, other}
    assert set(ids(client, admin, "meetings", q="%")) == set()
    assert set(ids(client, admin, "meetings", q="_")) == set()
    # the other filters still apply
    assert set(ids(client, admin, "meetings", q="möte", year=2025)) == set()


def test_cases_by_title_reference_or_description(client: TestClient, admin: Headers, council: Council) -> None:
    elderly = council.case("Äldreomsorg i glesbygd", "Hemtjänst på landsbygden.")
    youth = council.case("Barn och unga", "Elevhälsa i ÖSTERSUND.")
    reference = client.get(f"{API}/cases/{youth}", headers=admin).json()["reference"]
    assert set(ids(client, admin, "cases", q="äldreomsorg")) == {elderly}
    assert set(ids(client, admin, "cases", q="ÄLDREOMSORG")) == {elderly}
    assert set(ids(client, admin, "cases", q="aldreomsorg")) == set()
    assert set(ids(client, admin, "cases", q="landsbygd")) == {elderly}
    assert set(ids(client, admin, "cases", q="östersund")) == {youth}
    assert set(ids(client, admin, "cases", q=reference.lower())) == {youth}


def test_decisions_by_text(client: TestClient, admin: Headers, council: Council) -> None:
    item = council.item(council.meeting(council.body("Länssamverkansgruppen")), "Tandvård")
    approved = council.decision(item, "Samrådet GODKÄNDE överenskommelsen.")
    noted = council.decision(item, "Informationen noterades.")
    assert set(ids(client, admin, "decisions", q="godkände")) == {approved}
    assert set(ids(client, admin, "decisions", q="Överenskommelsen")) == {approved}
    assert set(ids(client, admin, "decisions", q="noterades")) == {noted}
    assert set(ids(client, admin, "decisions", q="informationen noterades")) == {noted}


def test_documents_by_file_name_or_label(client: TestClient, admin: Headers, council: Council) -> None:
    minutes = council.document("Protokoll Samråd 2024-05-03.txt", b"Text.", label="Bilaga 4")
    attachment = council.document("Åtgärdsplan.txt", b"Text.", label="BILAGA 23")
    assert set(ids(client, admin, "documents", q="protokoll samråd")) == {minutes}
    assert set(ids(client, admin, "documents", q="åtgärdsplan")) == {attachment}
    assert set(ids(client, admin, "documents", q="atgardsplan")) == set()
    assert set(ids(client, admin, "documents", q="bilaga 23")) == {attachment}
    assert set(ids(client, admin, "documents", q="bilaga")) == {minutes, attachment}


def test_q_is_carried_to_the_next_page(client: TestClient, admin: Headers, council: Council) -> None:
    wanted = {council.case(f"Vårdplanering {i}") for i in range(5)}
    council.case("Annat ärende")
    seen: list[str] = []
    url: str | None = f"{API}/cases?q=V%C3%A5rdplanering&limit=2&sort=title"
    while url:
        r = client.get(url, headers=admin)
        assert r.status_code == 200, r.text
        seen += [row["id"] for row in r.json()["data"]]
        url = r.json()["links"]["next"]
        if url:
            assert parse_qs(urlsplit(url).query)["q"] == ["Vårdplanering"]
    assert len(seen) == 5
    assert set(seen) == wanted


@pytest.mark.parametrize("q", ["", "x" * 201])
@pytest.mark.parametrize("path", ["meetings", "cases", "decisions", "documents"])
def test_a_bad_q_is_422(client: TestClient, admin: Headers, path: str, q: str) -> None:
    r = client.get(f"{API}/{path}", params={"q": q}, headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"


SWEDISH_ORDER = ["avtal", "Beslut", "bilaga", "Zon", "Ålder", "ärende", "Örebro"]


def _scrambled(values: list[str]) -> list[str]:
    return values[3:] + values[:3]


def _sorted_values(client: TestClient, admin: Headers, path: str, field: str, sort: str, **params: Any) -> list[str]:
    r = client.get(f"{API}/{path}", params={"sort": sort, "limit": 3, **params}, headers=admin)
    values: list[str] = []
    while True:
        assert r.status_code == 200, r.text
        values += [row[field] for row in r.json()["data"]]
        if not r.json()["links"]["next"]:
            return values
        r = client.get(r.json()["links"]["next"], headers=admin)


def test_lists_sort_by_title_in_swedish_order(client: TestClient, admin: Headers, council: Council) -> None:
    body = council.body("Samrådet")
    meeting = council.meeting(body)
    for title in _scrambled(SWEDISH_ORDER):
        post(client, admin, "meetings", {"body_ids": [body], "starts_at": "2024-06-01T10:00:00", "title": title})
        council.item(meeting, title)
        council.case(title)
        council.document(f"{title}.txt", title.encode())
    for path, params in (("meetings", {"body_id": body}), ("agenda-items", {"meeting_id": meeting}), ("cases", {})):
        titles = [t for t in _sorted_values(client, admin, path, "title", "title", **params) if t]
        assert titles == SWEDISH_ORDER, path
        titles = [t for t in _sorted_values(client, admin, path, "title", "-title", **params) if t]
        assert titles == SWEDISH_ORDER[::-1], path
    names = [f"{t}.txt" for t in SWEDISH_ORDER]
    assert _sorted_values(client, admin, "documents", "filename", "name") == names
    assert _sorted_values(client, admin, "documents", "filename", "-name") == names[::-1]
    assert _sorted_values(client, admin, "documents", "filename", "title") == names


def test_cases_sort_by_reference(client: TestClient, admin: Headers, council: Council) -> None:
    references = ["ks 2024/001", "KS 2024/002", "LSG 2023/010", "ÖK 2022/001"]
    for reference in _scrambled(references):
        r = client.post(f"{API}/cases", json={"title": "Ärende", "reference": reference}, headers=admin)
        assert r.status_code == 201, r.text
    assert _sorted_values(client, admin, "cases", "reference", "reference") == references
    assert _sorted_values(client, admin, "cases", "reference", "-reference") == references[::-1]


def test_a_documents_title_sort_follows_its_label(client: TestClient, admin: Headers, council: Council) -> None:
    second = council.document("Rapport.txt", b"Text.", label="Bilaga 2")
    first = council.document("Översikt.txt", b"Text.", label="Bilaga 1")
    assert ids(client, admin, "documents", sort="title") == [first, second]
    r = client.patch(f"{API}/documents/{first}", json={"label": "Bilaga 3"}, headers=admin)
    assert r.status_code == 200, r.text
    assert ids(client, admin, "documents", sort="title") == [second, first]


def test_principals_and_api_tokens_sort_by_name(client: TestClient, admin: Headers) -> None:
    principals: list[str] = []
    for i, name in enumerate(_scrambled(SWEDISH_ORDER)):
        body = {"kind": "service", "login": f"klient-{i}", "display_name": name, "grants": [{"role": "reader"}]}
        principals.append(post(client, admin, "principals", body))
    assert _sorted_values(client, admin, "principals", "display_name", "name", kind="service") == SWEDISH_ORDER
    assert _sorted_values(client, admin, "principals", "display_name", "-name", kind="service") == SWEDISH_ORDER[::-1]
    for name in _scrambled(SWEDISH_ORDER):
        r = client.post(f"{API}/api-tokens", json={"principal_id": principals[0], "name": name}, headers=admin)
        assert r.status_code == 201, r.text
    assert _sorted_values(client, admin, "api-tokens", "name", "name") == SWEDISH_ORDER
