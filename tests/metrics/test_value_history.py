"""Corrections never overwrite: every version stays in a value's history, with who, when and why, and the list
reads the figures valid at any moment (`as_of`). Moments are taken from the versions' own `recorded_at`, or set
in the database, never waited for."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, update

from app.metrics.models import ValueVersion
from tests.metrics.value_factories import (
    VALUES,
    Headers,
    make_indicator,
    make_organisation,
    ok,
    report,
    share_indicator,
)


@pytest.fixture
def world(session: Session, make_principal: Callable[..., Headers]) -> dict[str, Any]:
    umea = make_organisation(session, "Umeå kommun", code="2480")
    share_indicator(session)
    make_indicator(session, "HLT-BARN")
    return {"umea": umea, "editor": make_principal(f"editor:{umea}"), "manager": make_principal("fund_manager")}


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _between(earlier: str, later: str) -> str:
    first, second = _moment(earlier), _moment(later)
    assert first < second
    return (first + (second - first) / 2).isoformat()


def _as_of(client: TestClient, headers: Headers, moment: str, **params: Any) -> dict[str, dict[str, Any]]:
    data = ok(client.get(VALUES, params={"as_of": moment, **params}, headers=headers))["data"]
    return {v["id"]: v for v in data}


def test_corrections_keep_every_version_and_as_of_reads_each(
    client: TestClient, world: dict[str, Any], reader: Headers
) -> None:
    editor, manager = world["editor"], world["manager"]
    sip = {"indicator_code": "SIP-ANDEL", "scope": "2480", "period": "2024"}
    made = report(client, editor, **sip, numerator=131, denominator=250, source="Journalsystemet")
    url = f"{VALUES}/{made['id']}"
    ok(client.patch(url, json={"numerator": 140, "reason": "Nio planer saknades"}, headers=editor))
    other = report(client, manager, indicator_code="HLT-BARN", scope="county", period="2024", value=690)
    ok(client.patch(url, json={"status": "final", "reason": "Fastställd"}, headers=manager))
    assert client.delete(url, params={"reason": "Fel indikator"}, headers=manager).status_code == 204

    history = ok(client.get(f"{url}/history", headers=reader))
    versions = history["data"]
    assert history["pagination"]["total"] == 4
    assert [(v["number"], v["value"], v["numerator"], v["status"], v["withdrawn"], v["reason"]) for v in versions] == [
        (1, 52.4, 131, "preliminary", False, None),
        (2, 56, 140, "preliminary", False, "Nio planer saknades"),
        (3, 56, 140, "final", False, "Fastställd"),
        (4, 56, 140, "final", True, "Fel indikator"),
    ]
    assert versions[0]["recorded_by"] == versions[1]["recorded_by"] == made["reported_by"]
    assert versions[2]["recorded_by"] == versions[3]["recorded_by"] != made["reported_by"]
    assert all(v["source"] == "Journalsystemet" for v in versions)
    moments = [v["recorded_at"] for v in versions]
    # Each version lasts until the next is recorded; the withdrawal is a moment, never valid by itself.
    assert [v["superseded_at"] for v in versions[:3]] == moments[1:]
    assert versions[3]["superseded_at"] == moments[3]

    before = (_moment(moments[0]) - timedelta(seconds=1)).isoformat()
    assert _as_of(client, reader, before) == {}
    then = _as_of(client, reader, _between(moments[0], moments[1]))
    assert list(then) == [made["id"]]  # the county's value came later
    assert (then[made["id"]]["value"], then[made["id"]]["version"], then[made["id"]]["reason"]) == (52.4, 1, None)
    assert _moment(then[made["id"]]["updated_at"]) == _moment(moments[0])
    assert {k: then[made["id"]][k] for k in ("scope", "scope_name", "indicator_code", "period")} == {
        "scope": world["umea"],
        "scope_name": "Umeå kommun",
        "indicator_code": "SIP-ANDEL",
        "period": "2024",
    }

    corrected = _as_of(client, reader, _between(other["created_at"], moments[2]))
    assert set(corrected) == {made["id"], other["id"]}
    assert (corrected[made["id"]]["value"], corrected[made["id"]]["status"]) == (56, "preliminary")
    assert corrected[made["id"]]["reason"] == "Nio planer saknades"
    one_indicator = _as_of(client, reader, _between(other["created_at"], moments[2]), indicator_id=made["indicator_id"])
    assert list(one_indicator) == [made["id"]]
    assert list(_as_of(client, reader, _between(moments[1], moments[2]), status="final")) == []

    final = _as_of(client, reader, _between(moments[2], moments[3]), status="final")
    assert list(final) == [made["id"]] and final[made["id"]]["version"] == 3
    # Withdrawn since: gone now, from the list and from GET, but its history and the past keep it.
    assert list(_as_of(client, reader, (_moment(moments[3]) + timedelta(seconds=1)).isoformat())) == [other["id"]]
    assert client.get(url, headers=reader).status_code == 404
    assert [v["id"] for v in ok(client.get(VALUES, headers=reader))["data"]] == [other["id"]]


def _recorded(session: Session, value_id: str, number: int, at: datetime, until: datetime | None) -> None:
    stmt = (
        update(ValueVersion)
        .where(col(ValueVersion.value_id) == uuid.UUID(value_id), col(ValueVersion.number) == number)
        .values(recorded_at=at, superseded_at=until)
    )
    session.exec(stmt)  # type: ignore[call-overload]
    session.commit()


def test_as_of_a_date_is_the_end_of_that_day_in_stockholm(
    client: TestClient, world: dict[str, Any], reader: Headers, session: Session
) -> None:
    manager = world["manager"]
    late = report(client, manager, indicator_code="HLT-BARN", scope="county", period="2023", value=690)
    after_midnight = report(client, manager, indicator_code="HLT-BARN", scope="county", period="2022", value=640)
    ok(client.patch(f"{VALUES}/{late['id']}", json={"value": 700, "reason": "Efterrapporterat"}, headers=manager))
    corrected_at = datetime(2024, 6, 1, 10, 0, tzinfo=UTC)  # 12:00 in Stockholm (summer time)
    _recorded(session, late["id"], 1, datetime(2024, 3, 1, 22, 30, tzinfo=UTC), corrected_at)  # 23:30 on 1 March
    _recorded(session, late["id"], 2, corrected_at, None)
    _recorded(session, after_midnight["id"], 1, datetime(2024, 3, 1, 23, 30, tzinfo=UTC), None)  # 00:30 on 2 March

    assert _as_of(client, reader, "2024-02-29") == {}
    on_the_first = _as_of(client, reader, "2024-03-01")
    assert list(on_the_first) == [late["id"]] and on_the_first[late["id"]]["value"] == 690
    assert set(_as_of(client, reader, "2024-03-02")) == {late["id"], after_midnight["id"]}
    assert _as_of(client, reader, "2024-05-31")[late["id"]]["value"] == 690
    assert _as_of(client, reader, "2024-06-01T11:59:59+02:00")[late["id"]]["value"] == 690
    assert _as_of(client, reader, "2024-06-01T12:00:00+02:00")[late["id"]]["value"] == 700
    assert _as_of(client, reader, "2024-06-01T10:00:00Z")[late["id"]]["version"] == 2
    # as_of pages like any list, by period.
    first = ok(client.get(VALUES, params={"as_of": "2024-06-02", "limit": 1}, headers=reader))
    assert [v["period"] for v in first["data"]] == ["2022"]
    second = ok(client.get(first["links"]["next"], headers=reader))
    assert [v["period"] for v in second["data"]] == ["2023"] and second["links"]["next"] is None
