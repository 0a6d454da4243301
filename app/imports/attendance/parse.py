"""Teams attendance reports into `ParsedAttendanceReport`: every layout, encoding and language Teams has written.

Pure: bytes in, plain data out, no database. The layouts (see ../shared/samples/teams/README.md):
- `current` (2022 onwards): "1. Summary" key/value rows, "2. Participants" (a row per person), "3. In-Meeting
  Activities" (a row per join/leave interval);
- `summary_2021`: key/value summary rows, then a row per interval;
- `legacy_2020`: a row per join or leave event;
- `graph_json`: a Microsoft Graph attendanceReport with its attendanceRecords.
What differs between languages (header names, roles, units) is data in `formats`.
"""

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.text import clean, fold
from app.core.time import local, to_utc
from app.imports.attendance.formats import (
    MONTH_FIRST,
    HeaderMatch,
    TimeReader,
    Window,
    event_action,
    is_guest,
    known_headers_hint,
    match_headers,
    normalise_role,
    parse_duration,
    summary_field,
    unwrap_upn,
)
from app.imports.attendance.text import AttendanceFormatError, Line, decode, read_lines, sniff_delimiter, split_sections
from app.imports.parsed import ParsedAttendanceReport, ParsedInterval, ParsedParticipant

__all__ = ["MAX_BYTES", "AttendanceFormatError", "parse_attendance"]

MAX_BYTES = 5 * 1024 * 1024
_LONGEST_MEETING = timedelta(hours=24)  # an open interval is closed at the meeting end only if that is plausible


def parse_attendance(
    data: bytes, filename: str = "", meeting_start: datetime | None = None, meeting_end: datetime | None = None
) -> ParsedAttendanceReport:
    """Parse a Teams attendance report. `meeting_start`/`meeting_end` (naive = Stockholm) settle dates that read
    both ways and close the attendance of someone who never left; the report's own summary is used when not given."""
    window: Window = (to_utc(meeting_start) if meeting_start else None, to_utc(meeting_end) if meeting_end else None)
    try:
        if len(data) > MAX_BYTES:
            raise AttendanceFormatError(
                f"The file is {len(data) / 1024 / 1024:.1f} MB; attendance reports over {MAX_BYTES // 1024 // 1024} MB"
                " are refused."
            )
        text, encoding = decode(data)
        if text.lstrip().startswith(("{", "[")):
            return _parse_graph(text, encoding, window)
        return _parse_csv(text, encoding, window)
    except AttendanceFormatError as error:
        if filename:
            raise AttendanceFormatError(f"{filename}: {error}") from None
        raise


# --- Rows to people -----------------------------------------------------------------------------------------------


@dataclass
class _Table:
    header: HeaderMatch
    lines: list[Line]


@dataclass
class _Context:
    reader: TimeReader
    meeting_end: datetime | None
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


@dataclass
class _Row:
    """One row of any table: a person's totals (2. Participants, Graph records) or one interval."""

    name: str
    email: str | None = None
    upn: str | None = None
    role: str | None = None
    guest: bool = False
    joined: datetime | None = None
    left: datetime | None = None
    seconds: int | None = None


def _quoted(cells: list[str]) -> str:
    """Cells for a message: the first twelve non-empty ones, each cut at 40 characters."""
    shown = [cell for cell in cells if cell][:12]
    return ", ".join(f'"{cell[:40]}"' for cell in shown) or "(none)"


def find_table(lines: list[Line]) -> tuple[int, _Table]:
    """The first header row we recognise and the non-empty rows under it; the error names the headers found."""
    for position, line in enumerate(lines):
        header = match_headers(line.cells)
        if header is None:
            continue
        is_event_list = bool({"action", "timestamp"} & header.columns.keys())
        needed = ("name", "action", "timestamp") if is_event_list else ("name", "join")
        missing = [name for name in needed if name not in header.columns]
        if missing:
            raise AttendanceFormatError(
                f"The header row {_quoted(line.cells)} (line {line.number}) has no column for {', '.join(missing)}."
            )
        return position, _Table(header, [line for line in lines[position + 1 :] if line.cells])
    widest = max(lines, key=lambda line: sum(1 for cell in line.cells if cell), default=Line(0, []))
    raise AttendanceFormatError(
        f"No attendance report headers recognised; headers found: {_quoted(widest.cells)}. "
        f"Expected {known_headers_hint()}."
    )


def _email(value: str) -> str | None:
    address = unwrap_upn(value)
    return address if "@" in address else None


def _role(value: str, ctx: _Context) -> str | None:
    role = normalise_role(value) if value else None
    if value and role is None:
        ctx.warn(f'Role "{value}" not recognised; left empty.')
    return role


def read_row(header: HeaderMatch, line: Line, ctx: _Context) -> _Row | None:
    def cell(name: str) -> str:
        return header.cell(line.cells, name)

    name = clean(cell("name"))
    if not name:
        ctx.warn(f"Line {line.number} skipped: no name.")
        return None
    try:
        joined, left = ctx.reader.read(cell("join")), ctx.reader.read(cell("leave"))
    except ValueError as error:
        ctx.warn(f"Line {line.number} ({name}) skipped: {error}.")
        return None
    seconds = parse_duration(cell("duration"))
    if seconds is None and cell("duration"):
        ctx.warn(f'Line {line.number} ({name}): duration "{cell("duration")}" not understood; taken from the times.')
    upn = unwrap_upn(cell("upn")) or None
    email = _email(cell("email")) or (upn if "#ext#" in cell("upn").lower() else None)
    return _Row(name, email, upn, _role(cell("role"), ctx), joined=joined, left=left, seconds=seconds)


def legacy_intervals(table: _Table, ctx: _Context) -> list[_Row]:
    """The 2020 list's join and leave events, paired per person in time order (rows are not always in order)."""
    events: dict[str, list[tuple[datetime, str, str]]] = {}
    for line in table.lines:
        name = clean(table.header.cell(line.cells, "name"))
        action = event_action(table.header.cell(line.cells, "action"))
        try:
            when = ctx.reader.read(table.header.cell(line.cells, "timestamp"))
        except ValueError as error:
            ctx.warn(f"Line {line.number} ({name}) skipped: {error}.")
            continue
        if not name or action is None or when is None:
            ctx.warn(f"Line {line.number} skipped: it needs a name, a join or leave action and a time.")
            continue
        events.setdefault(fold(name), []).append((when, action, name))
    rows = []
    for person_events in events.values():
        opened: datetime | None = None
        for when, action, name in sorted(person_events, key=lambda event: (event[0], event[1] != "join")):
            if action == "join":
                opened = opened or when  # a second join while still in (another device) changes nothing
                continue
            if opened is None:
                ctx.warn(f"{name} left at {_local(when)} with no join before it; the join time is unknown.")
            rows.append(_Row(name, joined=opened, left=when))
            opened = None
        if opened is not None:
            rows.append(_Row(person_events[0][2], joined=opened))
    return rows


@dataclass
class _Person:
    name: str
    email: str | None = None
    upn: str | None = None
    role: str | None = None
    guest: bool = False
    first_join: datetime | None = None
    last_leave: datetime | None = None
    seconds: int | None = None
    intervals: list[_Row] = field(default_factory=list)

    def take(self, row: _Row) -> None:
        self.email, self.upn, self.role = self.email or row.email, self.upn or row.upn, self.role or row.role
        self.guest = self.guest or row.guest


class _People:
    """Rows merged into people: by e-mail or UPN, else by name when one side has neither."""

    def __init__(self) -> None:
        self.all: list[_Person] = []
        self._by_id: dict[str, _Person] = {}
        self._by_name: dict[str, list[_Person]] = {}

    def get(self, row: _Row) -> _Person:
        ids = [value for value in (row.email, row.upn) if value]
        person = next((self._by_id[value] for value in ids if value in self._by_id), None)
        if person is None:
            namesakes = self._by_name.setdefault(fold(row.name), [])
            person = next((p for p in namesakes if not ids or not (p.email or p.upn)), None)
            if person is None:
                person = _Person(row.name)
                self.all.append(person)
                namesakes.append(person)
        person.take(row)
        for value in ids:
            self._by_id.setdefault(value, person)
        return person


def merge(totals: list[_Row], intervals: list[_Row], ctx: _Context) -> list[ParsedParticipant]:
    people = _People()
    for row in totals:
        person = people.get(row)
        person.first_join = min((t for t in (person.first_join, row.joined) if t), default=None)
        person.last_leave = max((t for t in (person.last_leave, row.left) if t), default=None)
        if row.seconds is not None:
            person.seconds = (person.seconds or 0) + row.seconds
    for row in intervals:
        people.get(row).intervals.append(row)
    return [_participant(person, ctx) for person in people.all]


def _start(row: _Row) -> datetime:
    return row.joined or row.left or datetime.min.replace(tzinfo=UTC)


def _participant(person: _Person, ctx: _Context) -> ParsedParticipant:
    intervals: list[ParsedInterval] = []
    seconds: list[int | None] = []
    closed_here = still_open = False
    for row in sorted(person.intervals, key=_start):
        left, closed = row.left, False
        if left is None and row.joined is not None:
            end = ctx.meeting_end
            if end is not None and timedelta(0) <= end - row.joined <= _LONGEST_MEETING:
                left, closed = end, True
                ctx.warn(f"{person.name} has no leave time: counted until the meeting end, {_local(left)}.")
            else:
                still_open = True
                ctx.warn(f"{person.name} has no leave time (still in the meeting when the report was made?).")
        intervals.append(ParsedInterval(joined_at=row.joined, left_at=left))
        # A duration given for an interval still open (Graph gives 0) means nothing once it is closed here.
        seconds.append(_between(row.joined, left) if closed or row.seconds is None else row.seconds)
        closed_here = closed_here or closed
    summed = sum(s for s in seconds if s is not None) if seconds and None not in seconds else None
    joins = [interval.joined_at for interval in intervals if interval.joined_at]
    leaves = [interval.left_at for interval in intervals if interval.left_at]
    return ParsedParticipant(
        name=person.name,
        email=person.email,
        upn=person.upn,
        role=person.role,
        guest=person.guest or is_guest(person.name),
        first_join=person.first_join or min(joins, default=None),
        last_leave=person.last_leave or (None if still_open else max(leaves, default=None)),
        duration_seconds=summed if closed_here or person.seconds is None else person.seconds,
        intervals=intervals,
    )


def _between(start: datetime | None, end: datetime | None) -> int | None:
    return round((end - start).total_seconds()) if start and end else None


def _local(instant: datetime) -> str:
    return local(instant).strftime("%Y-%m-%d %H:%M")


# --- Layouts ------------------------------------------------------------------------------------------------------


def _read_summary(lines: list[Line], ctx: _Context) -> tuple[str | None, datetime | None, datetime | None]:
    values: dict[str, str] = {}
    for line in lines:
        if len(line.cells) >= 2 and (name := summary_field(line.cells[0])):
            values.setdefault(name, line.cells[1])
    times: list[datetime | None] = []
    for name in ("start", "end"):
        try:
            times.append(ctx.reader.read(values.get(name, "")))
        except ValueError as error:
            ctx.warn(f"The meeting's {name} time is not understood: {error}.")
            times.append(None)
    return (clean(values["title"]) if values.get("title") else None), times[0], times[1]


@dataclass
class _Layout:
    name: str
    language: str
    summary: list[Line]  # key/value rows: title, start, end
    participants: _Table | None  # a row per person (current layout)
    intervals: _Table | None  # a row per interval, or per join/leave event (2020 list)


def detect_layout(lines: list[Line]) -> _Layout:
    sections = split_sections(lines)
    if 2 in sections or 3 in sections:
        tables = {number: find_table(sections[number])[1] for number in (2, 3) if number in sections}
        language = (tables.get(2) or tables[3]).header.language
        return _Layout("current", language, sections.get(1, []), tables.get(2), tables.get(3))
    position, table = find_table(lines)
    name = "legacy_2020" if "action" in table.header.columns else "summary_2021"
    return _Layout(name, table.header.language, lines[:position], None, table)


def _rows(table: _Table | None, ctx: _Context) -> list[_Row]:
    if table is None:
        return []
    return [row for line in table.lines if (row := read_row(table.header, line, ctx))]


def _parse_csv(text: str, encoding: str, window: Window) -> ParsedAttendanceReport:
    delimiter = sniff_delimiter(text)
    lines = read_lines(text, delimiter)
    layout = detect_layout(lines)
    ctx = _Context(TimeReader((cell for line in lines for cell in line.cells), window), meeting_end=window[1])
    title, starts_at, ends_at = _read_summary(layout.summary, ctx)
    ctx.reader.window = (window[0] or starts_at, window[1] or ends_at)
    ctx.meeting_end = ends_at or window[1]  # the report's own end, if it has one
    if layout.name == "legacy_2020" and layout.intervals:
        intervals = legacy_intervals(layout.intervals, ctx)
    else:
        intervals = _rows(layout.intervals, ctx)
    totals = _rows(layout.participants, ctx)
    if not totals and not intervals:
        raise AttendanceFormatError("The report lists no participants.")
    people = merge(totals, intervals, ctx)
    if ctx.reader.assumed:
        order, example = ctx.reader.assumed
        clock = "12-hour" if order == MONTH_FIRST else "24-hour"
        ctx.warn(
            f'Dates such as "{example}" read both ways and nothing in the file settles them: read as {order}, as '
            f"its {clock} clock suggests. Give the meeting's start to be sure."
        )
    return ParsedAttendanceReport(
        layout=layout.name,
        encoding=encoding,
        delimiter=delimiter,
        language=layout.language,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        participants=people,
        warnings=ctx.warnings,
        order_guessed=ctx.reader.assumed is not None,
    )


def _graph_records(document: Any) -> tuple[dict[str, Any], list[Any]]:
    if isinstance(document, dict) and isinstance(document.get("value"), list):
        document = document["value"]
    if isinstance(document, list):
        if len(document) != 1:
            raise AttendanceFormatError(f"The JSON holds {len(document)} attendance reports; import one at a time.")
        document = document[0]
    records = document.get("attendanceRecords") if isinstance(document, dict) else None
    if not isinstance(document, dict) or not isinstance(records, list):
        raise AttendanceFormatError(
            "The JSON is not a Microsoft Graph attendance report: it has no attendanceRecords "
            "(fetch the report with $expand=attendanceRecords)."
        )
    return document, records


def _seconds(value: Any) -> int | None:
    return round(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _graph_time(value: Any, ctx: _Context, what: str) -> datetime | None:
    try:
        return ctx.reader.read(value) if isinstance(value, str) else None
    except ValueError as error:
        ctx.warn(f"{what}: {error}.")
        return None


def _graph_rows(record: Any, number: int, ctx: _Context) -> list[_Row]:
    """A Graph attendance record as a totals row followed by one row per interval."""
    record = record if isinstance(record, dict) else {}
    identity = record.get("identity") if isinstance(record.get("identity"), dict) else {}
    email = _email(str(record.get("emailAddress") or ""))
    name = clean(str(identity.get("displayName") or "")) or email
    if not name:
        ctx.warn(f"Attendance record {number} skipped: no name and no e-mail.")
        return []
    role = _role(str(record.get("role") or ""), ctx)
    person = _Row(name, email, role=role, guest=not identity.get("id") and not email)
    rows = [replace(person, seconds=_seconds(record.get("totalAttendanceInSeconds")))]
    for interval in record.get("attendanceIntervals") or []:
        if isinstance(interval, dict):
            joined = _graph_time(interval.get("joinDateTime"), ctx, name)
            left = _graph_time(interval.get("leaveDateTime"), ctx, name)
            rows.append(replace(person, joined=joined, left=left, seconds=_seconds(interval.get("durationInSeconds"))))
    return rows


def _parse_graph(text: str, encoding: str, window: Window) -> ParsedAttendanceReport:
    try:
        document, records = _graph_records(json.loads(text))
    except json.JSONDecodeError as error:
        raise AttendanceFormatError(f"The file is not valid JSON: {error.msg} (line {error.lineno}).") from None
    ctx = _Context(TimeReader([]), meeting_end=window[1])
    starts_at = _graph_time(document.get("meetingStartDateTime"), ctx, "Meeting start")
    ends_at = _graph_time(document.get("meetingEndDateTime"), ctx, "Meeting end")
    ctx.meeting_end = ends_at or window[1]  # the report's own end, if it has one
    totals, intervals = [], []
    for number, record in enumerate(records, start=1):
        rows = _graph_rows(record, number, ctx)
        totals.extend(rows[:1])
        intervals.extend(rows[1:])
    if not totals:
        raise AttendanceFormatError("The report lists no participants.")
    return ParsedAttendanceReport(
        layout="graph_json",
        encoding=encoding,
        starts_at=starts_at,
        ends_at=ends_at,
        participants=merge(totals, intervals, ctx),
        warnings=ctx.warnings,
    )
