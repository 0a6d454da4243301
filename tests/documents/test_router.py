"""Documents over HTTP: upload with the type read from the content, storage by SHA-256, refusals that write
nothing, file names, and download with ranges."""

import hashlib
import io
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from app.core.errors import PayloadTooLarge
from app.core.settings import get_settings
from app.documents import extract, storage
from tests.conftest import DatabaseInfo
from tests.documents import files
from tests.documents.api import (
    TEXT,
    URL,
    Headers,
    Record,
    assert_problem,
    count,
    created,
    is_stored,
    raw_upload,
    stored_content,
    tmp_files,
    unique_text,
    upload,
)

# Run once with the local store and once with the S3 test server (--store narrows it).
pytestmark = pytest.mark.usefixtures("document_store")

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


def test_the_contract_names_the_text_as_plain_text(app: Any) -> None:
    """Found by schemathesis: the extracted text was served as text/plain but documented as JSON."""
    documented = app.openapi()["paths"][f"{URL}/{{id}}/text"]["get"]["responses"]["200"]["content"]
    assert list(documented) == ["text/plain"]


def test_same_content_is_stored_once(client: TestClient, admin: Headers) -> None:
    data = unique_text()
    sha = hashlib.sha256(data).hexdigest()
    first = upload(client, admin, "protokoll.txt", data, label="Bilaga 1")
    with storage.current().open(sha) as f:
        assert f.read() == data
    stored, stored_at = stored_content(), storage.current().stat(sha).modified
    assert len([k for k in stored if k.endswith(f"/{sha[:2]}/{sha}")]) == 1

    second = upload(client, admin, "kopia av protokoll.txt", data, label="Bilaga 2")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert first.json()["sha256"] == second.json()["sha256"] == sha
    assert stored_content() == stored  # no second copy, and no temporary file left
    assert storage.current().stat(sha).modified == stored_at  # not written again
    assert tmp_files() == []

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
    problem = assert_problem(upload(client, admin, name, data), 415)
    assert problem["code"] == "unsupported_media_type"
    assert name in problem["detail"]
    assert count(client, admin) == 0
    assert tmp_files() == []


def test_refused_content_is_not_kept_on_disk(client: TestClient, admin: Headers) -> None:
    data = TEXT.encode() + uuid.uuid4().bytes.hex().encode()
    assert_problem(upload(client, admin, "protokoll.pdf", data), 415)
    assert not is_stored(hashlib.sha256(data).hexdigest())
    assert tmp_files() == []


def test_empty_file_is_422(client: TestClient, admin: Headers) -> None:
    problem = assert_problem(upload(client, admin, "tom.txt", b""), 422, ["body", "file"])
    assert "empty" in problem["errors"][0]["msg"]
    assert count(client, admin) == 0


def test_an_unknown_multipart_field_is_422_naming_it(client: TestClient, admin: Headers) -> None:
    data = unique_text()
    sent = {"role": "protocol", "titel": "Protokoll", "lable": "Bilaga 3"}
    r = client.post(URL, files={"file": ("protokoll.txt", data, "text/plain")}, data=sent, headers=admin)
    problem = assert_problem(r, 422)
    assert [e["loc"] for e in problem["errors"]] == [["body", "titel"], ["body", "lable"]]
    assert count(client, admin) == 0
    assert not is_stored(hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize("label", ["", "   "], ids=["empty", "blank"])
def test_an_empty_label_is_422_as_in_json_not_stored_as_null(client: TestClient, admin: Headers, label: str) -> None:
    r = client.post(
        URL, files={"file": ("protokoll.txt", unique_text(), "text/plain")}, data={"label": label}, headers=admin
    )
    assert_problem(r, 422, ["body", "label"])
    assert count(client, admin) == 0
    doc = created(upload(client, admin, "protokoll.txt", unique_text(), label="Bilaga 3"))
    assert_problem(client.patch(f"{URL}/{doc}", json={"label": label}, headers=admin), 422, ["body", "label"])


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
    assert_problem(upload(client, admin, name, data), 422, ["body", "file"])
    assert count(client, admin) == 0
    assert not is_stored(hashlib.sha256(data).hexdigest())
    assert tmp_files() == []


@pytest.fixture
def small_limit_client(db: DatabaseInfo, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
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
    problem = assert_problem(upload(client, admin, "stor.txt", large, label="Bilaga 9"), 413)
    assert problem["code"] == "payload_too_large"
    assert "2048" in problem["detail"]
    assert [d["filename"] for d in client.get(URL, headers=admin).json()["data"]] == ["liten.txt"]
    assert not is_stored(hashlib.sha256(large).hexdigest())
    assert tmp_files() == []


def test_storage_refuses_a_stream_over_the_limit_and_leaves_no_file() -> None:
    before = set(tmp_files())
    with pytest.raises(PayloadTooLarge):
        storage.store(io.BytesIO(b"x" * (storage.CHUNK + 10)), storage.CHUNK)
    assert set(tmp_files()) == before
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
    r = raw_upload(client, admin, filename.encode(), unique_text())
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == stored
    renamed = client.patch(f"{URL}/{r.json()['id']}", json={"filename": "x/" + filename}, headers=admin)
    if "\x00" in filename:
        # In JSON a NUL is refused outright, like in every other body; a multipart file name is only cleaned.
        assert renamed.status_code == 422, renamed.text
        return
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["filename"] == stored


@pytest.mark.parametrize("filename", ["..", ".", "/", "a/..", "\x00"])
def test_a_file_name_that_is_no_name_is_422(client: TestClient, admin: Headers, filename: str) -> None:
    assert_problem(raw_upload(client, admin, filename.encode(), unique_text()), 422, ["body", "file"])
    assert count(client, admin) == 0


def test_decomposed_file_name_is_stored_nfc(client: TestClient, admin: Headers) -> None:
    r = upload(client, admin, "Va\u0308sterbotten a\u030arsrapport.txt", unique_text())
    assert r.status_code == 201, r.text
    assert r.json()["filename"] == "Västerbotten årsrapport.txt"


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
    assert outside.headers["content-type"] == "application/problem+json"
    assert outside.json()["code"] == "range_not_satisfiable"

    malformed = client.get(url, headers={**admin, "Range": "lines=1-2"})
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "range_malformed"
    # An empty Range is malformed too, and a problem like the others (found by schemathesis: it was plain text).
    empty = client.get(url, headers={**admin, "Range": ""})
    assert empty.status_code == 400
    assert empty.headers["content-type"] == "application/problem+json"
    assert empty.json()["code"] == "range_malformed"

    # a stale If-Range gets the whole file
    stale = client.get(url, headers={**admin, "Range": "bytes=0-9", "If-Range": '"not-the-etag"'})
    assert stale.status_code == 200
    assert stale.content == data
