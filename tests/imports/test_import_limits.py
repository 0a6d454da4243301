"""Imports refuse a file past the limits on what it may expand to as documents do, in the dry run already:
a problem naming the limit, nothing written and no file left in the document store."""

import hashlib
import io
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.imports.attendance.parse import MAX_BYTES
from tests.documents import bombs, files
from tests.documents.api import is_stored
from tests.fixtures import protocol_2024_05_03 as P
from tests.imports.conftest import API, PROTOCOL, Upload, row_counts

# Run once with the local store and once with the S3 test server (--store narrows it).
pytestmark = pytest.mark.usefixtures("document_store")

FOLDER = "Samråd 2024-05-03"


def assert_limit(r: Any, status: int, code: str, setting: str | None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = r.json()
    assert problem["code"] == code
    if setting:
        assert problem["limit"] == setting
        assert setting in problem["detail"]
    return problem


def folder_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def with_protocol(**attachments: bytes) -> bytes:
    members = {f"{FOLDER}/protokoll-2024-05-03.txt": PROTOCOL.read_bytes()}
    members.update({f"{FOLDER}/{name}": data for name, data in attachments.items()})
    return folder_zip(members)


def test_a_protocol_dry_run_refuses_a_docx_bomb_at_once(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    before = row_counts()
    r = upload("protocol", bombs.docx_bomb(), "protokoll.docx", admin)
    assert_limit(r, 413, "xml_too_large", "SAMVERKAN_MAX_XML_BYTES")
    r = upload("protocol", bombs.docx_bomb(), "protokoll.docx", admin, dry_run=False)
    assert_limit(r, 413, "xml_too_large", "SAMVERKAN_MAX_XML_BYTES")
    assert row_counts() == before


def test_a_protocol_nested_too_deep_or_with_too_many_entries_is_422(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    before = row_counts()
    r = upload("protocol", bombs.deep_docx(), "protokoll.docx", admin)
    assert_limit(r, 422, "xml_too_deep", "SAMVERKAN_MAX_XML_DEPTH")
    r = upload("protocol", bombs.docx_with_entries(2001), "protokoll.docx", admin)
    assert_limit(r, 422, "too_many_zip_entries", "SAMVERKAN_MAX_ZIP_ENTRIES")
    assert row_counts() == before


def test_reading_a_protocol_past_its_time_is_stopped(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    with bombs.settings(SAMVERKAN_PARSE_SECONDS="0.05"):
        r = upload("protocol", bombs.many_pages_pdf(400), "protokoll.pdf", admin)
    assert_limit(r, 422, "parse_timeout", "SAMVERKAN_PARSE_SECONDS")


def test_a_protocol_past_the_text_limit_is_read_as_far_as_it_goes_with_a_warning(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    text = PROTOCOL.read_text()
    with bombs.settings(SAMVERKAN_MAX_EXTRACTED_TEXT_CHARS=str(len(text) - 200)):
        r = upload("protocol", PROTOCOL.read_bytes(), PROTOCOL.name, admin)
    assert r.status_code == 200, r.text
    plan = r.json()["plan"]
    assert plan["meeting"]["body"] == P.COUNCIL
    assert any(f"cut at {len(text) - 200} characters" in w for w in plan["warnings"])


def test_a_folder_refuses_a_bomb_attachment_in_the_dry_run(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    before, data = row_counts(), with_protocol(**{"Bilaga 23 Primärvård.docx": bombs.docx_bomb()})
    assert_limit(upload("folder", data, "kanal.zip", admin), 413, "xml_too_large", "SAMVERKAN_MAX_XML_BYTES")
    r = upload("folder", data, "kanal.zip", admin, dry_run=False)
    assert_limit(r, 413, "xml_too_large", "SAMVERKAN_MAX_XML_BYTES")
    assert row_counts() == before


def test_a_folder_refuses_a_bomb_protocol_in_the_dry_run(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    data = folder_zip({f"{FOLDER}/protokoll-2024-05-03.docx": bombs.docx_bomb()})
    assert_limit(upload("folder", data, "kanal.zip", admin), 413, "xml_too_large", "SAMVERKAN_MAX_XML_BYTES")


def test_a_folder_zip_with_too_many_entries_is_422(upload: Upload, admin: dict[str, str], orgs: dict[str, str]) -> None:
    data = folder_zip({f"{FOLDER}/Bilaga {n}.txt": b"x" for n in range(2001)})
    r = upload("folder", data, "kanal.zip", admin)
    assert_limit(r, 422, "too_many_zip_entries", "SAMVERKAN_MAX_ZIP_ENTRIES")


def test_a_folder_zip_that_expands_past_the_total_is_413(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    data = with_protocol(**{"Bilaga 1.txt": b"Samverkan " * 200_000})
    with bombs.settings(SAMVERKAN_MAX_UNZIPPED_BYTES=str(bombs.MiB)):
        r = upload("folder", data, "kanal.zip", admin)
    assert_limit(r, 413, "unzipped_too_large", "SAMVERKAN_MAX_UNZIPPED_BYTES")


def test_a_zip_inside_the_folder_is_not_unpacked_but_skipped(
    client: TestClient, upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    inner = folder_zip({"Bilaga 2.txt": b"Samverkan"})
    r = upload("folder", with_protocol(**{"Bilagor.zip": inner}), "kanal.zip", admin, dry_run=False)
    assert r.status_code == 200, r.text
    skipped = {e["path"]: e["reason"] for e in r.json()["plan"]["entries"] if e["action"] == "skipped"}
    assert skipped == {f"{FOLDER}/Bilagor.zip": "an archive inside the zip is not unpacked"}
    assert not is_stored(hashlib.sha256(inner).hexdigest())


def test_a_folder_that_fails_half_way_leaves_no_stored_file_behind(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    # The first attachment is stored, then the second is found (only when read) to nest too deep: the whole
    # import is rolled back, and the first attachment's file goes with it.
    good = files.pdf([["Bilaga 1: Primärvården är navet"]])
    data = with_protocol(**{"Bilaga 1.pdf": good, "Bilaga 2.docx": bombs.deep_docx()})
    before_rows, before_files = row_counts(), bombs.stored_files()
    assert upload("folder", data, "kanal.zip", admin).status_code == 200  # the dry run cannot see it
    r = upload("folder", data, "kanal.zip", admin, dry_run=False)
    assert_limit(r, 422, "xml_too_deep", "SAMVERKAN_MAX_XML_DEPTH")
    assert row_counts() == before_rows
    assert bombs.stored_files() == before_files
    assert not is_stored(hashlib.sha256(good).hexdigest())


def test_an_attendance_report_over_its_size_is_413(
    client: TestClient, upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    r = client.post(
        f"{API}/meetings",
        json={"body_ids": [orgs[P.COUNCIL]], "starts_at": "2025-03-12T13:00:00"},
        headers=admin,
    )
    assert r.status_code == 201, r.text
    before = row_counts()
    r = upload("attendance", b"a" * (MAX_BYTES + 1), "rapport.csv", admin, meeting_id=r.json()["id"])
    problem = assert_limit(r, 413, "attendance_report_too_large", None)
    assert str(MAX_BYTES) in problem["detail"]
    assert row_counts() == before


def test_an_attachment_refused_when_stored_takes_the_files_stored_before_it_along(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    # Its content is text, its name says PDF: only storing it finds out (415), after Bilaga 1 was stored.
    good = files.pdf([["Bilaga 1: Primärvården är navet"]])
    data = with_protocol(**{"Bilaga 1.pdf": good, "Bilaga 2.pdf": b"Ingen PDF, bara text."})
    before_rows, before_files = row_counts(), bombs.stored_files()
    r = upload("folder", data, "kanal.zip", admin, dry_run=False)
    assert r.status_code == 415, r.text
    assert row_counts() == before_rows
    assert bombs.stored_files() == before_files
    assert not is_stored(hashlib.sha256(good).hexdigest())
