"""Bytes of a Teams or Excel export to lines of cells: the encoding, the delimiter and the numbered sections.

Detected, not guessed: a BOM first, then UTF-16 without one (NUL bytes), then UTF-8, then cp1252 (Excel's re-save);
the delimiter is the one that splits the header line into headers we know.
"""

import codecs
import csv
import io
import re
import unicodedata
from typing import NamedTuple

from app.imports.attendance.formats import header_field

DELIMITERS = ("\t", ";", ",")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_NOT_TEXT = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (an Excel .xlsx workbook?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.xls or .doc)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
# Control characters (but tab and line ends), surrogates, private use, non-characters: what binary data decodes to.
_BINARY = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\ufffe\uffff]")
_SECTION = re.compile(r"\d\.\s*\S.*")


class AttendanceFormatError(ValueError):
    """The file is not an attendance report this parser can read; the message says why, for whoever uploaded it."""


def decode(data: bytes) -> tuple[str, str]:
    """The text (NFC) and its encoding: a BOM first, then UTF-16 without one (NUL bytes), then UTF-8, then cp1252."""
    if not data.strip():
        raise AttendanceFormatError("The file is empty.")
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            raise AttendanceFormatError(f"This is {what}, not an attendance report: download the report as CSV.")
    encoding = _encoding(data)
    try:
        text = data.decode(encoding).removeprefix("\ufeff")  # the utf-16-le/-be codecs keep the BOM as a character
    except UnicodeDecodeError:
        raise AttendanceFormatError(f"The file is not valid {encoding} text (damaged or binary data).") from None
    if not text.strip():
        raise AttendanceFormatError("The file is empty.")
    if text.startswith("WEBVTT"):
        raise AttendanceFormatError("This is a meeting transcript (WebVTT), not an attendance report.")
    # A stray control character (a DOS end-of-file mark) is not binary data; many are.
    if len(_BINARY.findall(text)) > 2 + len(text) // 100:
        raise AttendanceFormatError("The file holds binary data, not the text of an attendance report.")
    return unicodedata.normalize("NFC", text), encoding


def _encoding(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding.startswith("utf-16") and len(data) % 2:
                raise AttendanceFormatError("The file is cut short: UTF-16 text with an odd number of bytes.")
            return encoding
    if b"\x00" in data:
        return _utf16_without_bom(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"  # what Excel writes when it re-saves the report as "CSV" on a Swedish or English Windows
    return "utf-8"


def _utf16_without_bom(data: bytes) -> str:
    """Text in UTF-16 has a NUL in nearly every other byte (the high byte of Latin letters); binary data does not."""
    sample = data[:4096]
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > pairs // 2 and even <= pairs // 20:
        encoding = "utf-16-le"
    elif even > pairs // 2 and odd <= pairs // 20:
        encoding = "utf-16-be"
    else:
        raise AttendanceFormatError("The file holds binary data (NUL bytes), not the text of an attendance report.")
    if len(data) % 2:
        raise AttendanceFormatError("The file is cut short: UTF-16 text with an odd number of bytes.")
    return encoding


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into headers we know; failing that, the one giving most cells."""
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    for line in lines:
        for delimiter in DELIMITERS:
            if sum(header_field(cell) is not None for cell in _split(line, delimiter)) >= 2:
                return delimiter
    return max(DELIMITERS, key=lambda delimiter: sum(len(_split(line, delimiter)) for line in lines))


class Line(NamedTuple):
    number: int  # in the file, for warnings
    cells: list[str]  # stripped, without the trailing empty cells Teams and Excel pad rows with


def read_lines(text: str, delimiter: str) -> list[Line]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines = []
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            while cells and not cells[-1]:
                cells.pop()
            lines.append(Line(reader.line_num, cells))
    except csv.Error as error:
        raise AttendanceFormatError(f"Line {reader.line_num} is not readable as CSV: {error}.") from None
    return lines


def split_sections(lines: list[Line]) -> dict[int, list[Line]]:
    """The current layout's numbered sections ("1. Summary", "2. Participants" …) by number; {} for other layouts."""
    sections: dict[int, list[Line]] = {}
    current: list[Line] | None = None
    for line in lines:
        if len(line.cells) == 1 and _SECTION.fullmatch(line.cells[0]):
            current = sections.setdefault(int(line.cells[0][0]), [])
        elif current is not None:
            current.append(line)
    return sections
