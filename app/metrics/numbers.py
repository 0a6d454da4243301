"""Figures: exact in the database and in rules (NUMERIC(15,4), `Decimal`), JSON numbers in answers.

A request may send a figure as a JSON number or as a string ("12.5"); CSV files may use a decimal comma and a
space as the thousands separator. At most four decimals; no NaN, infinity or exponent beyond the column."""

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

MAX_FIGURE = Decimal("99999999999.9999")
QUANTUM = Decimal("0.0001")
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$", re.ASCII)
# Spaces a Swedish spreadsheet puts between thousands: plain, no-break and narrow no-break.
_THOUSANDS = str.maketrans("", "", " \u00a0\u202f")


def parse_figure(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError("must be a number")
    if isinstance(value, float):
        value = repr(value)  # the shortest text that reads back as the same float: 0.1 stays 0.1
    if isinstance(value, str):
        value = value.strip()
        if not _PLAIN.match(value):
            raise ValueError("must be a number like 12.5: digits, at most one point, no exponent")
    try:
        figure = Decimal(value)
    except InvalidOperation:
        raise ValueError("must be a number like 12.5") from None
    if not figure.is_finite():
        raise ValueError("must be a finite number")
    if figure.as_tuple().exponent < -4:  # type: ignore[operator]
        raise ValueError("may have at most four decimals")
    if abs(figure) > MAX_FIGURE:
        raise ValueError(f"may be at most {MAX_FIGURE} in size")
    return figure.quantize(QUANTUM)


def parse_csv_figure(text: str) -> Decimal | None:
    """A CSV cell: empty is none; "1 234,5" and "1234.5" are the same figure."""
    text = text.translate(_THOUSANDS)
    if not text:
        return None
    if "," in text and "." in text:
        raise ValueError("must use either a decimal comma or a decimal point, not both")
    return parse_figure(text.replace(",", "."))


def as_number(figure: Decimal | None) -> float | int | None:
    """The JSON form: an integer when the figure is whole (690, not 690.0), else the nearest float."""
    if figure is None:
        return None
    return int(figure) if figure == figure.to_integral_value() else float(figure)


_SCHEMA = {
    "anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^[+-]?\d{1,11}(\.\d{1,4})?$"}],
    "examples": [52.4],
    "description": 'A figure: a number, or a string like "52.4"; at most four decimals.',
}
# A request field. Answers give figures as JSON numbers (`as_number`).
Figure = Annotated[Decimal, BeforeValidator(parse_figure), WithJsonSchema(_SCHEMA)]
