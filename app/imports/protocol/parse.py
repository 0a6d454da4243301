"""Reading a meeting protocol (.txt, .docx, .pdf) into plain data: the meeting, its items and decisions,
attendance and planned next meetings. No database here: the import service matches the result.

The protocols of the collaboration share a family of layouts (see ../shared/samples/seeds/protokoll-2024-05-03.txt):
a header with labelled lines in any order, numbered items, an attendance block at the end or at the top.
"""

import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from app.core.file_limits import FileLimits, run_budgeted
from app.core.text import clean, fold, nfc
from app.documents.extract import DOCX, PDF, TEXT, join_hyphens, read_text, sniff, strip_running_lines
from app.imports.parsed import ParsedItem, ParsedNextMeeting, ParsedProtocol
from app.imports.protocol import items as items_
from app.imports.protocol.attendance import CLOSING, ROLE_LINE, find_block, mark_roles, parse_attendance
from app.imports.protocol.decisions import find_decisions, matters_referred
from app.imports.protocol.vocab import (
    DATE_PATTERNS,
    KNOWN_BODIES,
    body_of,
    canonical_body,
    date_in,
    find_date,
    is_body,
    same_body,
    strip_bullet,
)


class ProtocolFormatError(ValueError):
    """The text is not a meeting protocol at all (or is empty)."""


# Header labels → field. The first line with a label wins; a label alone takes the next line as its value.
HEADER_LABELS = (
    ("diary", re.compile(r"^(?:diarienummer|diarienr|dnr)\.?\s*:?\s*(?P<v>.*)$", re.I)),
    ("diary", re.compile(r"^(?P<v>(?:HSN|RS|KS)\s*:?\s*\d.*)$")),
    ("when", re.compile(r"^(?:datum och tid|tid och datum|datum/tid)\s*:?\s*(?P<v>.*)$", re.I)),
    ("when", re.compile(r"^(?:datum|mötesdatum|sammanträdesdatum)\s*(?::|(?=\s\S*\d))\s*(?P<v>.*)$", re.I)),
    ("time", re.compile(r"^(?:tid|tidpunkt|klockslag)\s*(?::|(?=\s+(?:kl|\d)))\s*(?P<v>.*)$", re.I)),
    ("place", re.compile(r"^(?:plats|mötesplats|lokal)\s*:\s*(?P<v>.*)$", re.I)),
    ("range", re.compile(r"^(?:ärenden|paragrafer|punkter|§§)\s*:?\s*(?P<v>(?:§+\s*)?\d.*)$", re.I)),
    ("body", re.compile(r"^(?:mötes)?protokoll\b\s*[:–-]?\s*(?:från|för|fört vid|vid)?\s*(?P<v>.*)$", re.I)),
)
# "Protokoll fört vid sammanträde med …", "Protokoll från mötet i …"
_BODY_LEAD = re.compile(r"^(?:fört\s+)?(?:vid|från|för)?\s*(?:sammanträde(?:t)?|möte(?:t)?)\s+(?:med|i|för)\s+", re.I)
_DIARY_PREFIX = re.compile(r"^(?P<series>[A-ZÅÄÖ]{2,5})\s*:\s*")
_RANGE = re.compile(
    r"(?P<a>\d{1,3}\s?[a-z]?)\s*(?:[-–—]|till)\s*§?\s*(?P<b>\d{1,3}\s?[a-z]?)\b|(?P<one>\d{1,3}[a-z]?)\b"
)
_TIME_RANGE = re.compile(
    r"(?<![\d-])(?P<h1>[012]?\d)(?:[.:](?P<m1>[0-5]\d))?\s*(?:[-–—]|till)\s*(?P<h2>[012]?\d)(?:[.:](?P<m2>[0-5]\d))?(?![\d-])"
)
_TIME_ONE = re.compile(
    r"(?:\bkl\.?\s*|\bklockan\s+)(?P<h1>[012]?\d)(?:[.:](?P<m1>[0-5]\d))?|(?P<h2>[012]?\d)[.:](?P<m2>[0-5]\d)", re.I
)
_REFERRAL_ITEM = re.compile(r"^(?:ärenden?|frågor)\s+(?:till|för)\s+(?P<target>.+?)\.?$", re.I)
_NEXT_MEETING_ITEM = re.compile(r"^(?:nästa|kommande)\s+(?:möte|möten|sammanträde|sammanträden)\b", re.I)
_NEXT_LEAD = re.compile(r"^(?:nästa (?:möte|sammanträde)\s*(?:hålls|äger rum|blir|är)?\s*)", re.I)
_WHAT_IN_PLACE = re.compile(r"^(?P<title>.+?)\s+(?:i|på)\s+(?P<place>[A-ZÅÄÖ][\wåäö-]*(?:\s+[A-ZÅÄÖ][\wåäö-]*)?)$")
_LEADING_TIME = re.compile(r"^[\s,]*(?:kl\.?\s*)?\d{1,2}(?:[.:]\d{2})?(?:\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?)?")
_REMARK = re.compile(r"\s+[–-]\s.*$")
_PLACE_AFTER = re.compile(
    r"^[\s,]*(?:(?:kl\.?\s*)?[\d.:]+(?:\s*[-–]\s*[\d.:]+)?)?[\s,]*(?:i|på|via)\s+(?P<place>[A-ZÅÄÖ][\wåäö-]+)"
)
# Next meetings of these kinds, by the words of their title; anything else is an ordinary meeting.
NEXT_MEETING_KINDS = ((re.compile(r"seminari|workshop|konferens|utbildningsdag"), "seminar"),)
_PAGE_NUMBER = re.compile(r"\b(?:sida|sid\.?|page)\s*\d+\s*(?:av|/|of|\()\s*\d+\)?", re.I)
_PAGE_ONLY = re.compile(r"^(?:[-–]\s*)?\d+\s*(?:\(\s*\d+\s*\)|/\s*\d+|av\s+\d+)?(?:\s*[-–])?$")


def read_protocol(data: bytes, filename: str, limits: FileLimits) -> ParsedProtocol:
    """The protocol in a file, read and parsed in the parsing child, within the file limits (a text cut at
    the text limit is parsed as far as it goes, with a warning)."""
    if not data.strip():
        raise ProtocolFormatError(f"{filename}: the file is empty")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("protocol" + Path(filename).suffix.lower())
        path.write_bytes(data)
        return run_budgeted(_parse_file, path, filename, limits=limits)


def _parse_file(path: Path, filename: str, limits: FileLimits) -> ParsedProtocol:
    text, truncated = _file_text(path, filename, limits)
    parsed = parse_protocol(text)
    if truncated:
        parsed.warnings.append(f"the text is cut at {limits.text_chars} characters: what follows was not read")
    return parsed


def protocol_text(data: bytes, filename: str) -> str:
    """Normalised text of a protocol file (.txt, .docx, .pdf, by content): NFC, running headers and footers
    removed, line-end hyphens joined (not Swedish suspended hyphens)."""
    if not data.strip():
        raise ProtocolFormatError(f"{filename}: the file is empty")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("protocol" + Path(filename).suffix.lower())
        path.write_bytes(data)
        return _file_text(path, filename, FileLimits.current())[0]


def _file_text(path: Path, filename: str, limits: FileLimits) -> tuple[str, bool]:
    with path.open("rb") as f:
        head = f.read(8192)
    media = sniff(head, path, limits)
    if media not in (TEXT, DOCX, PDF):
        raise ProtocolFormatError(f"{filename}: not a text, .docx or .pdf file")
    found = read_text(path, media, limits)
    return _without_page_furniture(found.text if found else ""), bool(found and found.truncated)


def _without_page_furniture(text: str) -> str:
    """Pages are split at form feeds or at their page numbers ("Sida 2 av 5"); lines repeated at the edges of
    most pages go, and so do page numbers; a hyphen left at a page break is joined again."""
    if "\f" in text:
        pages = text.split("\f")
    else:
        pages, current = [], []
        for line in text.split("\n"):
            current.append(line)
            if _PAGE_NUMBER.search(line):
                pages.append("\n".join(current))
                current = []
        pages.append("\n".join(current))
    stripped = strip_running_lines(pages)
    # The first page's running lines stay once, on top: they may be all that names the body and the date.
    first_page = set(stripped[0].split("\n"))
    moved = [ln for ln in pages[0].split("\n") if ln not in first_page]
    kept = [
        ln
        for ln in "\n".join([*moved, *stripped]).split("\n")
        if not (_PAGE_ONLY.match(ln.strip()) or (_PAGE_NUMBER.search(ln) and len(ln.strip()) < 120))
    ]
    return join_hyphens(nfc("\n".join(kept)))


def parse_protocol(text: str) -> ParsedProtocol:
    lines = [ln.rstrip() for ln in nfc(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if not any(lines):
        raise ProtocolFormatError("the protocol is empty")
    found = items_.candidates(lines, 0, len(lines))
    first = next((s.line for s in found if not s.bare), found[0].line if found else len(lines))
    header = _header(lines[:first])
    if not header.has_protocol_line and not found:
        raise ProtocolFormatError("not a meeting protocol: no 'Protokoll' header and no numbered items")
    warnings: list[str] = []
    body = header.body or ""
    if not body:
        warnings.append("the protocol does not name its body")
    block = find_block(lines, body)
    starts, more = items_.select(lines, [s for s in found if block is None or s.line < block], header.item_range)
    block_end = len(lines)
    if block is not None and not starts:
        starts, more = items_.select(lines, [s for s in found if s.line > block], header.item_range)
        block_end = starts[0].line if starts else len(lines)
    warnings += more
    if not starts:
        warnings.append("no numbered agenda items found")
    held = header.held
    parsed_items, other_bodies, used = _items(lines, starts, block, body, warnings)
    attendance, more, bodies = parse_attendance(
        lines[block:block_end] if block is not None else [], body, [i.number for i in parsed_items]
    )
    warnings += more
    mark_roles(attendance, [ln for i, ln in enumerate(lines) if i not in used])
    other_bodies += [b for b in [*header.others, *bodies] if b not in other_bodies]
    next_meetings = []
    for item in parsed_items:
        if _NEXT_MEETING_ITEM.match(item.title) and item.minutes_text:
            next_meetings += _next_meetings(item.minutes_text.split("\n"), held, body, warnings)
    start_time, end_time = header.times or (None, None)
    if held is None:
        warnings.append("the protocol gives no date")
    elif start_time is None:
        warnings.append("the protocol gives no time")
    return ParsedProtocol(
        body=body,
        other_bodies=other_bodies,
        kind="joint" if other_bodies else "ordinary",
        diary_number=header.diary,
        starts_at=datetime.combine(held, start_time or time()) if held else None,
        ends_at=datetime.combine(held, end_time) if held and end_time else None,
        place=header.place,
        item_range=header.item_range,
        items=parsed_items,
        attendance=attendance,
        next_meetings=next_meetings,
        warnings=warnings,
    )


@dataclass
class _Header:
    body: str | None = None
    has_protocol_line: bool = False
    diary: str | None = None
    held: date | None = None
    times: tuple[time, time | None] | None = None
    place: str | None = None
    item_range: tuple[str, str] | None = None
    others: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)


def _header(lines: list[str]) -> _Header:
    """Labelled lines before the first item, in any order."""
    out = _Header()
    for i, raw in enumerate(lines):
        line = clean(raw)
        for name, pattern in HEADER_LABELS:
            if name in out.seen or not (match := pattern.match(line)):
                continue
            out.seen.add(name)
            if name == "body":
                out.has_protocol_line = True
                _read_field(out, name, _body_name(out, clean(match.group("v")), lines, i))
            else:
                _read_field(out, name, clean(match.group("v")) or _next_value(lines, i))
            break
    if out.body is None:
        out.body = next((canonical_body(clean(ln)) for ln in lines if is_body(clean(ln))), None)
    if out.held is None:
        out.held = next((found[0] for ln in lines if (found := find_date(ln))), None)
    return out


def _next_value(lines: list[str], i: int) -> str:
    following = next((clean(ln) for ln in lines[i + 1 : i + 3] if ln.strip()), "")
    return "" if any(p.match(following) for _, p in HEADER_LABELS) else following


def _body_name(out: _Header, value: str, lines: list[str], i: int) -> str:
    """ "Protokoll Samråd vård och omsorg 2021-03-19" → the body; on the next line when the label stands alone."""
    if not value:
        value = next((clean(ln) for ln in lines[i + 1 : i + 3] if ln.strip()), "")
        if not (is_body(value) or fold(value).startswith(("samråd", "beredning", "länssamverkan", "systemledning"))):
            return ""
    named = sorted((fold(value).find(fold(b)), b) for b in KNOWN_BODIES if fold(b) in fold(value))
    if named:
        out.others = [b for _, b in named[1:]]  # "Protokoll Samråd … och Länssamverkansgruppen": a joint meeting
        return named[0][1]
    if found := find_date(value):
        value = value[: found[1].start()] + value[found[1].end() :]
    return canonical_body(_BODY_LEAD.sub("", value).strip(" ,–-"))


def _read_field(out: _Header, name: str, value: str) -> None:
    if name == "diary" and value:
        out.diary = _DIARY_PREFIX.sub(r"\g<series> ", value)
    elif name == "when" and (found := find_date(value)):
        out.held = found[0]
        out.times = _times(value[: found[1].start()] + " " + value[found[1].end() :]) or out.times
    elif name == "time":
        out.times = _times(value) or out.times
    elif name == "place" and value:
        out.place = value
    elif name == "range" and (match := _RANGE.search(value)):
        low, high = (match.group("a"), match.group("b")) if match.group("a") else (match.group("one"),) * 2
        out.item_range = (low.replace(" ", ""), high.replace(" ", ""))
    elif name == "body" and value:
        out.body = value


def _times(text: str) -> tuple[time, time | None] | None:
    if match := _TIME_RANGE.search(text):
        start = _time(match.group("h1"), match.group("m1"))
        end = _time(match.group("h2"), match.group("m2"))
        if start and end:
            return start, end
    if match := _TIME_ONE.search(text):
        start = _time(match.group("h1") or match.group("h2"), match.group("m1") or match.group("m2"))
        if start:
            return start, None
    return None


def _time(hour: str, minute: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    return time(h, m) if h < 24 and m < 60 else None


def _items(
    lines: list[str], starts: list[items_.Start], block: int | None, body: str, warnings: list[str]
) -> tuple[list[ParsedItem], list[str], set[int]]:
    """Each item from its numbered line to the next item, the attendance block or the signatures."""
    parsed: list[ParsedItem] = []
    other_bodies: list[str] = []
    used: set[int] = set()
    section: str | None = None
    if starts:
        section = _section_before(lines[: starts[0].line], body, other_bodies) or None
    for k, start in enumerate(starts):
        end = starts[k + 1].line if k + 1 < len(starts) else len(lines)
        if block is not None and start.line < block < end:
            end = block
        signatures = (
            i for i in range(start.line + 1, end) if CLOSING.match(ln := clean(lines[i])) or ROLE_LINE.match(ln)
        )
        end = next(signatures, end)
        used.update(range(start.line, end))
        region = lines[start.line + 1 : end]
        next_section = _section_before(region, body, other_bodies) if k + 1 < len(starts) else None
        if next_section is not None:
            region = region[: max(i for i, ln in enumerate(region) if ln.strip())]
        parsed.append(_item(start, region, section, body, warnings))
        section = next_section or section
        if next_section == "":
            section = None
    return parsed, other_bodies, used


def _section_before(region: list[str], body: str, other_bodies: list[str]) -> str | None:
    """The heading on the last line before an item: a joint part ("Systemledning tillsammans med …"),
    or "" when it returns to the meeting's own body; None when there is no heading."""
    last = next((clean(ln) for ln in reversed(region) if ln.strip()), "")
    if last and body and same_body(last, body):
        return ""
    heading = items_.section_heading(last)
    if heading and (other := items_.section_body(heading)) and other not in other_bodies:
        other_bodies.append(other)
    return heading


def _item(start: items_.Start, region: list[str], section: str | None, body: str, warnings: list[str]) -> ParsedItem:
    title, rest = items_.title_and_rest(start, region)
    if not title:
        warnings.append(f"item {start.number} has no title")
    head = items_.head(rest)
    referral = _REFERRAL_ITEM.match(title)
    if referral:
        target = canonical_body(referral.group("target"))
        decisions, minutes = matters_referred(head.text, target), head.text
    else:
        decisions, minutes = find_decisions(head.text, body)
    return ParsedItem(
        number=start.number,
        title=title,
        kind=head.kind or ("standing" if items_.is_standing(title) else "information"),
        format=head.format,
        section=section,
        presenters=head.presenters,
        attachments=head.attachments,
        minutes_text=_minutes(minutes),
        decisions=decisions,
    )


def _minutes(lines: list[str]) -> str | None:
    out: list[str] = []
    for line in (clean(ln) for ln in lines):
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() or None


def _next_meetings(lines: list[str], held: date | None, body: str, warnings: list[str]) -> list[ParsedNextMeeting]:
    """ "Ledningsseminarium i Lycksele fredag 31 maj" → 31 May of the meeting's year (or the next year)."""
    out = []
    for line in lines:
        text = strip_bullet(clean(line))
        matches = sorted((m for p in DATE_PATTERNS for m in p.finditer(text)), key=lambda m: m.start())
        matches = [m for i, m in enumerate(matches) if i == 0 or m.start() >= matches[i - 1].end()]
        if not matches:
            continue
        lead = _NEXT_LEAD.sub("", text[: matches[0].start()]).strip(" ,:–-")
        lead = re.sub(r"(?:^|\s+)(?:den|på)$", "", lead)
        tail = text[matches[-1].end() :]
        title, place, named = _what_where(lead, tail, body)
        kind = next((k for p, k in NEXT_MEETING_KINDS if title and p.search(fold(title))), "ordinary")
        for match in matches:
            on = date_in(match, held.year if held else None)
            if on is None:
                warnings.append(f"next meeting: cannot read the date in {text!r}")
                continue
            if held and on < held and not match.groupdict().get("y"):
                on = on.replace(year=on.year + 1)
            out.append(ParsedNextMeeting(on=on, title=title, body=named, place=place, kind=kind))
    return out


def _what_where(lead: str, tail: str, body: str) -> tuple[str | None, str | None, str | None]:
    """(title, place, body) of a next-meeting line from the words before its date (or, when the date comes
    first, the words after it)."""
    title: str | None = None
    place: str | None = None
    named: str | None = None
    words = lead or _REMARK.sub("", _LEADING_TIME.sub("", tail)).strip(" ,:–-")
    if words and body and same_body(words, body):
        named = body
    elif words and is_body(words):
        named = body_of(words, body) or body
    elif lead and (match := _WHAT_IN_PLACE.match(lead)):
        title, place = match.group("title"), match.group("place")
    else:
        title = lead or None
    if place is None and (after := _PLACE_AFTER.match(tail)):
        place = after.group("place")
    return title, place, named
