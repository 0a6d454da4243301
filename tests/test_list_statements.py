"""The lists that had no such test: the number of SQL statements a page takes does not grow with the page size
(people with their aliases and contact data, memberships with their person and bodies, principals with their
roles, API tokens, the audit log and import records)."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.core.principal import PrincipalKind
from app.imports.models import ImportKind, ImportRecord

API = "/api/v1"
Headers = dict[str, str]
PAGE = 12


def _post(client: TestClient, admin: Headers, path: str, body: dict[str, Any]) -> str:
    r = client.post(f"{API}/{path}", json=body, headers=admin)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.fixture
def world(client: TestClient, admin: Headers, make_principal: Callable[..., Headers], session: Session) -> None:
    """A page's worth of each list, every row with its related rows (aliases, a principal, roles)."""
    council = _post(client, admin, "organisations", {"kind": "joint_body", "name": "Samråd hälsa, vård och omsorg"})
    umea = {"kind": "municipality", "name": "Umeå kommun", "municipality_code": "2480", "is_principal": True}
    umea_id = _post(client, admin, "organisations", umea)
    for n in range(PAGE):
        person = {
            "given_name": f"Åsa {n}",
            "family_name": "Öberg",
            "contact": {"email": f"asa{n}@umea.se", "phone": "090-16 10 00"},
            "aliases": [f"Asa Oberg {n}", f"Å. Öberg {n}"],
        }
        person_id = _post(client, admin, "people", person)
        seat = {"person_id": person_id, "body_id": council, "role": "member", "start_date": "2023-01-01"}
        _post(client, admin, "memberships", seat | {"on_behalf_of_id": umea_id})
        make_principal("reader", f"secretary:{council}", kind=PrincipalKind.service)
        session.add(ImportRecord(kind=ImportKind.protocol, sha256=f"{n:064x}", filename=f"Protokoll {n}.docx"))
    session.commit()
    service_client = {"kind": "service", "login": "intranat-umea", "display_name": "Intranätet"}
    principal_id = _post(client, admin, "principals", service_client | {"grants": [{"role": "reader"}]})
    for n in range(PAGE):
        _post(client, admin, "api-tokens", {"principal_id": principal_id, "name": f"Token {n}"})


@pytest.mark.parametrize("path", ["people", "memberships", "principals", "api-tokens", "audit", "imports"])
def test_a_page_takes_the_same_statements_whatever_its_size(
    client: TestClient, admin: Headers, world: None, count_queries: Any, path: str
) -> None:
    with count_queries() as small:
        assert len(client.get(f"{API}/{path}", params={"limit": 2}, headers=admin).json()["data"]) == 2
    with count_queries() as large:
        assert len(client.get(f"{API}/{path}", params={"limit": PAGE}, headers=admin).json()["data"]) == PAGE
    assert small() == large()
