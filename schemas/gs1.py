"""GS1 identifiers: GTIN check digits (mod 10, weights 3 and 1 from the right)."""

GTIN_LENGTHS = (8, 12, 13, 14)


def gtin_check_digit(body: str) -> int:
    """The check digit for a GTIN without its last digit."""
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1)
        for position, digit in enumerate(reversed(body))
    )
    return (10 - total % 10) % 10


def normalize_gtin(text: str) -> str:
    """A GTIN-8/12/13/14 as the 14 digits used in Digital Link URIs; ValueError if invalid."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) not in GTIN_LENGTHS:
        raise ValueError("a GTIN has 8, 12, 13 or 14 digits")
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        raise ValueError(f"GTIN {digits} has a wrong check digit")
    return digits.zfill(14)
