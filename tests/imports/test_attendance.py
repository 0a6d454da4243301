"""Teams attendance reports: every shared sample, every layout, encoding, delimiter and language, and every bad file.

The shared samples are read from tests/fixtures/samples/teams (copies of ../shared/samples);
the small fixtures in files/ cover what has no sample: the 2021–22 layout, Excel re-saves, French headers,
day-first and ambiguous dates, UTF-16 BE.
"""

import codecs
import csv
import io
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.imports.attendance.formats import (
    FIELDS,
    LANGUAGES,
    MONTH_FIRST,
    TimeReader,
    key,
    match_headers,
    parse_duration,
    unwrap_upn,
)
from app.imports.attendance.parse import MAX_BYTES, AttendanceFormatError, parse_attendance
from app.imports.parsed import ParsedAttendanceReport, ParsedParticipant

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples" / "teams"
FILES = Path(__file__).resolve().parent / "files"
CURRENT_EN = "attendance_current_en_utf16le.csv"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def fixture(name: str) -> bytes:
    return (FILES / name).read_bytes()


def people(report: ParsedAttendanceReport) -> dict[str, ParsedParticipant]:
    return {participant.name: participant for participant in report.participants}


def essence(report: ParsedAttendanceReport) -> list[tuple[object, ...]]:
    """What must not change when the same report comes in another encoding or with another delimiter."""
    return [
        (p.name, p.email, p.upn, p.role, p.guest, p.first_join, p.last_leave, p.duration_seconds, p.intervals)
        for p in report.participants
    ]


def resave(text: str, delimiter: str) -> str:
    """The tab-separated report as Excel writes it back with another delimiter (cells with it quoted)."""
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t"))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# --- The shared samples -------------------------------------------------------------------------------------------


def test_the_samples_are_all_there() -> None:
    names = {path.name for path in SAMPLES.iterdir()} - {"README.md"}
    assert names == {
        CURRENT_EN,
        "attendance_current_sv_GUESSED_utf16le.csv",
        "attendance_legacy_2020_list_utf16le.csv",
        "graph_attendance_report.json",
        "transcript_sample.vtt",
    }


@pytest.mark.parametrize("path", sorted(p for p in SAMPLES.iterdir() if p.name != "README.md"), ids=lambda p: p.name)
def test_every_sample_is_read_or_refused_with_a_reason(path: Path) -> None:
    if path.suffix == ".vtt":
        with pytest.raises(AttendanceFormatError, match=r"transcript_sample\.vtt: .*transcript \(WebVTT\)"):
            parse_attendance(path.read_bytes(), path.name)
        return
    report = parse_attendance(path.read_bytes(), path.name)
    assert report.participants
    for participant in report.participants:
        instants = [participant.first_join, participant.last_leave]
        instants += [t for i in participant.intervals for t in (i.joined_at, i.left_at)]
        assert all(t.utcoffset() is not None for t in instants if t is not None)


def test_current_report_in_english() -> None:
    report = parse_attendance(sample(CURRENT_EN), CURRENT_EN)
    assert (report.layout, report.encoding, report.delimiter, report.language) == ("current", "utf-16-le", "\t", "en")
    assert report.title == "Samverkansrådet hälsa och omsorg – möte 3/2025"
    assert (report.starts_at, report.ends_at) == (utc(2025, 3, 12, 12, 0, 21), utc(2025, 3, 12, 14, 1, 5))
    found = people(report)
    assert list(found) == [
        "Anna Exempel",
        "Björn Prövsson",
        "Lindqvist, Maria",
        "Johan Påhittad (Kommun Exempel)",
        "Eva Öberg (Guest)",
        "Karl-Åke Fiktiv",
    ]
    anna = found["Anna Exempel"]
    assert (anna.email, anna.role, anna.duration_seconds) == ("anna.exempel@region.example", "organizer", 7244)
    assert (anna.first_join, anna.last_leave) == (utc(2025, 3, 12, 12, 0, 21), utc(2025, 3, 12, 14, 1, 5))
    bjorn = found["Björn Prövsson"]
    assert (bjorn.email, bjorn.upn, bjorn.role) == (
        "bjorn.provsson@region.example",
        "bp4711@region.example",
        "presenter",
    )
    assert bjorn.duration_seconds == 6065  # 1h 41m 5s = 37m 50s + 1h 3m 15s
    assert [(i.joined_at, i.left_at) for i in bjorn.intervals] == [
        (utc(2025, 3, 12, 12, 2, 10), utc(2025, 3, 12, 12, 40, 0)),
        (utc(2025, 3, 12, 12, 55, 25), utc(2025, 3, 12, 13, 58, 40)),
    ]
    johan = found["Johan Påhittad (Kommun Exempel)"]
    assert (johan.email, johan.upn, johan.guest) == ("johan.pahittad@kommun.example",) * 2 + (False,)
    eva = found["Eva Öberg (Guest)"]
    assert (eva.guest, eva.email, eva.upn, eva.duration_seconds) == (True, None, None, 2730)
    assert found["Karl-Åke Fiktiv"].duration_seconds == 5
    assert found["Lindqvist, Maria"].duration_seconds == 7077
    assert [len(p.intervals) for p in report.participants] == [1, 2, 1, 1, 1, 1]
    assert len(report.warnings) == 1
    assert '"3/12/25, 1:00:21 PM" read both ways' in report.warnings[0]


def test_current_report_dates_follow_the_meeting_given() -> None:
    """3/12/25 is 12 March for a March meeting and 3 December for a December one."""
    march = parse_attendance(sample(CURRENT_EN), meeting_start=datetime(2025, 3, 12, 13, 0))
    december = parse_attendance(sample(CURRENT_EN), meeting_start=datetime(2025, 12, 3, 13, 0))
    assert march.starts_at == utc(2025, 3, 12, 12, 0, 21)
    assert december.starts_at == utc(2025, 12, 3, 12, 0, 21)
    assert people(december)["Anna Exempel"].last_leave == utc(2025, 12, 3, 14, 1, 5)
    assert march.warnings == december.warnings == []


def test_current_report_in_swedish() -> None:
    report = parse_attendance(sample("attendance_current_sv_GUESSED_utf16le.csv"))
    assert (report.layout, report.language, report.warnings) == ("current", "sv", [])
    assert (report.starts_at, report.ends_at) == (utc(2025, 3, 12, 12, 0, 21), utc(2025, 3, 12, 14, 1, 5))
    found = people(report)
    assert [p.role for p in report.participants] == ["organizer", "presenter", "attendee", "attendee"]
    assert found["Anna Exempel"].duration_seconds == 7244  # 2 tim 0 min 44 s
    assert len(found["Björn Prövsson"].intervals) == 2
    assert found["Björn Prövsson"].duration_seconds == 6065
    assert found["Johan Påhittad (Kommun Exempel)"].upn == "johan.pahittad@kommun.example"
    eva = found["Eva Öberg (Gäst)"]
    assert (eva.guest, eva.email, eva.duration_seconds, eva.first_join) == (True, None, 2730, utc(2025, 3, 12, 12, 10))


def test_legacy_2020_event_list() -> None:
    report = parse_attendance(sample("attendance_legacy_2020_list_utf16le.csv"))
    assert (report.layout, report.encoding, report.delimiter, report.language) == (
        "legacy_2020",
        "utf-16-le",
        "\t",
        "en",
    )
    found = people(report)
    assert list(found) == ["Exempel Anna", "Prövsson Björn", "Lindqvist Maria", "Öberg Eva (Guest)"]
    bjorn = found["Prövsson Björn"]  # "Joined before", left, joined again, left
    assert [(i.joined_at, i.left_at) for i in bjorn.intervals] == [
        (utc(2020, 11, 4, 12, 0, 12), utc(2020, 11, 4, 12, 40, 0)),
        (utc(2020, 11, 4, 12, 55, 25), utc(2020, 11, 4, 13, 58, 40)),
    ]
    assert bjorn.duration_seconds == 2388 + 3795
    assert found["Lindqvist Maria"].last_leave == utc(2020, 11, 4, 13, 59, 59)  # listed before Björn's earlier leave
    assert found["Lindqvist Maria"].duration_seconds == 7017
    eva = found["Öberg Eva (Guest)"]
    assert (eva.guest, eva.duration_seconds) == (True, 150)
    anna = found["Exempel Anna"]  # the organiser never left: the list was downloaded during the meeting
    assert (anna.first_join, anna.last_leave, anna.duration_seconds) == (utc(2020, 11, 4, 12, 0, 12), None, None)
    assert anna.intervals[0].left_at is None
    assert any(w.startswith("Exempel Anna has no leave time") for w in report.warnings)


def test_legacy_2020_someone_who_never_left_is_counted_to_the_meeting_end() -> None:
    report = parse_attendance(sample("attendance_legacy_2020_list_utf16le.csv"), meeting_end=datetime(2020, 11, 4, 15))
    anna = people(report)["Exempel Anna"]
    assert (anna.last_leave, anna.duration_seconds) == (utc(2020, 11, 4, 14, 0), 7188)
    assert "Exempel Anna has no leave time: counted until the meeting end, 2020-11-04 15:00." in report.warnings


def test_graph_attendance_json() -> None:
    report = parse_attendance(sample("graph_attendance_report.json"))
    assert (report.layout, report.encoding, report.delimiter, report.language) == ("graph_json", "utf-8", None, None)
    assert report.starts_at == utc(2025, 3, 12, 12, 0, 21, 114000)
    found = people(report)
    assert found["Anna Exempel"].first_join == utc(2025, 3, 12, 12, 0, 21, 114221)
    bjorn = found["Björn Prövsson"]
    assert (len(bjorn.intervals), bjorn.duration_seconds, bjorn.role) == (2, 6065, "presenter")
    eva = found["Eva Öberg (Guest)"]  # empty emailAddress
    assert (eva.guest, eva.email) == (True, None)
    karl = found["Karl-Åke Fiktiv"]  # null leaveDateTime: closed at the meeting end, measured to it
    assert karl.last_leave == report.ends_at == utc(2025, 3, 12, 14, 1, 5, 870000)
    assert karl.duration_seconds == 665
    assert any(w.startswith("Karl-Åke Fiktiv has no leave time") for w in report.warnings)


def test_graph_json_and_the_csv_agree() -> None:
    csv_report = people(parse_attendance(sample(CURRENT_EN)))
    graph = people(parse_attendance(sample("graph_attendance_report.json")))
    for name in ("Anna Exempel", "Björn Prövsson", "Johan Påhittad (Kommun Exempel)", "Eva Öberg (Guest)"):
        assert graph[name].duration_seconds == csv_report[name].duration_seconds
        assert graph[name].email == csv_report[name].email
        joins = [i.joined_at.replace(microsecond=0) for i in graph[name].intervals if i.joined_at]
        assert joins == [i.joined_at for i in csv_report[name].intervals]


# --- Encodings and delimiters -------------------------------------------------------------------------------------

EN_TEXT = sample(CURRENT_EN).decode("utf-16")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_BE + EN_TEXT.encode("utf-16-be"), "utf-16-be"),
        (EN_TEXT.encode("utf-16-le"), "utf-16-le"),  # the BOM lost on the way
        (codecs.BOM_UTF8 + EN_TEXT.encode("utf-8"), "utf-8-sig"),
        (EN_TEXT.encode("utf-8"), "utf-8"),
        (EN_TEXT.encode("cp1252"), "cp1252"),
    ],
    ids=["utf-16-be", "utf-16-le-without-bom", "utf-8-bom", "utf-8", "cp1252"],
)
def test_the_same_report_in_every_encoding(data: bytes, encoding: str) -> None:
    report = parse_attendance(data)
    assert report.encoding == encoding
    assert report.title == "Samverkansrådet hälsa och omsorg – möte 3/2025"
    assert essence(report) == essence(parse_attendance(sample(CURRENT_EN)))


@pytest.mark.parametrize("delimiter", [";", ","])
def test_the_same_report_resaved_by_excel(delimiter: str) -> None:
    report = parse_attendance(resave(EN_TEXT, delimiter).encode("cp1252"))
    assert (report.delimiter, report.encoding, report.layout) == (delimiter, "cp1252", "current")
    assert essence(report) == essence(parse_attendance(sample(CURRENT_EN)))


def test_total_is_the_sum_of_intervals_when_the_participants_section_has_none() -> None:
    rows = list(csv.reader(io.StringIO(EN_TEXT, newline=""), delimiter="\t"))
    start = next(i for i, row in enumerate(rows) if row[0] == "2. Participants")
    end = next(i for i, row in enumerate(rows) if row[0] == "3. In-Meeting Activities")
    for row in rows[start + 1 : end]:
        del row[3]  # In-Meeting Duration
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    found = people(parse_attendance(out.getvalue().encode("utf-16")))
    assert found["Björn Prövsson"].duration_seconds == 2270 + 3795
    assert found["Anna Exempel"].duration_seconds == 7244


# --- The other layouts and languages (fixtures) -------------------------------------------------------------------


def test_summary_2021_resaved_as_cp1252_with_semicolons() -> None:
    report = parse_attendance(fixture("summary_2021_en_cp1252_semicolon.csv"))
    assert (report.layout, report.encoding, report.delimiter, report.language) == ("summary_2021", "cp1252", ";", "en")
    assert report.title == "Beredningsgrupp äldreomsorg"
    assert (report.starts_at, report.ends_at) == (utc(2021, 10, 14, 7, 0, 5), utc(2021, 10, 14, 8, 33, 40))  # CEST
    assert report.warnings == []
    found = people(report)
    asa = found["Åsa Lärkström"]
    assert (asa.duration_seconds, asa.role, asa.email) == (5580, "organizer", "asa.larkstrom@region.example")
    orjan = found["Örjan Fiktiv"]  # 12m and 45m, no e-mail: the #EXT# UPN gives it
    assert (len(orjan.intervals), orjan.duration_seconds) == (2, 720 + 2700)
    assert orjan.email == orjan.upn == "orjan.fiktiv@kommun.example"
    assert (orjan.first_join, orjan.last_leave) == (utc(2021, 10, 14, 7, 1), utc(2021, 10, 14, 8, 5, 30))
    gosta = found["Gösta Ärlig (Guest)"]
    assert (gosta.guest, gosta.duration_seconds, gosta.email) == (True, 5, None)


def test_current_report_with_commas_in_quoted_cells() -> None:
    report = parse_attendance(fixture("current_en_utf8_comma_quoted.csv"))
    assert (report.delimiter, report.encoding, report.layout) == (",", "utf-8", "current")
    assert report.title == "Länsgruppen, extra möte"
    found = people(report)
    assert list(found) == ["Lindqvist, Maria", "Prövsson, Björn"]
    assert len(found["Prövsson, Björn"].intervals) == 2
    assert found["Prövsson, Björn"].duration_seconds == 6065


@pytest.mark.parametrize(
    ("meeting_start", "expected"),
    [
        (datetime(2025, 3, 12, 13, 0), utc(2025, 3, 12, 12, 0, 21)),
        (datetime(2025, 12, 3, 13, 0), utc(2025, 12, 3, 12, 0, 21)),
    ],
)
def test_ambiguous_dates_resolved_by_the_meeting_start(meeting_start: datetime, expected: datetime) -> None:
    report = parse_attendance(fixture("current_en_utf8_comma_quoted.csv"), meeting_start=meeting_start)
    assert report.starts_at == expected
    assert report.warnings == []


def test_french_headers_no_break_spaces_and_day_first_dates() -> None:
    report = parse_attendance(fixture("current_fr_utf8bom_semicolon.csv"))
    assert (report.language, report.encoding, report.delimiter, report.layout) == ("fr", "utf-8-sig", ";", "current")
    assert report.title == "Comité de coordination"
    assert report.starts_at == utc(2022, 11, 15, 8, 30, 17)  # 15/11/2022 09:30:17 in Stockholm
    assert report.warnings == []
    found = people(report)
    assert found["Hélène Dupré"].duration_seconds == 2 * 3600 + 44 * 60  # "2 h 44 m" with no-break spaces
    assert found["Hélène Dupré"].role == "organizer"
    ake = found["Åke Nöjd"]  # "Heure d’arrivée" with a typographic apostrophe in the activities header
    assert (ake.duration_seconds, len(ake.intervals), ake.role) == (3795, 2, "presenter")
    zoe = found["Zoé Martin (Invité)"]
    assert (zoe.guest, zoe.duration_seconds, zoe.role) == (True, 2730, "attendee")


def test_day_first_summary_layout_in_utf16_be() -> None:
    report = parse_attendance(fixture("summary_2021_dayfirst_utf16be.csv"))
    assert (report.encoding, report.layout, report.title) == ("utf-16-be", "summary_2021", "Länsgruppen")
    assert (report.starts_at, report.ends_at) == (utc(2022, 11, 15, 8, 30, 17), utc(2022, 11, 15, 10))
    found = people(report)
    assert list(found) == ["Märta Ström", "Ola Ödmark"]
    assert found["Märta Ström"].duration_seconds == 5025  # 01:23:45
    assert found["Märta Ström"].last_leave == utc(2022, 11, 15, 9, 54, 2)
    ola = found["Ola Ödmark"]  # no leave time: closed at the report's own end
    assert (ola.last_leave, ola.duration_seconds) == (utc(2022, 11, 15, 10), 80 * 60)
    assert report.warnings == [
        'Line 8 (Trasig Rad) skipped: "okänd tid" is not a date and time.',
        "Ola Ödmark has no leave time: counted until the meeting end, 2022-11-15 11:00.",
    ]


def test_an_implausible_meeting_end_does_not_close_an_open_interval() -> None:
    report = parse_attendance(fixture("legacy_2020_ambiguous_24h_comma.csv"), meeting_end=datetime(2026, 1, 1, 12))
    assert people(report)["Bo Påhittad"].last_leave is None


def test_legacy_list_with_ambiguous_24_hour_dates() -> None:
    by_habit = parse_attendance(fixture("legacy_2020_ambiguous_24h_comma.csv"))
    assert people(by_habit)["Bo Påhittad"].first_join == utc(2025, 12, 3, 12, 2)  # 24-hour clock: day first
    assert any("read as day/month, as its 24-hour clock suggests" in w for w in by_habit.warnings)
    given = parse_attendance(
        fixture("legacy_2020_ambiguous_24h_comma.csv"),
        meeting_start=datetime(2025, 3, 12, 13),
        meeting_end=datetime(2025, 3, 12, 15),
    )
    arla = people(given)["Ärla Exempel"]
    assert arla.first_join == utc(2025, 3, 12, 12, 0, 21)
    assert [(i.joined_at, i.left_at) for i in arla.intervals] == [
        (utc(2025, 3, 12, 12, 0, 21), utc(2025, 3, 12, 12, 30)),
        (utc(2025, 3, 12, 12, 45), utc(2025, 3, 12, 14)),
    ]
    assert arla.duration_seconds == 29 * 60 + 39 + 75 * 60


def test_polish_headers_and_dotted_dates() -> None:
    text = (
        "Imię i nazwisko;Godzina dołączenia;Godzina opuszczenia;Czas trwania;Adres e-mail;Rola\r\n"
        "Łukasz Wiśniewski;15.11.2022 09:30:00;15.11.2022 10:32:03;1 godz. 2 min 3 s;"
        "lukasz@gmina.example;Organizator\r\n"
        "Zofia Nowak (Gość);03.11.2022 09:40:00;03.11.2022 09:50:00;10 min;;Uczestnik\r\n"
    )
    report = parse_attendance(text.encode("utf-8"))
    assert (report.language, report.layout, report.delimiter) == ("pl", "summary_2021", ";")
    lukasz, zofia = report.participants
    assert (lukasz.name, lukasz.duration_seconds, lukasz.role) == ("Łukasz Wiśniewski", 3723, "organizer")
    assert lukasz.first_join == utc(2022, 11, 15, 8, 30)
    assert (zofia.guest, zofia.role, zofia.first_join) == (True, "attendee", utc(2022, 11, 3, 8, 40))


def test_unknown_language_names_the_headers_found() -> None:
    with pytest.raises(AttendanceFormatError) as error:
        parse_attendance(fixture("current_fi_unknown_language_utf16le.csv"), "osallistujat.csv")
    message = str(error.value)
    assert message.startswith("osallistujat.csv: No attendance report headers recognised")
    for header in ("Nimi", "Ensimmäinen liittyminen", "Viimeinen poistuminen", "Sähköposti", "Rooli"):
        assert f'"{header}"' in message


# --- Bad files ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (b" \r\n\t\r\n", "empty"),
        (codecs.BOM_UTF16_LE, "empty"),
        (random.Random(7).randbytes(4096), "binary"),
        (bytes(range(1, 256)) * 8, "binary"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "xlsx"),
        (sample(CURRENT_EN)[:-1], "odd number of bytes"),
        ("Produkt;Pris;Antal\r\nÄpple;5;3\r\n".encode("cp1252"), 'headers found: "Produkt", "Pris", "Antal"'),
        (b"a" * (MAX_BYTES + 1), "over 5 MB are refused"),
        (b'{"attendanceRecords": [', "not valid JSON"),
        (b'{"id": "00000000-0000-4000-8000-0000000000bb"}', "no attendanceRecords"),
        ("Full Name\tJoin Time\tLeave Time\r\n".encode("utf-16"), "lists no participants"),
        (b"Full Name;Email\r\nAnna;anna@region.example\r\n", "has no column for join"),
    ],
    ids=[
        "empty",
        "blank",
        "bom-only",
        "random-bytes",
        "bytes-without-nul",
        "pdf",
        "xlsx",
        "truncated-utf16",
        "unrelated-csv",
        "huge",
        "broken-json",
        "other-json",
        "headers-only",
        "no-join-column",
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, expected: str) -> None:
    with pytest.raises(AttendanceFormatError, match=expected):
        parse_attendance(data, "upload.csv")


def test_the_error_is_a_value_error_naming_the_file() -> None:
    with pytest.raises(ValueError, match=r"^möte 3\.csv: The file is empty\.$"):
        parse_attendance(b"", "möte 3.csv")


# --- Cells: durations, times, UPNs; the language tables -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("2h 0m 44s", 7244),
        ("1h 33m", 5580),
        ("12m ", 720),
        ("45m 30s", 2730),
        ("5s", 5),
        ("2 tim 0 min 44 s", 7244),
        ("2\u00a0h\u00a044\u00a0m", 9840),
        ("45\u202fmin\u202f30\u202fs", 2730),
        ("01:23:45", 5025),
        ("1 godz. 2 min 3 s", 3723),
        ("2 Std. 5 Min.", 7500),
        ("", None),
        ("12", None),
        ("soon", None),
        ("5 parsecs", None),
        ("1h 2x", None),
    ],
)
def test_durations(text: str, seconds: int | None) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-12 13:00:21", utc(2025, 3, 12, 12, 0, 21)),
        ("2025-06-12 13:00:21", utc(2025, 6, 12, 11, 0, 21)),  # summer time
        ("15/11/22, 09:30:17", utc(2022, 11, 15, 8, 30, 17)),
        ("3/12/25, 1:00:21 PM", utc(2025, 3, 12, 12, 0, 21)),  # 12-hour clock: US order
        ("3/12/25, 13:00:21", utc(2025, 12, 3, 12, 0, 21)),  # 24-hour clock: day first
        ("3/15/25, 12:30:00 AM", utc(2025, 3, 14, 23, 30)),
        ("15.11.2022 09:30", utc(2022, 11, 15, 8, 30)),
        ("2025-03-12T12:00:21.1142211Z", utc(2025, 3, 12, 12, 0, 21, 114221)),
        ("2025-06-01T10:00:00+02:00", utc(2025, 6, 1, 8)),
    ],
)
def test_times_are_stockholm_returned_as_utc(text: str, expected: datetime) -> None:
    assert TimeReader([]).read(text) == expected


def test_an_ambiguous_date_takes_the_reading_nearest_the_meeting() -> None:
    reader = TimeReader([], window=(utc(2025, 12, 3, 12), utc(2025, 12, 3, 14)))
    assert reader.read("3/12/25, 1:00:21 PM") == utc(2025, 12, 3, 12, 0, 21)
    assert reader.assumed is None


def test_an_ambiguous_date_takes_the_order_the_file_proves() -> None:
    reader = TimeReader(["Name", "15/11/22, 09:30:17"], window=(utc(2022, 3, 11), None))
    assert reader.read("3/11/22, 10:00") == utc(2022, 11, 3, 9)
    habit = TimeReader([])
    habit.read("3/12/25, 1:00:21 PM")
    assert habit.assumed == (MONTH_FIRST, "3/12/25, 1:00:21 PM")


@pytest.mark.parametrize("text", ["31/02/25, 10:00", "soon", "13:00", "3/12/25, 25:00"])
def test_text_that_is_no_time_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date and time"):
        TimeReader([]).read(text)


@pytest.mark.parametrize(
    ("upn", "email"),
    [
        ("johan.pahittad_kommun.example#EXT#@tenant.onmicrosoft.com", "johan.pahittad@kommun.example"),
        ("first_last_kommun.example#EXT#@tenant.onmicrosoft.com", "first_last@kommun.example"),
        ("Anna.Exempel@Region.example", "anna.exempel@region.example"),
    ],
)
def test_ext_upn_back_to_the_address(upn: str, email: str) -> None:
    assert unwrap_upn(upn) == email


def test_every_language_is_one_complete_entry() -> None:
    for language in LANGUAGES:
        assert set(language.headers) == set(FIELDS), language.code
        assert set(language.summary) == {"title", "start", "end"}, language.code
        assert set(language.roles) == {"organizer", "presenter", "attendee"}, language.code
        assert set(language.actions) == {"join", "leave"}, language.code
        assert language.guest_suffixes and language.units, language.code


def test_no_header_name_means_two_things() -> None:
    for table in ("headers", "summary", "roles", "actions"):
        meaning: dict[str, str] = {}
        for language in LANGUAGES:
            for canonical, names in getattr(language, table).items():
                for name in names:
                    assert meaning.setdefault(key(name), canonical) == canonical, (table, name)


@pytest.mark.parametrize(
    ("headers", "language"),
    [
        (["Full Name", "Join Time", "Leave Time", "Duration", "Email", "Role", "Participant ID (UPN)"], "en"),
        (["Namn", "Anslutningstid", "Lämningstid", "Varaktighet", "E-post", "Roll"], "sv"),
        (["NOM COMPLET", "Heure d'arrivée", "Heure de départ", "Durée", "Adresse e-mail", "Rôle"], "fr"),
        (["Imię i nazwisko", "Czas dołączenia", "Czas opuszczenia", "Czas trwania", "Adres e-mail", "Rola"], "pl"),
        (["Vollständiger Name", "Beitrittszeit", "Zeitpunkt des Verlassens", "Dauer", "E-Mail", "Rolle"], "de"),
    ],
)
def test_header_rows_are_matched_case_insensitively_with_their_language(headers: list[str], language: str) -> None:
    match = match_headers(headers)
    assert match is not None
    assert match.language == language
    assert {"name", "join", "leave", "duration", "email", "role"} <= set(match.columns)
