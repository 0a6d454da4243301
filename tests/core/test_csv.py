"""CSV answers for lists: UTF-8 with BOM and `;`, so Swedish Excel opens them with å/ä/ö intact."""

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests.core.conftest import ORGS

NAMES = ["Åsele kommun", "Vännäs kommun", "Örnsköldsvik", "Umeå kommun"]
BOM = b"\xef\xbb\xbf"


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(BOM)
    return list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8"), newline=""), delimiter=";"))


def test_csv_export(client: TestClient, admin: dict[str, str], make_body: Callable[..., dict[str, Any]]) -> None:
    created = {name: make_body(name, short_name=name.split()[0])["id"] for name in NAMES}
    r = client.get(ORGS, headers={**admin, "Accept": "text/csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "charset=utf-8" in r.headers["content-type"].lower()
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith(BOM)
    assert not r.content[len(BOM) :].startswith(BOM)

    header, *rows = _rows(r.content)
    assert header[:3] == ["id", "created_at", "updated_at"]
    assert {"name", "short_name", "kind"} <= set(header)
    assert b";" in r.content.split(b"\r\n")[0]
    assert all(len(row) == len(header) for row in rows)
    by_name = {row[header.index("name")]: row for row in rows}
    assert set(by_name) == set(NAMES)
    for name, ident in created.items():
        assert by_name[name][header.index("id")] == ident
        assert by_name[name][header.index("short_name")] == name.split()[0]
    # Same order as the JSON list (Swedish alphabetical).
    assert [row[header.index("name")] for row in rows] == [
        "Umeå kommun",
        "Vännäs kommun",
        "Åsele kommun",
        "Örnsköldsvik",
    ]


def test_csv_keeps_separators_and_quotes_inside_cells(
    client: TestClient, admin: dict[str, str], make_body: Callable[..., dict[str, Any]]
) -> None:
    name = 'Samråd "hälsa; vård" och omsorg'
    make_body(name)
    header, row = _rows(client.get(ORGS, headers={**admin, "Accept": "text/csv"}).content)
    assert row[header.index("name")] == name


def test_csv_honours_the_filters_and_the_page(
    client: TestClient, admin: dict[str, str], make_body: Callable[..., dict[str, Any]]
) -> None:
    for name in NAMES:
        make_body(name)
    r = client.get(ORGS, params={"q": "kommun", "limit": 2}, headers={**admin, "Accept": "text/csv"})
    header, *rows = _rows(r.content)
    assert [row[header.index("name")] for row in rows] == ["Umeå kommun", "Vännäs kommun"]


def test_json_unless_csv_is_asked_for(
    client: TestClient, admin: dict[str, str], make_body: Callable[..., dict[str, Any]]
) -> None:
    make_body("Åsele kommun")
    for accept in (None, "application/json", "*/*", "application/json, text/csv"):
        headers = {**admin, "Accept": accept} if accept else admin
        r = client.get(ORGS, headers=headers)
        assert r.headers["content-type"] == "application/json", accept
        assert r.json()["data"][0]["name"] == "Åsele kommun"


def test_csv_names_the_next_page_in_a_link_header(
    client: TestClient, admin: dict[str, str], make_body: Callable[..., dict[str, Any]]
) -> None:
    for name in NAMES:
        make_body(name)
    csv_headers = {**admin, "Accept": "text/csv"}
    seen: list[str] = []
    r = client.get(ORGS, params={"limit": 3}, headers=csv_headers)
    while True:
        header, *rows = _rows(r.content)
        seen += [row[header.index("name")] for row in rows]
        if "link" not in r.headers:
            break
        link = r.headers["link"]
        assert link.endswith('>; rel="next"') and link.startswith("<")
        r = client.get(link[1 : link.index(">")], headers=csv_headers)
    assert seen == ["Umeå kommun", "Vännäs kommun", "Åsele kommun", "Örnsköldsvik"]


def test_csv_writes_a_float_figure_with_a_decimal_comma() -> None:
    """Metrics answer figures as JSON numbers; in CSV they must read as numbers in Swedish Excel."""
    from app.core.http import csv_response

    r = csv_response([{"value": 52.4, "count": 690, "small": 0.0001, "big": 99999999999.9999}], "figures")
    assert _rows(r.body) == [["value", "count", "small", "big"], ["52,4", "690", "0,0001", "99999999999,9999"]]
