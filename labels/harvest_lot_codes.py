"""Harvest-lot codes derived from a delivery's id, so the phone prints the receipt offline.

The village console computes the same code in JavaScript (``api/static/village/codes.js``)
from the id it made: 13 base-36 digits of the id's first 64 bits after a letter, then the
MOD 37-2 check character batch lot codes carry. Where ``H`` would need the check ``*``,
``J`` is used: the two letters differ by 2, so at most one of them does.
"""

from uuid import UUID

from labels.lot_codes import ALPHABET, check_value

DIGITS = 13
PREFIXES = ("H", "J")


def harvest_lot_code(delivery_id: UUID) -> str:
    number = delivery_id.int >> 64
    digits = ""
    for _ in range(DIGITS):
        number, digit = divmod(number, 36)
        digits = ALPHABET[digit] + digits
    for prefix in PREFIXES:
        value = check_value(prefix + digits)
        if value < len(ALPHABET):
            return prefix + digits + ALPHABET[value]
    raise AssertionError("unreachable: H and J cannot both need the check '*'")
