"""Money, exact end to end: NUMERIC(14,2) in the database, `Decimal` in Python, a JSON string ("3270000.00") in
answers and a decimal comma in CSV. A float never carries an amount: 0.1 + 0.2 is not 0.3 in a budget."""

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from sqlalchemy import Numeric, TypeDecorator
from sqlalchemy.engine import Dialect

CENT = Decimal("0.01")
# NUMERIC(14,2): twelve digits before the point, up to 999 999 999 999.99 SEK.
MAX_AMOUNT = Decimal("999999999999.99")
ZERO = Decimal("0.00")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)


class ExactNumeric(TypeDecorator[Decimal]):
    """NUMERIC(precision, scale) on both databases. SQLite keeps a NUMERIC value as an integer or a double; up to 15
    significant digits fit a double exactly, so each value read back is rounded to the scale it was stored with."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision, scale, asdecimal=True)
        # Instance attributes named like the arguments: SQLAlchemy builds the type's cache key from them.
        self.precision, self.scale = precision, scale
        self.quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        # SQLite has no decimal type: the driver takes text, which the column's NUMERIC affinity stores as a number,
        # and hands back a number that is rounded here rather than by SQLAlchemy (which warns about lost precision).
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=False))
        return dialect.type_descriptor(self.impl_instance)

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(str(value)).quantize(self.quantum)


class MoneyColumn(ExactNumeric):
    """NUMERIC(14,2): fourteen significant digits fit a double exactly (see ExactNumeric)."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(14, 2)


def parse_amount(value: Any, *, negative_allowed: bool = False) -> Decimal:
    """An amount as a client sends it: a string or an integer, at most two decimals, finite, within NUMERIC(14,2).
    A JSON number with a fraction (a float) is refused: it may already have lost the cent the client meant."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError('must be a string like "1250.50" or an integer')
    if isinstance(value, str):
        value = value.strip()
        if value.lower().lstrip("+-") in {"nan", "snan", "inf", "infinity"}:
            raise ValueError("must be a finite amount")
        if not _PLAIN.match(value):
            raise ValueError('must be an amount like "1250.50": digits, at most one point, no exponent')
    try:
        amount = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern above lets only plain decimals through
        raise ValueError('must be an amount like "1250.50"') from None
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError("may have at most two decimals")
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(f"may be at most {MAX_AMOUNT}")
    if amount < 0 and not negative_allowed:
        raise ValueError("may not be negative")
    return amount.quantize(CENT)  # exact: at most two decimals were checked above


def _amount(value: Any) -> Decimal:
    return parse_amount(value)


def _signed(value: Any) -> Decimal:
    return parse_amount(value, negative_allowed=True)


def as_text(amount: Decimal) -> str:
    """The JSON form: always two decimals, a point, no exponent ("3270000.00")."""
    return f"{amount.quantize(CENT):f}"


def csv_text(amount: Decimal) -> str:
    """The CSV form: what Swedish Excel reads as a number ("3270000,00")."""
    return as_text(amount).replace(".", ",")


_DESCRIPTION = "An amount in SEK: a string with at most two decimals, or an integer."
_SCHEMA = {
    "anyOf": [{"type": "string", "pattern": r"^-?\d{1,12}(\.\d{1,2})?$"}, {"type": "integer"}],
    "examples": ["3270000.00"],
    "description": _DESCRIPTION,
}
_UNSIGNED_SCHEMA = {
    "anyOf": [{"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$"}, {"type": "integer", "minimum": 0}],
    "examples": ["3270000.00"],
    "description": _DESCRIPTION,
}
_OUT_SCHEMA = {"type": "string", "pattern": r"^-?\d{1,12}\.\d{2}$", "examples": ["3270000.00"]}

# A request field: a string or an integer, never negative. SignedAmount: a change that may go either way.
Amount = Annotated[
    Decimal,
    BeforeValidator(_amount),
    PlainSerializer(as_text, return_type=str, when_used="json"),
    WithJsonSchema(_UNSIGNED_SCHEMA),
]
SignedAmount = Annotated[
    Decimal,
    BeforeValidator(_signed),
    PlainSerializer(as_text, return_type=str, when_used="json"),
    WithJsonSchema(_SCHEMA),
]
# An answer's field: always a string with two decimals.
AmountOut = Annotated[Decimal, PlainSerializer(as_text, return_type=str, when_used="json"), WithJsonSchema(_OUT_SCHEMA)]
