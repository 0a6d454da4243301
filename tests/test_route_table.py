"""Every route needs a token unless it is explicitly declared public: a new route without a rule fails here."""

import re
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

# Not in the OpenAPI document, public by design: the documentation itself.
PUBLIC_UNDOCUMENTED = {"/docs", "/redoc", "/openapi.json", "/docs/oauth2-redirect"}


def _api_routes(app: Any) -> list[tuple[str, APIRoute]]:
    """Every effective route with its full path (routers are included lazily in this FastAPI)."""
    out = []
    for ctx in iter_route_contexts(app.routes):
        if isinstance(ctx.original_route, APIRoute) and ctx.path:
            out.append((ctx.path, ctx.original_route))
    return out


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", path)


def test_every_route_without_a_token_is_401_unless_declared_public(client: TestClient, app: Any) -> None:
    checked = 0
    for path, route in _api_routes(app):
        public = bool((route.openapi_extra or {}).get("x-public"))
        for method in route.methods - {"HEAD", "OPTIONS"}:
            response = client.request(method, _concrete(path), json={})
            if public or path in PUBLIC_UNDOCUMENTED:
                assert response.status_code != 401, (method, path)
            else:
                assert response.status_code == 401, (method, path, response.status_code)
                assert response.headers["www-authenticate"].startswith("Bearer")
                assert response.headers["content-type"] == "application/problem+json"
            checked += 1
    assert checked > 20


def test_the_declared_public_routes_are_few_and_known(app: Any) -> None:
    public = {path for path, route in _api_routes(app) if (route.openapi_extra or {}).get("x-public")}
    assert public == {"/healthz", "/readyz", "/api/v1/auth/token"}
