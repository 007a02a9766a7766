"""GS1 identifiers: GTIN check digits (mod 10, weights 3 and 1 from the right)."""

import re
from collections.abc import Iterator

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


_COMPANY_PREFIX = re.compile(r"[0-9]{4,12}")


def check_company_prefix(prefix: str) -> str:
    """A GS1 Company Prefix: 4 to 12 digits (GS1 General Specifications 1.4.4)."""
    if not _COMPANY_PREFIX.fullmatch(prefix):
        raise InvalidGtin(f"a GS1 Company Prefix has 4 to 12 digits, got {prefix!r}")
    return prefix


def company_gtins(prefix: str) -> Iterator[str]:
    """Every GTIN-13 the prefix can number (as GTIN-14), highest item reference first.

    Numbering from the top of the range keeps clear of the GTINs a centre numbers by hand,
    which GS1 China's registration hands out from the bottom.
    """
    digits = 12 - len(check_company_prefix(prefix))
    for reference in reversed(range(10**digits)):
        body = prefix + (str(reference).zfill(digits) if digits else "")
        yield f"0{body}{gtin_check_digit(body)}"
