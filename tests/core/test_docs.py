"""/docs and /redoc work with no internet: every asset they load is served by the service itself."""

import re

import pytest
from fastapi.testclient import TestClient

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
EXPECTED_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


@pytest.mark.parametrize(("page", "needed"), [("/docs", {".js", ".css"}), ("/redoc", {".js"})])
def test_docs_load_only_local_assets(client: TestClient, page: str, needed: set[str]) -> None:
    r = client.get(page)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assets = ASSET.findall(html)
    assert assets
    for url in assets:
        assert url.startswith("/static/docs/"), url
        suffix = url[url.rindex(".") :]
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert EXPECTED_TYPES[suffix] in asset.headers["content-type"], (url, asset.headers["content-type"])
        assert len(asset.content) > 100
    assert needed <= {u[u.rindex(".") :] for u in assets}
    # The page points at the contract the service serves itself.
    assert "/openapi.json" in html
    assert client.get("/openapi.json").status_code == 200


def test_the_docs_are_public(client: TestClient) -> None:
    for page in ("/docs", "/redoc", "/static/docs/swagger-ui.css"):
        assert client.get(page).status_code == 200
