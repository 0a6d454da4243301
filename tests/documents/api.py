"""What the document suites share: objects to file documents with, uploads over HTTP, and problem checks."""

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.documents import storage

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


def created(r: Any) -> str:
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def make_record(client: TestClient, admin: Headers, name: str = "Samråd hälsa, vård och omsorg") -> Record:
    body = created(client.post(f"{API}/organisations", json={"kind": "joint_body", "name": name}, headers=admin))
    meeting = created(
        client.post(f"{API}/meetings", json={"body_ids": [body], "starts_at": "2024-05-03T09:30:00"}, headers=admin)
    )
    case = created(client.post(f"{API}/cases", json={"title": "Nära vård", "responsible_body_id": body}, headers=admin))
    item = created(
        client.post(
            f"{API}/agenda-items",
            json={"meeting_id": meeting, "title": "Primärvården är navet", "case_ids": [case]},
            headers=admin,
        )
    )
    decision = created(
        client.post(
            f"{API}/decisions",
            json={"agenda_item_id": item, "kind": "noted", "text": "Informationen noterades."},
            headers=admin,
        )
    )
    return Record(body, meeting, item, case, decision)


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


def count(client: TestClient, headers: Headers) -> int:
    total: int = client.get(URL, params={"count": "true"}, headers=headers).json()["pagination"]["total"]
    return total


def is_stored(sha256: str) -> bool:
    """Whether the configured store (local disk or the S3 test bucket) holds this content."""
    return storage.current().exists(sha256)


def stored_content() -> set[str]:
    """Every file under this host's document directory, temporary ones included, and every object in the S3
    store's bucket (listed through boto3) when that is the store."""
    from app.documents.storage.s3 import S3Store

    root = storage.root()
    found = {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    store = storage.current()
    if isinstance(store, S3Store):
        pages = store.client.get_paginator("list_objects_v2").paginate(Bucket=store.bucket)
        found |= {f"s3://{store.bucket}/{o['Key']}" for page in pages for o in page.get("Contents", [])}
    return found


def tmp_files() -> list[Path]:
    tmp = storage.root() / "tmp"
    return list(tmp.iterdir()) if tmp.exists() else []


def assert_problem(r: Any, status: int, loc: list[Any] | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = r.json()
    assert problem["status"] == status
    if loc is not None:
        assert [e["loc"] for e in problem["errors"]] == [loc], problem
    return problem


def raw_upload(client: TestClient, headers: Headers, filename: bytes, data: bytes) -> Any:
    """A multipart body written by hand, so the file name reaches the server exactly as given."""
    body = (
        b'--GRANS\r\nContent-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n--GRANS--\r\n"
    )
    return client.post(URL, content=body, headers={**headers, "Content-Type": "multipart/form-data; boundary=GRANS"})
