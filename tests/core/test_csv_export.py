"""CSV cells: nested objects become dotted columns, and nothing Excel would run as a formula gets through."""

from app.core.http import csv_response


def _lines(rows: list[dict[str, object]]) -> list[str]:
    body = bytes(csv_response(rows, "x").body).decode("utf-8")
    assert body.startswith("\ufeff")
    return body.lstrip("\ufeff").splitlines()


def test_nested_objects_become_dotted_columns() -> None:
    lines = _lines([{"id": "1", "person": {"id": "p", "name": "Åsa Öberg"}, "on_behalf_of": None}])
    assert lines[0] == "id;person.id;person.name;on_behalf_of"
    assert lines[1] == "1;p;Åsa Öberg;"


def test_formulas_are_defused_but_phone_numbers_are_kept() -> None:
    lines = _lines([{"a": "=HYPERLINK(1)", "b": "@SUM(1)", "c": "+46 90 12 34", "d": "-12", "e": "+cmd"}])
    assert lines[1] == "'=HYPERLINK(1);'@SUM(1);+46 90 12 34;-12;'+cmd"


def test_an_object_null_in_some_rows_gets_no_column_of_its_own() -> None:
    lines = _lines([{"id": "1", "tally": None}, {"id": "2", "tally": {"adopted": 3}}])
    assert lines[0] == "id;tally.adopted"
    assert lines[1:] == ["1;", "2;3"]
