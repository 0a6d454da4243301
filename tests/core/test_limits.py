"""Body limits: a JSON body over `max_body_bytes` is refused with 413 before any handler reads it."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from app.core.settings import get_settings
from tests.core.conftest import ORGS

CHUNK = 64 * 1024


def _padded(size: int, name: str = "Samråd") -> bytes:
    """A valid JSON body of exactly `size` bytes: insignificant whitespace makes up the rest."""
    head = f'{{"kind": "joint_body", "name": "{name}"'.encode()
    return head + b" " * (size - len(head) - 1) + b"}"


def _chunks(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), CHUNK):
        yield body[start : start + CHUNK]


def _count(client: TestClient, admin: dict[str, str]) -> int:
    total: int = client.get(ORGS, params={"count": "true"}, headers=admin).json()["pagination"]["total"]
    return total


def _assert_too_large(r: Response) -> None:
    assert r.status_code == 413, r.text[:300]
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["code"] == "payload_too_large"
    assert problem["status"] == 413
    assert problem["instance"] == ORGS
    assert str(get_settings().max_body_bytes) in problem["detail"]


@pytest.fixture
def json_headers(admin: dict[str, str]) -> dict[str, str]:
    return {**admin, "Content-Type": "application/json"}


def test_a_body_at_the_limit_is_accepted(
    client: TestClient, admin: dict[str, str], json_headers: dict[str, str]
) -> None:
    body = _padded(get_settings().max_body_bytes)
    r = client.post(ORGS, content=body, headers=json_headers)
    assert r.status_code == 201, r.text
    assert _count(client, admin) == 1


def test_an_oversized_body_with_content_length_is_refused(
    client: TestClient, admin: dict[str, str], json_headers: dict[str, str]
) -> None:
    body = _padded(get_settings().max_body_bytes + 1)
    r = client.post(ORGS, content=body, headers=json_headers)
    assert r.request.headers["content-length"] == str(len(body))
    _assert_too_large(r)
    _assert_too_large(client.post(ORGS, content=_padded(5 * 1_048_576), headers=json_headers))
    assert _count(client, admin) == 0


def test_an_oversized_chunked_body_is_refused(
    client: TestClient, admin: dict[str, str], json_headers: dict[str, str]
) -> None:
    body = _padded(get_settings().max_body_bytes + 1)
    r = client.post(ORGS, content=_chunks(body), headers=json_headers)
    assert "content-length" not in r.request.headers
    assert r.request.headers["transfer-encoding"] == "chunked"
    _assert_too_large(r)
    assert _count(client, admin) == 0


def test_a_chunked_body_under_the_limit_is_accepted(
    client: TestClient, admin: dict[str, str], json_headers: dict[str, str]
) -> None:
    r = client.post(ORGS, content=_chunks(_padded(3 * CHUNK + 10)), headers=json_headers)
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "Samråd"


def test_an_oversized_patch_is_refused_and_changes_nothing(
    client: TestClient, admin: dict[str, str], json_headers: dict[str, str]
) -> None:
    created = client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers=admin)
    url = created.headers["location"]
    body = b'{"short_name": "S"' + b" " * get_settings().max_body_bytes + b"}"
    r = client.patch(url, content=body, headers=json_headers)
    assert r.status_code == 413
    assert r.json()["code"] == "payload_too_large"
    assert client.get(url, headers=admin).json()["short_name"] is None


def test_an_oversized_body_with_an_idempotency_key_is_not_remembered(
    client: TestClient, admin: dict[str, str], json_headers: dict[str, str]
) -> None:
    headers = {**json_headers, "Idempotency-Key": "big-1"}
    _assert_too_large(client.post(ORGS, content=_chunks(_padded(get_settings().max_body_bytes + 1)), headers=headers))
    r = client.post(ORGS, content=_padded(1000), headers=headers)
    assert r.status_code == 201, r.text
    assert "idempotent-replayed" not in r.headers
