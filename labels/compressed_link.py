"""Compressed GS1 Digital Link URIs read back into the uncompressed form they stand for.

GS1's Digital Link standard lets a URI carry its AIs as one path segment of URI-safe base 64
(``https://host/ARHKVAdpQg``): a bit string of AI keys (4 bits a digit), each value packed by
its format (numbers as binary integers, text in the smallest of five alphabets), with two-hex
codes for common AI sequences and ``F`` for non-GS1 query pairs. A partially compressed URI
keeps the primary key uncompressed (``/01/{gtin}/{segment}``). This is a port of the
decompression of GS1's reference toolkit, with its tables (``labels.dl_compression_tables``);
one difference, as the standard reads: an all-digit text keeps its leading zeros.
"""

import math
import re
from urllib.parse import quote

from labels.digital_link import TPX, DigitalLink, InvalidLink, parse_digital_link
from labels.dl_compression_tables import KEY_LENGTH, OPTIMISATIONS, VALUE_FORMAT

SAFE_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
COMPRESSED_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")
_HEX = "0123456789ABCDEF"
# The other primary identification keys: a compressed link on one of them is not ours.
_OTHER_PRIMARY_KEYS = {"00", "253", "255", "401", "402", "414", "417", "8003", "8004",
                       "8006", "8010", "8013", "8017", "8018"}  # fmt: skip
_PATH_QUALIFIERS = ("22", "10", "21", TPX)


def _length_bits(max_length: int) -> int:
    return math.ceil(math.log(max_length) / math.log(2) + 0.01)


def _value_bits(digits: int) -> int:
    return math.ceil(digits * math.log(10) / math.log(2) + 0.01)


class _Bits:
    """A cursor over the decoded bit string that refuses to read past its end."""

    def __init__(self, segment: str) -> None:
        self.bits = "".join(f"{SAFE_BASE64.index(char):06b}" for char in segment)
        self.cursor = 0

    def remaining(self) -> int:
        return len(self.bits) - self.cursor

    def take(self, count: int) -> str:
        if count > self.remaining():
            raise InvalidLink("the compressed link ends inside a value")
        taken = self.bits[self.cursor : self.cursor + count]
        self.cursor += count
        return taken

    def number(self, count: int) -> int:
        return int(self.take(count), 2) if count else 0

    def digits(self, count: int) -> str:
        value = str(self.number(_value_bits(count))) if count else ""
        if len(value) > count:
            raise InvalidLink(f"a {count}-digit value decodes to {value}")
        return value.zfill(count)

    def text(self, encoding: int, count: int) -> str:
        if encoding == 0:
            return self.digits(count)
        if encoding in (1, 2):
            chars = "".join(_HEX[self.number(4)] for _ in range(count))
            return chars.lower() if encoding == 1 else chars
        if encoding == 3:
            return "".join(SAFE_BASE64[self.number(6)] for _ in range(count))
        if encoding == 4:
            return "".join(chr(self.number(7)) for _ in range(count))
        raise InvalidLink(f"encoding {encoding} of a compressed value is not defined")


def _value(bits: _Bits, ai: str) -> str:
    if ai not in VALUE_FORMAT:
        raise InvalidLink(f"AI ({ai}) has no format for compression")
    value = ""
    for kind, fixed, maximum in VALUE_FORMAT[ai]:
        if kind == "N":
            value += bits.digits(fixed if fixed else bits.number(_length_bits(maximum or 1)))
        else:
            encoding = bits.number(3)
            count = fixed if fixed else bits.number(_length_bits(maximum or 1))
            value += bits.text(encoding, count)
    return value


def _ai_key(bits: _Bits, first_two: str) -> str:
    if first_two not in KEY_LENGTH:
        raise InvalidLink(f"no GS1 AI begins with {first_two}")
    key = first_two
    for _ in range(KEY_LENGTH[first_two] - 2):
        digit = bits.number(4)
        if digit > 9:
            raise InvalidLink(f"an AI key is all digits, got {key}{_HEX[digit]}")
        key += str(digit)
    return key


def decompress(segment: str) -> tuple[dict[str, str], dict[str, str]]:
    """The AI values and the non-GS1 key=value pairs a compressed segment carries."""
    if not COMPRESSED_SEGMENT.fullmatch(segment):
        raise InvalidLink("a compressed Digital Link is URI-safe base 64")
    bits = _Bits(segment)
    ais: dict[str, str] = {}
    others: dict[str, str] = {}

    def put(ai: str, value: str) -> None:
        if ai in ais:
            raise InvalidLink(f"AI ({ai}) appears twice")
        ais[ai] = value

    # Base 64 pads with at most 5 zero bits: more than 8 left is another entry.
    while bits.remaining() > 8:
        high, low = bits.number(4), bits.number(4)
        code = _HEX[high] + _HEX[low]
        if high <= 9 and low <= 9:
            ai = _ai_key(bits, code)
            put(ai, _value(bits, ai))
        elif code in OPTIMISATIONS:
            for ai in OPTIMISATIONS[code]:
                put(ai, _value(bits, ai))
        elif high == 15:
            key_length = low * 8 + bits.number(3)
            key = "".join(SAFE_BASE64[bits.number(6)] for _ in range(key_length))
            encoding = bits.number(3)
            others[key] = bits.text(encoding, bits.number(7))
        else:
            raise InvalidLink(f"no AI sequence is coded {code}")
    return ais, others


def decompress_digital_link(
    segment: str, gtin: str | None = None
) -> tuple[DigitalLink, list[tuple[str, str]]]:
    """The link a compressed segment stands for and the query pairs beside it; ``gtin`` is
    the uncompressed primary key of a partially compressed URI."""
    ais, others = decompress(segment)
    if gtin is not None:
        if "01" in ais:
            raise InvalidLink("AI (01) is both in the path and compressed")
        ais["01"] = gtin
    if "01" not in ais or _OTHER_PRIMARY_KEYS & ais.keys():
        raise InvalidLink("only compressed links on a GTIN (AI 01) are answered here")
    path = f"/01/{ais['01']}" + "".join(
        f"/{ai}/{quote(ais[ai], safe='')}" for ai in _PATH_QUALIFIERS if ai in ais
    )
    query = [(ai, value) for ai, value in ais.items() if ai not in ("01", *_PATH_QUALIFIERS)]
    return parse_digital_link(path), query + list(others.items())
