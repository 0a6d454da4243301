"""Teams attendance formats as data, and the readers for their cells.

Every header name, summary key, role, user action, guest marker and duration unit Teams writes lives in `LANGUAGES`,
one entry per language: supporting another language is one more entry, and no code names a header. Only the English
names are certain; the others follow Microsoft's published translations where known and are best guesses otherwise
(no public export in those languages was found), so expect to add aliases as real files arrive.

Times in the exports carry no zone: they are Europe/Stockholm, returned as aware UTC.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

from app.core.text import clean, fold
from app.core.time import to_utc

FIELDS = ("name", "join", "leave", "duration", "email", "upn", "role", "action", "timestamp")
HOUR, MINUTE, SECOND = 3600, 60, 1


@dataclass(frozen=True)
class Language:
    code: str
    label: str
    headers: Mapping[str, tuple[str, ...]]  # canonical field (FIELDS) -> column names as exported
    summary: Mapping[str, tuple[str, ...]]  # title, start, end -> keys of the summary's key/value rows
    roles: Mapping[str, tuple[str, ...]]  # organizer, presenter, attendee -> values of the role column
    actions: Mapping[str, tuple[str, ...]]  # join, leave -> values of the 2020 "User Action" column
    guest_suffixes: tuple[str, ...]  # what Teams appends to an anonymous participant's name
    units: Mapping[int, tuple[str, ...]] = field(default_factory=dict)  # seconds -> unit words in durations


LANGUAGES: tuple[Language, ...] = (
    Language(
        code="en",
        label="English",
        headers={
            "name": ("Name", "Full Name"),
            "join": ("First Join", "First Join Time", "Join Time"),
            "leave": ("Last Leave", "Last Leave Time", "Leave Time"),
            "duration": ("In-Meeting Duration", "Duration", "Attendance Duration"),
            "email": ("Email", "E-mail", "Email Address"),
            "upn": ("Participant ID (UPN)", "UPN"),
            "role": ("Role",),
            "action": ("User Action",),
            "timestamp": ("Timestamp",),
        },
        summary={
            "title": ("Meeting title", "Title"),
            "start": ("Start time", "Meeting Start Time"),
            "end": ("End time", "Meeting End Time"),
        },
        roles={
            "organizer": ("Organizer", "Organiser", "Co-organizer", "Co-organiser", "Coorganizer"),
            "presenter": ("Presenter", "Producer"),
            "attendee": ("Attendee",),
        },
        actions={"join": ("Joined", "Joined before"), "leave": ("Left",)},
        guest_suffixes=("(Guest)", "(Unverified)"),
        units={
            HOUR: ("h", "hr", "hrs", "hour", "hours"),
            MINUTE: ("m", "min", "mins", "minute", "minutes"),
            SECOND: ("s", "sec", "secs", "second", "seconds"),
        },
    ),
    Language(
        code="sv",
        label="Swedish",
        headers={
            "name": ("Namn", "Fullständigt namn"),
            "join": ("Första anslutning", "Anslutningstid"),
            "leave": ("Senaste lämning", "Lämningstid"),
            "duration": ("Varaktighet i mötet", "Varaktighet"),
            "email": ("E-post", "E-postadress"),
            "upn": ("Deltagar-ID (UPN)",),
            "role": ("Roll",),
            "action": ("Användaråtgärd",),
            "timestamp": ("Tidsstämpel",),
        },
        summary={"title": ("Mötesrubrik", "Mötestitel"), "start": ("Starttid",), "end": ("Sluttid",)},
        roles={
            "organizer": ("Organisatör", "Medorganisatör"),
            "presenter": ("Presentatör",),
            "attendee": ("Deltagare",),
        },
        actions={"join": ("Anslöt", "Anslöt före"), "leave": ("Lämnade",)},
        guest_suffixes=("(Gäst)", "(Ej verifierad)"),
        units={
            HOUR: ("tim", "timme", "timmar"),
            MINUTE: ("min", "minut", "minuter"),
            SECOND: ("s", "sek", "sekund", "sekunder"),
        },
    ),
    Language(
        code="fr",
        label="French",
        headers={
            "name": ("Nom complet", "Nom"),
            "join": ("Heure d'arrivée", "Première arrivée", "Heure de la première arrivée"),
            "leave": ("Heure de départ", "Dernier départ", "Heure du dernier départ"),
            "duration": ("Durée", "Durée dans la réunion"),
            "email": ("Adresse e-mail", "E-mail", "Courrier"),
            "upn": ("ID du participant (UPN)", "ID de participant (UPN)"),
            "role": ("Rôle",),
            "action": ("Action de l'utilisateur",),
            "timestamp": ("Horodatage",),
        },
        summary={
            "title": ("Titre de la réunion",),
            "start": ("Heure de début", "Heure de début de la réunion"),
            "end": ("Heure de fin", "Heure de fin de la réunion"),
        },
        roles={
            "organizer": ("Organisateur", "Organisatrice", "Coorganisateur", "Co-organisateur"),
            "presenter": ("Présentateur", "Présentatrice"),
            "attendee": ("Participant", "Participante"),
        },
        actions={"join": ("A rejoint", "A rejoint avant"), "leave": ("A quitté",)},
        guest_suffixes=("(Invité)", "(Invitée)", "(Non vérifié)"),
        units={HOUR: ("h", "heure", "heures"), MINUTE: ("min", "mn"), SECOND: ("s", "sec")},
    ),
    Language(
        code="pl",
        label="Polish",
        headers={
            "name": ("Imię i nazwisko", "Pełna nazwa"),
            "join": ("Pierwsze dołączenie", "Godzina dołączenia", "Czas dołączenia"),
            "leave": ("Ostatnie opuszczenie", "Godzina opuszczenia", "Czas opuszczenia"),
            "duration": ("Czas trwania", "Czas w spotkaniu"),
            "email": ("Adres e-mail", "E-mail"),
            "upn": ("Identyfikator uczestnika (UPN)",),
            "role": ("Rola",),
            "action": ("Akcja użytkownika",),
            "timestamp": ("Sygnatura czasowa", "Znacznik czasu"),
        },
        summary={
            "title": ("Tytuł spotkania",),
            "start": ("Godzina rozpoczęcia", "Czas rozpoczęcia"),
            "end": ("Godzina zakończenia", "Czas zakończenia"),
        },
        roles={
            "organizer": ("Organizator", "Współorganizator"),
            "presenter": ("Prezenter", "Osoba prezentująca"),
            "attendee": ("Uczestnik",),
        },
        actions={"join": ("Dołączył", "Dołączył wcześniej"), "leave": ("Opuścił",)},
        guest_suffixes=("(Gość)",),
        units={HOUR: ("godz", "g"), MINUTE: ("min",), SECOND: ("s", "sek")},
    ),
    Language(
        code="de",
        label="German",
        headers={
            "name": ("Vollständiger Name", "Name"),
            "join": ("Erster Beitritt", "Beitrittszeit"),
            "leave": ("Letztes Verlassen", "Zeitpunkt des Verlassens"),
            "duration": ("Dauer in der Besprechung", "Dauer"),
            "email": ("E-Mail", "E-Mail-Adresse"),
            "upn": ("Teilnehmer-ID (UPN)",),
            "role": ("Rolle",),
            "action": ("Benutzeraktion",),
            "timestamp": ("Zeitstempel",),
        },
        summary={"title": ("Besprechungstitel",), "start": ("Startzeit",), "end": ("Endzeit",)},
        roles={
            "organizer": ("Organisator", "Mitorganisator"),
            "presenter": ("Referent", "Referentin"),
            "attendee": ("Teilnehmer", "Teilnehmerin"),
        },
        actions={"join": ("Beigetreten", "Vorher beigetreten"), "leave": ("Verlassen",)},
        guest_suffixes=("(Gast)",),
        units={HOUR: ("std",), MINUTE: ("min",), SECOND: ("s", "sek")},
    ),
)


def key(text: str) -> str:
    """How names are compared: case-insensitive, NFC, single spaces (no-break ones too), typographic apostrophes."""
    return fold(text.replace("\ufeff", "").replace("’", "'")).rstrip(":").strip()


def _index(table: str) -> dict[str, tuple[str, frozenset[str]]]:
    """Every name of one table (headers, summary, roles, actions), keyed, -> (canonical value, languages using it)."""
    index: dict[str, tuple[str, frozenset[str]]] = {}
    for language in LANGUAGES:
        mapping: Mapping[str, tuple[str, ...]] = getattr(language, table)
        for canonical, names in mapping.items():
            for name in names:
                _, codes = index.get(key(name), (canonical, frozenset()))
                index[key(name)] = (canonical, codes | {language.code})
    return index


_HEADERS = _index("headers")
_SUMMARY = _index("summary")
_ROLES = _index("roles")
_ACTIONS = _index("actions")
_GUEST_SUFFIXES = tuple(key(suffix) for language in LANGUAGES for suffix in language.guest_suffixes)
_UNITS = {
    key(word).rstrip("."): seconds for lang in LANGUAGES for seconds, words in lang.units.items() for word in words
}


@dataclass(frozen=True)
class HeaderMatch:
    language: str
    columns: Mapping[str, int]  # canonical field -> column index

    def cell(self, row: list[str], name: str) -> str:
        index = self.columns.get(name)
        return row[index] if index is not None and index < len(row) else ""


def header_field(cell: str) -> str | None:
    found = _HEADERS.get(key(cell))
    return found[0] if found else None


def match_headers(cells: list[str]) -> HeaderMatch | None:
    """The header row's columns and language, or None when fewer than two cells are headers we know."""
    columns: dict[str, int] = {}
    votes: dict[str, int] = {}
    for index, cell in enumerate(cells):
        found = _HEADERS.get(key(cell))
        if found is None or found[0] in columns:
            continue
        columns[found[0]] = index
        for code in found[1]:
            votes[code] = votes.get(code, 0) + 1
    if len(columns) < 2:
        return None
    order = [language.code for language in LANGUAGES]
    language = max(votes, key=lambda code: (votes[code], -order.index(code)))
    return HeaderMatch(language, columns)


def known_headers_hint() -> str:
    labels = ", ".join(language.label for language in LANGUAGES)
    return f'{labels} Teams headers such as "Name"/"Full Name", "Join Time", "Leave Time", "Duration", "Email"'


def summary_field(cell: str) -> str | None:
    found = _SUMMARY.get(key(cell))
    return found[0] if found else None


def normalise_role(value: str) -> str | None:
    found = _ROLES.get(key(value))
    return found[0] if found else None


def event_action(value: str) -> str | None:
    """'join' or 'leave' for a 2020 "User Action" value."""
    found = _ACTIONS.get(key(value))
    return found[0] if found else None


def is_guest(name: str) -> bool:
    return key(name).endswith(_GUEST_SUFFIXES)


_EXT_UPN = re.compile(r"(?P<local>.+)_(?P<domain>[^_@]+)#ext#@.+", re.IGNORECASE)


def unwrap_upn(upn: str) -> str:
    """A B2B guest's UPN back to the person's own address: `jo_kommun.example#EXT#@x.onmicrosoft.com` is
    jo@kommun.example. The last underscore separates the two: a domain never contains one, a local part may.
    """
    value = upn.strip().lower()
    match = _EXT_UPN.fullmatch(value)
    return f"{match['local']}@{match['domain']}" if match else value


_CLOCK = re.compile(r"(\d+):([0-5]?\d):([0-5]?\d)(?:[.,]\d+)?")
_DURATION_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([^\W\d_]+\.?)")


def parse_duration(text: str) -> int | None:
    """Seconds from `2h 0m 44s`, `12m `, `2 tim 0 min 44 s`, `2 h 44 m` (no-break spaces), `01:23:45`; else None."""
    value = clean(text)
    if clock := _CLOCK.fullmatch(value):
        hours, minutes, seconds = (int(part) for part in clock.groups())
        return hours * HOUR + minutes * MINUTE + seconds
    total, position = 0.0, 0
    for part in _DURATION_PART.finditer(value):
        unit = _UNITS.get(key(part[2]).rstrip("."))
        if unit is None or value[position : part.start()].strip():
            return None
        total += float(part[1].replace(",", ".")) * unit
        position = part.end()
    if position == 0 or value[position:].strip():
        return None
    return round(total)


_TIME = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d+))?)?"
    r"\s*(?P<half>[ap]\.?\s?m\.?)?\s*(?P<zone>z|[+-]\d{2}:?\d{2})?"
)
_YEAR_FIRST = re.compile(r"(?P<year>\d{4})(?P<sep>[-/.])(?P<a>\d{1,2})(?P=sep)(?P<b>\d{1,2})(?:t|,?\s+)" + _TIME, re.I)
_YEAR_LAST = re.compile(r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2}),?\s+" + _TIME, re.I)
MONTH_FIRST, DAY_FIRST = "month/day", "day/month"


def _order_evidence(text: str) -> str | None:
    """The order a date such as 15/11/22 proves (13 or more can only be a day); dotted dates are always day-first."""
    match = _YEAR_LAST.fullmatch(clean(text)) if text[:1].isdigit() else None
    if match is None:
        return None
    if match["sep"] == "." or int(match["a"]) > 12:
        return DAY_FIRST
    return MONTH_FIRST if int(match["b"]) > 12 else None


def _instant(match: re.Match[str], year: int, month: int, day: int) -> datetime | None:
    hour = int(match["hour"])
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"].lower().startswith("p") else 0)
    fraction = (match["fraction"] or "0")[:6].ljust(6, "0")
    try:
        value = datetime(year, month, day, hour, int(match["minute"]), int(match["second"] or 0), int(fraction))
    except ValueError:
        return None
    if zone := match["zone"]:
        if zone.lower() == "z":
            return value.replace(tzinfo=UTC)
        sign = -1 if zone[0] == "-" else 1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[-2:]))
        return value.replace(tzinfo=timezone(sign * offset)).astimezone(UTC)
    return to_utc(value)


def _readings(text: str) -> dict[str, datetime]:
    """Each way the text reads as an instant: one for ISO dates, up to two (month/day, day/month) for the rest."""
    value = clean(text)
    if match := _YEAR_FIRST.fullmatch(value):
        instant = _instant(match, int(match["year"]), int(match["a"]), int(match["b"]))
        return {"iso": instant} if instant else {}
    match = _YEAR_LAST.fullmatch(value)
    if match is None:
        return {}
    year = int(match["year"]) + (2000 if len(match["year"]) == 2 else 0)
    a, b = int(match["a"]), int(match["b"])
    orders = {MONTH_FIRST: (a, b), DAY_FIRST: (b, a)}
    if match["sep"] == ".":
        del orders[MONTH_FIRST]
    found = {order: _instant(match, year, month, day) for order, (month, day) in orders.items()}
    readings = {order: instant for order, instant in found.items() if instant is not None}
    if len(set(readings.values())) == 1:
        return dict(list(readings.items())[:1])
    return readings


Window = tuple[datetime | None, datetime | None]


class TimeReader:
    """Reads the times of one file. A date that reads both ways (3/12/25) takes the order the file proves elsewhere
    (a 15/11/22 in it), else the reading nearest the meeting's own start and end, else the locale's habit: a 12-hour
    clock means a US export (month first), a 24-hour one day first. That last guess is kept in `assumed`."""

    def __init__(self, cells: Iterable[str], window: Window = (None, None)) -> None:
        proven = {order for cell in cells if (order := _order_evidence(cell))}
        self.order = proven.pop() if len(proven) == 1 else None
        self.window = window
        self.assumed: tuple[str, str] | None = None  # (order, an example) when dates were read by habit alone

    def read(self, text: str) -> datetime | None:
        """The instant in UTC; None for an empty cell; ValueError for a cell that is not a time."""
        if not text.strip():
            return None
        readings = _readings(text)
        if not readings:
            raise ValueError(f'"{text.strip()}" is not a date and time')
        if len(readings) == 1:
            return next(iter(readings.values()))
        if self.order in readings:
            return readings[self.order]
        bounds = [bound for bound in self.window if bound is not None]
        if bounds:
            start, end = min(bounds), max(bounds)
            return min(readings.values(), key=lambda instant: max(start - instant, instant - end, timedelta(0)))
        order = MONTH_FIRST if re.search(r"[ap]\.?\s?m\.?$", text.strip(), re.I) else DAY_FIRST
        self.assumed = self.assumed or (order, text.strip())
        return readings[order]
