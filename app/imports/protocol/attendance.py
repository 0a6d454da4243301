"""The attendance lists of a protocol: present and absent members per body, officials, co-opted participants.

One line a person: "- Carin Nilsson (s) Umeå kommun, ordförande", "Anna Kroik, Storumans kommun, ersättare",
"Monica Wahlström FoU Socialtjänst". A body's name on its own line starts that body's list (joint meetings).
"""

import re
from dataclasses import dataclass, field

from app.core.text import clean, fold
from app.imports.parsed import ParsedAttendee
from app.imports.protocol.presence import read_presence
from app.imports.protocol.vocab import (
    looks_like_name,
    same_body,
    split_body_prefix,
    split_name_organisation,
    strip_bullet,
)

# Heading → (status, role of the people under it; None: member, or what their line says).
HEADINGS: dict[str, tuple[str, str | None]] = {
    "närvarande": ("present", None),
    "närvarande ledamöter": ("present", None),
    "beslutande": ("present", None),
    "beslutande ledamöter": ("present", None),
    "ledamöter": ("present", None),
    "deltagare": ("present", None),
    "tjänstgörande ersättare": ("present", "substitute"),
    "närvarande ersättare": ("present", "substitute"),
    "ersättare": ("present", "substitute"),
    "frånvarande": ("absent", None),
    "frånvarande ledamöter": ("absent", None),
    "ej närvarande": ("absent", None),
    "anmält förhinder": ("absent", None),
    "förhinder": ("absent", None),
    "övriga tjänstepersoner": ("present", "official"),
    "övriga närvarande": ("present", "official"),
    "övriga deltagare": ("present", "official"),
    "tjänstepersoner": ("present", "official"),
    "närvarande tjänstepersoner": ("present", "official"),
    "sekreterare": ("present", "official"),
    "regionala samverkanskoordinatorer": ("present", "official"),
    "inbjudna": ("present", "guest"),
    "inbjudna gäster": ("present", "guest"),
    "gäster": ("present", "guest"),
    "adjungerade": ("present", "co_opted"),
    "adjungerad": ("present", "co_opted"),
    "adjungerande": ("present", "co_opted"),
}
# Lines that end the lists (and the last item): the signatures.
CLOSING = re.compile(r"^(?:vid protokollet|justeras|justerat|underskrifter|protokollet justeras)\b", re.IGNORECASE)
# "Justerare: Anna-Lena Danielsson" anywhere outside the items names the adjuster (or the chair).
ROLE_LINES = {"justerare": "adjuster", "justeras av": "adjuster", "ordförande": "chair", "mötesordförande": "chair"}
ROLE_LINE = re.compile(r"^(?P<label>justerare|justeras av|ordförande|mötesordförande)\s*:\s*(?P<names>\S.*)$", re.I)
# Role words on a person's line, strongest first. Adjuster is also kept beside a stronger role (a substitute
# who adjusts the minutes is both).
_ADJUSTER = re.compile(r"\bjusterare\b")
ROLE_PHRASES = (
    (re.compile(r"\bersätt(?:are|er)\b|\btjänstgörande\b"), "substitute"),
    (re.compile(r"^(?:mötes)?ordf(?:örande|\.)?$"), "chair"),
    (_ADJUSTER, "adjuster"),
)
_ROLE_WORD_IN_ORGANISATION = re.compile(r"\s(?:vice\s+)?(?:ordförande|ersättare|justerare|ledamot)\b")
_SUBSTITUTE_FOR = re.compile(r"\b(?:ersätter|ersättare för|tjänstgör för|i stället för)\s+(?P<who>[^,;()]+)", re.I)
_PARTY = re.compile(r"\(\s*(?P<party>[A-Za-zÅÄÖåäö]{1,4})\s*\)")
# What may follow a body's name on its heading: a time or the items it was there for.
_HEADING_REST = re.compile(
    r"^[\s,:;(–-]*(?:(?:kl\.?|klockan|punkt(?:erna)?|§§?|ärenden?)\s*[\d\s.:,–-]*[a-z]?)?\)?:?\s*$", re.I
)
_STATUS_OF_BODY = re.compile(r"^(?P<status>närvarande|frånvarande)\s+(?:från\s+|för\s+|i\s+)?(?P<body>.+?):?$", re.I)
# Listed for the meeting, not for one of its bodies.
_OUTSIDE_THE_BODY = ("co_opted", "guest")
_NOTHING = re.compile(r"^(?:inga|ingen|inget|-|–)\b", re.I)


@dataclass
class _State:
    body: str | None
    status: str = "present"
    role: str | None = None
    people: list[ParsedAttendee] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)


def heading(line: str) -> tuple[str, str | None, str] | None:
    """(status, role, what follows a colon) when the line is a list heading: "Frånvarande", "Adjungerade:"."""
    label, _, rest = clean(line).partition(":")
    found = HEADINGS.get(fold(label))
    return (found[0], found[1], rest.strip()) if found else None


def _heading_with_body(line: str, meeting_body: str) -> tuple[str, str] | None:
    """ "Närvarande från Länssamverkansgruppen" → (present, that body)."""
    match = _STATUS_OF_BODY.match(clean(line))
    body = body_heading(match.group("body"), meeting_body) if match else None
    return (HEADINGS[fold(match.group("status"))][0], body) if match and body else None


def body_heading(line: str, meeting_body: str) -> str | None:
    """The body whose list starts here: "Länssamverkansgruppen kl 13-15", "Länssamverkansgruppen, punkt 24–25"."""
    text = clean(line)
    found = split_body_prefix(text, (meeting_body,) if meeting_body else ())
    if found is None or not _HEADING_REST.match(found[1]):
        return None
    return meeting_body if meeting_body and same_body(found[0], meeting_body) else found[0]


def find_block(lines: list[str], meeting_body: str = "") -> int | None:
    """Where attendance begins: the first list heading followed by a person or another heading (or the body's
    name on the line before such a heading)."""
    for i, line in enumerate(lines):
        found = heading(line) or (("present", None, "") if _heading_with_body(line, meeting_body) else None)
        if found is None or (found[1] not in (None, "official") and not found[2]):
            continue
        following = next((ln for ln in lines[i + 1 : i + 4] if ln.strip()), "")
        if not (
            (found[2] and _person(found[2]) is not None)
            or _person(following) is not None
            or body_heading(following, meeting_body)
            or heading(following)
        ):
            continue
        before = next((j for j in range(i - 1, max(i - 3, -1), -1) if lines[j].strip()), None)
        return before if before is not None and body_heading(lines[before], meeting_body) else i
    return None


def parse_attendance(
    lines: list[str], meeting_body: str, items: list[str] | None = None
) -> tuple[list[ParsedAttendee], list[str], list[str]]:
    """The people on the lists, warnings for lines that are not a person, and the other bodies with a list.
    `items`: the protocol's item numbers in order, to read "§ 7a–7c" and "lämnade före § 10"."""
    state = _State(body=meeting_body, items=items or [])
    for raw in lines:
        line = clean(raw)
        if not line:
            continue
        if CLOSING.match(line):
            break
        if ROLE_LINE.match(line):  # read by mark_roles
            continue
        if (found := heading(line)) is not None:
            state.status, state.role, rest = found
            if rest and not _NOTHING.match(rest):
                for part in rest.split(";"):
                    _add(state, part)
            continue
        if (body_status := _heading_with_body(line, meeting_body)) is not None:
            state.status, state.role = body_status[0], None
            _start_body(state, body_status[1], meeting_body)
            continue
        if (body := body_heading(line, meeting_body)) is not None:
            state.status, state.role = "present", None
            _start_body(state, body, meeting_body)
            continue
        if _NOTHING.match(strip_bullet(line)):
            continue
        _add(state, line)
    _pair_substitutes(state)
    return state.people, state.warnings, state.bodies


def _start_body(state: _State, body: str, meeting_body: str) -> None:
    state.body = body
    if not same_body(body, meeting_body) and body not in state.bodies:
        state.bodies.append(body)


def mark_roles(people: list[ParsedAttendee], lines: list[str]) -> None:
    """ "Justerare: Anna-Lena Danielsson" outside the lists: give that person the role. An adjuster keeps a role
    of their own (chair, substitute); a chair named so takes over a member's or an adjuster's role."""
    for line in lines:
        match = ROLE_LINE.match(clean(line))
        if not match:
            continue
        role = ROLE_LINES[fold(match.group("label"))]
        for name in re.split(r",|\s+och\s+", match.group("names")):
            key = fold(_PARTY.sub("", name))
            for person in (p for p in people if fold(p.name) == key):
                if role == "adjuster":
                    person.adjuster = True
                    person.role = "adjuster" if person.role == "member" else person.role
                elif person.role in ("member", "adjuster"):
                    person.role = role


def _add(state: _State, line: str) -> None:
    person = _person(line, state.items)
    if person is None:
        state.warnings.append(f"attendance: could not read the line {clean(line)!r}")
        return
    person.status = state.status
    if state.role in _OUTSIDE_THE_BODY or state.role == "official":
        person.role = state.role
    elif state.role == "substitute" and person.role == "member":
        person.role = "substitute"
    person.body = None if person.role in _OUTSIDE_THE_BODY else state.body
    state.people.append(person)


def _person(line: str, items: list[str] | None = None) -> ParsedAttendee | None:
    """One person's line, or None when it does not start with a name."""
    text = strip_bullet(clean(line)).rstrip(".")
    if not text:
        return None
    party = _PARTY.search(text)
    if party and looks_like_name(text[: party.start()].strip(" ,")):
        name, rest = text[: party.start()].strip(" ,"), text[party.end() :]
    elif "," in text:
        name, rest = (s.strip() for s in text.split(",", 1))
        party = None
    else:
        name, rest_or_none = split_name_organisation(text)
        rest, party = rest_or_none or "", None
    if not looks_like_name(name):
        return None
    organisation, notes = _organisation_and_notes(rest)
    person = ParsedAttendee(
        name=name,
        party=party.group("party").casefold() if party else None,
        organisation=organisation,
        status="present",
        role=_role(notes),
        adjuster=any(_ADJUSTER.search(fold(note)) for note in notes),
        note=", ".join(notes) or None,
    )
    presence = read_presence(rest, items)
    person.from_item, person.to_item, person.absent_items = presence.from_item, presence.to_item, presence.absent_items
    if match := _SUBSTITUTE_FOR.search(rest):
        person.substitute_for = _name_at_start(match.group("who"))
    return person


def _organisation_and_notes(rest: str) -> tuple[str | None, list[str]]:
    organisation: str | None = None
    notes: list[str] = []
    for part in (p.strip(" -–") for p in re.split(r"[,;]", rest)):
        if not part:
            continue
        if organisation is None and part[0].isupper() and _role([part]) == "member":
            role_word = _ROLE_WORD_IN_ORGANISATION.search(part)
            organisation = part[: role_word.start()].strip() if role_word else part
            if role_word:
                notes.append(part[role_word.start() :].strip())
        else:
            notes.append(part)
    return organisation, notes


def _role(notes: list[str]) -> str:
    for pattern, role in ROLE_PHRASES:
        if any(pattern.search(fold(note)) for note in notes):
            return role
    return "member"


def _name_at_start(text: str) -> str | None:
    words = []
    for word in clean(text).split():
        if not word[0].isupper():
            break
        words.append(word)
    name = " ".join(words)
    return name if looks_like_name(name) else None


def _pair_substitutes(state: _State) -> None:
    """A substitute whose line does not say whom they replace: the one absent member of the same
    organisation on the same body's list (and party, when that settles it)."""
    taken = {fold(p.substitute_for) for p in state.people if p.substitute_for}
    for sub in state.people:
        if sub.role != "substitute" or sub.substitute_for or not sub.organisation:
            continue
        candidates = [
            p
            for p in state.people
            if p.status == "absent"
            and p.role in ("member", "chair", "adjuster")
            and p.body == sub.body
            and p.organisation
            and fold(p.organisation) == fold(sub.organisation)
            and fold(p.name) not in taken
        ]
        if len(candidates) > 1 and sub.party:
            candidates = [p for p in candidates if p.party == sub.party]
        if len(candidates) == 1:
            sub.substitute_for = candidates[0].name
            taken.add(fold(candidates[0].name))
        elif candidates:
            state.warnings.append(f"attendance: cannot tell whom the substitute {sub.name} replaces")
