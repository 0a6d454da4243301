"""The demo's invented figures for 2020–2025: every municipality (the principals that report these indicators)
for every indicator, each gender of the indicators split by gender. Deterministic (a seeded `random.Random`), so
two loads make the same rows, and made to keep what the documents say:

- the county's 2020 sums are the annual report's: 690 children in HLT; 449 disputed invoices over 2 314 days
  and 19 000 000 SEK;
- counts by gender add up: total = female + male; a share's total has the summed numerator and denominator of
  female and male, so a sub-region's share recomputed from its members' numerators and denominators is exact;
- the SIP share's denominator is the number of children in HLT; every municipality of Umeå med krans gives a SIP
  to more than half of its children each year and gender, those of the other sub-regions to fewer than half, so
  only Umeå med krans meets the 50 % target, every year, as the service recomputes it;
- 2020–2024 are final, 2025 preliminary; some values were first reported otherwise and corrected (CORRECTIONS),
  so that their history shows a reason.

A row is a dict with the keys of the API's ValueIn; its `scope` is a municipality code (as Kolada and the
spreadsheets name municipalities)."""

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from app.metrics.demo.catalogue import (
    FIRST_YEAR,
    HLT_SOURCE,
    INDICATORS,
    LAST_YEAR,
    PAYMENT_SOURCE,
    PRELIMINARY_FROM,
    STAFF_SOURCE,
)
from app.metrics.models import Unit
from app.metrics.rules import share

SEED = 20_201_231
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
COUNTY_2020 = {"HLT-BARN": 690, "BETALNING-FAKTUROR": 449, "BETALNING-DAGAR": 2314, "BETALNING-BELOPP": 19_000_000}
MEETS_SIP_TARGET = "Umeå med krans"
UNITS = {i["code"]: Unit(i["unit"]) for i in INDICATORS}


@dataclass(frozen=True)
class Municipality:
    name: str
    code: str  # SCB kommunkod: the row's scope
    sub_region: str
    population: int  # invented, near the real figure of 2020
    growth: float  # a year, as a factor


# The same municipalities and sub-regions as app.demo (a test holds them equal; that module imports this one).
MUNICIPALITIES = [
    Municipality("Umeå", "2480", "Umeå med krans", 130_200, 1.012),
    Municipality("Vännäs", "2460", "Umeå med krans", 8_700, 1.004),
    Municipality("Vindeln", "2404", "Umeå med krans", 5_400, 0.997),
    Municipality("Bjurholm", "2403", "Umeå med krans", 2_450, 0.996),
    Municipality("Nordmaling", "2401", "Umeå med krans", 7_100, 0.999),
    Municipality("Robertsfors", "2409", "Umeå med krans", 6_700, 0.998),
    Municipality("Skellefteå", "2482", "Skellefteå", 72_600, 1.010),
    Municipality("Norsjö", "2417", "Skellefteå", 4_000, 0.995),
    Municipality("Malå", "2418", "Skellefteå", 3_050, 0.996),
    Municipality("Lycksele", "2481", "Södra Lappland", 12_100, 0.998),
    Municipality("Storuman", "2421", "Södra Lappland", 5_900, 0.994),
    Municipality("Sorsele", "2422", "Södra Lappland", 2_500, 0.992),
    Municipality("Vilhelmina", "2462", "Södra Lappland", 6_700, 0.994),
    Municipality("Dorotea", "2425", "Södra Lappland", 2_600, 0.991),
    Municipality("Åsele", "2463", "Södra Lappland", 2_800, 0.992),
]


@dataclass(frozen=True)
class Correction:
    """A value first reported as `first` (the fields that differ), then corrected to the generated one."""

    indicator_code: str
    scope: str
    period: str
    gender: str
    first: dict[str, Decimal]
    reason: str


CORRECTIONS = [
    Correction(
        "BETALNING-FAKTUROR",
        "2481",
        "2022",
        "total",
        {"value": Decimal(2)},  # added to the generated value: two invoices counted twice
        "Två fakturor hade registrerats två gånger; rättat efter avstämningen med regionen.",
    ),
    Correction(
        "ARBETSTERAPEUTER-1000",
        "2421",
        "2024",
        "total",
        {"numerator": Decimal("1.5")},  # added: the home-care service's staff counted in as well
        "Arbetsterapeuter i hemtjänsten hade räknats med; rättat till hälso- och sjukvårdens årsarbetare.",
    ),
]


def allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """`total` split in proportion to `weights`, each at least `minimum`, summing exactly (largest remainders)."""
    rest = total - minimum * len(weights)
    shares = [rest * w / sum(weights) for w in weights]
    parts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: rest - sum(parts)]:
        parts[i] += 1
    return [minimum + p for p in parts]


def _status(year: int) -> str:
    return "preliminary" if year >= PRELIMINARY_FROM else "final"


def _row(code: str, scope: str, year: int, source: str, gender: str = "total", **figures: Any) -> dict[str, Any]:
    return {
        "indicator_code": code,
        "scope": scope,
        "period": str(year),
        "gender": gender,
        "value": figures.get("value"),
        "numerator": figures.get("numerator"),
        "denominator": figures.get("denominator"),
        "status": _status(year),
        "source": f"{source} {year}",
        "comment": None,
    }


def _by_gender(rng: random.Random, total: int) -> tuple[int, int]:
    """Female and male of `total` children (at least two each): a few more boys than girls, as in HLT."""
    female = min(max(round(total * rng.uniform(0.38, 0.50)), 2), total - 2)
    return female, total - female


def _children(rng: random.Random) -> dict[tuple[str, int], tuple[int, int]]:
    """(municipality code, year) → children in HLT, female and male; 2020 sums to the annual report's 690."""
    weights = [m.population * rng.uniform(0.8, 1.2) for m in MUNICIPALITIES]
    totals = allocate(COUNTY_2020["HLT-BARN"], weights, minimum=4)
    out: dict[tuple[str, int], tuple[int, int]] = {}
    for m, total in zip(MUNICIPALITIES, totals, strict=True):
        for year in YEARS:
            if year > FIRST_YEAR:  # HLT spreads: more children each year
                total = max(4, round(total * rng.uniform(0.99, 1.10)))
            out[m.code, year] = _by_gender(rng, total)
    return out


def _hlt(rng: random.Random, children: dict[tuple[str, int], tuple[int, int]]) -> list[dict[str, Any]]:
    rows = []
    for (code, year), (female, male) in children.items():
        for gender, count in (("female", female), ("male", male), ("total", female + male)):
            rows.append(_row("HLT-BARN", code, year, HLT_SOURCE, gender, value=Decimal(count)))
    return rows


def _sip(rng: random.Random, children: dict[tuple[str, int], tuple[int, int]]) -> list[dict[str, Any]]:
    """Of each municipality's children in HLT, per gender: 52–70 % with a SIP in Umeå med krans (rounded up),
    22–46 % elsewhere (rounded down); the total is the sum of both genders' numerators and denominators."""
    sub_region = {m.code: m.sub_region for m in MUNICIPALITIES}
    rows = []
    for (code, year), counts in children.items():
        meets = sub_region[code] == MEETS_SIP_TARGET
        numerators = []
        for count in counts:
            if meets:
                numerators.append(min(count, math.ceil(count * rng.uniform(0.52, 0.70))))
            else:
                numerators.append(math.floor(count * rng.uniform(0.22, 0.46)))
        parts = [("female", numerators[0], counts[0]), ("male", numerators[1], counts[1])]
        parts.append(("total", sum(numerators), sum(counts)))
        for gender, num, den in parts:
            n, d = Decimal(num), Decimal(den)
            rows.append(
                _row(
                    "SIP-ANDEL",
                    code,
                    year,
                    HLT_SOURCE,
                    gender,
                    value=share(Unit.percent, n, d),
                    numerator=n,
                    denominator=d,
                )
            )
    return rows


def _payment(rng: random.Random) -> list[dict[str, Any]]:
    """Disputed invoices, their days and kronor: 2020 the annual report's sums, fewer each year after (the joint
    routines for discharge take hold), at a day rate that follows the price index."""
    weights = [m.population * rng.uniform(0.6, 1.4) for m in MUNICIPALITIES]
    invoices = allocate(COUNTY_2020["BETALNING-FAKTUROR"], weights, minimum=1)
    # Every invoice is at least one day; the days beyond that in proportion to invoices and a local factor.
    beyond = COUNTY_2020["BETALNING-DAGAR"] - COUNTY_2020["BETALNING-FAKTUROR"]
    extra = allocate(beyond, [n * rng.uniform(2.5, 5.5) for n in invoices], minimum=0)
    days = [n + e for n, e in zip(invoices, extra, strict=True)]
    amounts = allocate(COUNTY_2020["BETALNING-BELOPP"], [d * rng.uniform(0.9, 1.1) for d in days], minimum=0)
    rows = []
    for k, m in enumerate(MUNICIPALITIES):
        n, d, sek = invoices[k], days[k], amounts[k]
        for year in YEARS:
            if year > FIRST_YEAR:
                n = round(n * rng.uniform(0.70, 0.98))
                d = round(n * rng.uniform(3.5, 6.5))
                sek = round(d * rng.uniform(7_500, 8_800) * 1.03 ** (year - FIRST_YEAR))
            rows.append(_row("BETALNING-FAKTUROR", m.code, year, PAYMENT_SOURCE, value=Decimal(n)))
            rows.append(_row("BETALNING-DAGAR", m.code, year, PAYMENT_SOURCE, value=Decimal(d)))
            rows.append(_row("BETALNING-BELOPP", m.code, year, PAYMENT_SOURCE, value=Decimal(sek)))
    return rows


def _staff(rng: random.Random) -> list[dict[str, Any]]:
    """Therapists (full-time equivalents, one decimal) per 1 000 listed citizens, in the municipalities' own
    health and care services."""
    rows = []
    listed = {m.code: m.population * rng.uniform(0.97, 1.0) for m in MUNICIPALITIES}
    for code, low, high in (("ARBETSTERAPEUTER-1000", 0.45, 0.90), ("FYSIOTERAPEUTER-1000", 0.35, 0.80)):
        rates = {m.code: rng.uniform(low, high) for m in MUNICIPALITIES}
        for year in YEARS:
            growth = {m.code: m.growth ** (year - FIRST_YEAR) for m in MUNICIPALITIES}
            citizens = {c: round(listed[c] * growth[c]) for c in listed}
            for scope, rate in rates.items():
                rates[scope] = rate + rng.uniform(-0.015, 0.03) if year > FIRST_YEAR else rate
                fte = Decimal(round(citizens[scope] / 1000 * rates[scope], 1)).quantize(Decimal("0.1"))
                den = Decimal(citizens[scope])
                rows.append(
                    _row(
                        code,
                        scope,
                        year,
                        STAFF_SOURCE,
                        value=share(Unit.per_1000, fte, den),
                        numerator=fte,
                        denominator=den,
                    )
                )
    return rows


@cache
def _generated() -> tuple[dict[str, Any], ...]:
    rng = random.Random(SEED)  # noqa: S311  # invented figures that must repeat, not secrets
    children = _children(rng)
    rows = _hlt(rng, children) + _sip(rng, children) + _payment(rng) + _staff(rng)
    return tuple(rows)


def rows() -> list[dict[str, Any]]:
    """Every value as it stands after the corrections (a fresh copy: callers may change them)."""
    return [dict(r) for r in _generated()]


def key(row: dict[str, Any]) -> tuple[str, str, str, str]:
    return row["indicator_code"], row["scope"], row["period"], row["gender"]


def first_reports() -> list[dict[str, Any]]:
    """Every value as first reported: the corrected ones as they were before their correction."""
    wrong = {(c.indicator_code, c.scope, c.period, c.gender): c for c in CORRECTIONS}
    out = rows()
    for row in out:
        correction = wrong.get(key(row))
        if correction is None:
            continue
        for field, added in correction.first.items():
            row[field] += added
        if row["denominator"] is not None:
            row["value"] = share(UNITS[row["indicator_code"]], row["numerator"], row["denominator"])
    return out


def corrected(correction: Correction) -> dict[str, Any]:
    """The value a correction writes."""
    wanted = (correction.indicator_code, correction.scope, correction.period, correction.gender)
    return next(r for r in rows() if key(r) == wanted)
