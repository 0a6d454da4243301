"""The words of a protocol: bodies and their short forms, names of people, bullets and Swedish dates.

Tables, not code paths, so a new spelling is one line here.
"""

import re
from datetime import date

from app.core.text import clean, fold

# Bodies of the collaboration as they are written in protocols (current and former names).
KNOWN_BODIES = (
    "Samråd hälsa, vård och omsorg",
    "Samråd vård och omsorg",
    "Länssamverkansgruppen",
    "Systemledning för Nära vård",
    "Beredning barn och unga",
    "Beredning vuxna och äldre",
    "Hjälpmedelsrådet",
)
# Names of one body over time: "is this the meeting's own body?" holds across a rename.
SAME_BODY = ({"samråd hälsa, vård och omsorg", "samråd vård och omsorg"},)
# Short forms by which a protocol names its own body ("Samrådet beslutade …"): form → how the meeting's body
# name starts ("" for any body). In another body's protocol the form is kept as written.
SELF_REFERENCES = {
    "samrådet": "samråd",
    "samråd": "samråd",
    "beredningen": "beredning",
    "gruppen": "länssamverkansgruppen",
    "rådet": "hjälpmedelsrådet",
    "mötet": "",
    "sammanträdet": "",
    "ledamöterna": "",
}
# Short forms and misspellings of other bodies.
BODY_ALIASES = {
    "systemledningen": "Systemledning för Nära vård",
    "systemledning": "Systemledning för Nära vård",
    "systemledningen för nära vård": "Systemledning för Nära vård",
    "lsg": "Länssamverkansgruppen",
    "länsamverkansgruppen": "Länssamverkansgruppen",
    "beredningen barn och unga": "Beredning barn och unga",
    "beredningen vuxna och äldre": "Beredning vuxna och äldre",
    "beredningen för barn och unga": "Beredning barn och unga",
    "beredningen för vuxna och äldre": "Beredning vuxna och äldre",
}
# A working committee: "AU för Samråd hälsa, vård och omsorg" → "Samråd hälsa, vård och omsorg – arbetsutskott".
_WORKING_COMMITTEE = re.compile(r"^(?:AU|arbetsutskottet)(?:\s+(?:för|i|inom)\s+(?P<body>.+))?$", re.IGNORECASE)
WORKING_COMMITTEE_SUFFIX = " – arbetsutskott"

# Words that mark a line as an organisation or a place, never a person's name.
NOT_NAME_WORDS = frozenset(
    {
        "region", "regionen", "västerbotten", "västerbottens", "kommun", "kommuner", "landsting", "sverige",
        "södra", "norra", "lappland", "samråd", "beredning", "nära", "länssamverkansgruppen", "systemledning",
        "systemledningen", "hjälpmedelsrådet", "socialtjänst", "socialtjänsten", "teams", "universitet",
        "bjurholm", "bjurholms", "dorotea", "doroteas", "lycksele", "lyckseles", "malå", "malås", "nordmaling",
        "nordmalings", "norsjö", "norsjös", "robertsfors", "skellefteå", "skellefteås", "sorsele",
        "sorseles", "storuman", "storumans", "umeå", "umeås", "vilhelmina", "vilhelminas", "vindeln", "vindelns",
        "vännäs", "åsele", "åseles",
    }
)  # fmt: skip
_UPPER = "A-ZÅÄÖÜÉÈÆØ"
_LOWER = "a-zåäöüéèëïáàçñæø'’"
_WORD = rf"[{_UPPER}][{_LOWER}]+"
_NAME_TOKEN = re.compile(rf"^{_WORD}(?:-{_WORD})*$")
_INITIAL = re.compile(rf"^[{_UPPER}]\.?$")
_PARTICLES = frozenset({"af", "av", "da", "de", "del", "den", "der", "di", "du", "la", "le", "van", "von"})

BULLET = re.compile(r"^\s*[-–—•*·▪◦]\s*")
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
# "20240503", "2021-03-19", "19 mars 2021", "fredag 31 maj", "den 11 oktober".
DATE_PATTERNS = (
    re.compile(r"\b(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)\b"),
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(
        rf"(?:\b(?:{'|'.join(WEEKDAYS)})(?:en)?\s+(?:den\s+)?)?\b(?P<d>\d{{1,2}})\s*(?P<mon>{_MONTH_ALT})\.?\b"
        r"(?:\s+(?P<y>\d{4}))?",
        re.IGNORECASE,
    ),
)


def strip_bullet(line: str) -> str:
    return BULLET.sub("", line, count=1).strip()


def date_in(match: re.Match[str], default_year: int | None) -> date | None:
    """The date a DATE_PATTERNS match names; None when impossible (31 februari) or the year is unknown."""
    groups = match.groupdict()
    month = MONTHS[groups["mon"].casefold()] if groups.get("mon") else int(groups["m"])
    year = int(groups["y"]) if groups.get("y") else default_year
    if year is None:
        return None
    try:
        return date(year, month, int(groups["d"]))
    except ValueError:
        return None


def find_date(text: str, default_year: int | None = None) -> tuple[date, re.Match[str]] | None:
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            found = date_in(match, default_year)
            if found is not None:
                return found, match
    return None


def canonical_body(name: str) -> str:
    """A body's name with its usual spelling when it is a known body or short form, else as written."""
    name = clean(name).strip(" .,:;")
    committee = _WORKING_COMMITTEE.match(name)
    if committee and committee.group("body"):
        return canonical_body(committee.group("body")) + WORKING_COMMITTEE_SUFFIX
    key = fold(name)
    for known in KNOWN_BODIES:
        if fold(known) == key:
            return known
    return BODY_ALIASES.get(key, name)


def body_of(name: str, meeting_body: str) -> str | None:
    """The body a subject names, None when it is the meeting's own body ("Samrådet", a former name)."""
    name = clean(name).strip(" .,:;")
    key = fold(name)
    if key in SELF_REFERENCES and fold(meeting_body).startswith(SELF_REFERENCES[key]):
        return None
    committee = _WORKING_COMMITTEE.match(name)
    if committee and not committee.group("body"):
        return meeting_body + WORKING_COMMITTEE_SUFFIX
    found = canonical_body(name)
    return None if same_body(found, meeting_body) else found


def is_body(name: str) -> bool:
    """Whether the words name a body of the collaboration (known, a short form or a working committee)."""
    name = clean(name).strip(" .,:;")
    key = fold(name)
    return (
        key in BODY_ALIASES
        or key in SELF_REFERENCES
        or bool(_WORKING_COMMITTEE.match(name))
        or any(fold(b) == key for b in KNOWN_BODIES)
    )


def same_body(a: str, b: str) -> bool:
    fa, fb = fold(a), fold(b)
    return fa == fb or any(fa in group and fb in group for group in SAME_BODY)


def body_prefix(text: str) -> str | None:
    """The known body (or short form) that the text starts with: "Länssamverkansgruppen innan beslut" → LSG."""
    found = split_body_prefix(text)
    return found[0] if found else None


def split_body_prefix(text: str, names: tuple[str, ...] = ()) -> tuple[str, str] | None:
    """(the body, the words after it) when the text starts with a known body, a short form or one of names."""
    text = clean(text)
    key = fold(text)
    for name in sorted([*names, *KNOWN_BODIES, *BODY_ALIASES], key=len, reverse=True):
        prefix = fold(name)
        if prefix and key.startswith(prefix) and (len(key) == len(prefix) or not key[len(prefix)].isalnum()):
            return (name if name in names else canonical_body(name)), text[len(prefix) :]
    return None


def looks_like_name(text: str) -> bool:
    """Two to four capitalised words, none of them a place or an organisation word: a person's name."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 4 or any(t.casefold() in NOT_NAME_WORDS for t in tokens):
        return False
    if not (_NAME_TOKEN.match(tokens[0]) and _NAME_TOKEN.match(tokens[-1])):
        return False
    return all(_NAME_TOKEN.match(t) or _INITIAL.match(t) or t in _PARTICLES for t in tokens[1:-1])


def split_name_organisation(text: str) -> tuple[str, str | None]:
    """ "Monica Wahlström FoU Socialtjänst" → the name and what follows it, when no comma separates them."""
    tokens = text.split()
    for i in range(2, len(tokens)):
        token = tokens[i]
        if token.casefold() in NOT_NAME_WORDS or not (_NAME_TOKEN.match(token) or token in _PARTICLES):
            return " ".join(tokens[:i]), " ".join(tokens[i:])
    if looks_like_name(text):
        return text, None
    return " ".join(tokens[:2]), " ".join(tokens[2:]) or None
