"""Lot codes: short, readable, not enumerable, and carrying a check character.

Shape: ``PREFIX`` (product short code, optional) + ``YYMMDD`` (optional) + a random part from
``secrets`` + one check character; at most 20 characters of ``0-9A-Z`` only, a subset of the
GS1 AI (10) character set that QR codes encode in alphanumeric mode.

The check character is ISO/IEC 7064 MOD 37-2 (pure system). It catches every single-character
substitution and every adjacent transposition, with one character. The hybrid MOD 37,36 misses
some adjacent transpositions, and the GS1 check-character pair of AI (8013) costs two characters
from a narrower alphabet. MOD 37-2 has a 37th check symbol ``*``; a draw whose check would be
``*`` is drawn again, so codes stay uppercase alphanumeric.
"""

import re
import secrets
from datetime import date, datetime

from schemas.district_time import DISTRICT_TIME

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_LENGTH = 20
# 9 characters of 36 give 46.5 bits: guessing a live lot among millions stays hopeless.
RANDOM_LENGTH = 9
MAX_PREFIX_LENGTH = 4
_MODULUS = 37
_LOT_CODE = re.compile(r"[0-9A-Z]{2,20}")


def _weighted_sum(text: str) -> int:
    """ISO 7064 pure-system recursion, radix 2: sum of value * 2^position, mod 37."""
    total = 0
    for char in text:
        total = ((total + ALPHABET.index(char)) * 2) % _MODULUS
    return total


def check_value(body: str) -> int:
    """The MOD 37-2 check value (0..36) for ``body``; 36 would be printed as ``*``."""
    return (1 - _weighted_sum(body)) % _MODULUS


def is_valid_lot_code(code: str) -> bool:
    """Whether ``code`` is one of ours: 2..20 of ``0-9A-Z`` with a correct check character."""
    if not _LOT_CODE.fullmatch(code):
        return False
    return check_value(code[:-1]) == ALPHABET.index(code[-1])


def _clean_prefix(prefix: str, room: int) -> str:
    letters = "".join(char for char in prefix.upper() if char in ALPHABET)
    return letters[: min(MAX_PREFIX_LENGTH, room)]


def generate_lot_code(prefix: str = "", on: date | None = None) -> str:
    """A new random lot code, e.g. ``TM261128`` + 9 random + check: ``TM2611284KQ8ZP1XD``."""
    date_part = on.strftime("%y%m%d") if on else ""
    room = MAX_LENGTH - len(date_part) - RANDOM_LENGTH - 1
    head = _clean_prefix(prefix, room) + date_part
    while True:
        body = head + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        value = check_value(body)
        if value < len(ALPHABET):
            return body + ALPHABET[value]


def lot_code_for(product: str, received_at: datetime) -> str:
    """A lot code for a batch of ``product``, dated by the processing centre's calendar day."""
    return generate_lot_code(prefix=product, on=received_at.astimezone(DISTRICT_TIME).date())
