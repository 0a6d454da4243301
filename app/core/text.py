"""Swedish text as data: NFC everywhere, Swedish alphabetical order, and a fold for case-insensitive search."""

import re
import unicodedata

# Swedish alphabet order: a–z, then å, ä, ö. Since 2006 w is its own letter; æ sorts with ä, ø with ö, ü with y.
_AFTER_Z = {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"}
_AS = {"ü": "y"}
_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def clean(value: str) -> str:
    """NFC and single spaces: what every stored name goes through."""
    return _SPACES.sub(" ", nfc(value)).strip()


def fold(value: str) -> str:
    """Case-insensitive form for matching; keeps å/ä/ö distinct (never strips diacritics).

    NFC again after casefold, which can decompose (ǰ becomes j + caron).
    """
    return nfc(clean(value).casefold())


def _primary(ch: str) -> str:
    if ch in _AFTER_Z:
        return _AFTER_Z[ch]
    if ch in _AS:
        return _AS[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() else ch


def swedish_sort_key(value: str) -> str:
    """A string whose code-point order is Swedish alphabetical order (case-insensitive, then exact).

    Stored in a column next to the name so both SQLite and PostgreSQL sort and paginate by plain binary
    comparison, with an ordinary index, and agree with each other.
    """
    folded = fold(value)
    primary = "".join(_primary(c) for c in folded)
    return f"{primary}\x01{folded}\x01{clean(value)}"
