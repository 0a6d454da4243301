"""Thread-pool hops per request, counted on real requests through the app: each costs a wake-up of a worker thread
and of the event loop, so the dependencies that do no I/O run on the loop, and the one that does (open_request:
the session and the caller) makes one hop to enter and one to leave. FastAPI adds one of its own for a plain
`def` endpoint, and one to validate what such an endpoint returns (it may still load from the session)."""

import functools
from collections.abc import Callable
from contextlib import _GeneratorContextManager
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

ORGS = "/api/v1/organisations"
ME = "/api/v1/auth/me"
VALIDATION = "response validation"


def _describe(func: Callable[..., Any]) -> str:
    if isinstance(func, functools.partial):
        endpoint = func.keywords.get("function")
        return f"endpoint {endpoint.__name__}" if endpoint is not None else _describe(func.func)
    owner = getattr(func, "__self__", None)
    if isinstance(owner, _GeneratorContextManager):
        return f"{owner.gen.__name__} {func.__name__.strip('_')}"
    if getattr(func, "__name__", "") == "validate":
        return VALIDATION
    return getattr(func, "__qualname__", repr(func))


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What each call into the thread pool ran, in order: every hop (FastAPI's and Starlette's, the enter and the
    exit of a generator dependency, a background task) goes through anyio.to_thread.run_sync."""
    seen: list[str] = []
    run_sync = anyio.to_thread.run_sync

    async def recording(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(_describe(func))
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", recording)
    return seen


def test_an_authenticated_list_makes_one_hop_for_the_session_and_the_caller(
    client: TestClient, reader: dict[str, str], hops: list[str]
) -> None:
    r = client.get(ORGS, params={"limit": 10, "sort": "-name"}, headers=reader)
    assert r.status_code == 200, r.text
    # The list parameters, the role check and the public-read check are async: no hop of their own.
    assert [h for h in hops if h != VALIDATION] == [
        "open_request enter",
        "endpoint list_organisations",
        "open_request exit",
    ], hops
    assert hops.count(VALIDATION) <= 1, hops


def test_me_makes_no_hop_but_the_session_s(client: TestClient, reader: dict[str, str], hops: list[str]) -> None:
    r = client.get(ME, headers=reader)
    assert r.status_code == 200, r.text
    assert hops == ["open_request enter", "open_request exit"]


def test_a_write_makes_the_same_hops(client: TestClient, admin: dict[str, str], hops: list[str]) -> None:
    r = client.post(ORGS, json={"kind": "joint_body", "name": "Samverkansnämnden"}, headers=admin)
    assert r.status_code == 201, r.text
    assert [h for h in hops if h != VALIDATION] == [
        "open_request enter",
        "endpoint create_organisation",
        "open_request exit",
    ], hops


def test_a_refused_token_is_refused_in_the_same_one_hop(client: TestClient, hops: list[str]) -> None:
    r = client.get(ORGS, headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401
    assert hops == ["open_request enter", "open_request exit"]
