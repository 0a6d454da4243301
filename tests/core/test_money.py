"""Money: exact from request to database to answer, on both databases; refused when it is not an amount."""

from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import Column, MetaData, Table, func, insert, select
from sqlmodel import Session

from app.core.http import csv_response
from app.core.models import ApiModel
from app.core.money import Amount, AmountOut, MoneyColumn, SignedAmount, as_text, csv_text


class Body(ApiModel):
    budget: Amount
    change: SignedAmount | None = None


class Out(ApiModel):
    budget: AmountOut


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("3270000.00", "3270000.00"), ("1.5", "1.50"), (12, "12.00"), (" 7 ", "7.00"), ("0", "0.00")],
)
def test_accepts_a_string_or_an_integer_with_at_most_two_decimals(sent: Any, kept: str) -> None:
    body = Body.model_validate({"budget": sent})
    assert body.budget == Decimal(kept)
    assert body.model_dump(mode="json") == {"budget": kept, "change": None}


@pytest.mark.parametrize(
    "sent",
    [
        "1.234",
        "1.500",
        -1,
        "-0.01",
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "1e400",
        "1e2",
        1e400,
        1.5,
        True,
        "",
        "12 kr",
        "1,50",
        None,
        [],
        "1000000000000.00",
    ],
)
def test_refuses_what_is_not_an_exact_amount(sent: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        Body.model_validate({"budget": sent})
    assert caught.value.errors()[0]["loc"] == ("budget",)


def test_a_signed_amount_may_be_negative() -> None:
    assert Body.model_validate({"budget": 1, "change": "-250.50"}).change == Decimal("-250.50")


def test_forms_of_an_amount() -> None:
    assert as_text(Decimal("3270000")) == "3270000.00"
    assert csv_text(Decimal("4230934.5")) == "4230934,50"
    assert Out(budget=Decimal("608500")).model_dump_json() == '{"budget":"608500.00"}'


def test_csv_shows_a_decimal_comma() -> None:
    body = csv_response([{"pot": "Suicidprevention", "budget": Decimal("-1927000.10")}], "pots").body
    assert bytes(body).decode("utf-8-sig").splitlines()[1] == "Suicidprevention;-1927000,10"


def test_the_column_is_exact_on_the_database(session: Session) -> None:
    table = Table("money_probe", MetaData(), Column("amount", MoneyColumn()))
    connection = session.connection()
    table.create(connection)
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("999999999999.99"), Decimal("-0.30")]
    connection.execute(insert(table), [{"amount": a} for a in amounts])
    read = connection.execute(select(table.c.amount)).scalars().all()
    assert read == amounts and all(isinstance(a, Decimal) for a in read)
    total = connection.execute(select(func.sum(table.c.amount))).scalar_one()
    assert total == sum(amounts) and isinstance(total, Decimal)
