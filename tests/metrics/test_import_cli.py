"""`samverkan import values FILE` on the test database (SAMVERKAN_DATABASE_URL): created/changed/unchanged, bad
rows printed with their line and exit code 1 with nothing written, corrections with --reason, --dry-run."""

import json
from pathlib import Path

import pytest
from sqlmodel import Session, func, select
from typer.testing import CliRunner

from app.cli import cli
from app.metrics.models import IndicatorValue
from tests.metrics import bulk_factories
from tests.metrics.bulk_factories import World

HEADER = "indicator_code;scope;period;gender;value;numerator;denominator;weight;status;source;comment"
ROWS = [
    "HLT-BARN;2480;2024;female;120;;;;final;;Räknat i Umeå",
    "HLT-BARN;2480;2024;male;98;;;;final;;",
    "SIP-ANDEL;2482;2024;total;52,4;131;250;;;;",
]


@pytest.fixture
def w(session: Session) -> World:
    return bulk_factories.world(session)


def _file(tmp_path: Path, rows: list[str], name: str = "värden.csv") -> Path:
    path = tmp_path / name
    path.write_text("\ufeff" + "\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8")
    return path


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["import", "values", *args])
    return result.exit_code, result.output


def _count(session: Session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(IndicatorValue)).one()


def test_a_csv_file_is_imported_and_again_is_unchanged(tmp_path: Path, session: Session, w: World) -> None:
    path = _file(tmp_path, ROWS)
    code, output = _run(str(path))
    assert code == 0, output
    assert "3 created, 0 changed, 0 unchanged" in output
    code, output = _run(str(path))
    assert code == 0 and "0 created, 0 changed, 3 unchanged" in output
    assert _count(session) == 3
    comments = session.exec(select(IndicatorValue.comment).where(IndicatorValue.comment.is_not(None))).all()
    assert comments == ["Räknat i Umeå"]


def test_bad_rows_are_printed_with_their_line_and_nothing_is_written(
    tmp_path: Path, session: Session, w: World
) -> None:
    path = _file(tmp_path, [*ROWS, "HLT-BARN;2480;2024-Q9;total;5;;;;;;", "OKÄND;2480;2024;total;5;;;;;;"])
    code, output = _run(str(path))
    assert code == 1
    assert "Nothing imported" in output
    assert "line 5, period" in output and "line 6, indicator_code" in output
    assert _count(session) == 0


def test_a_correction_needs_a_reason_and_a_dry_run_writes_nothing(tmp_path: Path, session: Session, w: World) -> None:
    code, output = _run(str(_file(tmp_path, ROWS)), "--dry-run")
    assert code == 0 and "Would import 3 values" in output and _count(session) == 0
    assert _run(str(_file(tmp_path, ROWS)))[0] == 0
    changed = _file(tmp_path, [ROWS[0].replace("120", "121"), *ROWS[1:]])
    code, output = _run(str(changed))
    assert code == 1 and "line 2, reason" in output
    code, output = _run(str(changed), "--reason", "En flicka till")
    assert code == 0 and "0 created, 1 changed, 2 unchanged" in output


def test_a_json_file(tmp_path: Path, session: Session, w: World) -> None:
    path = tmp_path / "värden.json"
    values = [{"indicator_code": "HLT-BARN", "scope": "county", "period": "2020", "gender": "total", "value": 690}]
    path.write_text(json.dumps(values), encoding="utf-8")
    code, output = _run(str(path))
    assert code == 0 and "1 created" in output
    values[0]["period"] = "tjugotjugo"
    path.write_text(json.dumps({"values": values}), encoding="utf-8")
    code, output = _run(str(path))
    assert code == 1 and "value 1, period" in output


def test_another_kind_of_file_is_refused(tmp_path: Path, w: World) -> None:
    path = tmp_path / "värden.xlsx"
    path.write_bytes(b"PK")
    code, output = _run(str(path))
    assert code == 2 and ".csv" in output
