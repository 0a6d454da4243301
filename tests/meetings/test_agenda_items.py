"""Agenda items over HTTP: numbering through a body's year, presenters and cases, refusals, permissions, sync."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"
URL = f"{API}/agenda-items"
MISSING = "00000000-0000-4000-8000-000000000000"
SINCE = "2000-01-01T00:00:00Z"
Headers = dict[str, str]
MakePrincipal = Callable[..., Headers]


def post(client: TestClient, headers: Headers, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post(API + path, json=body, headers=headers)
    assert r.status_code == 201, (path, r.text)
    return r.json()  # type: ignore[no-any-return]


def body(client: TestClient, admin: Headers, name: str = "Samråd hälsa, vård och omsorg") -> str:
    return str(post(client, admin, "/organisations", {"kind": "joint_body", "name": name})["id"])


def meeting(client: TestClient, admin: Headers, *body_ids: str, starts_at: str = "2024-05-03T09:30:00") -> str:
    return str(post(client, admin, "/meetings", {"body_ids": list(body_ids), "starts_at": starts_at})["id"])


def person(client: TestClient, admin: Headers, given: str, family: str) -> str:
    return str(post(client, admin, "/people", {"given_name": given, "family_name": family})["id"])


def case(client: TestClient, admin: Headers, title: str = "Likvärdig rehabilitering i länet") -> str:
    return str(post(client, admin, "/cases", {"title": title})["id"])


def item(client: TestClient, headers: Headers, meeting_id: str, **fields: Any) -> dict[str, Any]:
    return post(client, headers, "/agenda-items", {"meeting_id": meeting_id, "title": "Aktuellt", **fields})


def listed(client: TestClient, headers: Headers, **params: Any) -> list[dict[str, Any]]:
    r = client.get(URL, params={"limit": 500, **params}, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()["data"]  # type: ignore[no-any-return]


def numbers(client: TestClient, headers: Headers, **params: Any) -> list[str]:
    return [i["number"] for i in listed(client, headers, **params)]


def next_number(client: TestClient, headers: Headers, meeting_id: str, **params: Any) -> dict[str, Any]:
    r = client.get(f"{API}/meetings/{meeting_id}/next-item-number", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def item_range(client: TestClient, headers: Headers, meeting_id: str) -> str | None:
    return client.get(f"{API}/meetings/{meeting_id}", headers=headers).json()["item_range"]  # type: ignore[no-any-return]


def assert_refused(r: Any, status: int, code: str, loc: list[Any] | None = None) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["code"] == code, problem
    if loc is not None:
        assert [e["loc"] for e in problem["errors"]] == [loc], problem


def test_create_get_and_list(client: TestClient, admin: Headers) -> None:
    council = body(client, admin)
    m = meeting(client, admin, council)
    katarina = person(client, admin, "Katarina", "Lindahl")
    linked = case(client, admin)
    r = client.post(
        URL,
        json={
            "meeting_id": m,
            "number": "7a",
            "position": 3,
            "title": "Primärvården är navet",
            "kind": "decision",
            "format": "written",
            "section": "Systemledning tillsammans med Länssamverkansgruppen",
            "presenters": [{"person_id": katarina}, {"name": "Dag Norén", "organisation": "Governo"}],
            "case_ids": [linked],
            "minutes_text": "Primärvården ska utgöra navet i omställningen till Nära vård.",
            "public": False,
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert r.headers["location"].endswith(f"{URL}/{out['id']}")
    assert r.headers["etag"]
    assert {k: out[k] for k in ("meeting_id", "body_id", "number", "position", "kind", "format", "public")} == {
        "meeting_id": m,
        "body_id": council,
        "number": "7a",
        "position": 3,
        "kind": "decision",
        "format": "written",
        "public": False,
    }
    assert out["title"] == "Primärvården är navet"
    assert out["section"] == "Systemledning tillsammans med Länssamverkansgruppen"
    assert out["minutes_text"] == "Primärvården ska utgöra navet i omställningen till Nära vård."
    assert out["presenters"] == [
        {"person_id": katarina, "name": "Katarina Lindahl", "organisation": None},
        {"person_id": None, "name": "Dag Norén", "organisation": "Governo"},
    ]
    assert out["case_ids"] == [linked]

    got = client.get(f"{URL}/{out['id']}", headers=admin)
    assert got.status_code == 200
    assert got.json() == out
    assert got.headers["etag"] == r.headers["etag"]
    assert listed(client, admin) == [out]


def test_defaults(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    first = item(client, admin, m, title="Godkännande av föredragningslista")
    second = item(client, admin, m, title="Föregående protokoll", kind="standing")
    assert (first["number"], first["position"], first["kind"], first["public"]) == ("1", 1, "information", True)
    assert (first["format"], first["section"], first["minutes_text"]) == (None, None, None)
    assert (first["presenters"], first["case_ids"]) == ([], [])
    assert (second["number"], second["position"], second["kind"]) == ("2", 2, "standing")


def test_presenters_keep_their_order_and_swedish_letters(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    sofia = person(client, admin, "Sofia", "Ögren")
    britta = person(client, admin, "Britta", "Edström")
    presenters = [
        {"person_id": sofia},
        {"name": "Erika From", "organisation": "projektledare Nära vård, modellområde Södra Lappland"},
        {"person_id": britta},
        {"name": "Åsa Älvsbäck"},
        {"name": "Sandra Scherman", "organisation": "MAR Umeå kommun"},
    ]
    made = item(client, admin, m, title="Primärvården är navet", presenters=presenters)
    expected = [
        ("Sofia Ögren", None),
        ("Erika From", "projektledare Nära vård, modellområde Södra Lappland"),
        ("Britta Edström", None),
        ("Åsa Älvsbäck", None),
        ("Sandra Scherman", "MAR Umeå kommun"),
    ]
    assert [(p["name"], p["organisation"]) for p in made["presenters"]] == expected
    got = client.get(f"{URL}/{made['id']}", headers=admin).json()
    assert [(p["name"], p["organisation"]) for p in got["presenters"]] == expected

    reordered = client.patch(f"{URL}/{made['id']}", json={"presenters": presenters[::-1]}, headers=admin)
    assert reordered.status_code == 200, reordered.text
    assert [p["name"] for p in reordered.json()["presenters"]] == [n for n, _ in expected[::-1]]
    assert [p["name"] for p in listed(client, admin)[0]["presenters"]] == [n for n, _ in expected[::-1]]


def test_decomposed_text_is_stored_composed(client: TestClient, admin: Headers) -> None:
    """Text pasted from a .docx or .pdf can carry å as a + ring; it is stored NFC, as everywhere else."""
    m = meeting(client, admin, body(client, admin))
    made = item(
        client,
        admin,
        m,
        title="Fo\u0308ljeutva\u0308rdering",
        presenters=[{"name": "A\u030asa O\u0308berg", "organisation": "Regio\u0301n Va\u0308sterbotten"}],
    )
    assert made["title"] == "Följeutvärdering"
    assert made["presenters"][0]["name"] == "Åsa Öberg"
    assert made["presenters"][0]["organisation"] == "Región Västerbotten"
    r = client.patch(
        f"{URL}/{made['id']}", json={"section": "Systemledning fo\u0308r Na\u0308ra va\u030ard"}, headers=admin
    )
    assert r.json()["section"] == "Systemledning för Nära vård"
    assert listed(client, admin)[0]["title"] == "Följeutvärdering"


def test_a_presenter_needs_a_person_or_a_name(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    sofia = person(client, admin, "Sofia", "Ögren")
    r = client.post(
        URL,
        json={"meeting_id": m, "title": "Aktuellt", "presenters": [{"person_id": sofia}, {"organisation": "SKR"}]},
        headers=admin,
    )
    assert_refused(r, 422, "validation_failed", ["body", "presenters", 1])
    r = client.post(
        URL, json={"meeting_id": m, "title": "Aktuellt", "presenters": [{"person_id": MISSING}]}, headers=admin
    )
    assert_refused(r, 422, "validation_failed", ["body", "presenters", 0, "person_id"])
    assert listed(client, admin) == []

    made = item(client, admin, m, presenters=[{"person_id": sofia}])
    r = client.patch(f"{URL}/{made['id']}", json={"presenters": [{}]}, headers=admin)
    assert_refused(r, 422, "validation_failed", ["body", "presenters", 0])
    assert client.get(f"{URL}/{made['id']}", headers=admin).json()["presenters"][0]["person_id"] == sofia


def test_an_unknown_or_deleted_case_is_refused(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    known = case(client, admin)
    gone = case(client, admin, "Tillbakadraget ärende")
    assert client.delete(f"{API}/cases/{gone}", headers=admin).status_code == 204
    for case_ids, index in (([known, MISSING], 1), ([gone], 0)):
        r = client.post(URL, json={"meeting_id": m, "title": "Aktuellt", "case_ids": case_ids}, headers=admin)
        assert_refused(r, 422, "validation_failed", ["body", "case_ids", index])
    assert listed(client, admin) == []
    made = item(client, admin, m, case_ids=[known, known])
    assert made["case_ids"] == [known]
    r = client.patch(f"{URL}/{made['id']}", json={"case_ids": [MISSING]}, headers=admin)
    assert_refused(r, 422, "validation_failed", ["body", "case_ids", 0])
    assert client.get(f"{URL}/{made['id']}", headers=admin).json()["case_ids"] == [known]
    cleared = client.patch(f"{URL}/{made['id']}", json={"case_ids": []}, headers=admin)
    assert cleared.status_code == 200 and cleared.json()["case_ids"] == []


def test_numbers_continue_through_the_body_year(client: TestClient, admin: Headers) -> None:
    council, lsg = body(client, admin), body(client, admin, "Länssamverkansgruppen")
    june = meeting(client, admin, council, starts_at="2024-06-14T09:00:00")
    assert next_number(client, admin, june) == {"body_id": council, "year": 2024, "number": "1"}
    item(client, admin, june, number="13")
    for _ in range(15):
        item(client, admin, june)
    assert numbers(client, admin, meeting_id=june) == [str(n) for n in range(13, 29)]
    assert item_range(client, admin, june) == "13-28"

    october = meeting(client, admin, council, starts_at="2024-10-11T09:00:00")
    assert next_number(client, admin, october) == {"body_id": council, "year": 2024, "number": "29"}
    assert item(client, admin, october)["number"] == "29"
    assert item(client, admin, october, number="30a")["number"] == "30a"
    assert item(client, admin, october)["number"] == "31"
    # An earlier meeting of the same year does not restart: the numbers are the body's, per year.
    assert next_number(client, admin, june)["number"] == "32"

    # 23:30 UTC on New Year's Eve is already 2025 in Umeå.
    new_year = meeting(client, admin, council, starts_at="2024-12-31T23:30:00Z")
    assert next_number(client, admin, new_year) == {"body_id": council, "year": 2025, "number": "1"}
    assert item(client, admin, new_year)["number"] == "1"

    own = meeting(client, admin, lsg, starts_at="2024-10-11T13:00:00")
    assert next_number(client, admin, own) == {"body_id": lsg, "year": 2024, "number": "1"}
    joint = meeting(client, admin, council, lsg, starts_at="2024-11-08T09:00:00")
    assert next_number(client, admin, joint)["number"] == "32"
    assert next_number(client, admin, joint, body_id=lsg) == {"body_id": lsg, "year": 2024, "number": "1"}
    assert item(client, admin, joint, body_id=lsg)["number"] == "1"
    assert item(client, admin, own)["number"] == "2"
    assert item(client, admin, joint)["number"] == "32"


def test_a_deleted_item_frees_its_number(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    item(client, admin, m, number="21")
    last = item(client, admin, m, number="22")
    assert client.delete(f"{URL}/{last['id']}", headers=admin).status_code == 204
    assert next_number(client, admin, m)["number"] == "22"
    assert item(client, admin, m, number="22")["number"] == "22"


def test_a_duplicate_number_within_a_meeting_conflicts(client: TestClient, admin: Headers) -> None:
    council = body(client, admin)
    m = meeting(client, admin, council)
    item(client, admin, m, number="22", title="Genomgång och sammanfattning av beslut")
    other = item(client, admin, m, number="23", title="Nästa möte")
    r = client.post(URL, json={"meeting_id": m, "number": "22", "title": "Dubblett"}, headers=admin)
    assert_refused(r, 409, "duplicate_item_number")
    assert numbers(client, admin, meeting_id=m) == ["22", "23"]

    r = client.patch(f"{URL}/{other['id']}", json={"number": "22", "title": "Ändrad"}, headers=admin)
    assert_refused(r, 409, "duplicate_item_number")
    unchanged = client.get(f"{URL}/{other['id']}", headers=admin).json()
    assert (unchanged["number"], unchanged["title"]) == ("23", "Nästa möte")
    assert client.patch(f"{URL}/{other['id']}", json={"number": "22a"}, headers=admin).json()["number"] == "22a"
    # The same number on another meeting's agenda is no duplicate.
    later = meeting(client, admin, body(client, admin, "Länssamverkansgruppen"))
    assert item(client, admin, later, number="22")["number"] == "22"


def test_invalid_numbers_are_refused(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    for number in ("7ab", "x", "a7", "7-8", "12345", "", " "):
        r = client.post(URL, json={"meeting_id": m, "number": number, "title": "Aktuellt"}, headers=admin)
        assert r.status_code == 422, (number, r.text)
        assert ["body", "number"] in [e["loc"] for e in r.json()["errors"]], number
    assert listed(client, admin) == []
    made = item(client, admin, m, number="7")
    for number in ("x", "7ab", None):
        r = client.patch(f"{URL}/{made['id']}", json={"number": number}, headers=admin)
        assert r.status_code == 422, (number, r.text)
    assert client.get(f"{URL}/{made['id']}", headers=admin).json()["number"] == "7"


def test_the_body_must_be_one_of_the_meetings(client: TestClient, admin: Headers) -> None:
    council, lsg, outsider = (body(client, admin, n) for n in ("Samråd", "Länssamverkansgruppen", "Hjälpmedelsrådet"))
    joint = meeting(client, admin, council, lsg)
    r = client.post(URL, json={"meeting_id": joint, "title": "Aktuellt", "body_id": outsider}, headers=admin)
    assert_refused(r, 422, "validation_failed", ["body", "body_id"])
    assert listed(client, admin) == []
    assert item(client, admin, joint)["body_id"] == council
    assert item(client, admin, joint, body_id=lsg)["body_id"] == lsg


def test_the_meetings_item_range_follows_its_items(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    assert item_range(client, admin, m) is None
    first = item(client, admin, m, number="15")
    assert item_range(client, admin, m) == "15"
    made = [item(client, admin, m) for _ in range(10)]
    assert made[-1]["number"] == "25"
    assert item_range(client, admin, m) == "15-25"
    assert client.delete(f"{URL}/{made[-1]['id']}", headers=admin).status_code == 204
    assert item_range(client, admin, m) == "15-24"
    assert client.patch(f"{URL}/{first['id']}", json={"number": "14"}, headers=admin).status_code == 200
    assert item_range(client, admin, m) == "14-24"


def test_list_filters_and_order(client: TestClient, admin: Headers) -> None:
    council, lsg = body(client, admin), body(client, admin, "Länssamverkansgruppen")
    may = meeting(client, admin, council, starts_at="2024-05-03T09:30:00")
    feb = meeting(client, admin, council, starts_at="2025-02-07T09:30:00")
    lsg_may = meeting(client, admin, lsg, starts_at="2024-05-17T09:00:00")
    rehab = case(client, admin)
    third = item(client, admin, may, position=3, title="Övriga frågor", kind="standing")
    first = item(client, admin, may, position=1, title="Primärvården är navet", kind="decision", case_ids=[rehab])
    second = item(client, admin, may, position=2, title="Aktuellt i samverkan")
    in_2025 = item(client, admin, feb, position=1, title="Rehabilitering", case_ids=[rehab])
    at_lsg = item(client, admin, lsg_may, position=1, title="Ärenden från Samrådet", kind="decision")

    def ids(**params: Any) -> list[str]:
        return [i["id"] for i in listed(client, admin, **params)]

    assert ids(meeting_id=may) == [first["id"], second["id"], third["id"]]
    assert ids(meeting_id=may, sort="-position") == [third["id"], second["id"], first["id"]]
    assert sorted(ids(case_id=rehab)) == sorted([first["id"], in_2025["id"]])
    assert sorted(ids(body_id=council)) == sorted([first["id"], second["id"], third["id"], in_2025["id"]])
    assert ids(body_id=lsg) == [at_lsg["id"]]
    assert ids(year=2025) == [in_2025["id"]]
    assert sorted(ids(year=2024, body_id=council)) == sorted([first["id"], second["id"], third["id"]])
    assert sorted(ids(kind="decision")) == sorted([first["id"], at_lsg["id"]])
    assert sorted(ids(kind=["decision", "standing"], meeting_id=may)) == sorted([first["id"], third["id"]])
    assert ids(case_id=MISSING) == []
    assert client.get(URL, params={"kind": "debate"}, headers=admin).status_code == 422
    assert client.get(URL, params={"year": "tjugo"}, headers=admin).status_code == 422

    page = client.get(URL, params={"meeting_id": may, "limit": 2}, headers=admin).json()
    assert [i["id"] for i in page["data"]] == [first["id"], second["id"]]
    assert f"meeting_id={may}" in page["links"]["next"]
    rest = client.get(page["links"]["next"], headers=admin).json()
    assert [i["id"] for i in rest["data"]] == [third["id"]]


def test_csv_export(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    item(client, admin, m, number="19", title="Primärvården är navet", presenters=[{"name": "Åsa Öberg"}])
    r = client.get(URL, params={"meeting_id": m}, headers={**admin, "Accept": "text/csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, row = text.lstrip("\ufeff").splitlines()[:2]
    assert "number" in header.split(";") and "title" in header.split(";")
    assert "Primärvården är navet" in row.split(";")


def test_patch_honours_if_match(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    r = client.post(URL, json={"meeting_id": m, "title": "Aktuellt i samverkan"}, headers=admin)
    item_id, etag = r.json()["id"], r.headers["etag"]
    assert client.get(f"{URL}/{item_id}", headers=admin).headers["etag"] == etag
    ok = client.patch(
        f"{URL}/{item_id}", json={"minutes_text": "Information gavs."}, headers={**admin, "If-Match": etag}
    )
    assert ok.status_code == 200, ok.text
    assert ok.headers["etag"] != etag
    assert ok.json()["minutes_text"] == "Information gavs."
    same = client.patch(f"{URL}/{item_id}", json={"title": "Aktuellt i samverkan"}, headers=admin)
    assert same.status_code == 200 and same.headers["etag"] == ok.headers["etag"]

    stale = client.patch(f"{URL}/{item_id}", json={"title": "Sent ändrad"}, headers={**admin, "If-Match": etag})
    assert_refused(stale, 412, "precondition_failed")
    assert client.get(f"{URL}/{item_id}", headers=admin).json()["title"] == "Aktuellt i samverkan"
    assert client.delete(f"{URL}/{item_id}", headers={**admin, "If-Match": etag}).status_code == 412
    assert client.delete(f"{URL}/{item_id}", headers={**admin, "If-Match": ok.headers["etag"]}).status_code == 204


def test_patch_changes_only_the_given_fields(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    sofia = person(client, admin, "Sofia", "Ögren")
    made = item(
        client, admin, m, title="Aktuellt", format="oral", minutes_text="Text", presenters=[{"person_id": sofia}]
    )
    r = client.patch(f"{URL}/{made['id']}", json={"kind": "decision", "format": None, "public": False}, headers=admin)
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["kind"], out["format"], out["public"]) == ("decision", None, False)
    assert (out["title"], out["minutes_text"], out["number"]) == ("Aktuellt", "Text", made["number"])
    assert out["presenters"] == made["presenters"]
    for field in ("title", "kind", "public", "position"):
        r = client.patch(f"{URL}/{made['id']}", json={field: None}, headers=admin)
        assert r.status_code == 422, (field, r.text)


def test_delete_is_soft_and_leaves_a_tombstone(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    kept = item(client, admin, m, title="Föregående protokoll")
    gone = item(client, admin, m, title="Övriga frågor", minutes_text="Inga övriga frågor.")
    assert client.delete(f"{URL}/{gone['id']}", headers=admin).status_code == 204
    assert client.get(f"{URL}/{gone['id']}", headers=admin).status_code == 404
    assert client.patch(f"{URL}/{gone['id']}", json={"title": "x"}, headers=admin).status_code == 404
    assert client.delete(f"{URL}/{gone['id']}", headers=admin).status_code == 404
    assert [i["id"] for i in listed(client, admin)] == [kept["id"]]
    synced = {i["id"]: i for i in listed(client, admin, updated_since=SINCE)}
    assert set(synced) == {kept["id"], gone["id"]}
    assert synced[gone["id"]]["deleted"] is True
    assert set(synced[gone["id"]]) == {"id", "deleted", "updated_at"}
    assert synced[kept["id"]]["title"] == "Föregående protokoll"


def test_an_item_with_decisions_cannot_be_deleted(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    made = item(client, admin, m, title="Aktuellt i samverkan")
    decision = post(client, admin, "/decisions", {"agenda_item_id": made["id"], "kind": "noted"})
    r = client.delete(f"{URL}/{made['id']}", headers=admin)
    assert_refused(r, 409, "in_use")
    assert client.get(f"{URL}/{made['id']}", headers=admin).status_code == 200
    assert client.delete(f"{API}/decisions/{decision['id']}", headers=admin).status_code == 204
    assert client.delete(f"{URL}/{made['id']}", headers=admin).status_code == 204


def test_permissions(client: TestClient, admin: Headers, reader: Headers, make_principal: MakePrincipal) -> None:
    council, lsg, other = (body(client, admin, n) for n in ("Samråd", "Länssamverkansgruppen", "Hjälpmedelsrådet"))
    m = meeting(client, admin, council, lsg)
    secretary = make_principal(f"secretary:{council}")
    lsg_secretary = make_principal(f"secretary:{lsg}")
    outsider = make_principal(f"secretary:{other}")

    made = item(client, secretary, m, title="Aktuellt")
    assert item(client, lsg_secretary, m, title="Från Länssamverkansgruppen", body_id=lsg)["body_id"] == lsg
    r = client.patch(f"{URL}/{made['id']}", json={"title": "Aktuellt i samverkan"}, headers=secretary)
    assert r.status_code == 200, r.text

    for headers in (outsider, reader):
        r = client.post(URL, json={"meeting_id": m, "title": "Obehörig"}, headers=headers)
        assert_refused(r, 403, "missing_role")
        assert_refused(
            client.patch(f"{URL}/{made['id']}", json={"title": "Obehörig"}, headers=headers), 403, "missing_role"
        )
        assert_refused(client.delete(f"{URL}/{made['id']}", headers=headers), 403, "missing_role")
        assert client.get(f"{URL}/{made['id']}", headers=headers).status_code == 200
    assert sorted(i["title"] for i in listed(client, reader)) == ["Aktuellt i samverkan", "Från Länssamverkansgruppen"]

    assert client.get(URL).status_code == 401
    assert client.get(URL).headers["www-authenticate"].startswith("Bearer")
    assert client.get(f"{URL}/{made['id']}").status_code == 401
    assert client.post(URL, json={"meeting_id": m, "title": "Anonym"}).status_code == 401
    assert client.patch(f"{URL}/{made['id']}", json={"title": "Anonym"}).status_code == 401
    assert client.delete(f"{URL}/{made['id']}").status_code == 401
    assert client.get(f"{API}/meetings/{m}/next-item-number").status_code == 401

    assert client.get(f"{URL}/{MISSING}", headers=reader).status_code == 404
    assert client.patch(f"{URL}/{MISSING}", json={"title": "x"}, headers=admin).status_code == 404
    assert client.delete(f"{URL}/{MISSING}", headers=admin).status_code == 404
    missing_meeting = client.post(URL, json={"meeting_id": MISSING, "title": "x"}, headers=admin)
    assert missing_meeting.status_code == 422
    assert missing_meeting.json()["errors"][0]["loc"] == ["body", "meeting_id"]
    assert client.get(f"{API}/meetings/{MISSING}/next-item-number", headers=admin).status_code == 404

    assert client.delete(f"{URL}/{made['id']}", headers=secretary).status_code == 204
    assert [i["title"] for i in listed(client, admin)] == ["Från Länssamverkansgruppen"]


def test_unknown_fields_are_refused(client: TestClient, admin: Headers) -> None:
    m = meeting(client, admin, body(client, admin))
    r = client.post(URL, json={"meeting_id": m, "title": "Aktuellt", "colour": "röd"}, headers=admin)
    assert_refused(r, 422, "validation_failed")
    assert ["body", "colour"] in [e["loc"] for e in r.json()["errors"]]
    r = client.post(
        URL, json={"meeting_id": m, "title": "x", "presenters": [{"name": "Dag", "role": "x"}]}, headers=admin
    )
    assert r.status_code == 422
    assert listed(client, admin) == []
    made = item(client, admin, m)
    for field, value in (("meeting_id", m), ("body_id", made["body_id"]), ("year", 2024)):
        r = client.patch(f"{URL}/{made['id']}", json={field: value}, headers=admin)
        assert r.status_code == 422, (field, r.text)
        assert ["body", field] in [e["loc"] for e in r.json()["errors"]]
    for bad in ({"kind": "debate"}, {"format": "sung"}, {"position": -1}, {"title": ""}):
        r = client.post(URL, json={"meeting_id": m, "title": "Aktuellt", **bad}, headers=admin)
        assert r.status_code == 422, (bad, r.text)


def test_list_statements_do_not_grow_with_the_number_of_items(
    client: TestClient, admin: Headers, count_queries: Any
) -> None:
    council = body(client, admin)
    people = [person(client, admin, "Anna", f"Öberg {n}") for n in range(3)]
    rehab = case(client, admin)

    def agenda(size: int, starts_at: str) -> str:
        m = meeting(client, admin, council, starts_at=starts_at)
        for n in range(size):
            presenters = [{"person_id": people[n % 3]}, {"name": "Dag Norén", "organisation": "Governo"}]
            item(client, admin, m, title=f"Punkt {n}", presenters=presenters, case_ids=[rehab])
        return m

    small, large = agenda(2, "2024-05-03T09:30:00"), agenda(20, "2024-06-14T09:30:00")
    with count_queries() as few:
        assert len(listed(client, admin, meeting_id=small)) == 2
    with count_queries() as many:
        data = listed(client, admin, meeting_id=large)
    assert len(data) == 20
    assert all(len(i["presenters"]) == 2 and i["case_ids"] == [rehab] for i in data)
    assert few() == many()


def test_the_list_takes_a_constant_number_of_statements(client: TestClient, admin: Headers, count_queries: Any) -> None:
    council = body(client, admin)
    m = meeting(client, admin, council)
    linked, katarina = case(client, admin), person(client, admin, "Katarina", "Åström")
    presenters = [{"person_id": katarina}, {"name": "Dag Norén", "organisation": "Governo"}]
    for n in range(6):
        item(client, admin, m, title=f"Ärende {n}", presenters=presenters, case_ids=[linked])
    counts = {}
    for limit in (1, 6):
        with count_queries() as n:
            page = client.get(URL, params={"meeting_id": m, "limit": limit}, headers=admin).json()
        assert len(page["data"]) == limit
        assert all(len(i["presenters"]) == 2 and i["case_ids"] == [linked] for i in page["data"])
        counts[limit] = n()
    assert counts[1] == counts[6]
