"""GS1 Digital Link URIs for batches, GTIN check digits, and parsing the paths back.

With a GTIN: ``{base}/01/{gtin14}/10/{lot}`` (and ``/21/{serial}``); without one, DESIGN's
short form ``{base}/l/{lot}``. AI values are percent-encoded as GS1 Digital Link asks: every
character outside RFC 3986's unreserved set (``A-Z a-z 0-9 - . _ ~``) becomes ``%XX``.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

# GS1 AI encodable character set 82 (the set AI (10) lot and AI (21) serial values use).
_AI82 = re.compile(r"""[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}""")
_GTIN = re.compile(r"[0-9]{8}|[0-9]{12,14}")
SHORT_FORM_SEGMENT = "l"


class InvalidGtin(ValueError):
    """A GTIN with a wrong length, a non-digit, or a wrong check digit."""


class InvalidLink(ValueError):
    """A path that is not one of our Digital Link or short-form URIs."""


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


def _ai_value(value: str, name: str) -> str:
    if not _AI82.fullmatch(value):
        raise InvalidLink(f"{name} must be 1-20 characters of the GS1 AI set, got {value!r}")
    return quote(value, safe="")


def build_digital_link(
    base_url: str, lot_code: str, gtin: str | None = None, serial: str | None = None
) -> str:
    """The URI printed in a batch's QR code (before QR-specific case folding)."""
    base = base_url.rstrip("/")
    lot = _ai_value(lot_code, "lot code")
    if gtin is None:
        if serial is not None:
            raise InvalidLink("a serial number (AI 21) needs a GTIN (AI 01)")
        return f"{base}/{SHORT_FORM_SEGMENT}/{lot}"
    uri = f"{base}/01/{normalize_gtin(gtin)}/10/{lot}"
    if serial is not None:
        uri += f"/21/{_ai_value(serial, 'serial')}"
    return uri


@dataclass(frozen=True)
class DigitalLink:
    """What a scanned URI names: a lot, with the GTIN and serial when the URI carries them."""

    lot_code: str | None
    gtin: str | None = None
    serial: str | None = None


def parse_digital_link(uri_or_path: str) -> DigitalLink:
    """Read ``…/01/{gtin}/10/{lot}[/21/{serial}]``, ``…/01/{gtin}`` or ``…/l/{lot}`` back.

    A path prefix before the primary key (``/trace/01/…``), a query (``?linkType=``) and a
    GTIN-8/12/13 are accepted, as a Digital Link resolver must; ``/L/`` counts as ``/l/``.
    """
    path = urlsplit(uri_or_path).path if "://" in uri_or_path else uri_or_path.split("?")[0]
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) >= 2 and segments[-2] in {SHORT_FORM_SEGMENT, SHORT_FORM_SEGMENT.upper()}:
        return DigitalLink(lot_code=_parsed_value(segments[-1], "lot code"))
    for start in range(len(segments) - 1):
        if segments[start] == "01":
            return _parse_keyed(segments[start + 1 :])
    raise InvalidLink(f"not a Digital Link or /l/ path: {uri_or_path!r}")


def _parsed_value(segment: str, name: str) -> str:
    value = unquote(segment)
    if not _AI82.fullmatch(value):
        raise InvalidLink(f"{name} {value!r} is not 1-20 characters of the GS1 AI set")
    return value


def _parse_keyed(rest: list[str]) -> DigitalLink:
    try:
        gtin = normalize_gtin(rest[0])
    except InvalidGtin as error:
        raise InvalidLink(str(error)) from error
    qualifiers = rest[1:]
    if len(qualifiers) % 2:
        raise InvalidLink("Digital Link qualifiers come in pairs: /10/{lot}, /21/{serial}")
    pairs = dict(zip(qualifiers[::2], qualifiers[1::2], strict=True))
    unknown = set(pairs) - {"10", "21"}
    if unknown:
        raise InvalidLink(f"unsupported qualifier AI(s): {', '.join(sorted(unknown))}")
    lot = _parsed_value(pairs["10"], "lot code") if "10" in pairs else None
    serial = _parsed_value(pairs["21"], "serial") if "21" in pairs else None
    return DigitalLink(lot_code=lot, gtin=gtin, serial=serial)
