"""POST /indicator-values/kolada: a saved Kolada v3 answer, mapped onto the indicators that carry its KPI id; the
country, municipalities outside Västerbotten, other KPIs and empty figures are skipped and counted."""

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.metrics.models import Gender, IndicatorValue, Unit
from tests.metrics import bulk_factories
from tests.metrics.bulk_factories import World

URL = "/api/v1/indicator-values/kolada"
ANSWER = json.loads(
    (Path(__file__).parents[1] / "fixtures/kolada/n00945_vasterbotten_2020_2021.json").read_text(encoding="utf-8")
)


@pytest.fixture
def w(session: Session) -> World:
    world = bulk_factories.world(session)
    bulk_factories.indicator(session, "LÄKARBESÖK", Unit.count, kolada_kpi="N00001")  # not split by gender
    session.commit()
    return world


SKIPPED = {"unknown_kpi": 1, "unknown_municipality": 6, "no_value": 2, "not_by_gender": 2, "refused": 1}


def test_a_kolada_answer_is_mapped_onto_our_indicators_and_scopes(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    r = client.post(URL, json=ANSWER, headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["created"], body["changed"], body["unchanged"], body["total"]) == (11, 0, 0, 11)
    assert body["skipped"] == 12 and body["skipped_because"] == SKIPPED
    # The share aggregated as a ratio cannot come without numerator and denominator: named, not written.
    assert body["refusals"] == [
        {"loc": ["body", "values", 7, "values", 0, "numerator"], "msg": body["refusals"][0]["msg"]}
    ]
    values = session.exec(select(IndicatorValue)).all()
    assert {v.source for v in values} == {"Kolada"}
    county = {v.gender: v.value for v in values if v.scope_key == "county"}
    assert county == {Gender.total: 690, Gender.female: 330, Gender.male: 360}
    skelleftea = {v.gender: v.value for v in values if v.organisation_id == w.skelleftea}
    assert skelleftea[Gender.female] == Decimal("70.25")
    umea_visits = [v for v in values if v.indicator_id not in (w.hlt, w.sip)]
    assert [(v.gender, v.value, v.comment) for v in umea_visits] == [
        (Gender.total, Decimal("12.3457"), "Kolada status: Preliminär")
    ]


def test_the_same_answer_again_is_unchanged_and_a_revision_needs_a_reason(
    client: TestClient, admin: dict[str, str], w: World
) -> None:
    assert client.post(URL, json=ANSWER, headers=admin).json()["created"] == 11
    again = client.post(URL, json=ANSWER, headers=admin).json()
    assert (again["created"], again["unchanged"]) == (0, 11)
    revised = json.loads(json.dumps(ANSWER))
    revised["values"][1]["values"][0]["value"] = 691.0  # the county's total
    r = client.post(URL, json=revised, headers=admin)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "values", 1, "values", 0, "reason"]]
    dry = client.post(URL, json=revised, headers=admin, params={"reason": "Kolada reviderade", "dry_run": "true"})
    assert dry.json()["changed"] == 1 and dry.json()["dry_run"] is True
    done = client.post(URL, json=revised, headers=admin, params={"reason": "Kolada reviderade"}).json()
    assert (done["changed"], done["unchanged"]) == (1, 10)


def test_editors_may_import_only_their_own_principal(
    client: TestClient, make_principal: Callable[..., dict[str, str]], session: Session, w: World
) -> None:
    editor = make_principal(f"editor:{w.umea}")
    assert client.post(URL, json=ANSWER, headers=editor).status_code == 403  # the county and Skellefteå too
    own = {"values": [row for row in ANSWER["values"] if row["municipality"] == "2480"]}
    r = client.post(URL, json=own, headers=editor)
    assert r.status_code == 200 and r.json()["created"] == 3 + 1 + 1
    assert client.post(URL, json=own, headers=make_principal("reader")).status_code == 403


def test_a_file_that_is_not_a_kolada_answer(client: TestClient, admin: dict[str, str], w: World) -> None:
    r = client.post(URL, json={"data": []}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "values"]
