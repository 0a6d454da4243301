"""Decision sentences in an item's text, and the text that is left for the minutes.

"X godkände informationen." → noted; "X beslutade att …" → resolved, with its att-clauses; a clause
"rekommendera respektive huvudman att …" → recommendation; "uppdra Y att …" or "AU för Z ska …" → assignment;
"önskar att frågan bereds vidare i Y" → referral.
"""

import re

from app.core.text import clean
from app.imports.parsed import ParsedDecision
from app.imports.protocol.vocab import BULLET, body_of, body_prefix, canonical_body, is_body, strip_bullet

_ABBREVIATIONS = frozenset(
    {"bl.a", "t.ex", "m.fl", "ordf", "kl", "ca", "resp", "nr", "s.k", "osv", "o.s.v", "dvs", "d.v.s", "etc", "jfr",
     "fr.o.m", "t.o.m", "tf", "st", "p", "jan", "feb", "aug", "sept", "okt", "nov", "dec"}
)  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+|\n[ \t]*\n\s*")
_SUBJECT = r"(?P<subject>[A-ZÅÄÖ][^.!?]{0,80}?)"
_INFORMATION = r"(?:informationen|redovisningen|rapporten|lägesrapporten|presentationen|dragningen|återrapporten)"
NOTED = (
    re.compile(
        rf"^{_SUBJECT}\s+(?:godkände|godkänner|noterade|noterar|tackade för|tackar för|tog del av|tar del av)"
        rf"\s+{_INFORMATION}"
    ),
    re.compile(rf"^{_SUBJECT}\s+(?:lade|lägger)\s+{_INFORMATION}\s+till handlingarna"),
    re.compile(rf"^(?P<subject>)(?i:{_INFORMATION})\s+(?:godkändes|noterades|lades till handlingarna)"),
)
_DECIDED = r"(?:beslutade|beslutar|beslöt|fattade beslut|ställde sig bakom|ställer sig bakom|antog|fastställde)"
RESOLVED = re.compile(rf"^{_SUBJECT}\s+{_DECIDED}\b")
_RESOLVED_VERB = re.compile(rf"\b{_DECIDED}\b")
# Who may decide: a body or its short form; other subjects ("Regionfullmäktige beslutade …") are narrative.
_DECIDER = re.compile(
    r"\b(?:samråd\w*|systemledning\w*|länssamverkansgrupp\w*|lsg|beredning\w*|\w*rådet|mötet|au|"
    r"arbetsutskott\w*|ledamöterna|sammanträdet)\b",
    re.IGNORECASE,
)
RECOMMENDATION = re.compile(r"^rekommendera\b", re.IGNORECASE)
# (pattern, whether "who" must be a body for the clause to be an assignment)
ASSIGNMENTS = (
    (re.compile(r"^uppdra[rs]?\s+(?:åt\s+)?(?P<who>.+?)\s+att\b", re.IGNORECASE), False),
    (re.compile(r"^ge[r]?\s+(?P<who>.+?)\s+(?:i\s+)?uppdrag(?:et)?\s+(?:att|om)\b", re.IGNORECASE), False),
    (re.compile(r"^(?P<who>.+?)\s+(?:ska|skall|får i uppdrag att|ges i uppdrag att)\b", re.IGNORECASE), True),
)
REFERRALS = (
    re.compile(
        r"\bönskar att (?:frågan|ärendet|förslaget)\s+(?:bereds|behandlas|diskuteras|tas upp)\s+vidare\s+"
        r"(?:i|av|inom|hos|med)\s+(?P<target>[^.;]+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:överlämnar|överlämnade|hänskjuter|hänsköt|skickar|skickade|remitterar|remitterade)\s+"
        r"(?:frågan|ärendet)\s+(?:vidare\s+)?till\s+(?P<target>[^.;]+)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?:frågan|ärendet)\s+(?:överlämnas|hänskjuts|remitteras|skickas vidare|bereds vidare)\s+(?:till|i|av)\s+"
        r"(?P<target>[^.;]+)",
        re.IGNORECASE,
    ),
)
CLAUSE_REFERRAL = re.compile(
    r"^(?:överlämna|hänskjuta|remittera|skicka)\s+(?:frågan|ärendet)\s+(?:vidare\s+)?till\s+(?P<target>.+)$",
    re.IGNORECASE,
)
_REFERRAL_SUBJECT = re.compile(rf"^{_SUBJECT}\s+(?:önskar|överlämna|hänsk|skicka|remittera)")
_TARGET_END = re.compile(r"\s+(?:innan|inför|för att|så att|för|och|samt|med|under|senast|efter)\s+")
_ATT_START = re.compile(r"^(?:[-–•*·]\s*)?att\b", re.IGNORECASE)
_CLAUSE_START = re.compile(r"\n\s*(?:[-–•*·]\s*(?:att\s+)?|att\s+)", re.IGNORECASE)
_INLINE_CLAUSE = re.compile(r"(?:[,;]\s*(?:och\s+|samt\s+)?|\s+(?:och|samt)\s+)att\s+", re.IGNORECASE)
# A decision under its heading: "Beslut: Samrådet beslutade …", "Beslut\natt godkänna …".
_LEAD = re.compile(r"^beslut(?:et)?\b\s*:?\s*", re.IGNORECASE)
_HEADING_ONLY = re.compile(r"^beslut(?:et)?\s*:?$", re.IGNORECASE)
# Lines that are no matter of their own in "Ärenden till X": "Inga ärenden."
_NO_MATTER = re.compile(r"^(?:inga|inget|ingen)\b|^-$", re.IGNORECASE)


def find_decisions(lines: list[str], meeting_body: str) -> tuple[list[ParsedDecision], list[str]]:
    """The decisions in the text, and the text without their sentences."""
    flat = "\n".join(lines)
    spans = _sentences(flat)
    decisions: list[ParsedDecision] = []
    cuts: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        i += 1
        if _HEADING_ONLY.match(clean(flat[start:end])) and i < len(spans):  # "Beslut" on a line of its own
            end = spans[i][1]
            i += 1
        text = strip_bullet(clean(flat[start:end]))
        headed = bool(_LEAD.match(text))
        text = _LEAD.sub("", text)
        found = _decision_sentence(text) or (("resolved", "") if headed and _ATT_START.match(text) else None)
        decision: ParsedDecision | None = None
        if found and found[0] == "noted":
            decision = ParsedDecision(
                kind="noted", text=text, body=body_of(found[1], meeting_body) if found[1] else None
            )
        elif found:
            while i < len(spans) and _continues(flat[start:end], clean(flat[spans[i][0] : spans[i][1]])):
                end = spans[i][1]
                i += 1
            decision = _resolved(flat[start:end], found[1], meeting_body)
        else:
            decision = _referral(text, meeting_body)
        if decision is not None:
            decisions.append(decision)
            cuts.append((start, end))
    for start, end in reversed(cuts):
        flat = flat[:start] + flat[end:]
    return decisions, flat.split("\n")


def _continues(decision: str, following: str) -> bool:
    """An att-clause, or a bullet after "beslutade att:" or after another bullet, goes on with the decision."""
    last = decision.rstrip().split("\n")[-1]
    return bool(_ATT_START.match(following)) or (
        bool(BULLET.match(following)) and (last.endswith(":") or bool(BULLET.match(last)))
    )


def matters_referred(lines: list[str], target: str) -> list[ParsedDecision]:
    """ "Ärenden till Länssamverkansgruppen": each matter listed is referred to that body."""
    matters: list[str] = []
    for line in lines:
        text = strip_bullet(clean(line))
        if not text or _NO_MATTER.match(text):
            continue
        if matters and text[0].islower():
            matters[-1] = f"{matters[-1]} {text}"
        else:
            matters.append(text)
    return [ParsedDecision(kind="referral", text=m, target=target) for m in matters]


def _sentences(flat: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(flat):
        if match.group(0)[0] in ".!?":
            following = flat[match.end() : match.end() + 1]
            word = re.search(r"(\S+)$", flat[start : match.start() + 1])
            if word and word.group(1).rstrip(".").casefold() in _ABBREVIATIONS:
                continue
            if following and not (following.isupper() or following.isdigit() or following in '"“”(-–•*'):
                continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(flat)))
    return [(s, e) for s, e in spans if flat[s:e].strip()]


def _decides(subject: str) -> bool:
    """A body decides ("Samrådet", "AU för …"); "Regionfullmäktige beslutade …" is narrative."""
    return is_body(subject) or (bool(_DECIDER.match(subject)) and len(subject.split()) <= 6)


def _decision_sentence(text: str) -> tuple[str, str] | None:
    """(noted or resolved, the deciding subject) when the sentence is a decision of a body."""
    for pattern in NOTED:
        if (match := pattern.match(text)) and (not match.group("subject") or _decides(match.group("subject"))):
            # "… godkände informationen och beslutade att …" is a resolution.
            return ("resolved" if _RESOLVED_VERB.search(text, match.end()) else "noted"), match.group("subject")
    if (match := RESOLVED.match(text)) and _decides(match.group("subject")):
        return "resolved", match.group("subject")
    return None


def _resolved(raw: str, subject: str, meeting_body: str) -> ParsedDecision:
    """A resolution; its kind from the clauses: a recommendation, else an assignment, else a referral."""
    verb = _RESOLVED_VERB.search(raw)
    clauses = _clauses(raw[verb.end() :] if verb else raw)
    body = body_of(subject, meeting_body) if subject else None
    decision = ParsedDecision(kind="resolved", text=_LEAD.sub("", _flow(raw)), clauses=clauses, body=body)
    referred = next((m.group("target") for c in clauses if (m := CLAUSE_REFERRAL.match(c))), None)
    decision.target = _target(referred) if referred else None
    assignee = next((who for c in clauses if (who := _assignee(c))), None)
    if any(RECOMMENDATION.match(c) for c in clauses):
        decision.kind = "recommendation"
    elif assignee:
        decision.kind = "assignment"
    elif referred:
        decision.kind = "referral"
    if assignee:
        decision.assignee = body_of(assignee, meeting_body) or canonical_body(meeting_body)
    return decision


def _assignee(clause: str) -> str | None:
    for pattern, must_be_body in ASSIGNMENTS:
        match = pattern.match(clause)
        if match and (not must_be_body or is_body(match.group("who"))):
            return match.group("who")
    return None


def _clauses(after_verb: str) -> list[str]:
    """The att-clauses after "beslutade": inline ("att A och att B") or a list ("- att A", "• B")."""
    first = re.search(r"\batt\b", after_verb, re.IGNORECASE)
    if not first:
        return []
    clauses = []
    for chunk in _CLAUSE_START.split(after_verb[first.end() :]):
        for piece in _INLINE_CLAUSE.split(chunk):
            piece = re.sub(r"^att\s+", "", clean(piece).strip(" ,.;:"), flags=re.IGNORECASE)
            piece = re.sub(r"[\s,]+(?:och|samt)$", "", piece).strip(" ,.;:")
            if piece:
                clauses.append(piece)
    return clauses


def _referral(text: str, meeting_body: str) -> ParsedDecision | None:
    for pattern in REFERRALS:
        if match := pattern.search(text):
            subject = _REFERRAL_SUBJECT.match(text)
            body = body_of(subject.group("subject"), meeting_body) if subject else None
            return ParsedDecision(kind="referral", text=text, body=body, target=_target(match.group("target")))
    return None


def _target(words: str) -> str:
    words = clean(words).strip(" ,.;:")
    return body_prefix(words) or canonical_body(_TARGET_END.split(words)[0])


def _flow(raw: str) -> str:
    """A decision's words on one line; a list keeps one clause a line."""
    out = ""
    for line in (clean(ln) for ln in raw.split("\n")):
        if line:
            out = f"{out}\n{line}" if out and BULLET.match(line) else f"{out} {line}".strip()
    return out
