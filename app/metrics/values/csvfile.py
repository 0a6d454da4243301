"""Reading a values CSV: the values list's own export read back (`;`, UTF-8 with or without a BOM, a decimal
comma or point). Every bad cell is named by its line (as an editor shows it: the header is line 1) and column;
the header itself must name known columns only, so a misspelt column is never silently dropped."""

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.core.errors import ValidationFailed
from app.metrics import periods
from app.metrics.models import Gender, ValueStatus
from app.metrics.numbers import parse_csv_figure
from app.metrics.values.bulk import Draft
from app.metrics.values.store import RowProblem

WRITABLE = (
    "indicator_id",
    "indicator_code",
    "scope",
    "period",
    "gender",
    "value",
    "numerator",
    "denominator",
    "weight",
    "status",
    "source",
    "comment",
)
# Columns of the export that the service sets itself: read back, they are ignored.
READ_ONLY = frozenset(
    {"id", "created_at", "updated_at", "scope_kind", "scope_name", "version", "reported_by", "reason"}
)
FIGURES = ("value", "numerator", "denominator", "weight")
LIMITS = {"source": 300, "comment": 2000, "indicator_code": 40, "scope": 40}


@dataclass
class CsvRows:
    """The drafts of a file, the line of each (for naming it), and the problems of cells that did not parse."""

    drafts: list[Draft]
    lines: list[int]
    problems: list[RowProblem]


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(("body",), f"the file is not UTF-8 (byte {exc.start} cannot be read)") from None


def _header(row: list[str]) -> dict[str, int]:
    names = [c.strip().lower() for c in row]
    for name in names:
        if name not in WRITABLE and name not in READ_ONLY:
            raise ValidationFailed(
                ("body", "line", 1, name or "(empty)"),
                f"unknown column; the columns are {', '.join(WRITABLE)} (and the list's read-only columns)",
            )
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise ValidationFailed(("body", "line", 1, twice), "the column is named twice")
    columns = {n: i for i, n in enumerate(names) if n in WRITABLE}
    if "indicator_id" in columns:
        columns.pop("indicator_code", None)  # the export has both; the id decides
    missing = [n for n in ("scope", "period") if n not in columns]
    if "indicator_id" not in columns and "indicator_code" not in columns:
        missing.insert(0, "indicator_id or indicator_code")
    if missing:
        raise ValidationFailed(("body", "line", 1), f"missing columns: {', '.join(missing)}")
    return columns


def _cached(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """A column has few distinct texts (periods, genders, scopes): parse each once, not once per row."""
    seen: dict[str, Any] = {}

    def once(text: str) -> Any:
        if text not in seen:
            try:
                seen[text] = parse(text)
            except ValueError as exc:
                seen[text] = exc
        found = seen[text]
        if isinstance(found, ValueError):
            raise found
        return found

    return once


def _choice(kind: type[Gender] | type[ValueStatus]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            return kind(text.lower())
        except ValueError:
            raise ValueError(f"must be one of {', '.join(kind)}") from None

    return parse


def _figure(text: str) -> Decimal | None:
    return parse_csv_figure(text)


def read(data: bytes) -> CsvRows:
    """The rows of a values file; ValidationFailed for a file that cannot be read at all (encoding, header)."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""), delimiter=";")
    try:
        header = next(reader, None)
        if header is None or not any(c.strip() for c in header):
            raise ValidationFailed(("body", "line", 1), "the file is empty: the first line names the columns")
        columns = _header(header)
        return _rows(reader, columns, len(header))
    except csv.Error as exc:
        raise ValidationFailed(("body", "line", reader.line_num), f"not CSV: {exc}") from None


def _rows(reader: Any, columns: dict[str, int], width: int) -> CsvRows:
    parsers: dict[str, Callable[[str], Any]] = {
        "indicator_id": _cached(uuid.UUID),
        "period": _cached(lambda t: periods.parse(t)),
        "gender": _cached(_choice(Gender)),
        "status": _cached(_choice(ValueStatus)),
        **{f: _figure for f in FIGURES},
    }
    out = CsvRows([], [], [])
    line = reader.line_num + 1
    for cells in reader:
        if not any(c.strip() for c in cells):
            line = reader.line_num + 1
            continue
        index = len(out.drafts)
        out.lines.append(line)
        if len(cells) > width:
            out.problems.append(RowProblem(index, "(line)", f"{len(cells)} cells, the header names {width}"))
        fields: dict[str, Any] = {}
        for name, at in columns.items():
            text = cells[at].strip() if at < len(cells) else ""
            if name in parsers:
                try:
                    fields[name] = parsers[name](text) if text else None
                except ValueError as exc:
                    problem = "must be a uuid" if name == "indicator_id" else str(exc)
                    out.problems.append(RowProblem(index, name, problem))
            elif len(text) > LIMITS[name]:
                out.problems.append(RowProblem(index, name, f"may be at most {LIMITS[name]} characters"))
            else:
                fields[name] = text or None
        out.drafts.append(_draft(index, fields, out.problems))
        line = reader.line_num + 1
    return out


def _draft(index: int, fields: dict[str, Any], problems: list[RowProblem]) -> Draft:
    for name in ("scope", "period"):
        if name in fields and fields[name] is None:
            problems.append(RowProblem(index, name, "is required"))
    ident, code = fields.get("indicator_id"), fields.get("indicator_code")
    if ident is None and code is None and ("indicator_id" in fields or "indicator_code" in fields):
        problems.append(
            RowProblem(index, "indicator_id" if "indicator_id" in fields else "indicator_code", "is required")
        )
    return Draft(
        indicator_id=ident,
        indicator_code=code,
        scope=fields.get("scope") or "",
        period=fields.get("period"),
        gender=fields.get("gender") or Gender.total,
        value=fields.get("value"),
        numerator=fields.get("numerator"),
        denominator=fields.get("denominator"),
        weight=fields.get("weight"),
        status=fields.get("status") or ValueStatus.preliminary,
        source=fields.get("source"),
        comment=fields.get("comment"),
    )
