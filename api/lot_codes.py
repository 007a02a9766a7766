"""New lot codes for received, split and merged batches.

TODO(labels): switch ``new_lot_code`` to ``labels.lot_codes.generate_lot_code`` once the
labels package is merged; this stand-in draws codes of the same shape (``0-9A-Z``, a product
prefix, the date, a random part and an ISO/IEC 7064 MOD 37-2 check character) so codes issued
before and after the switch look alike.
"""

import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# 9 of 36 characters: about 46 bits, so live lot codes cannot be guessed by counting.
RANDOM_LENGTH = 9
PREFIX_LENGTH = 4
# Lot dates are the processing centre's calendar day.
LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def _check_value(body: str) -> int:
    total = 0
    for char in body:
        total = ((total + ALPHABET.index(char)) * 2) % 37
    return (1 - total) % 37


def new_lot_code(product: str, received_at: datetime) -> str:
    """E.g. ``TIAN261128`` + 9 random + 1 check: 20 characters at most."""
    prefix = "".join(char for char in product.upper() if char in ALPHABET)[:PREFIX_LENGTH]
    head = prefix + received_at.astimezone(LOCAL_TIME).strftime("%y%m%d")
    while True:
        body = head + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
        check = _check_value(body)
        # The 37th check symbol is '*'; draw again so codes stay QR-alphanumeric and URL-safe.
        if check < len(ALPHABET):
            return body + ALPHABET[check]
