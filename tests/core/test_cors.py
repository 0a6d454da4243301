"""CORS, when a deployment names the origins a browser front end is served from."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.core.settings import get_settings
from tests.conftest import DatabaseInfo
from tests.core.conftest import ORGS

ORIGIN = "https://intranat.regionvasterbotten.se"


@pytest.fixture
def cors_client(db: DatabaseInfo, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A fresh app with CORS on (the settings are read when the app is made)."""
    from app.main import create_app

    monkeypatch.setenv("SAMVERKAN_CORS_ORIGINS", f'["{ORIGIN}"]')
    get_settings.cache_clear()
    try:
        with TestClient(create_app(), raise_server_exceptions=False) as c:
            yield c
    finally:
        monkeypatch.delenv("SAMVERKAN_CORS_ORIGINS")
        get_settings.cache_clear()


def test_a_browser_client_may_read_the_headers_it_needs(cors_client: TestClient, admin: dict[str, str]) -> None:
    r = cors_client.post(ORGS, json={"kind": "joint_body", "name": "Samråd"}, headers={**admin, "Origin": ORIGIN})
    assert r.status_code == 201, r.text
    assert r.headers["access-control-allow-origin"] == ORIGIN
    exposed = {h.strip().lower() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"content-disposition", "idempotent-replayed", "retry-after", "location", "etag"} <= exposed


def test_another_origin_is_not_allowed(cors_client: TestClient, admin: dict[str, str]) -> None:
    r = cors_client.get(ORGS, headers={**admin, "Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in r.headers
