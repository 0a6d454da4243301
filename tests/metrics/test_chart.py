"""The chart: valid SVG with a line per scope and a dashed target line, Swedish labels and numbers, no script,
an ETag of the data drawn (304 when unchanged), and the drawing kept by that ETag."""

import re
from typing import Any

from defusedxml import ElementTree
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.metrics.models import Aggregation, Unit
from app.metrics.queries import chart
from tests.metrics.query_factories import (
    API,
    SKELLEFTEA,
    SKELLEFTEA_REGION,
    UMEA,
    UMEA_REGION,
    VANNAS,
    Headers,
    figures_of,
    indicator,
    small_county,
)

SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str, tag: str = "text") -> list[str]:
    """The text of every element `tag` of the parsed SVG (which fails on anything that is not XML)."""
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return ["".join(e.itertext()).strip() for e in root.iter(f"{SVG}{tag}")]


def _chart(client: TestClient, headers: Headers, indicator_id: Any, **params: Any) -> Any:
    return client.get(f"{API}/indicators/{indicator_id}/chart.svg", params=params, headers=headers)


def test_the_chart_draws_each_scope_and_its_target_in_swedish(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    sip = indicator(session, name="Andel barn med SIP", decimals=1)
    add = figures_of(session, sip, places)
    add.value(places[UMEA], "2020", numerator=131, denominator=250)
    add.value(places[VANNAS], "2020", numerator=10, denominator=20)  # 141 / 270 = 52.2222… %
    add.value(places[SKELLEFTEA], "2021", numerator=1, denominator=3)
    add.target(places[UMEA_REGION], "2020", 50)
    add.target(places[SKELLEFTEA_REGION], "2021", 45)
    scopes = [str(places[UMEA_REGION]), str(places[SKELLEFTEA_REGION])]

    r = _chart(client, reader, sip, scope=scopes, **{"from": "2020", "to": "2022"})

    assert r.status_code == 200 and r.headers["content-type"] == "image/svg+xml"
    svg = r.text
    assert "<script" not in svg and "javascript" not in svg.lower() and not svg.startswith("<?xml")
    texts = _texts(svg)
    assert "Andel barn med SIP" in texts and "Procent" in texts and "Period" in texts
    assert {"2020", "2021", "2022"} <= set(texts)
    legends = [t for t in texts if t in (UMEA_REGION, SKELLEFTEA_REGION) or t.startswith("Målvärde")]
    assert legends == [UMEA_REGION, SKELLEFTEA_REGION, f"Målvärde {UMEA_REGION}", f"Målvärde {SKELLEFTEA_REGION}"]
    values = _texts(svg, "desc")
    assert "52,2" in values and "33,3" in values  # the indicator's one decimal, a decimal comma
    dashed = {int(n) for n in re.findall(r"\.serie-(\d+)\{[^}]*stroke-dasharray", svg)}
    assert dashed == {2, 3}  # the target lines, after the scopes' lines


def test_numbers_have_a_space_between_thousands_and_a_decimal_comma(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    amount = indicator(
        session, "BELOPP", name="Bestritt belopp", unit=Unit.sek, aggregation=Aggregation.sum, decimals=1
    )
    add = figures_of(session, amount, places)
    add.value(places[UMEA], "2020", "1000.25")
    add.value(places[VANNAS], "2020", "234.25")
    add.value(places[UMEA], "2021", "19000000")
    add.target(None, "2020", 2000)

    svg = _chart(client, reader, amount, **{"from": "2020", "to": "2021"}).text

    values = _texts(svg, "desc")
    assert "1 234,5" in values and "19 000 000,0" in values
    texts = _texts(svg)
    assert "Kronor" in texts and "Målvärde" in texts and "Västerbottens län" in texts
    axis = [t for t in texts if t and t[0].isdigit() and t not in ("2020", "2021")]
    assert axis and all("." not in t for t in axis) and any(" " in t for t in axis)
    assert chart.swedish_number(1234.5, 1) == "1 234,5" and chart.swedish_number(0.5, 0) == "0,5"
    assert chart.swedish_number(690, 0) == "690" and chart.swedish_number(-2314, 0) == "-2 314"


def test_etag_304_and_the_drawing_kept_by_its_etag(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    children = indicator(session, "HLT-BARN", name="Barn i HLT", unit=Unit.count, aggregation=Aggregation.sum)
    add = figures_of(session, children, places)
    add.value(places[UMEA], "2020", 690)
    span = {"from": "2020", "to": "2025"}

    first = _chart(client, reader, children, **span)
    etag = first.headers["etag"]
    again = _chart(client, reader, children, **span)
    unchanged = _chart(client, {**reader, "If-None-Match": etag}, children, **span)
    weak = _chart(client, {**reader, "If-None-Match": f'"other", W/{etag}'}, children, **span)

    assert etag.startswith('"') and len(etag) == 66  # a quoted SHA-256
    # pygal gives every drawing an id of its own: the same bytes mean the kept drawing was sent.
    assert again.text == first.text and again.headers["etag"] == etag
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
    assert weak.status_code == 304

    add.value(places[VANNAS], "2021", 12)
    changed = _chart(client, {**reader, "If-None-Match": etag}, children, **span)
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    empty = _chart(client, reader, children, **{"from": "2030", "to": "2031"})
    assert empty.status_code == 200 and "Inga värden" in _texts(empty.text)
    assert _chart(client, reader, children, gender="female", **span).status_code == 422
    assert _chart(client, {}, children, **span).status_code == 401


def test_one_target_line_when_every_scope_has_the_same_target(
    client: TestClient, admin: Headers, reader: Headers, session: Session
) -> None:
    places = small_county(client, admin)
    sip = indicator(session)
    add = figures_of(session, sip, places)
    for region in (UMEA_REGION, SKELLEFTEA_REGION):
        add.target(places[region], "2020", 50)
    add.value(places[UMEA], "2020", numerator=3, denominator=4)
    scopes = [str(places[UMEA_REGION]), str(places[SKELLEFTEA_REGION])]

    texts = _texts(_chart(client, reader, sip, scope=scopes, **{"from": "2020", "to": "2021"}).text)

    assert [t for t in texts if t.startswith("Målvärde")] == ["Målvärde"]
