"""Helpers the convention tests share: cheap objects to list, and walking a list by its `links.next`."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

ORGS = "/api/v1/organisations"
STRATEGIES = "/api/v1/strategies"


def walk(client: TestClient, headers: dict[str, str], url: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every page of a list, following `links.next` until it is null."""
    pages = []
    r = client.get(url, params=params, headers=headers)
    while True:
        assert r.status_code == 200, r.text
        pages.append(r.json())
        following = pages[-1]["links"]["next"]
        if following is None:
            return pages
        assert len(pages) < 100, "links.next never ends"
        r = client.get(following, headers=headers)


@pytest.fixture
def make_body(client: TestClient, admin: dict[str, str]) -> Callable[..., dict[str, Any]]:
    """A joint body (needs no codes): the cheapest object to create. Returns the created JSON."""

    def make(name: str, kind: str = "joint_body", **extra: Any) -> dict[str, Any]:
        r = client.post(ORGS, json={"kind": kind, "name": name, **extra}, headers=admin)
        assert r.status_code == 201, r.text
        body: dict[str, Any] = r.json()
        return body

    return make
