"""Periods of follow-up in one notation: a year `2024`, a half-year `2024-H1`, a term (tertial) `2024-T2`, a
quarter `2024-Q3` or a month `2024-05`. Each period is a range of days; a period lies within another when its days
do (`2024-Q3` within `2024-H2` and `2024`). Sorting by (start, end descending) puts a year before its parts."""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

NOTATION = r"^\d{4}(-(H[12]|T[1-3]|Q[1-4]|0[1-9]|1[0-2]))?$"
_PATTERN = re.compile(NOTATION)
FIRST_YEAR, LAST_YEAR = 1900, 2199
DESCRIPTION = (
    "A period: a year `2024`, a half-year `2024-H1`, a term (tertial) `2024-T2`, a quarter `2024-Q3` or a month "
    "`2024-05`."
)


class Granularity(StrEnum):
    year = "year"
    half_year = "half_year"
    term = "term"
    quarter = "quarter"
    month = "month"


# Months per part, and the part's letter in the notation.
_PARTS = {"H": (Granularity.half_year, 6), "T": (Granularity.term, 4), "Q": (Granularity.quarter, 3)}


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    text: str
    granularity: Granularity

    def __str__(self) -> str:
        return self.text

    def within(self, other: "Period") -> bool:
        return other.start <= self.start and self.end <= other.end

    def following(self) -> "Period":
        """The next period of the same granularity (2024-Q4 → 2025-Q1)."""
        return _of(
            self.granularity,
            self.end.year if self.end.month < 12 else self.end.year + 1,
            1 if self.end.month == 12 else self.end.month + 1,
        )


def _month_range(year: int, first: int, months: int) -> tuple[date, date]:
    last = first + months - 1
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def _of(granularity: Granularity, year: int, month: int) -> Period:
    """The period of `granularity` that holds the first day of `month` in `year`."""
    if granularity is Granularity.year:
        return parse(str(year))
    if granularity is Granularity.month:
        return parse(f"{year}-{month:02d}")
    letter, size = next((k, n) for k, (g, n) in _PARTS.items() if g is granularity)
    return parse(f"{year}-{letter}{(month - 1) // size + 1}")


def parse(text: str) -> Period:
    """A period from its notation; ValueError (with the notation in its message) for anything else."""
    text = text.strip() if isinstance(text, str) else text
    if not isinstance(text, str) or not _PATTERN.match(text):
        raise ValueError(f"{text!r} is not a period: use 2024, 2024-H1, 2024-T2, 2024-Q3 or 2024-05")
    year = int(text[:4])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"the year must be between {FIRST_YEAR} and {LAST_YEAR}")
    if len(text) == 4:
        return Period(date(year, 1, 1), date(year, 12, 31), text, Granularity.year)
    part = text[5:]
    if part[0] in _PARTS:
        granularity, size = _PARTS[part[0]]
        start, end = _month_range(year, (int(part[1]) - 1) * size + 1, size)
        return Period(start, end, text, granularity)
    start, end = _month_range(year, int(part), 1)
    return Period(start, end, text, Granularity.month)


def between(first: Period, last: Period) -> list[Period]:
    """Every period of `first`'s granularity from `first` through the one that holds `last`'s end."""
    out: list[Period] = []
    current = first
    while current.start <= last.end:
        out.append(current)
        current = current.following()
    return out
