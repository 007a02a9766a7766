"""GS1 identifiers: GTIN check digits (mod 10, weights 3 and 1 from the right)."""

import re

_GTIN = re.compile(r"[0-9]{8}|[0-9]{12,14}")


class InvalidGtin(ValueError):
    """A GTIN with a wrong length, a non-digit, or a wrong check digit."""


def gtin_check_digit(body: str) -> str:
    """The GS1 mod-10 check digit for the digits before it (weights 3,1,3,… from the right)."""
    if not body.isdigit():
        raise InvalidGtin(f"GTIN digits expected, got {body!r}")
    total = sum(
        int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body))
    )
    return str(-total % 10)


def normalize_gtin(gtin: str) -> str:
    """A GTIN-8, -12, -13 or -14 as GTIN-14 (zero-padded), its check digit verified."""
    gtin = gtin.strip()
    if not _GTIN.fullmatch(gtin):
        raise InvalidGtin(f"a GTIN has 8, 12, 13 or 14 digits, got {gtin!r}")
    if gtin_check_digit(gtin[:-1]) != gtin[-1]:
        raise InvalidGtin(f"GTIN {gtin} has a wrong check digit")
    return gtin.zfill(14)


def is_valid_gtin(gtin: str) -> bool:
    try:
        normalize_gtin(gtin)
    except InvalidGtin:
        return False
    return True
