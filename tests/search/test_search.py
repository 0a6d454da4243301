"""Full-text search over cases, agenda items, decisions and documents: ranked, Swedish-aware, filtered, and
always in step with what was written (an edit is found by its new text, a deletion is gone)."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.documents import files

API = "/api/v1"
URL = f"{API}/search"
Headers = dict[str, str]


class Council:
    """Makes the objects search finds, over HTTP, as an admin."""

    def __init__(self, client: TestClient, headers: Headers) -> None:
        self.c, self.h = client, headers

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.c.post(API + path, json=body, headers=self.h)
        assert r.status_code == 201, (path, r.text)
        created: dict[str, Any] = r.json()
        return created

    def body(self, name: str) -> str:
        return str(self._post("/organisations", {"kind": "joint_body", "name": name})["id"])

    def meeting(self, body_id: str, starts_at: str = "2024-05-03T09:30:00") -> str:
        return str(self._post("/meetings", {"body_ids": [body_id], "starts_at": starts_at})["id"])

    def item(self, meeting_id: str, title: str, minutes: str | None = None, **extra: Any) -> str:
        body = {"meeting_id": meeting_id, "title": title, "minutes_text": minutes, **extra}
        return str(self._post("/agenda-items", body)["id"])

    def case(self, title: str, description: str | None = None, body_id: str | None = None) -> str:
        body = {"title": title, "description": description, "responsible_body_id": body_id}
        return str(self._post("/cases", body)["id"])

    def decision(self, item_id: str, text: str, clauses: list[str] | None = None) -> str:
        body = {"agenda_item_id": item_id, "kind": "noted", "text": text, "clauses": clauses or []}
        return str(self._post("/decisions", body)["id"])

    def document(self, name: str, data: bytes, label: str | None = None, links: list[str] | None = None) -> str:
        form: dict[str, Any] = {"link": links or []}
        if label:
            form["label"] = label
        r = self.c.post(f"{API}/documents", files={"file": (name, data)}, data=form, headers=self.h)
        assert r.status_code == 201, r.text
        return str(r.json()["id"])


@pytest.fixture
def council(client: TestClient, admin: Headers) -> Council:
    return Council(client, admin)


def search(client: TestClient, headers: Headers, q: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get(URL, params={"q": q, **params}, headers=headers)
    assert r.status_code == 200, (q, r.text)
    hits: list[dict[str, Any]] = r.json()["data"]
    return hits


def found(client: TestClient, headers: Headers, q: str, **params: Any) -> set[str]:
    return {h["id"] for h in search(client, headers, q, **params)}


def test_hits_are_ranked_with_kind_title_and_marked_snippet(
    client: TestClient, admin: Headers, council: Council
) -> None:
    body = council.body("Samråd hälsa, vård och omsorg")
    meeting = council.meeting(body)
    case = council.case("Äldreomsorgens kompetensförsörjning", "Ett länsgemensamt arbete.", body)
    item = council.item(
        meeting,
        "Suicidprevention i länet",
        "Suicidprevention är ett gemensamt ansvar. Länets plan för suicidprevention följs upp varje år; "
        "arbetet med suicidprevention redovisas i maj.",
        number="18",
    )
    decision = council.decision(item, "Samrådet noterade informationen om äldreomsorg och psykisk hälsa.")
    doc = council.document(
        "Handlingsplan för suicidprevention.docx",
        files.docx(["Handlingsplan", "Insatser inom äldreomsorg, psykiatri och primärvård.", "Uppföljning 2025"]),
        label="Bilaga 18",
    )

    hits = search(client, admin, "suicidprevention")
    assert [h["id"] for h in hits][:1] == [item]
    assert {h["id"] for h in hits} == {item, doc}
    first = hits[0]
    assert first["kind"] == "agenda_item"
    assert first["title"] == "18. Suicidprevention i länet"
    assert "«suicidprevention»" in first["snippet"].casefold()
    assert first["body_id"] == body
    assert first["year"] == 2024
    assert [h["rank"] for h in hits] == sorted((h["rank"] for h in hits), reverse=True)

    by_id = {h["id"]: h for h in search(client, admin, "äldreomsorg")}
    assert set(by_id) == {case, decision, doc}  # "Äldreomsorgens" has the stem "äldreomsorg"
    assert by_id[decision]["kind"] == "decision"
    assert by_id[decision]["title"] == "noted: Samrådet noterade informationen om äldreomsorg och psykisk hälsa."
    assert "«äldreomsorg»" in by_id[decision]["snippet"]
    assert by_id[doc]["kind"] == "document"
    assert by_id[doc]["title"] == "Bilaga 18 Handlingsplan för suicidprevention"
    assert "«äldreomsorg»" in by_id[doc]["snippet"]

    hits = search(client, admin, "kompetensförsörjning")
    assert [(h["kind"], h["id"]) for h in hits] == [("case", case)]
    assert hits[0]["title"].endswith(" Äldreomsorgens kompetensförsörjning")
    assert "«kompetensförsörjning»" in hits[0]["snippet"]


def test_title_only_match_has_a_marked_snippet(client: TestClient, admin: Headers, council: Council) -> None:
    case = council.case("Trygghetsskapande teknik i hemtjänsten")
    hits = search(client, admin, "hemtjänsten")
    assert [h["id"] for h in hits] == [case]
    assert "«hemtjänsten»" in hits[0]["snippet"]


def test_several_words_must_all_match(client: TestClient, admin: Headers, council: Council) -> None:
    both = council.case("Psykisk hälsa hos barn och unga")
    one = council.case("Psykisk hälsa hos äldre")
    assert found(client, admin, "psykisk hälsa") == {both, one}
    assert found(client, admin, "psykisk barn") == {both}
    assert found(client, admin, "barn äldre") == set()


def test_document_text_and_name_are_found(client: TestClient, admin: Headers, council: Council) -> None:
    docx = council.document(
        "Överenskommelse.docx",
        files.docx(["Överenskommelse om trygg och effektiv utskrivning", "Gäller från 1 januari"]),
    )
    pdf = council.document(
        "Minnesanteckningar.pdf",
        files.pdf([["Minnesanteckningar", "Länssamverkansgruppen diskuterade hemsjukvården."]]),
        label="Bilaga 22.1",
    )
    txt = council.document("Närvaro.txt", "Närvarande från Skellefteå och Lycksele.".encode("cp1252"))
    image = council.document("Organisationsskiss.png", files.PNG)

    assert found(client, admin, "utskrivning") == {docx}
    assert found(client, admin, "hemsjukvården") == {pdf}
    assert found(client, admin, "Lycksele") == {txt}
    assert found(client, admin, "Organisationsskiss") == {image}
    assert found(client, admin, "Bilaga") == {pdf}
    hits = search(client, admin, "hemsjukvården")
    assert hits[0]["kind"] == "document"
    assert "«hemsjukvården»" in hits[0]["snippet"]


def test_filters_by_kind_body_and_year(client: TestClient, admin: Headers, council: Council) -> None:
    shvo = council.body("Samråd hälsa, vård och omsorg")
    lsg = council.body("Länssamverkansgruppen")
    m2024 = council.meeting(shvo, "2024-05-03T09:30:00")
    m2025 = council.meeting(lsg, "2025-02-14T13:00:00")
    item24 = council.item(m2024, "Samverkan kring rehabilitering", "Samverkan i länet.")
    item25 = council.item(m2025, "Samverkan kring psykiatri", "Samverkan med kommunerna.")
    decision24 = council.decision(item24, "Samverkan ska fördjupas.")
    case_lsg = council.case("Samverkan om hemsjukvård", "Samverkan mellan region och kommun.", lsg)
    doc_lsg = council.document(
        "Samverkan.txt", "Samverkan i Västerbotten.".encode(), links=[f"meeting:{m2025}", f"case:{case_lsg}"]
    )
    loose = council.document("Samverkansavtal.txt", b"Samverkan utan koppling.")

    everything = {item24, item25, decision24, case_lsg, doc_lsg, loose}
    assert found(client, admin, "samverkan") == everything
    assert found(client, admin, "samverkan", kind="agenda_item") == {item24, item25}
    assert found(client, admin, "samverkan", kind=["case", "decision"]) == {case_lsg, decision24}
    assert found(client, admin, "samverkan", kind="document") == {doc_lsg, loose}
    assert found(client, admin, "samverkan", body_id=lsg) == {item25, case_lsg, doc_lsg}
    assert found(client, admin, "samverkan", body_id=shvo) == {item24, decision24}
    assert found(client, admin, "samverkan", year=2024) == {item24, decision24}
    assert found(client, admin, "samverkan", year=2025) == {item25, doc_lsg}  # the meeting's year
    assert found(client, admin, "samverkan", year=2025, body_id=shvo) == set()
    assert found(client, admin, "samverkan", kind="agenda_item", body_id=lsg, year=2025) == {item25}
    hits = search(client, admin, "samverkan", body_id=lsg)
    assert all(h["body_id"] == lsg for h in hits)

    # a document filed elsewhere moves with its links
    moved = client.patch(
        f"{API}/documents/{doc_lsg}", json={"links": [{"target_type": "meeting", "target_id": m2024}]}, headers=admin
    )
    assert moved.status_code == 200, moved.text
    assert found(client, admin, "samverkan", body_id=shvo, kind="document") == {doc_lsg}
    assert found(client, admin, "samverkan", body_id=lsg, kind="document") == set()


def test_limit_gives_the_best_hits(client: TestClient, admin: Headers, council: Council) -> None:
    best = council.case("Vårdplanering", "Vårdplanering, vårdplanering och åter vårdplanering.")
    for i in range(5):
        description = f"En lång beskrivning nummer {i} där vårdplanering nämns en gång bland mycket annat."
        council.case(f"Ärende {i}", description)
    r = client.get(URL, params={"q": "vårdplanering", "limit": 2}, headers=admin)
    assert r.status_code == 200
    body = r.json()
    assert len(body["data"]) == 2
    assert body["data"][0]["id"] == best
    assert body["pagination"] == {"limit": 2, "total": None}
    assert body["links"]["next"] is None


def test_swedish_letters_stay_distinct_and_case_does_not_matter(
    client: TestClient, admin: Headers, council: Council
) -> None:
    year = council.case("Planen gäller i tre år")
    county = council.case("Region Västerbotten")
    ostersund = council.case("Östersund", "Jämtland")
    assert found(client, admin, "år") == {year}
    assert found(client, admin, "ÅR") == {year}
    assert found(client, admin, "ar") == set()
    assert found(client, admin, "Västerbotten") == {county}
    assert found(client, admin, "västerbotten") == {county}
    assert found(client, admin, "VÄSTERBOTTEN") == {county}
    assert found(client, admin, "vasterbotten") == set()
    assert found(client, admin, "Vasterbotten") == set()
    assert found(client, admin, "östersund") == {ostersund}
    assert found(client, admin, "ostersund") == set()
    assert found(client, admin, "jamtland") == set()
    # a decomposed query (a + combining ring) is the same word
    assert found(client, admin, "Va\u0308sterbotten") == {county}
    assert found(client, admin, "a\u030ar") == {year}


def test_decomposed_text_is_found_by_composed_query(client: TestClient, admin: Headers, council: Council) -> None:
    doc = council.document("Skåne.docx", files.docx(["Samarbete med Ska\u030ane och O\u0308rebro"]))
    assert found(client, admin, "Skåne") == {doc}
    assert found(client, admin, "örebro") == {doc}


def test_inflected_forms_are_found(client: TestClient, admin: Headers, council: Council) -> None:
    """Swedish stems on both databases, the same ones: the definite and plural forms find each other."""
    base = council.case("Rehabilitering i länet")
    inflected = council.case("Kommunernas ansvar", "Rehabiliteringen ska bli likvärdig.")
    housing = council.case("Boenden för äldre", "Särskilda boenden i länet.")
    agreement = council.case("Avtal om hemsjukvård")
    matter = council.case("Ärenden till samrådet")
    assert found(client, admin, "rehabilitering") == {base, inflected}
    assert found(client, admin, "rehabiliteringen") == {base, inflected}
    assert found(client, admin, "kommunerna") == {inflected}
    assert found(client, admin, "kommun") == {inflected}
    assert found(client, admin, "boendet") == {housing}
    assert found(client, admin, "boende") == {housing}
    assert found(client, admin, "avtalet") == {agreement}
    assert found(client, admin, "avtalen") == {agreement}
    assert found(client, admin, "ärendet") == {matter}
    # a stem is not a prefix: a part of a word finds nothing
    assert found(client, admin, "rehabiliter") == set()
    assert found(client, admin, "hemsjuk") == set()


def test_snippets_show_the_words_as_written(client: TestClient, admin: Headers, council: Council) -> None:
    case = council.case("Avtalet om boendet", "Boenden och avtal ses över av Region Västerbotten.")
    hits = search(client, admin, "avtalet boenden")
    assert [h["id"] for h in hits] == [case]
    assert hits[0]["snippet"] == "«Boenden» och «avtal» ses över av Region Västerbotten."
    hits = search(client, admin, "region")
    assert hits[0]["snippet"] == "Boenden och avtal ses över av «Region» Västerbotten."


def test_words_that_find_everything_are_left_out(client: TestClient, admin: Headers, council: Council) -> None:
    """Stop words (och, i, att…) are left out of the query, as PostgreSQL's swedish configuration does."""
    case = council.case("Psykisk hälsa", "Barn och unga.")
    assert found(client, admin, "psykisk och hälsa") == {case}
    assert found(client, admin, "barn i unga") == {case}
    assert found(client, admin, "och") == set()


def test_an_edit_is_found_by_its_new_text_only(client: TestClient, admin: Headers, council: Council) -> None:
    body = council.body("Samråd hälsa, vård och omsorg")
    item = council.item(council.meeting(body), "Aktuellt", "Information om ambulanssjukvården.")
    case = council.case("Läkemedelsgenomgångar", "Gamla rutiner för hjälpmedel.", body)
    decision = council.decision(item, "Samrådet godkände tandvårdsavtalet.")
    doc = council.document("Utkast.txt", b"Text.", label="Bilaga 4")
    assert found(client, admin, "ambulanssjukvården") == {item}

    edits = [
        (f"{API}/agenda-items/{item}", {"minutes_text": "Information om barnhälsovården."}),
        (f"{API}/cases/{case}", {"description": "Nya rutiner för läkemedel.", "title": "Läkemedelsrutiner"}),
        (f"{API}/decisions/{decision}", {"text": "Samrådet godkände hörselvårdsavtalet."}),
        (f"{API}/documents/{doc}", {"label": "Bilaga 5", "filename": "Slutversion.txt"}),
    ]
    for url, patch in edits:
        r = client.patch(url, json=patch, headers=admin)
        assert r.status_code == 200, (url, r.text)

    assert found(client, admin, "ambulanssjukvården") == set()
    assert found(client, admin, "barnhälsovården") == {item}
    assert found(client, admin, "hjälpmedel") == set()
    assert found(client, admin, "Läkemedelsgenomgångar") == set()
    assert found(client, admin, "Läkemedelsrutiner") == {case}
    assert found(client, admin, "tandvårdsavtalet") == set()
    assert found(client, admin, "hörselvårdsavtalet") == {decision}
    assert found(client, admin, "Utkast") == set()
    assert found(client, admin, "Slutversion") == {doc}
    assert search(client, admin, "Slutversion")[0]["title"] == "Bilaga 5 Slutversion"


def test_deleted_objects_are_not_found(client: TestClient, admin: Headers, council: Council) -> None:
    body = council.body("Samråd hälsa, vård och omsorg")
    item = council.item(council.meeting(body), "Habilitering", "Habilitering för barn.")
    decision = council.decision(item, "Habilitering noterades.")
    case = council.case("Habiliteringens organisation", None, body)
    doc = council.document("Habilitering.txt", "Habilitering i länet.".encode())
    kept = council.case("Habilitering för vuxna")
    assert found(client, admin, "habilitering") >= {item, decision, case, doc, kept}

    for path in (f"documents/{doc}", f"cases/{case}", f"decisions/{decision}", f"agenda-items/{item}"):
        r = client.delete(f"{API}/{path}", headers=admin)
        assert r.status_code == 204, (path, r.text)
        assert path.rsplit("/", 1)[1] not in found(client, admin, "habilitering"), path
    assert found(client, admin, "habilitering") == {kept}


QUERIES = [
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "rehabilitering AND",
    "AND rehabilitering",
    "rehabilitering OR länet",
    "NOT rehabilitering",
    "rehabilitering NEAR/2 länet",
    '"',
    '""',
    '"rehabilitering',
    'rehabilitering"',
    '"rehabilitering i länet"',
    "*",
    "rehabilitering*",
    "*rehabilitering",
    "(",
    ")",
    "(rehabilitering",
    "(rehabilitering OR länet)",
    "title:rehabilitering",
    "body_text:länet",
    "entry_id:1",
    "-rehabilitering",
    "^rehabilitering",
    "+",
    "rehabilitering & länet",
    "rehabilitering | länet",
    "!rehabilitering",
    "rehabilitering:*",
    "'",
    "O'Brien",
    "\\",
    "%",
    "_",
    "__",
    "{rehabilitering}",
    "[länet]",
    "ﬁ",
    "²",
    "🙂",
    "𝔘𝔪𝔢å",
    "ǰ",
    "   ",
    ";DROP TABLE search_entries;--",
]


def test_a_nul_in_the_query_is_refused(client: TestClient, admin: Headers) -> None:
    for q in ("a\u0000b", "\u0000"):
        r = client.get(URL, params={"q": q}, headers=admin)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("q", QUERIES)
def test_query_syntax_never_breaks_search(client: TestClient, admin: Headers, council: Council, q: str) -> None:
    council.case("Rehabilitering i länet", "Likvärdig rehabilitering i hela länet.")
    r = client.get(URL, params={"q": q}, headers=admin)
    assert r.status_code == 200, r.text
    for hit in r.json()["data"]:
        assert hit["kind"] == "case"
    assert found(client, admin, "rehabilitering") != set()


@pytest.mark.parametrize("q", ['"rehabilitering"', "rehabilitering*", "(rehabilitering)", "REHABILITERING!"])
def test_punctuation_around_a_word_still_finds_it(client: TestClient, admin: Headers, council: Council, q: str) -> None:
    case = council.case("Rehabilitering i länet")
    assert found(client, admin, q) == {case}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "x" * 201},
        {"q": "vård", "kind": "meeting"},
        {"q": "vård", "year": "1800"},
        {"q": "vård", "year": "tjugo"},
        {"q": "vård", "body_id": "inte-ett-id"},
        {"q": "vård", "limit": "0"},
        {"q": "vård", "limit": "101"},
    ],
)
def test_bad_parameters_are_422(client: TestClient, admin: Headers, params: dict[str, str]) -> None:
    r = client.get(URL, params=params, headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "validation_failed"


def test_readers_may_search_anonymous_may_not(
    client: TestClient, admin: Headers, reader: Headers, council: Council, make_principal: Callable[..., Headers]
) -> None:
    case = council.case("Missbruk och beroende")
    assert found(client, reader, "beroende") == {case}
    secretary = make_principal(f"secretary:{council.body('Arbetsutskottet')}")
    assert found(client, secretary, "beroende") == {case}
    r = client.get(URL, params={"q": "beroende"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert r.headers["content-type"] == "application/problem+json"


def test_search_costs_the_same_whatever_the_number_of_hits(
    client: TestClient, admin: Headers, council: Council, count_queries: Callable[[], Any]
) -> None:
    council.case("Tolkservice")
    with count_queries() as one:
        assert len(search(client, admin, "tolkservice")) == 1
    for i in range(10):
        council.case(f"Tolkservice {i}")
    with count_queries() as many:
        assert len(search(client, admin, "tolkservice")) == 11
    assert one() == many()


def test_a_documents_title_names_its_label_once(client: TestClient, admin: Headers, council: Council) -> None:
    named = council.document("Bilaga 23 Primärvård.txt", b"Primary care.", label="Bilaga 23")
    other = council.document("Primärvård i länet.txt", b"Primary care.", label="Bilaga 24")
    spelled = council.document("BILAGA 25 - Tandvård.txt", b"Dental care.", label="Bilaga 25")
    titles = {h["id"]: h["title"] for h in search(client, admin, "bilaga")}
    assert titles == {
        named: "Bilaga 23 Primärvård",
        other: "Bilaga 24 Primärvård i länet",
        spelled: "BILAGA 25 - Tandvård",
    }


def test_a_documents_year_is_its_meetings_year(client: TestClient, admin: Headers, council: Council) -> None:
    """Filed in 2026 for a meeting of 2024: found under 2024, as the meeting's items and decisions are."""
    body = council.body("Samråd hälsa, vård och omsorg")
    meeting = council.meeting(body, "2024-05-03T09:30:00")
    item = council.item(meeting, "Habilitering", "Rapport.")
    decision = council.decision(item, "Noterades.")
    case = council.case("Habilitering i länet", None, body)
    for_meeting = council.document("Kallelse.txt", b"Habilitering.", links=[f"meeting:{meeting}"])
    for_item = council.document("Underlag.txt", b"Habilitering.", links=[f"agenda_item:{item}"])
    for_decision = council.document("Beslut.txt", b"Habilitering.", links=[f"decision:{decision}"])
    for_case = council.document("PM.txt", b"Habilitering.", links=[f"case:{case}", f"meeting:{meeting}"])
    case_only = council.document("Utredning.txt", b"Habilitering.", links=[f"case:{case}"])
    years = {h["id"]: h["year"] for h in search(client, admin, "habilitering", kind="document")}
    created = int(client.get(f"{API}/documents/{case_only}", headers=admin).json()["created_at"][:4])
    assert years == {for_meeting: 2024, for_item: 2024, for_decision: 2024, for_case: 2024, case_only: created}
    assert found(client, admin, "habilitering", kind="document", year=2024) == {
        for_meeting,
        for_item,
        for_decision,
        for_case,
    }
    # moved to another meeting, it takes that meeting's year
    later = council.meeting(body, "2025-02-14T13:00:00")
    links = {"links": [{"target_type": "meeting", "target_id": later}]}
    moved = client.patch(f"{API}/documents/{for_meeting}", json=links, headers=admin)
    assert moved.status_code == 200, moved.text
    assert found(client, admin, "habilitering", year=2025) == {for_meeting}


def test_csv_like_every_other_list(client: TestClient, admin: Headers, council: Council) -> None:
    body = council.body("Samråd hälsa, vård och omsorg")
    council.case("Nära vård i Åsele", "Äldreomsorg och hemsjukvård", body)
    council.case("Färdtjänst", "Resor för äldre")
    r = client.get(URL, params={"q": "äldreomsorg"}, headers={**admin, "Accept": "text/csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="search.csv"'
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = text.lstrip("\ufeff").splitlines()
    assert header.split(";")[:3] == ["kind", "id", "title"]
    assert len(rows) == 1 and "Nära vård i Åsele" in rows[0] and body in rows[0]
