"""POST /indicator-values/import with a CSV body: the list's own columns, `;`, BOM or none, decimal comma; one
bad row refuses the file and is named by its line; the same file again changes nothing."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.metrics.models import IndicatorValue, ValueVersion
from tests.metrics import bulk_factories
from tests.metrics.bulk_factories import World

URL = "/api/v1/indicator-values/import"
HEADER = "indicator_code;scope;period;gender;value;numerator;denominator;weight;status;source;comment"
CSV = {"Content-Type": "text/csv"}


@pytest.fixture
def w(session: Session) -> World:
    return bulk_factories.world(session)


def _post(client: TestClient, headers: dict[str, str], text: str, bom: bool = True, **params: object):
    data = ("\ufeff" if bom else "") + text
    return client.post(URL, content=data.encode(), headers=headers | CSV, params=params)


def _count(session: Session) -> tuple[int, int]:
    session.expire_all()
    values = session.exec(select(func.count()).select_from(IndicatorValue)).one()
    versions = session.exec(select(func.count()).select_from(ValueVersion)).one()
    return values, versions


GOOD = (
    "\r\n".join(
        [
            HEADER,
            "HLT-BARN;2480;2024;female;120;;;;final;Elevhälsan;Räknat av skolsköterskorna i Umeå",
            "HLT-BARN;2480;2024;male;98;;;;final;;",
            "SIP-ANDEL;2480;2024;total;52,4;131;250;;preliminary;;",
            "BETALNING-DAGAR;2482;2023;total;1 234,5;;;;;;Åsele, Ängel & Öberg",
        ]
    )
    + "\r\n"
)


@pytest.mark.parametrize("bom", [True, False])
def test_a_file_is_imported_and_the_same_file_again_changes_nothing(
    client: TestClient, admin: dict[str, str], session: Session, w: World, bom: bool
) -> None:
    first = _post(client, admin, GOOD, bom=bom)
    assert first.status_code == 200, first.text
    assert first.json() == {"created": 4, "changed": 0, "unchanged": 0, "total": 4, "dry_run": False}
    again = _post(client, admin, GOOD, bom=bom)
    assert again.json() == {"created": 0, "changed": 0, "unchanged": 4, "total": 4, "dry_run": False}
    assert _count(session) == (4, 4)
    days = session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == w.days)).one()
    assert str(days.value) == "1234.5000"  # decimal comma and a space between thousands
    assert days.comment == "Åsele, Ängel & Öberg"
    assert days.organisation_id == w.skelleftea and days.status == "preliminary"
    sip = session.exec(select(IndicatorValue).where(IndicatorValue.indicator_id == w.sip)).one()
    assert (sip.numerator, sip.denominator, str(sip.value)) == (131, 250, "52.4000")


def test_one_bad_row_writes_nothing_and_is_named_by_its_line(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    bad = GOOD.replace("HLT-BARN;2480;2024;male;98", "HLT-BARN;2480;2024;male;9x8")
    r = _post(client, admin, bad)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "line", 3, "value"]]
    assert r.json()["detail"].startswith("1 bad row, nothing was written")
    assert _count(session) == (0, 0)


def test_every_bad_row_is_named_in_one_answer(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    text = "\n".join(
        [
            HEADER,
            "HLT-BARN;2480;2024;total;5;;;;;;",
            "NOPE;2480;2024;total;5;;;;;;",  # line 3: unknown indicator code
            "HLT-BARN;9999;2024;total;5;;;;;;",  # line 4: no such municipality
            "",  # a blank line is skipped, and still counted
            "HLT-BARN;2480;2024-Q5;total;5;;;;;;",  # line 6: bad period
            "BETALNING-DAGAR;2480;2024;female;5;;;;;;",  # line 7: not split by gender (the store's rule)
            "SIP-ANDEL;2480;2024;total;;131;;;;;",  # line 8: numerator without denominator
            "HLT-BARN;2480;2024;total;6;;;;;;",  # line 9: the same value as line 2
            "HLT-BARN;2480;2024;all;5;;;;draft;;",  # line 10: gender and status
        ]
    )
    r = _post(client, admin, text)
    assert r.status_code == 422, r.text
    locs = [tuple(e["loc"]) for e in r.json()["errors"]]
    assert locs == [
        ("body", "line", 3, "indicator_code"),
        ("body", "line", 4, "scope"),
        ("body", "line", 6, "period"),
        ("body", "line", 7, "gender"),
        ("body", "line", 8, "denominator"),
        ("body", "line", 9, "period"),
        ("body", "line", 10, "gender"),
        ("body", "line", 10, "status"),
    ]
    assert _count(session) == (0, 0)


def test_an_unknown_column_is_named(client: TestClient, admin: dict[str, str], w: World) -> None:
    r = _post(client, admin, HEADER + ";kommentar\nHLT-BARN;2480;2024;total;5;;;;;;;x\n")
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "line", 1, "kommentar"]


def test_missing_columns_and_an_empty_file(client: TestClient, admin: dict[str, str], w: World) -> None:
    r = _post(client, admin, "indicator_code;period;value\nHLT-BARN;2024;5\n")
    assert r.status_code == 422 and "scope" in r.json()["errors"][0]["msg"]
    assert _post(client, admin, "").status_code == 422


def test_not_utf8_is_refused(client: TestClient, admin: dict[str, str], w: World) -> None:
    data = (HEADER + "\nHLT-BARN;2480;2024;total;5;;;;;;Umeå\n").encode("latin-1")
    r = client.post(URL, content=data, headers=admin | CSV)
    assert r.status_code == 422 and "UTF-8" in r.json()["detail"]


def test_corrections_need_a_reason_and_keep_the_old_version(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    assert _post(client, admin, GOOD).status_code == 200
    changed = GOOD.replace("male;98", "male;99")
    r = _post(client, admin, changed)
    assert r.status_code == 422
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "line", 3, "reason"]]
    r = _post(client, admin, changed, reason="Två pojkar räknades inte")
    assert r.json() == {"created": 0, "changed": 1, "unchanged": 3, "total": 4, "dry_run": False}
    assert _count(session) == (4, 5)
    reasons = session.exec(select(ValueVersion.reason).where(ValueVersion.number == 2)).all()
    assert reasons == ["Två pojkar räknades inte"]


def test_a_dry_run_counts_and_writes_nothing(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    r = _post(client, admin, GOOD, dry_run="true")
    assert r.json() == {"created": 4, "changed": 0, "unchanged": 0, "total": 4, "dry_run": True}
    assert _count(session) == (0, 0)


def test_the_exports_read_only_columns_are_ignored_and_the_id_decides(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    """The round trip: the list's CSV (every column it has) imported back changes nothing."""
    assert _post(client, admin, GOOD).status_code == 200
    exported = _export(session)
    r = _post(client, admin, exported)
    assert r.status_code == 200, r.text
    assert r.json() == {"created": 0, "changed": 0, "unchanged": 4, "total": 4, "dry_run": False}


# The columns of GET /indicator-values as CSV (the design's ValueOut). Built here from the rows until the list exists.
EXPORT_COLUMNS = (
    "id;created_at;updated_at;indicator_id;indicator_code;scope;scope_kind;scope_name;period;gender;value;numerator;"
    "denominator;weight;status;source;comment;version;reported_by;reason"
)


def _export(session: Session) -> str:
    def cell(x: object) -> str:
        if x is None:
            return ""
        text = str(x)
        return text.replace(".", ",") if text.replace(".", "").isdigit() else text

    lines = [EXPORT_COLUMNS]
    for v in session.exec(select(IndicatorValue)).all():
        row = [
            v.id,
            v.created_at,
            v.updated_at,
            v.indicator_id,
            "IGNORED",
            v.organisation_id or "county",
            v.scope_kind,
            "Namn",
            v.period,
            v.gender,
            v.value,
            v.numerator,
            v.denominator,
            v.weight,
            v.status,
            v.source,
            v.comment,
            v.version,
            v.reported_by,
            "",
        ]
        lines.append(";".join(cell(x) for x in row))
    return "\r\n".join(lines) + "\r\n"


def test_editors_import_for_their_own_principal_only(
    client: TestClient, make_principal: Callable[..., dict[str, str]], session: Session, w: World
) -> None:
    own = make_principal(f"editor:{w.umea}")
    ours = "\n".join([HEADER, "HLT-BARN;2480;2024;total;5;;;;;;"])
    assert _post(client, own, ours).status_code == 200
    theirs = "\n".join([HEADER, "HLT-BARN;2480;2025;total;5;;;;;;", "HLT-BARN;2482;2025;total;5;;;;;;"])
    r = _post(client, own, theirs)
    assert r.status_code == 403 and r.json()["code"] == "missing_role"
    county = "\n".join([HEADER, "HLT-BARN;county;2025;total;5;;;;;;"])
    assert _post(client, own, county).status_code == 403
    assert _post(client, make_principal("reader"), ours).status_code == 403
    assert _count(session) == (1, 1)


def test_a_body_that_is_neither_json_nor_csv(client: TestClient, admin: dict[str, str], w: World) -> None:
    r = client.post(URL, content=b"<values/>", headers=admin | {"Content-Type": "application/xml"})
    assert r.status_code == 415 and r.json()["code"] == "unsupported_media_type"


def _rows(n: int, year: int) -> str:
    """`n` values over two indicators, both principals and the county, every gender: few distinct texts."""
    codes, scopes_ = ("HLT-BARN", "SIP-ANDEL"), ("2480", "2482", "county")
    lines = [HEADER]
    for i in range(n):
        code, scope, gender = codes[i % 2], scopes_[i % 3], ("total", "female", "male")[i // 6 % 3]
        figures = "5;;;" if code == "HLT-BARN" else ";1;2;"
        lines.append(f"{code};{scope};{year + i // 18}-{i % 12 + 1:02d};{gender};{figures};;;")
    return "\n".join(lines) + "\n"


def test_codes_and_scopes_are_resolved_once_per_text_not_per_row(
    client: TestClient, admin: dict[str, str], w: World, count_queries: Callable[..., Any]
) -> None:
    with count_queries() as few:
        assert _post(client, admin, _rows(36, 2000)).json()["created"] == 36
    with count_queries() as many:
        assert _post(client, admin, _rows(360, 2100)).json()["created"] == 360
    assert many() == few()


def test_a_csv_file_past_the_json_body_limit_is_taken(
    client: TestClient, admin: dict[str, str], session: Session, w: World
) -> None:
    """A CSV body is a file: it has the upload limit (50 MB), not the 1 MB of a JSON body."""
    comment = "Ä" * 1000  # 2 000 bytes
    lines = [HEADER] + [f"HLT-BARN;2480;{1950 + i // 12}-{i % 12 + 1:02d};total;{i};;;;;;{comment}" for i in range(600)]
    data = "\n".join(lines)
    assert len(data.encode()) > 1_048_576
    r = _post(client, admin, data, dry_run="true")
    assert r.status_code == 200, r.text[:300]
    assert r.json()["created"] == 600
