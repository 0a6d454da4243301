"""The document stores: the same behaviour from local disk and from an S3 bucket, no object without its row, and
several hosts sharing one bucket."""

import hashlib
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.auth.models import Principal
from app.core.principal import PrincipalKind
from app.core.settings import Settings, get_settings
from app.documents import service, storage
from app.documents.models import Document, DocumentRole
from tests.conftest import SYSTEM, DocumentStoreInfo
from tests.documents.api import URL, Headers, is_stored, stored_content, tmp_files, unique_text, upload

pytestmark = pytest.mark.usefixtures("document_store")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fail_after_upload(session: Session, data: bytes) -> None:
    """Upload through the service, then make the transaction's commit fail in the database itself: a second
    principal with a login that is taken (a unique constraint), written in the same transaction."""
    session.add(Principal(kind=PrincipalKind.service, login="upptagen", display_name="Först"))
    session.commit()
    service.upload(session, SYSTEM, io.BytesIO(data), "bilaga.txt", DocumentRole.other, None, [])
    session.add(Principal(kind=PrincipalKind.service, login="upptagen", display_name="Sedan"))
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_an_upload_whose_database_write_fails_leaves_no_object_behind(
    session: Session, document_store: DocumentStoreInfo
) -> None:
    data = unique_text()
    before = stored_content()
    _fail_after_upload(session, data)
    assert not is_stored(_sha(data))
    assert stored_content() == before
    assert tmp_files() == []
    if document_store.kind == "s3":
        assert document_store.keys() == []  # the bucket, listed through boto3
    assert session.exec(select(Document)).all() == []


def test_a_failed_upload_of_stored_content_leaves_the_other_documents_file_alone(
    client: TestClient, admin: Headers, session: Session
) -> None:
    data = unique_text()
    kept = upload(client, admin, "protokoll.txt", data).json()
    stored = stored_content()
    _fail_after_upload(session, data)
    assert stored_content() == stored
    assert client.get(f"{URL}/{kept['id']}/content", headers=admin).content == data


def test_a_stored_file_reads_whole_and_in_ranges(client: TestClient, admin: Headers) -> None:
    data = unique_text() * 3000  # past the S3 reader's buffer and the response's chunks
    sha = upload(client, admin, "stor.txt", data).json()["sha256"]
    store = storage.current()
    assert store.exists(sha)
    assert store.stat(sha).size == len(data)
    with store.open(sha) as f:
        assert f.read() == data
        f.seek(300_000)
        assert f.read(10) == data[300_000:300_010]
        f.seek(-5, io.SEEK_END)
        assert f.read() == data[-5:]
        f.seek(7)
        assert f.read(3) == data[7:10]


def test_content_not_stored_is_not_found() -> None:
    store, missing = storage.current(), "0" * 64
    assert not store.exists(missing)
    with pytest.raises(FileNotFoundError):
        store.stat(missing)
    with pytest.raises(FileNotFoundError):
        store.open(missing)


def test_ranges_of_a_large_file_are_served_alike_from_either_store(client: TestClient, admin: Headers) -> None:
    data = unique_text() * 5000
    doc = upload(client, admin, "bilagor.txt", data).json()
    url, etag, size = f"{URL}/{doc['id']}/content", f'"{doc["sha256"]}"', len(data)

    whole = client.get(url, headers=admin)
    assert (whole.status_code, whole.content, whole.headers["content-length"]) == (200, data, str(size))
    assert whole.headers["etag"] == etag and whole.headers["last-modified"]

    one = client.get(url, headers={**admin, "Range": "bytes=300000-300099", "If-Range": etag})
    assert one.status_code == 206
    assert one.headers["content-range"] == f"bytes 300000-300099/{size}"
    assert one.content == data[300_000:300_100]

    several = client.get(url, headers={**admin, "Range": "bytes=0-9,400000-400009,-5"})
    assert several.status_code == 206
    boundary = re.fullmatch(r"multipart/byteranges; boundary=(\w+)", several.headers["content-type"])
    assert boundary is not None
    parts = [p for p in several.content.split(f"--{boundary[1]}".encode()) if p.strip(b"-\r\n")]
    got = [
        (re.search(rb"Content-Range: bytes (\d+)-(\d+)/", p), p.split(b"\r\n\r\n", 1)[1].removesuffix(b"\r\n"))
        for p in parts
    ]
    assert [(int(m[1]), int(m[2]), body) for m, body in got if m] == [
        (0, 9, data[:10]),
        (400_000, 400_009, data[400_000:400_010]),
        (size - 5, size - 1, data[-5:]),
    ]

    stale = client.get(url, headers={**admin, "Range": "bytes=0-9", "If-Range": '"ett-annat"'})
    assert (stale.status_code, stale.content) == (200, data)


def test_the_s3_store_needs_a_bucket() -> None:
    with pytest.raises(ValidationError, match="SAMVERKAN_S3_BUCKET"):
        Settings(document_store="s3", s3_bucket="")


# --- several hosts, one bucket ---


def _stored_locally(var_dir: Path, sha: str) -> bool:
    return (var_dir / "documents" / sha[:2] / sha).exists()


def test_two_hosts_share_documents_through_one_bucket(
    s3_store: DocumentStoreInfo, client: TestClient, admin: Headers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.main import create_app

    host_a, host_b = get_settings().var_dir, tmp_path / "host-b"
    on_a, on_b = unique_text(), unique_text()
    from_a = upload(client, admin, "från a.txt", on_a).json()

    # Host B: its own var dir (and process, as far as the app can tell), the same database and bucket.
    monkeypatch.setenv("SAMVERKAN_VAR_DIR", str(host_b))
    get_settings.cache_clear()
    with TestClient(create_app(), raise_server_exceptions=False) as b:
        got = b.get(f"{URL}/{from_a['id']}/content", headers=admin)
        assert (got.status_code, got.content, got.headers["etag"]) == (200, on_a, f'"{from_a["sha256"]}"')
        part = b.get(f"{URL}/{from_a['id']}/content", headers={**admin, "Range": "bytes=5-14"})
        assert (part.status_code, part.content) == (206, on_a[5:15])
        assert upload(b, admin, "kopia från b.txt", on_a).status_code == 201  # stored once, for both hosts
        from_b = upload(b, admin, "från b.txt", on_b).json()

    monkeypatch.setenv("SAMVERKAN_VAR_DIR", str(host_a))
    get_settings.cache_clear()
    assert client.get(f"{URL}/{from_b['id']}/content", headers=admin).content == on_b
    shas = sorted([_sha(on_a), _sha(on_b)])
    assert s3_store.keys() == [f"documents/{sha[:2]}/{sha}" for sha in shas]
    assert not any(_stored_locally(var, sha) for var in (host_a, host_b) for sha in shas)


def test_content_the_bucket_refuses_after_the_commit_is_a_500_and_its_upload_is_kept(
    s3_store: DocumentStoreInfo, client: TestClient, admin: Headers, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The row is committed before the object is written (so a failed transaction never leaves an object): when
    # the store then fails, the request says so, and the upload stays on this host for an operator to put.
    monkeypatch.setenv("SAMVERKAN_S3_BUCKET", "ingen-sadan-hink")
    get_settings.cache_clear()
    data = unique_text()
    r = upload(client, admin, "bilaga.txt", data)
    assert r.status_code == 500, r.text
    [kept] = tmp_files()
    try:
        assert kept.read_bytes() == data
        assert [d["sha256"] for d in client.get(URL, headers=admin).json()["data"]] == [_sha(data)]
        assert s3_store.keys() == []
    finally:
        kept.unlink()
