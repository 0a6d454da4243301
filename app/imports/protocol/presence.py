"""Partial presence as a protocol writes it on a person's line, read as what it says.

Three different facts, never one for another:
- arrival: present from an item on ("anslöt § 8", "närvarande från punkt 8", "från och med § 8") → from_item;
- departure: present up to and including an item ("lämnade efter § 10", "till och med § 10") → to_item; leaving
  *before* an item ("lämnade före § 10", "frånvarande från § 10") is present up to the item before it;
- absence for single items in between ("ej närvarande under § 12", "deltog inte i § 14–15", "lämnade
  sammanträdet under § 5", "jäv i § 12") → absent_items.
"""

import re
from dataclasses import dataclass, field

_ITEM = r"\d{1,3}(?:\s?[a-z](?![\wåäö]))?"
_MARK = r"(?:punkt(?:erna|en)?|ärende(?:na|t|n)?|paragraf(?:erna|en)?|§§?)"
_RANGE = rf"{_ITEM}(?:\s*[–—-]\s*{_ITEM})?"
_SEPARATOR = r"\s*(?:,|\boch\b|\bsamt\b|&)\s*"
# One item ("§ 8") or a list of items and ranges ("§§ 12 och 14", "punkterna 14–15, 17").
_ONE = rf"\s*{_MARK}\s*(?P<items>{_ITEM})"
_MANY = rf"\s*{_MARK}\s*(?P<items>{_RANGE}(?:{_SEPARATOR}(?:{_MARK}\s*)?{_RANGE})*)"
_FROM = r"(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från)"
_FROM_ON = r"(?:från\s+och\s+med|fr\.?\s?o\.?\s?m\.?)"
_UNTIL = r"(?:till\s+och\s+med|t\.?\s?o\.?\s?m\.?|till)"
_UNTIL_ON = r"(?:till\s+och\s+med|t\.?\s?o\.?\s?m\.?)"
_PRESENT = r"(?:närvarande|deltog|deltar|tjänstgjorde|tjänstgör)"
_NOT = r"(?:ej|inte|icke)"
_LEFT = r"lämnade(?:\s+(?:sammanträdet|mötet|lokalen|rummet|salen))?"
_ARRIVED = r"(?:anslöt|ansluter|tillkom|kom|tillträdde)(?:\s+(?:till\s+)?(?:sammanträdet|mötet))?"
_ON_ITS_OWN = r"(?<![\wåäö])"

# (what it says, pattern), tried in this order; a phrase once read is not read again by a later pattern
# ("frånvarande från § 10" is a departure, not an arrival at 10).
PHRASES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("before", rf"\b{_LEFT}\s+(?:före|inför){_ONE}"),
        ("before", rf"\b(?:frånvarande|{_NOT}\s+{_PRESENT})\s+{_FROM}{_ONE}"),
        ("absent", rf"\b(?:frånvarande|{_NOT}\s+närvarande)(?:\s+(?:under|vid|på|i|för))?{_MANY}"),
        (
            "absent",
            rf"\b(?:deltog|deltar|deltagit)\s+{_NOT}(?:\s+(?:i|under|vid|på))?"
            rf"(?:\s+(?:handläggningen|behandlingen|beslutet|beslut)\s+(?:av|i|under|om))?{_MANY}",
        ),
        ("absent", rf"\b{_LEFT}\s+(?:under|vid){_MANY}"),
        ("absent", rf"\bjäv\w*(?:\s+(?:i|under|vid|på|för))?{_MANY}"),
        ("to", rf"\b{_PRESENT}\s+{_UNTIL}{_ONE}"),
        ("to", rf"\b{_LEFT}\s+efter{_ONE}"),
        ("to", rf"{_ON_ITS_OWN}{_UNTIL_ON}{_ONE}"),
        ("from", rf"\b{_ARRIVED}(?:\s+(?:{_FROM}|vid|under|till|inför|på))?{_ONE}"),
        ("from", rf"\b{_PRESENT}\s+{_FROM}{_ONE}"),
        ("from", rf"{_ON_ITS_OWN}{_FROM_ON}{_ONE}"),
        ("only", rf"\b{_PRESENT}(?:\s+(?:under|vid|i))?{_MANY}"),
    )
)
_LETTERED = re.compile(r"^(?P<n>\d+)(?P<letter>[a-z]?)$")


@dataclass
class Presence:
    from_item: str | None = None
    to_item: str | None = None
    absent_items: list[str] = field(default_factory=list)


def read_presence(text: str, items: list[str] | None = None) -> Presence:
    """What the words say about which items the person was there for. `items`: the protocol's item numbers in
    order, to expand ranges ("§ 7a–7c") and to find the item before the one someone left before."""
    known = items or []
    found = Presence()
    for kind, pattern in PHRASES:
        for match in pattern.finditer(text):
            named = expand(match.group("items"), known)
            if kind == "absent":
                found.absent_items += [n for n in named if n not in found.absent_items]
            elif kind == "from":
                found.from_item = named[0]
            elif kind == "to":
                found.to_item = named[-1]
            elif kind == "before":
                found.to_item = item_before(named[0], known) or found.to_item
            elif kind == "only" and found.from_item is None and found.to_item is None:
                found.from_item, found.to_item = named[0], named[-1]
            start, end = match.span()
            text = text[:start] + " " * (end - start) + text[end:]
    return found


def expand(spec: str, items: list[str]) -> list[str]:
    """ "12 och 14" → 12, 14; "14–15" → 14, 15; "7a–7c" → 7a, 7b, 7c (through the protocol's items when known)."""
    out: list[str] = []
    for part in re.split(_SEPARATOR, spec):
        part = re.sub(rf"^{_MARK}\s*", "", part.strip(), flags=re.IGNORECASE)
        ends = [re.sub(r"\s", "", e).casefold() for e in re.split(r"\s*[–—-]\s*", part) if e.strip()]
        if not ends:
            continue
        out += [n for n in _between(ends[0], ends[-1], items) if n not in out]
    return out


def _between(first: str, last: str, items: list[str]) -> list[str]:
    if first == last:
        return [first]
    if first in items and last in items and items.index(first) <= items.index(last):
        return items[items.index(first) : items.index(last) + 1]
    a, b = _LETTERED.match(first), _LETTERED.match(last)
    if a and b and not a["letter"] and not b["letter"] and 0 <= int(b["n"]) - int(a["n"]) <= 50:
        return [str(n) for n in range(int(a["n"]), int(b["n"]) + 1)]
    if a and b and a["n"] == b["n"] and a["letter"] and b["letter"] and a["letter"] <= b["letter"]:
        return [a["n"] + chr(c) for c in range(ord(a["letter"]), ord(b["letter"]) + 1)]
    return [first, last]


def item_before(number: str, items: list[str]) -> str | None:
    """The item before this one: from the protocol's list, else by counting down a plain number."""
    if number in items:
        index = items.index(number)
        return items[index - 1] if index > 0 else None
    plain = _LETTERED.match(number)
    if plain and not plain["letter"] and int(plain["n"]) > 1:
        return str(int(plain["n"]) - 1)
    return None
