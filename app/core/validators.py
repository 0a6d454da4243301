"""Checks for Swedish identifiers, shared by every domain that stores them."""

import re

# ASCII only: `\d` alone also matches other scripts' digits, which int() accepts but nothing else would.
_ORG_NUMBER = re.compile(r"^(\d{6})-?(\d{4})$", re.ASCII)


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def normalise_org_number(value: str) -> str:
    """`NNNNNN-NNNN` for a valid organisationsnummer; ValueError (hence a 422 naming the field) otherwise."""
    match = _ORG_NUMBER.match(value.strip())
    if not match:
        raise ValueError("must be 10 digits, as NNNNNN-NNNN")
    digits = match.group(1) + match.group(2)
    if not luhn_ok(digits):
        raise ValueError("check digit is wrong (Luhn)")
    if int(digits[2:4]) < 20:
        raise ValueError("third and fourth digits must be 20 or more for an organisation")
    return f"{digits[:6]}-{digits[6:]}"
