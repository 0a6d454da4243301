"""Swedish words for the search index: Snowball stems, stop words, and snippets that show the original words.

Both databases index the stems made here (PostgreSQL through its `simple` configuration, SQLite through FTS5),
so a query finds the same objects on both. PostgreSQL's own `swedish` configuration uses an older Snowball,
without the `-et` rule: "avtalet" would not find "avtal" there.
"""

import re
from functools import lru_cache

import snowballstemmer

from app.core.text import nfc

WORD = re.compile(r"\w+")
# Snowball's Swedish stop list (PostgreSQL's swedish.stop): words that find nearly everything.
_STOP_LIST = (
    "och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke mig du "
    "henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när efter upp "
    "vi dem vara vad över än dig kan sina här ha mot alla under någon eller allt mycket sedan ju denna själv "
    "detta åt utan varit hur ingen mitt ni bli blev oss din dessa några deras blir mina samma vilken er "
    "sådan vår blivit dess inom mellan sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars "
    "vårt våra ert era vilkas"
)
STOP_WORDS = frozenset(_STOP_LIST.split())
_STEMMER = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The stem of one word, in lower case; å, ä and ö stay as they are.

    Snowball keeps "-endet" whole (its `-et` rule wants a vowel and one consonant before), so "ärendet" would
    not find "ärende" nor "boendet" "boenden"; the definite form of these nouns loses its "-et" here.
    """
    # NFC again after casefold, which can decompose (ǰ becomes j + caron), as app.core.text.fold does.
    stemmed: str = _STEMMER.stemWord(nfc(word.casefold()))
    if stemmed.endswith("endet") and len(stemmed) > 6:
        stemmed = stemmed[:-2]
    return stemmed


def stems(text: str) -> list[str]:
    """The stems of a text's words, in order, stop words left out."""
    words = (nfc(w.casefold()) for w in WORD.findall(nfc(text)))
    return [stem(w) for w in words if w not in STOP_WORDS]


def stemmed_text(text: str | None) -> str:
    """What the full-text index holds for a text: its stems separated by spaces."""
    return " ".join(stems(text or ""))


def snippet(text: str, query: set[str], max_words: int) -> str | None:
    """About `max_words` words of `text` around the most query words, each found word marked «so»; None when
    no word matches.

    A document may be long: every stem is the start of its word, so a regular expression finds the candidate
    words, only those are stemmed, and only the chosen stretch of text is split into words.
    """
    if not query or not text:
        return None
    starts = "|".join(re.escape(s) for s in sorted(query, key=len, reverse=True))
    candidates = re.compile(rf"(?<!\w)(?:{starts})\w*", re.IGNORECASE)
    found: list[tuple[int, str]] = []
    for m in candidates.finditer(text):
        word_stem = stem(m.group())
        if word_stem in query:
            found.append((m.start(), word_stem))
            if len(found) == _MAX_CANDIDATES:
                break
    if not found:
        return None
    at = _best_start(found, max_words * _CHARS_PER_WORD)
    # A few words before the best place, as FTS5's snippet and ts_headline give; more when the text ends soon.
    reach = max_words * _CHARS_PER_WORD
    lead = [w for w in WORD.finditer(text, max(0, at - reach), at) if w.start() == 0 or not _in_word(text, w.start())]
    tail = list(WORD.finditer(text, at, at + reach * 3))[:max_words]
    n_tail = min(len(tail), max_words - min(len(lead), max_words // 4))
    n_lead = min(len(lead), max_words - n_tail)
    window = lead[len(lead) - n_lead :] + tail[:n_tail]
    begin = window[0].start()
    out: list[str] = []
    for i, w in enumerate(window):
        out.append(f"«{w.group()}»" if stem(w.group()) in query else w.group())
        if i + 1 < len(window):
            out.append(text[w.end() : window[i + 1].start()])
    before = "…" if WORD.search(text, 0, begin) else ""
    # The sentence's own full stop when the text ends there; an ellipsis when it goes on.
    after = "…" if WORD.search(text, window[-1].end()) else text[window[-1].end() :].strip()[:3]
    return before + "".join(out) + after


def _in_word(text: str, at: int) -> bool:
    """Whether position `at` continues a word (a search that started there would see only its end)."""
    return bool(WORD.match(text[at - 1]))


# Enough candidates to choose a good place; an average Swedish word with its space.
_MAX_CANDIDATES = 1_000
_CHARS_PER_WORD = 8


def _best_start(found: list[tuple[int, str]], span: int) -> int:
    """Where the stretch of `span` characters holding the most different query words (then the most found
    words) begins, earliest first."""
    best, best_score = found[0][0], (0, 0)
    counts: dict[str, int] = {}
    end = 0
    for k, (start, _) in enumerate(found):
        while end < len(found) and found[end][0] < start + span:
            counts[found[end][1]] = counts.get(found[end][1], 0) + 1
            end += 1
        score = (len(counts), end - k)
        if score > best_score:
            best, best_score = start, score
        leaving = found[k][1]
        counts[leaving] -= 1
        if not counts[leaving]:
            del counts[leaving]
    return best
