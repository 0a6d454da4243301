"""POST /indicator-values/import with a JSON body: all or nothing, idempotent, every bad row named by its position,
corrections with a reason, a dry run, and who may import for which scope."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.core.audit import AuditEntry
from app.metrics.models import IndicatorValue, ValueVersion
from tests.metrics import bulk_factories
from tests.metrics.bulk_factories import World

URL = "/api/v1/indicator-values/import"


@pytest.fixture
def w(session: Session) -> World:
    return bulk_factories.world(session)


def _values(w: World) -> list[dict[str, object]]:
    return [
        {"indicator_code": "HLT-BARN", "scope": "2480", "period": "2024", "gender": "female", "value": 120},
        {"indicator_id": str(w.hlt), "scope": str(w.umea), "period": "2024", "gender": "male", "value": "98"},
        {"indicator_code": "SIP-ANDEL", "scope": "2482", "period": "2024-H1", "numerator": 131, "denominator": 250},
        {
            "indicator_code": "BETALNING-DAGAR",
            "scope": "county",
            "period": "2020",
            "value": 2314,
            "comment": "Årsrapport",
        },
    ]


def _count(session: Session) -> tuple[int, int]:
    session.expire_all()
    values = session.exec(select(func.count()).select_from(IndicatorValue)).one()
    versions = session.exec(select(func.count()).select_from(ValueVersion)).one()
    return values, versions


def test_values_are_imported_once_and_again_are_unchanged(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    r = client.post(URL, json={"values": _values(w)}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 4, "changed": 0, "unchanged": 0, "total": 4, "dry_run": False}
    r = client.post(URL, json={"values": _values(w)}, headers=admin)
    assert r.json() == {"created": 0, "changed": 0, "unchanged": 4, "total": 4, "dry_run": False}
    assert _count(session) == (4, 4)
    county = session.exec(select(IndicatorValue).where(IndicatorValue.scope_key == "county")).one()
    assert county.comment == "Årsrapport" and county.value == 2314
    # Each value created has its audit entry, written with the values (COPY on PostgreSQL).
    audited = session.exec(select(AuditEntry).where(AuditEntry.resource_type == "indicator_value")).all()
    assert sorted((e.resource_id, e.action, e.changes["version"]) for e in audited) == sorted(
        (v.id, "create", 1) for v in session.exec(select(IndicatorValue)).all()
    )
    assert {e.created_at.tzinfo is not None for e in audited} == {True}


def test_every_bad_row_is_named_by_its_position_and_nothing_is_written(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    values = _values(w)
    values[1]["period"] = "2024-13"
    values[2]["denominator"] = 0
    values[3]["indicator_code"] = "OKÄND"
    r = client.post(URL, json={"values": values}, headers=admin)
    assert r.status_code == 422, r.text
    locs = [e["loc"] for e in r.json()["errors"]]
    assert ["body", "values", 1, "period"] in locs
    assert _count(session) == (0, 0)
    # The model's checks pass; the rest are found against the database, all in one answer.
    values[1]["period"] = "2024"
    r = client.post(URL, json={"values": values}, headers=admin)
    assert [e["loc"] for e in r.json()["errors"]] == [
        ["body", "values", 2, "denominator"],
        ["body", "values", 3, "indicator_code"],
    ]
    assert _count(session) == (0, 0)


def test_a_row_names_its_indicator_exactly_once(client: TestClient, admin: dict[str, str], w: World) -> None:
    row = {"indicator_code": "HLT-BARN", "indicator_id": str(w.hlt), "scope": "2480", "period": "2024", "value": 1}
    r = client.post(URL, json={"values": [row]}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "values", 0]


def test_corrections_need_a_reason(client: TestClient, admin: dict[str, str], session: Session, w: World) -> None:
    client.post(URL, json={"values": _values(w)}, headers=admin)
    values = _values(w)
    values[0]["value"] = 121
    r = client.post(URL, json={"values": values}, headers=admin)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "values", 0, "reason"]]
    r = client.post(URL, json={"values": values, "reason": "En flicka till i Umeå"}, headers=admin)
    assert r.json() == {"created": 0, "changed": 1, "unchanged": 3, "total": 4, "dry_run": False}
    assert _count(session) == (4, 5)


def test_a_dry_run_writes_nothing(client: TestClient, admin: dict[str, str], session: Session, w: World) -> None:
    r = client.post(URL, json={"values": _values(w), "dry_run": True}, headers=admin)
    assert r.json() == {"created": 4, "changed": 0, "unchanged": 0, "total": 4, "dry_run": True}
    assert _count(session) == (0, 0)


def test_who_may_import_for_which_scope(
    client: TestClient, make_principal: Callable[..., dict[str, str]], session: Session, w: World
) -> None:
    umea_editor = make_principal(f"editor:{w.umea}")
    own = [{"indicator_code": "HLT-BARN", "scope": "2480", "period": "2024", "value": 7}]
    assert client.post(URL, json={"values": own}, headers=umea_editor).status_code == 200
    others = [*own, {"indicator_code": "HLT-BARN", "scope": "2482", "period": "2024", "value": 7}]
    r = client.post(URL, json={"values": others}, headers=umea_editor)
    assert r.status_code == 403
    # A bad row does not hide the refusal: the scope decides first.
    others[1]["indicator_code"] = "OKÄND"
    assert client.post(URL, json={"values": others}, headers=umea_editor).status_code == 403
    fund_manager = make_principal("fund_manager")
    county = [{"indicator_code": "HLT-BARN", "scope": "county", "period": "2024", "value": 700}]
    assert client.post(URL, json={"values": county}, headers=fund_manager).status_code == 200
    for role in ("reader", f"secretary:{w.umea}"):
        assert client.post(URL, json={"values": own}, headers=make_principal(role)).status_code == 403
    assert client.post(URL, json={"values": own}).status_code == 401
    assert _count(session) == (2, 2)


def test_bad_json_is_a_problem(client: TestClient, admin: dict[str, str], w: World) -> None:
    r = client.post(URL, content=b"{not json", headers=admin | {"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"][0] == "body"
    r = client.post(URL, json={"values": []}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "values"]


def test_a_batchs_ids_follow_one_another_and_are_uuid_version_7() -> None:
    from app.metrics.values.fast_insert import ordered_ids

    ids = ordered_ids()
    batch = [next(ids) for _ in range(1000)]
    assert batch == sorted(batch) and len(set(batch)) == 1000
    assert {(i.version, i.variant) for i in batch} == {(7, "specified in RFC 4122")}
    assert sorted(map(str, batch)) == list(map(str, batch))  # as text too (SQLite stores them as hex)
