"""Agenda items of a protocol: where each starts, its title, kind, format, presenters and attachments.

Items are numbered lines ("15. Godkännande av föredragningslista", "7a. …", "§ 12 …") whose numbers follow
each other; a numbered list inside an item's text ("1. Insatser som …") is not an item.
"""

import re
from dataclasses import dataclass, field

from app.core.text import clean, fold
from app.imports.parsed import ParsedPresenter
from app.imports.protocol.vocab import KNOWN_BODIES, body_prefix, looks_like_name

_ITEM_LINE = (
    re.compile(r"^\s*§\s*(?P<n>\d{1,3})\s?(?P<l>[a-z])?[.:]?(?:\s+(?P<title>\S.*?))?\s*$"),
    re.compile(r"^\s*(?P<n>\d{1,3})\s?(?P<l>[a-z])?[.)](?:(?:\s+|(?=[A-ZÅÄÖ]))(?P<title>\S.*?))?\s*$"),
)
# "15 Godkännande av föredragningslista" (no full stop): an item only where the numbering expects it.
_BARE_ITEM_LINE = re.compile(r"^\s*(?P<n>\d{1,3})(?P<l>[a-z])?\s+(?P<title>[A-ZÅÄÖ][^\d].*?)\s*$")
# Kind lines: "Informationsärende", "Muntligt informationsärende", "Beslutsärende", "Informationsärende (skriftligt)".
_KIND_LINE = re.compile(
    r"^(?:ärendetyp\s*:\s*)?(?:(?P<fmt>muntligt|skriftligt)\s+)?"
    r"(?P<kind>informations-\s*och\s*beslutsärende|informationsärende|beslutsärende|diskussionsärende)"
    r"(?:\s*[(,]\s*(?P<fmt2>muntligt|skriftligt)\s*\)?)?\s*[.:]?$",
    re.IGNORECASE,
)
KINDS = {"informationsärende": "information", "beslutsärende": "decision", "diskussionsärende": "information"}
FORMATS = {"muntligt": "oral", "skriftligt": "written"}
# Standing items of every meeting, by title (an explicit kind line wins: "Aktuellt …" marked Informationsärende).
STANDING_TITLES = tuple(
    re.compile(p)
    for p in (
        r"^(?:godkännande|fastställande|justering) av (?:föredragningslista|dagordning)",
        r"^(?:mötets|sammanträdets) (?:öppnande|avslutande|avslutning)",
        r"^(?:val av )?justera(?:re|ndes)|^justering\b",
        r"^(?:dagordning|föredragningslista)(?:en)?$",
        r"^upprop",
        r"^(?:genomgång av |godkännande av )?föregående (?:protokoll|mötes)",
        r"^aktuellt\b",
        r"^övriga frågor",
        r"^(?:genomgång och )?sammanfattning av (?:beslut|mötet)",
        r"^(?:nästa|kommande) (?:möte|möten|sammanträde)",
        r"^mötet\b.*\b(?:avslutas|avslutande)",
        r"^avslutning",
        r"^(?:ärenden?|frågor) (?:till|för) ",
        r"^(?:ärenden?|frågor|information) från ",
    )
)
_PRESENTER_LINE = re.compile(
    r"^(?:föredragande|föredragare|presentatör(?:er)?|presenteras av)\s*:?\s*(?P<rest>.*)$", re.I
)
_NUM = r"\d+(?:\.\d+)*"
_ATTACHMENTS = re.compile(rf"\bbilag(?:a|or|orna)\s+(?P<list>{_NUM}(?:\s*(?:[-–—]|,|och|samt|&)\s*{_NUM})*)", re.I)
_ATTACHMENT_LINE = re.compile(r"^(?:[-–•]\s*)?(?:(?:besluts)?underlag\s*:?\s*)?bilag(?:a|or)\s+\d", re.I)
# "Informationsärende, Föredragande: …" on one line.
_KIND_THEN_PRESENTER = re.compile(r"(?<=ärende)[\s,.;:]+(?=föredragande\b)", re.I)
# "Systemledning tillsammans med Länssamverkansgruppen": a part of the meeting held with another body.
SECTION_HEADINGS = (
    re.compile(r"^systemledning(?:en)?\b", re.I),
    re.compile(r"^gemensam(?:t|ma)?\b.*\b(?:del|möte|sammanträde|ärenden)\b", re.I),
)
_WITH_BODY = re.compile(r"\b(?:tillsammans|gemensamt?)\s+med\s+(?P<body>.+)$", re.I)
_KIND_IN_TITLE = re.compile(
    r"\s*(?:[(]\s*|[–-]\s+)(?P<kind>(?:(?:muntligt|skriftligt)\s+)?(?:informations|besluts)ärende)\s*\)?$", re.I
)
_TITLE_RUNS_ON = (",", "-", "–", " och", " samt", " i", " för", " av", " med", " om", " till")


@dataclass
class Start:
    line: int
    number: str
    title: str
    bare: bool = False


@dataclass
class ItemHead:
    kind: str | None = None
    format: str | None = None
    presenters: list[ParsedPresenter] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def candidates(lines: list[str], start: int, end: int) -> list[Start]:
    found = []
    for i in range(start, end):
        match = next((m for p in _ITEM_LINE if (m := p.match(lines[i]))), None) or _BARE_ITEM_LINE.match(lines[i])
        if match:
            number = match.group("n") + (match.group("l") or "")
            bare = match.re is _BARE_ITEM_LINE
            found.append(Start(i, number, clean(match.group("title") or ""), bare))
    return found


def _key(number: str) -> tuple[int, str]:
    match = re.match(r"(\d+)([a-z]?)", number)
    assert match is not None
    return int(match.group(1)), match.group(2)


def _follows(prev: str, number: str, gap: int = 1) -> bool:
    (pb, pl), (nb, nl) = _key(prev), _key(number)
    if nb == pb:
        return bool(nl) and ord(nl) == (ord(pl) + 1 if pl else ord("a"))
    return pb < nb <= pb + gap and nl in ("", "a")


def is_kind_line(line: str) -> bool:
    return bool(_KIND_LINE.match(clean(line)))


def _title_like(lines: list[str], start: Start, strong: bool = False) -> bool:
    """Whether a numbered line reads as an item's title; strong: a standing title or a kind or presenter line
    right after it (needed where a numbered list in the text could go on with the same number)."""
    if is_standing(start.title):
        return True
    following = [ln for ln in lines[start.line + 1 : start.line + 5] if ln.strip()][:3]
    if any(is_kind_line(ln) or _PRESENTER_LINE.match(clean(ln)) for ln in following):
        return True
    return not strong and 0 < len(start.title) <= 80 and not start.title.endswith((".", ",", ";", ":"))


def select(lines: list[str], found: list[Start], item_range: tuple[str, str] | None) -> tuple[list[Start], list[str]]:
    """The numbered lines that are items: consecutive numbers, within the range the header gives."""
    warnings: list[str] = []
    low, high = item_range or (None, None)
    first = low if low and any(s.number == low for s in found) else None
    if low and first is None and found:
        warnings.append(f"the header gives items {low}–{high} but item {low} is not found")
    last = _key(high)[0] if first and high else None
    items: list[Start] = []
    list_last: int | None = None
    for s in found:
        if last is not None and _key(s.number)[0] > last:
            continue
        if not items:
            if (first is None or s.number == first) and (not s.bare or _title_like(lines, s)):
                items.append(s)
            continue
        prev = items[-1].number
        in_list = list_last is not None and _key(s.number)[0] == list_last + 1
        if _follows(prev, s.number) and (not (in_list or s.bare) or _title_like(lines, s, strong=in_list)):
            items.append(s)
            list_last = None
        elif s.bare:
            continue
        elif _follows(prev, s.number, gap=3) and _title_like(lines, s) and not in_list:
            warnings.append(f"item numbers jump from {prev} to {s.number}")
            items.append(s)
            list_last = None
        else:
            list_last = _key(s.number)[0]
    return items, warnings


def is_standing(title: str) -> bool:
    key = fold(title)
    return any(p.search(key) for p in STANDING_TITLES)


def section_heading(line: str) -> str | None:
    """A heading that starts a part of the meeting: "Systemledning …", "Gemensamt möte …", or any short line
    "… tillsammans med <a known body>"."""
    text = clean(line)
    if not text or len(text) > 100 or text.endswith(".") or not text[0].isupper():
        return None
    return text if any(p.search(text) for p in SECTION_HEADINGS) or section_body(text) else None


def section_body(heading: str) -> str | None:
    """The known body a joint part is held with: "… tillsammans med Länssamverkansgruppen" → that body."""
    match = _WITH_BODY.search(heading)
    return body_prefix(match.group("body")) if match else None


def title_and_rest(start: Start, region: list[str]) -> tuple[str, list[str]]:
    """The title, continued on the next lines when it runs on ("…, \\n(UPH-medel)"), and the lines after it."""
    title, i = start.title, 0
    if not title:
        while i < len(region) and not region[i].strip():
            i += 1
        if i < len(region) and _can_continue(region[i]) and len(clean(region[i])) <= 100:
            title, i = clean(region[i]), i + 1
    while i < len(region) and region[i].strip() and _can_continue(region[i]) and _runs_on(title, clean(region[i])):
        title, i = f"{title} {clean(region[i])}", i + 1
    rest = region[i:]
    if kind := _KIND_IN_TITLE.search(title):
        # "Aktuellt i samverkan (informationsärende)": the kind goes on a line of its own.
        title, rest = title[: kind.start()].rstrip(), [kind.group("kind"), *rest]
    return title, rest


def _can_continue(line: str) -> bool:
    text = clean(line)
    return not (is_kind_line(text) or _PRESENTER_LINE.match(text) or _ATTACHMENT_LINE.match(text))


def _runs_on(title: str, following: str) -> bool:
    if len(following) > 80:
        return False
    return title.endswith(_TITLE_RUNS_ON) or following.startswith("(") or following[0].islower()


def head(lines: list[str]) -> ItemHead:
    """The kind, format, presenters and attachments of an item; the other lines are its text."""
    result = ItemHead()
    lines = [part for line in lines for part in _KIND_THEN_PRESENTER.split(line)]
    i = 0
    while i < len(lines):
        text = clean(lines[i])
        if kind := _KIND_LINE.match(text):
            found = fold(re.sub(r"\s+", " ", kind.group("kind")))
            result.kind = "decision" if "beslut" in found else KINDS.get(found, "information")
            fmt = kind.group("fmt") or kind.group("fmt2")
            result.format = FORMATS[fmt.casefold()] if fmt else result.format
        elif presenter := _PRESENTER_LINE.match(text):
            words = presenter.group("rest")
            while i + 1 < len(lines) and clean(lines[i + 1]) and _presenters_run_on(words, clean(lines[i + 1])):
                i += 1
                words = f"{words} {clean(lines[i])}"
            result.presenters.extend(presenters(words))
        elif _ATTACHMENT_LINE.match(text):
            _add_attachments(result.attachments, text)
        else:
            _add_attachments(result.attachments, text)
            result.text.append(lines[i])
        i += 1
    return result


def _presenters_run_on(words: str, following: str) -> bool:
    if not _can_continue(following):
        return False
    return not words.strip() or words.rstrip().endswith((",", " och")) or following[0].islower()


def presenters(text: str) -> list[ParsedPresenter]:
    """ "A B, C D, projektledare X och E F, MAR Umeå kommun" → names; a description goes to the name before it."""
    text = clean(text).rstrip(".")
    # Words a split on "," and " och " must not cut: "hälso- och sjukvård", "Samråd hälsa, vård och omsorg".
    keep = [m.group(0) for m in re.finditer(r"\w+- och \w+", text)]
    keep += [m.group(0) for b in KNOWN_BODIES for m in re.finditer(re.escape(b), text, re.IGNORECASE)]
    protected = {f"\x00{i}\x00": words for i, words in enumerate(keep)}
    for placeholder, words in protected.items():
        text = text.replace(words, placeholder, 1)
    result: list[ParsedPresenter] = []
    for part in (p.strip() for p in re.split(r",\s*|\s+och\s+", text)):
        for placeholder, words in protected.items():
            part = part.replace(placeholder, words)
        if not part:
            continue
        if looks_like_name(part):
            result.append(ParsedPresenter(name=part))
        elif trailing := _trailing_name(part):
            result.append(ParsedPresenter(name=trailing[1], organisation=trailing[0]))
        elif result:
            last = result[-1]
            last.organisation = f"{last.organisation}, {part}" if last.organisation else part
        else:
            result.append(ParsedPresenter(name=part))
    return result


def _trailing_name(part: str) -> tuple[str, str] | None:
    """ "projektledare Anna Berg" → ("projektledare", "Anna Berg"): a description in lower case, then a name."""
    tokens = part.split()
    for size in (3, 2):
        if len(tokens) > size and tokens[-size - 1][0].islower() and looks_like_name(" ".join(tokens[-size:])):
            return " ".join(tokens[:-size]), " ".join(tokens[-size:])
    return None


def _add_attachments(into: list[str], text: str) -> None:
    for match in _ATTACHMENTS.finditer(text):
        for label in _expand(match.group("list")):
            if f"Bilaga {label}" not in into:
                into.append(f"Bilaga {label}")


def _expand(listing: str) -> list[str]:
    """ "22.1–22.5" → 22.1 … 22.5; "3, 4 och 6" → 3, 4, 6; "22.1–5" → 22.1 … 22.5."""
    out: list[str] = []
    dash = False
    for token in re.findall(rf"{_NUM}|[-–—]", listing):
        if token in ("-", "–", "—"):
            dash = True
            continue
        out.extend(_range(out[-1], token) if dash and out else [token])
        dash = False
    return out


def _range(low: str, high: str) -> list[str]:
    prefix, _, first = low.rpartition(".")
    last = high.rpartition(".")[2]
    if high.count(".") and high.rpartition(".")[0] != prefix:
        return [high]
    start, stop = int(first), int(last)
    if not start < stop <= start + 50:
        return [high]
    return [f"{prefix}.{n}" if prefix else str(n) for n in range(start + 1, stop + 1)]
