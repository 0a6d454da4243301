"""Documents over HTTP: upload with the type read from the content, storage by SHA-256, download with ranges,
metadata, links and permissions; every refusal writes nothing."""

import hashlib
import io
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.core.errors import PayloadTooLarge
from app.core.settings import get_settings
from app.documents import extract, storage
from tests.conftest import TestDatabase
from tests.documents import files

API = "/api/v1"
URL = f"{API}/documents"
TEXT = (
    "Protokoll för Samråd hälsa, vård och omsorg i Västerbotten.\n"
    "Åtgärder för år 2025: äldreomsorg och rehabilitering.\n"
)
MISSING = "00000000-0000-4000-8000-000000000000"
Headers = dict[str, str]


@dataclass
class Record:
    """One of each object a document can be filed with, kept by one body."""

    body: str
    meeting: str
    item: str
    case: str
    decision: str

    def links(self) -> list[str]:
        return [
            f"meeting:{self.meeting}",
            f"agenda_item:{self.item}",
            f"case:{self.case}",
            f"decision:{self.decision}",
        ]


def _created(r: Any) -> str:
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def make_record(client: TestClient, admin: Headers, name: str = "Samråd hälsa, vård och omsorg") -> Record:
    body = _created(client.post(f"{API}/organisations", json={"kind": "joint_body", "name": name}, headers=admin))
    meeting = _created(
        client.post(f"{API}/meetings", json={"body_ids": [body], "starts_at": "2024-05-03T09:30:00"}, headers=admin)
    )
    case = _created(
        client.post(f"{API}/cases", json={"title": "Nära vård", "responsible_body_id": body}, headers=admin)
    )
    item = _created(
        client.post(
            f"{API}/agenda-items",
            json={"meeting_id": meeting, "title": "Primärvården är navet", "case_ids": [case]},
            headers=admin,
        )
    )
    decision = _created(
        client.post(
            f"{API}/decisions",
            json={"agenda_item_id": item, "kind": "noted", "text": "Informationen noterades."},
            headers=admin,
        )
    )
    return Record(body, meeting, item, case, decision)


@pytest.fixture
def record(client: TestClient, admin: Headers) -> Record:
    return make_record(client, admin)


def upload(
    client: TestClient,
    headers: Headers,
    name: str,
    data: bytes,
    *,
    role: str | None = None,
    label: str | None = None,
    links: list[str] | None = None,
    content_type: str = "application/octet-stream",
) -> Any:
    form: dict[str, Any] = {}
    if role:
        form["role"] = role
    if label:
        form["label"] = label
    if links:
        form["link"] = links
    return client.post(URL, files={"file": (name, data, content_type)}, data=form, headers=headers)


def unique_text() -> bytes:
    """Content no other test stores, so what is on disk can be checked exactly."""
    return (TEXT + f"Diarienummer {uuid.uuid4()}\n").encode()


def _count(client: TestClient, headers: Headers) -> int:
    total: int = client.get(URL, params={"count": "true"}, headers=headers).json()["pagination"]["total"]
    return total


def _tmp_files() -> list[Path]:
    tmp = storage.root() / "tmp"
    return list(tmp.iterdir()) if tmp.exists() else []


def _assert_problem(r: Any, status: int, loc: list[Any] | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = r.json()
    assert problem["status"] == status
    if loc is not None:
        assert [e["loc"] for e in problem["errors"]] == [loc], problem
    return problem


# --- upload and download ---


def test_upload_get_and_download(client: TestClient, admin: Headers, record: Record) -> None:
    data = unique_text()
    r = upload(
        client,
        admin,
        "Bilaga 22.1 Åtgärdsplan för äldreomsorg.txt",
        data,
        role="decision_basis",
        label="Bilaga 22.1",
        links=record.links(),
        content_type="application/pdf",  # what the client claims does not count
    )
    assert r.status_code == 201, r.text
    doc = r.json()
    sha = hashlib.sha256(data).hexdigest()
    assert r.headers["location"].endswith(f"{URL}/{doc['id']}")
    assert r.headers["etag"]
    assert doc["sha256"] == sha
    assert doc["size"] == len(data)
    assert doc["media_type"] == "text/plain"
    assert doc["filename"] == "Bilaga 22.1 Åtgärdsplan för äldreomsorg.txt"
    assert doc["label"] == "Bilaga 22.1"
    assert doc["role"] == "decision_basis"
    assert doc["has_text"] is True
    assert {(lk["target_type"], lk["target_id"]) for lk in doc["links"]} == {
        ("meeting", record.meeting),
        ("agenda_item", record.item),
        ("case", record.case),
        ("decision", record.decision),
    }

    got = client.get(f"{URL}/{doc['id']}", headers=admin)
    assert got.status_code == 200
    assert got.json() == doc
    assert got.headers["etag"] == r.headers["etag"]

    content = client.get(f"{URL}/{doc['id']}/content", headers=admin)
    assert content.status_code == 200
    assert content.content == data
    assert content.headers["etag"] == f'"{sha}"'
    assert content.headers["content-type"].startswith("text/plain")
    assert content.headers["accept-ranges"] == "bytes"
    disposition = content.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('Bilaga 22.1 Åtgärdsplan för äldreomsorg.txt')}" in disposition

    text = client.get(f"{URL}/{doc['id']}/text", headers=admin)
    assert text.status_code == 200
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    assert text.text == data.decode()


def test_same_content_is_stored_once(client: TestClient, admin: Headers) -> None:
    data = unique_text()
    sha = hashlib.sha256(data).hexdigest()
    first = upload(client, admin, "protokoll.txt", data, label="Bilaga 1")
    path = storage.root() / sha[:2] / sha
    assert path.read_bytes() == data
    stored_at = path.stat().st_mtime_ns

    second = upload(client, admin, "kopia av protokoll.txt", data, label="Bilaga 2")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert first.json()["sha256"] == second.json()["sha256"] == sha
    assert list(storage.root().rglob(sha)) == [path]
    assert path.stat().st_mtime_ns == stored_at
    assert _tmp_files() == []

    same = client.get(URL, params={"sha256": sha.upper()}, headers=admin).json()["data"]
    assert sorted(d["label"] for d in same) == ["Bilaga 1", "Bilaga 2"]
    for doc in same:
        assert client.get(f"{URL}/{doc['id']}/content", headers=admin).content == data


@pytest.mark.parametrize(
    ("name", "data", "media_type", "text"),
    [
        ("protokoll.docx", files.docx(["§ 19 Primärvården", "Föredragande:\tSofia Ögren"]), extract.DOCX, None),
        ("protokoll.pdf", files.pdf([["Samråd hälsa, vård och omsorg", "Beslut om sjuk-", "vård"]]), extract.PDF, None),
        ("tom.pdf", files.blank_pdf(), extract.PDF, ""),
        ("ansökan.txt", "Ansökan från Skellefteå kommun, år 2025.".encode("cp1252"), extract.TEXT, None),
        ("närvaro.csv", "Namn\tAnslöt\nÅsa Öberg\t09:30\n".encode("utf-16"), extract.TEXT, None),
        ("karta.png", files.PNG, extract.PNG, ""),
        ("foto.JPG", files.JPEG, extract.JPEG, ""),
        ("kalkyl.xlsx", files.office_zip("xl/workbook.xml"), extract.XLSX, ""),
    ],
    ids=["docx", "pdf", "blank-pdf", "cp1252", "utf16", "png", "jpeg", "xlsx"],
)
def test_media_type_and_text_come_from_the_content(
    client: TestClient, admin: Headers, name: str, data: bytes, media_type: str, text: str | None
) -> None:
    r = upload(client, admin, name, data, content_type="text/plain")
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["media_type"] == media_type
    assert doc["size"] == len(data)
    got = client.get(f"{URL}/{doc['id']}/text", headers=admin).text
    if text is not None:
        assert got == text
        assert doc["has_text"] is False
        return
    assert doc["has_text"] is True
    expected = {
        "protokoll.docx": "§ 19 Primärvården\nFöredragande:\tSofia Ögren",
        "protokoll.pdf": "Samråd hälsa, vård och omsorg\nBeslut om sjukvård",
        "ansökan.txt": "Ansökan från Skellefteå kommun, år 2025.",
        "närvaro.csv": "Namn\tAnslöt\nÅsa Öberg\t09:30\n",
    }[name]
    assert [ln.strip() for ln in got.splitlines()] == expected.splitlines()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("protokoll.pdf", TEXT.encode()),
        ("protokoll.txt", files.pdf([["Samråd"]])),
        ("protokoll.docx", files.pdf([["Samråd"]])),
        ("bild.jpg", files.PNG),
        ("data.bin", files.binary()),
        ("data.txt", files.binary()),
        ("arkiv.zip", files.plain_zip()),
        ("arkiv.docx", files.plain_zip()),
        ("kalkyl.docx", files.office_zip("xl/workbook.xml")),
        ("program.exe", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)),
        ("protokoll", files.pdf([["Samråd"]])),
    ],
    ids=[
        "text-as-pdf",
        "pdf-as-txt",
        "pdf-as-docx",
        "png-as-jpg",
        "binary",
        "binary-as-txt",
        "plain-zip",
        "plain-zip-as-docx",
        "xlsx-as-docx",
        "exe",
        "pdf-without-extension",
    ],
)
def test_disallowed_or_mismatched_content_is_415(client: TestClient, admin: Headers, name: str, data: bytes) -> None:
    problem = _assert_problem(upload(client, admin, name, data), 415)
    assert problem["code"] == "unsupported_media_type"
    assert name in problem["detail"]
    assert _count(client, admin) == 0
    assert _tmp_files() == []


def test_refused_content_is_not_kept_on_disk(client: TestClient, admin: Headers) -> None:
    data = TEXT.encode() + uuid.uuid4().bytes.hex().encode()
    _assert_problem(upload(client, admin, "protokoll.pdf", data), 415)
    assert not storage.path_for(hashlib.sha256(data).hexdigest()).exists()
    assert _tmp_files() == []


def test_empty_file_is_422(client: TestClient, admin: Headers) -> None:
    problem = _assert_problem(upload(client, admin, "tom.txt", b""), 422, ["body", "file"])
    assert "empty" in problem["errors"][0]["msg"]
    assert _count(client, admin) == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trasig.pdf", files.CORRUPT_PDF),
        ("avbruten.pdf", files.pdf([["Samråd hälsa, vård och omsorg"]] * 3)[:400]),
        ("trasig.docx", files.docx([], document="<w:document><w:body>")),
    ],
    ids=["garbage-pdf", "truncated-pdf", "broken-docx"],
)
def test_unreadable_file_is_422_naming_file(client: TestClient, admin: Headers, name: str, data: bytes) -> None:
    _assert_problem(upload(client, admin, name, data), 422, ["body", "file"])
    assert _count(client, admin) == 0
    assert not storage.path_for(hashlib.sha256(data).hexdigest()).exists()
    assert _tmp_files() == []


@pytest.fixture
def small_limit_client(db: TestDatabase, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A fresh app whose upload limit is 2 KiB (the settings are read when the app is made)."""
    from app.main import create_app

    monkeypatch.setenv("SAMVERKAN_MAX_UPLOAD_BYTES", "2048")
    get_settings.cache_clear()
    try:
        assert get_settings().max_upload_bytes == 2048
        with TestClient(create_app(), raise_server_exceptions=False) as c:
            yield c
    finally:
        monkeypatch.delenv("SAMVERKAN_MAX_UPLOAD_BYTES")
        get_settings.cache_clear()


def test_file_over_the_limit_is_413_and_nothing_is_written(small_limit_client: TestClient, admin: Headers) -> None:
    client = small_limit_client
    small = unique_text()
    assert upload(client, admin, "liten.txt", small).status_code == 201

    large = unique_text() * 40
    assert len(large) > 2048
    problem = _assert_problem(upload(client, admin, "stor.txt", large, label="Bilaga 9"), 413)
    assert problem["code"] == "payload_too_large"
    assert "2048" in problem["detail"]
    assert [d["filename"] for d in client.get(URL, headers=admin).json()["data"]] == ["liten.txt"]
    assert not storage.path_for(hashlib.sha256(large).hexdigest()).exists()
    assert _tmp_files() == []


def test_storage_refuses_a_stream_over_the_limit_and_leaves_no_file() -> None:
    before = set(_tmp_files())
    with pytest.raises(PayloadTooLarge):
        storage.store(io.BytesIO(b"x" * (storage.CHUNK + 10)), storage.CHUNK)
    assert set(_tmp_files()) == before
    sha, size, tmp = storage.store(io.BytesIO(b"exakt"), 5)
    try:
        assert (sha, size, tmp.read_bytes()) == (hashlib.sha256(b"exakt").hexdigest(), 5, b"exakt")
    finally:
        tmp.unlink()


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\win.txt", "win.txt"),
        ("/var/lib/samverkan/Protokoll 2024-05-03.txt", "Protokoll 2024-05-03.txt"),
        ("C:\\Users\\Åsa\\Mötesanteckningar.txt", "Mötesanteckningar.txt"),
    ],
)
def test_path_in_the_file_name_is_reduced_to_the_base_name(
    client: TestClient, admin: Headers, name: str, stored: str
) -> None:
    r = upload(client, admin, name, unique_text())
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == stored
    disposition = client.get(f"{URL}/{r.json()['id']}/content", headers=admin).headers["content-disposition"]
    assert ".." not in disposition
    assert "/" not in disposition.replace("%2F", "")


def _raw_upload(client: TestClient, headers: Headers, filename: bytes, data: bytes) -> Any:
    """A multipart body written by hand, so the file name reaches the server exactly as given."""
    body = (
        b'--GRANS\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n--GRANS--\r\n"
    )
    return client.post(URL, content=body, headers={**headers, "Content-Type": "multipart/form-data; boundary=GRANS"})


@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        ("a\x00b.txt", "a b.txt"),
        ("Mötes\x07anteckningar.txt", "Mötes anteckningar.txt"),
        ("Bilaga\t23.txt", "Bilaga 23.txt"),
        ("../../etc/passwd.txt", "passwd.txt"),
    ],
    ids=["nul", "bell", "tab", "traversal"],
)
def test_file_name_as_sent_is_cleaned(client: TestClient, admin: Headers, filename: str, stored: str) -> None:
    r = _raw_upload(client, admin, filename.encode(), unique_text())
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == stored
    renamed = client.patch(f"{URL}/{r.json()['id']}", json={"filename": "x/" + filename}, headers=admin)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["filename"] == stored


@pytest.mark.parametrize("filename", ["..", ".", "/", "a/..", "\x00"])
def test_a_file_name_that_is_no_name_is_422(client: TestClient, admin: Headers, filename: str) -> None:
    _assert_problem(_raw_upload(client, admin, filename.encode(), unique_text()), 422, ["body", "file"])
    assert _count(client, admin) == 0


def test_decomposed_file_name_is_stored_nfc(client: TestClient, admin: Headers) -> None:
    r = upload(client, admin, "Va\u0308sterbotten a\u030arsrapport.txt", unique_text())
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == "Västerbotten årsrapport.txt"


# --- links ---


def test_unknown_link_target_is_422_naming_it(client: TestClient, admin: Headers, record: Record) -> None:
    links = [f"meeting:{record.meeting}", f"case:{MISSING}"]
    problem = _assert_problem(upload(client, admin, "a.txt", unique_text(), links=links), 422)
    assert [e["loc"] for e in problem["errors"]] == [["body", "links", 1, "target_id"]]
    # the right kind matters: a meeting's id is not a case
    links = [f"case:{record.meeting}"]
    _assert_problem(upload(client, admin, "a.txt", unique_text(), links=links), 422, ["body", "links", 0, "target_id"])
    assert _count(client, admin) == 0
    assert _tmp_files() == []


@pytest.mark.parametrize(
    "bad", ["meeting", "meeting:", "meeting:inte-ett-id", "room:00000000-0000-4000-8000-000000000000", ":", ""]
)
def test_malformed_link_is_422(client: TestClient, admin: Headers, record: Record, bad: str) -> None:
    links = [f"meeting:{record.meeting}", bad]
    problem = _assert_problem(upload(client, admin, "a.txt", unique_text(), links=links), 422)
    assert problem["errors"][0]["loc"][:2] == ["body", "link"]
    assert _count(client, admin) == 0


def test_deleted_target_cannot_be_linked(client: TestClient, admin: Headers) -> None:
    body = _created(client.post(f"{API}/organisations", json={"kind": "joint_body", "name": "AU"}, headers=admin))
    case = _created(client.post(f"{API}/cases", json={"title": "Gammalt", "responsible_body_id": body}, headers=admin))
    assert client.delete(f"{API}/cases/{case}", headers=admin).status_code == 204
    _assert_problem(upload(client, admin, "a.txt", unique_text(), links=[f"case:{case}"]), 422)


def test_repeated_link_is_stored_once(client: TestClient, admin: Headers, record: Record) -> None:
    links = [f"meeting:{record.meeting}", f"meeting:{record.meeting}"]
    r = upload(client, admin, "a.txt", unique_text(), links=links)
    assert r.status_code == 201, r.text
    assert r.json()["links"] == [{"target_type": "meeting", "target_id": record.meeting}]


# --- ranges ---


def test_range_requests(client: TestClient, admin: Headers) -> None:
    data = unique_text()
    doc = upload(client, admin, "intervall.txt", data).json()
    url = f"{URL}/{doc['id']}/content"

    first = client.get(url, headers={**admin, "Range": "bytes=0-9"})
    assert first.status_code == 206
    assert first.headers["content-range"] == f"bytes 0-9/{len(data)}"
    assert first.content == data[:10]
    assert len(first.content) == 10
    assert first.headers["etag"] == f'"{doc["sha256"]}"'

    tail = client.get(url, headers={**admin, "Range": "bytes=-7"})
    assert tail.status_code == 206
    assert tail.content == data[-7:]

    middle = client.get(url, headers={**admin, "Range": f"bytes=10-{len(data) + 100}"})
    assert middle.status_code == 206
    assert middle.content == data[10:]

    outside = client.get(url, headers={**admin, "Range": f"bytes={len(data)}-"})
    assert outside.status_code == 416
    assert outside.headers["content-range"] == f"bytes */{len(data)}"

    # a stale If-Range gets the whole file
    stale = client.get(url, headers={**admin, "Range": "bytes=0-9", "If-Range": '"not-the-etag"'})
    assert stale.status_code == 200
    assert stale.content == data


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
        _assert_problem(client.get(URL, params=bad, headers=admin), 422)


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
    _assert_problem(stale, 412)
    assert client.get(url, headers=admin).json()["label"] == "Bilaga 23"
    _assert_problem(client.delete(url, headers={**admin, "If-Match": etag}), 412)

    # the content and its hash never change with the metadata
    got = client.get(url, headers=admin).json()
    assert (got["sha256"], got["size"]) == (r.json()["sha256"], r.json()["size"])


def test_patch_refusals_change_nothing(client: TestClient, admin: Headers, record: Record) -> None:
    r = upload(client, admin, "underlag.txt", unique_text(), label="Bilaga 1", links=[f"meeting:{record.meeting}"])
    url = f"{URL}/{r.json()['id']}"
    before = client.get(url, headers=admin).json()
    cases = [
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
        _assert_problem(client.patch(url, json=patch, headers=admin), 422, loc)
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
    _assert_problem(client.patch(url, json={"label": "Bilaga 3"}, headers=admin), 404)
    _assert_problem(client.delete(url, headers=admin), 404)
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

    _assert_problem(upload(client, reader, "a.txt", unique_text()), 403)
    _assert_problem(client.patch(url, json={"label": "Bilaga 5"}, headers=reader), 403)
    _assert_problem(client.delete(url, headers=reader), 403)
    assert _count(client, admin) == 1

    assert client.patch(url, json={"label": "Bilaga 5"}, headers=secretary).status_code == 200
    for path in (f"{URL}/{MISSING}", f"{URL}/{MISSING}/content", f"{URL}/{MISSING}/text"):
        _assert_problem(client.get(path, headers=reader), 404)
    _assert_problem(client.patch(f"{URL}/{MISSING}", json={"label": "x"}, headers=admin), 404)
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
    open_case = _created(client.post(f"{API}/cases", json={"title": "Utan ansvarig"}, headers=admin))
    assert upload(client, theirs, "a.txt", unique_text(), links=[f"case:{open_case}"]).status_code == 201
    for link in record.links():
        _assert_problem(upload(client, theirs, "a.txt", unique_text(), links=[link]), 403)
    _assert_problem(upload(client, theirs, "a.txt", unique_text(), links=[other.links()[0], record.links()[0]]), 403)

    doc = upload(client, ours, "protokoll.txt", unique_text(), links=[f"meeting:{record.meeting}"]).json()
    url = f"{URL}/{doc['id']}"
    _assert_problem(client.patch(url, json={"label": "Bilaga 7"}, headers=theirs), 403)
    _assert_problem(client.delete(url, headers=theirs), 403)
    # nor may ours move it to the other body's meeting
    move = {"links": [{"target_type": "meeting", "target_id": other.meeting}]}
    _assert_problem(client.patch(url, json=move, headers=ours), 403)
    assert client.get(url, headers=admin).json()["links"] == [{"target_type": "meeting", "target_id": record.meeting}]
    assert client.patch(url, json=move, headers=admin).status_code == 200
    assert client.get(URL, params={"target_id": other.meeting}, headers=theirs).json()["data"][0]["id"] == doc["id"]
