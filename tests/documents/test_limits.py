"""Uploads past the limits on what a file may expand to: refused while being read with a problem naming the
limit (413 for a size, 422 for structure or the parse budget), and nothing left behind: no file, no row, no
audit entry. Text past its limit is stored cut, and the document says so."""

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.documents import bombs, files
from tests.documents.api import URL, Headers, assert_problem, is_stored, upload
from tests.imports.conftest import row_counts

# Run once with the local store and once with the S3 test server (--store narrows it).
pytestmark = pytest.mark.usefixtures("document_store")

TEXT_LIMIT = 2_000_000  # the default SAMVERKAN_MAX_EXTRACTED_TEXT_CHARS


def assert_refused(
    client: TestClient, admin: Headers, name: str, data: bytes, status: int, code: str, setting: str
) -> dict[str, Any]:

    before_rows, before_files = row_counts(), bombs.stored_files()
    problem = assert_problem(upload(client, admin, name, data, label="Bilaga 7"), status)
    assert problem["code"] == code
    assert problem["limit"] == setting
    assert setting in problem["detail"]
    assert row_counts() == before_rows  # no document, no link, no search entry, no audit entry
    assert bombs.stored_files() == before_files
    assert not is_stored(hashlib.sha256(data).hexdigest())
    return problem


def test_a_docx_bomb_is_413_naming_the_xml_limit(client: TestClient, admin: Headers) -> None:
    bomb = bombs.docx_bomb()
    assert len(bomb) < 1_000_000  # 120 MB of XML in a small file
    problem = assert_refused(client, admin, "bomb.docx", bomb, 413, "xml_too_large", "SAMVERKAN_MAX_XML_BYTES")
    assert "word/document.xml" in problem["detail"]


def test_a_zip_that_expands_past_the_total_limit_is_413(client: TestClient, admin: Headers) -> None:
    # Within the XML limit raised for the test, but over the limit on the whole archive.
    with bombs.settings(SAMVERKAN_MAX_XML_BYTES=str(200 * bombs.MiB), SAMVERKAN_MAX_UNZIPPED_BYTES=str(bombs.MiB)):
        assert_refused(
            client,
            admin,
            "stor.docx",
            bombs.docx_bomb(4 * bombs.MiB),
            413,
            "unzipped_too_large",
            "SAMVERKAN_MAX_UNZIPPED_BYTES",
        )


def test_a_zip_with_too_many_entries_is_422(client: TestClient, admin: Headers) -> None:
    assert_refused(
        client,
        admin,
        "många.docx",
        bombs.docx_with_entries(2001),
        422,
        "too_many_zip_entries",
        "SAMVERKAN_MAX_ZIP_ENTRIES",
    )


def test_deeply_nested_xml_is_422(client: TestClient, admin: Headers) -> None:
    assert_refused(client, admin, "djup.docx", bombs.deep_docx(), 422, "xml_too_deep", "SAMVERKAN_MAX_XML_DEPTH")


def test_a_pdf_over_the_page_limit_is_422(client: TestClient, admin: Headers) -> None:
    with bombs.settings(SAMVERKAN_MAX_PDF_PAGES="3"):
        assert_refused(
            client, admin, "lång.pdf", bombs.many_pages_pdf(4), 422, "too_many_pdf_pages", "SAMVERKAN_MAX_PDF_PAGES"
        )


def test_parsing_past_its_time_is_stopped_with_a_422(client: TestClient, admin: Headers) -> None:
    # Hundreds of pages of text cannot be read in a twentieth of a second: the parse is stopped, not awaited.
    with bombs.settings(SAMVERKAN_PARSE_SECONDS="0.05"):
        assert_refused(
            client, admin, "tung.pdf", bombs.many_pages_pdf(400), 422, "parse_timeout", "SAMVERKAN_PARSE_SECONDS"
        )


def test_parsing_past_its_memory_is_stopped_with_a_413(client: TestClient, admin: Headers) -> None:
    # 24 MB of text in one run is within the XML limit, but not within 16 MiB of memory.
    with bombs.settings(SAMVERKAN_PARSE_MEMORY_BYTES=str(16 * bombs.MiB)):
        assert_refused(
            client,
            admin,
            "minne.docx",
            bombs.one_long_run_docx(24 * bombs.MiB),
            413,
            "parse_out_of_memory",
            "SAMVERKAN_PARSE_MEMORY_BYTES",
        )


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("lång.txt", lambda: ("Åtgärder för äldreomsorg i Västerbotten.\n" * 51_000).encode()),
        ("lång.docx", lambda: bombs.long_docx(TEXT_LIMIT + 5000)),
    ],
    ids=["txt", "docx"],
)
def test_text_past_the_limit_is_stored_cut_and_flagged(
    client: TestClient, admin: Headers, name: str, make: Callable[[], bytes]
) -> None:
    r = upload(client, admin, name, make())
    assert r.status_code == 201, r.text
    assert r.json()["text_truncated"] is True
    doc = client.get(f"{URL}/{r.json()['id']}", headers=admin).json()
    assert (doc["has_text"], doc["text_truncated"]) == (True, True)
    text = client.get(f"{URL}/{doc['id']}/text", headers=admin).text
    assert len(text) == TEXT_LIMIT
    assert text.startswith("Åtgärder för äldreomsorg")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("protokoll.docx", files.docx(["Protokoll för Samråd", "Åtgärder för år 2025"]), "Åtgärder för år 2025"),
        ("protokoll.pdf", files.pdf([["Protokoll för Samråd", "Åtgärder för år 2025"]]), "Åtgärder för år 2025"),
        ("protokoll.txt", "Protokoll för Samråd\nÅtgärder för år 2025\n".encode(), "Åtgärder för år 2025"),
    ],
    ids=["docx", "pdf", "txt"],
)
def test_an_ordinary_document_is_stored_whole_and_not_flagged(
    client: TestClient, admin: Headers, name: str, data: bytes, expected: str
) -> None:
    r = upload(client, admin, name, data)
    assert r.status_code == 201, r.text
    assert (r.json()["has_text"], r.json()["text_truncated"]) == (True, False)
    assert expected in client.get(f"{URL}/{r.json()['id']}/text", headers=admin).text
    assert is_stored(hashlib.sha256(data).hexdigest())
