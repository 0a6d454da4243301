"""Organisationsnummer: ten digits with a Luhn check digit, the third and fourth at least 20."""

import pytest

from app.core.validators import luhn_ok, normalise_org_number


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("212000-2742", "212000-2742"),  # Umeå kommun
        ("2120002742", "212000-2742"),
        (" 212000-2742 ", "212000-2742"),
        ("232100-0222", "232100-0222"),  # Region Västerbotten
        ("556036-0793", "556036-0793"),
    ],
)
def test_valid_numbers_are_normalised(given: str, expected: str) -> None:
    assert normalise_org_number(given) == expected


@pytest.mark.parametrize("last", "013456789")
def test_a_changed_check_digit_is_refused(last: str) -> None:
    with pytest.raises(ValueError, match="Luhn"):
        normalise_org_number("212000-274" + last)


def test_swapped_digits_are_refused() -> None:
    with pytest.raises(ValueError, match="Luhn"):
        normalise_org_number("212000-2724")


@pytest.mark.parametrize(
    "given",
    [
        "212000-274",
        "21200027420",
        "212000-27421",
        "21200-02742",
        "",
        "212000 2742",
        "2120-002742",
        "212000--2742",
        "16212000-2742",
        "abcdef-ghij",
        "212000–2742",
    ],
)
def test_wrong_shapes_are_refused(given: str) -> None:
    with pytest.raises(ValueError, match="10 digits"):
        normalise_org_number(given)


@pytest.mark.parametrize("given", ["２１２０００-２７４２", "٢١٢٠٠٠-٢٧٤٢", "२१२०००२७४२"])
def test_only_ascii_digits_count(given: str) -> None:
    # Other scripts' digits match `\d`; stored, they would not compare equal to the same number typed in ASCII.
    with pytest.raises(ValueError):
        normalise_org_number(given)


@pytest.mark.parametrize("given", ["811218-9876", "551019-0001", "640823-3234", "211000-1001"])
def test_third_and_fourth_digits_under_20_are_refused(given: str) -> None:
    # Personnummer (a month in the third and fourth digits) pass Luhn but are not organisation numbers.
    assert luhn_ok(given.replace("-", ""))
    with pytest.raises(ValueError, match="20 or more"):
        normalise_org_number(given)


def test_luhn() -> None:
    assert luhn_ok("2120002742")
    assert not luhn_ok("2120002743")
    assert luhn_ok("0000000000")
    assert luhn_ok("18")
    assert not luhn_ok("19")
