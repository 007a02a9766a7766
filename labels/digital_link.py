"""GS1 Digital Link URIs for batches, and parsing the paths back, as GS1's URI syntax says.

With a GTIN: ``{base}/01/{gtin14}/10/{lot}`` (and ``/21/{serial}``); without one, DESIGN's
short form ``{base}/l/{lot}``. AI values are percent-encoded as GS1 Digital Link asks: every
character outside RFC 3986's unreserved set (``A-Z a-z 0-9 - . _ ~``) becomes ``%XX``.

AI (01)'s key qualifiers are (22) variant, (10) lot and (21) serial, each at most once and in
that order, or else (235), a third-party controlled serial (TPX), alone (GS1 Digital Link URI
syntax 1.4+, and its grammar). AI values are case-sensitive,
so a lot is never upper-cased here. Two non-canonical spellings are *recognised* rather than
refused, so the resolver can redirect them to the canonical URI: a GTIN-8/12/13 (the syntax
wants the GTIN as 14 digits since 1.4) and qualifiers out of order. A repeated qualifier, an
unknown one or an odd path is refused.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from schemas.gs1 import InvalidGtin, normalize_gtin

# GS1 AI encodable character set 82 (the set AI (10) lot, (21) serial and (22) values use).
_AI82 = re.compile(r"""[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}""")
# AI (235) takes the same characters, up to 28.
_AI82_28 = re.compile(r"""[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,28}""")
TPX = "235"
SHORT_FORM_SEGMENT = "l"
# AI (01)'s key qualifiers in the order the URI syntax requires, with what each one names.
QUALIFIERS = {"22": "variant", "10": "lot code", "21": "serial"}
_DIGITS = re.compile(r"[0-9]+")


class InvalidLink(ValueError):
    """A path that is not one of our Digital Link or short-form URIs."""


def _ai_value(value: str, name: str) -> str:
    if not _AI82.fullmatch(value):
        raise InvalidLink(f"{name} must be 1-20 characters of the GS1 AI set, got {value!r}")
    return quote(value, safe="")


def build_digital_link(
    base_url: str, lot_code: str, gtin: str | None = None, serial: str | None = None
) -> str:
    """The URI printed in a batch's QR code."""
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
    """What a scanned URI names: a lot, with the GTIN, serial and variant it carries.

    ``canonical`` is false for a zero-suppressed GTIN or reordered qualifiers: the same
    identifiers, spelled in a form the syntax does not allow.
    """

    lot_code: str | None
    gtin: str | None = None
    serial: str | None = None
    variant: str | None = None
    tpx: str | None = None
    canonical: bool = True

    def path(self) -> str:
        """The canonical path: ``/01/{gtin14}[/22/…][/10/…][/21/…]``, or ``/l/{lot}``."""
        if self.gtin is None:
            return f"/{SHORT_FORM_SEGMENT}/{quote(self.lot_code or '', safe='')}"
        path = f"/01/{self.gtin}"
        if self.tpx is not None:
            return f"{path}/{TPX}/{quote(self.tpx, safe='')}"
        for ai, value in (("22", self.variant), ("10", self.lot_code), ("21", self.serial)):
            if value is not None:
                path += f"/{ai}/{quote(value, safe='')}"
        return path


def parse_digital_link(uri_or_path: str) -> DigitalLink:
    """Read ``…/01/{gtin}[/22/…][/10/…][/21/…]`` or ``…/l/{lot}`` back.

    A path prefix before the primary key (``/trace/01/…``), a query and a trailing slash are
    allowed, as the syntax allows them; ``/L/`` counts as ``/l/``.
    """
    path = urlsplit(uri_or_path).path if "://" in uri_or_path else uri_or_path.split("?")[0]
    segments = [segment for segment in path.split("/") if segment]
    if len(segments) >= 2 and segments[-2] in {SHORT_FORM_SEGMENT, SHORT_FORM_SEGMENT.upper()}:
        return DigitalLink(lot_code=_parsed_value(segments[-1], "lot code"))
    for start in range(len(segments) - 1):
        if segments[start] == "01":
            return _parse_keyed(segments[start + 1 :])
    raise InvalidLink(f"not a Digital Link or /l/ path: {uri_or_path!r}")


def _parsed_value(segment: str, name: str, pattern: re.Pattern[str] = _AI82) -> str:
    value = unquote(segment)
    if not pattern.fullmatch(value):
        raise InvalidLink(f"{name} {value!r} is not characters of the GS1 AI set")
    return value


def _parse_keyed(rest: list[str]) -> DigitalLink:
    if not _DIGITS.fullmatch(rest[0]):
        raise InvalidLink(f"a GTIN is 14 digits, got {rest[0]!r}")
    try:
        gtin = normalize_gtin(rest[0])
    except InvalidGtin as error:
        raise InvalidLink(str(error)) from error
    qualifiers = rest[1:]
    if len(qualifiers) % 2:
        raise InvalidLink("Digital Link qualifiers come in pairs: /10/{lot}, /21/{serial}")
    if TPX in qualifiers[::2]:
        if len(qualifiers) != 2:
            raise InvalidLink(f"AI ({TPX}) qualifies a GTIN alone")
        tpx = _parsed_value(qualifiers[1], "third-party serial", _AI82_28)
        return DigitalLink(None, gtin, tpx=tpx, canonical=len(rest[0]) == 14)
    values: dict[str, str] = {}
    order: list[int] = []
    for ai, segment in zip(qualifiers[::2], qualifiers[1::2], strict=True):
        if ai not in QUALIFIERS:
            raise InvalidLink(f"AI ({ai}) is not a key qualifier of a GTIN (22, 10, 21)")
        if ai in values:
            raise InvalidLink(f"AI ({ai}) appears twice")
        values[ai] = _parsed_value(segment, QUALIFIERS[ai])
        order.append(list(QUALIFIERS).index(ai))
    return DigitalLink(
        lot_code=values.get("10"),
        gtin=gtin,
        serial=values.get("21"),
        variant=values.get("22"),
        canonical=len(rest[0]) == 14 and order == sorted(order),
    )
