"""The QR symbol for a URI: error correction M or better, as few modules as the URI allows.

The text is the URI as GS1 Digital Link writes it: scheme and host in lower case. RFC 3986
lets either case through (§3.1, §3.2.2) but has producers write lower case (§6.2.2.1), the
regular expressions of GS1's URI syntax standard match ``https?:`` case-sensitively, and a
common parser (digital-link.js) refuses ``HTTPS://``; zbar and ZXing decode both alike. The
cost, measured with segno: the demo's lot URIs stay at version 4; a 33-character host with a
serial goes from version 4 to 5 and the short form from 3 to 4. The text is cut into
numeric, alphanumeric and byte segments by a shortest-bit-stream search, so the GTIN is
numeric and the upper-case lot alphanumeric, and only the host costs a byte segment.
"""

from urllib.parse import urlsplit, urlunsplit

import segno
from segno import consts

# M restores 15 % of damaged modules: enough for a pack handled in the cold chain. segno
# raises it further (boost_error) whenever that keeps the same symbol size.
ERROR_LEVEL = "M"
# A QR code needs 4 light modules around it (ISO/IEC 18004 §6.3.8).
QUIET_ZONE_MODULES = 4

_NUMERIC = "0123456789"
_ALPHANUMERIC = _NUMERIC + "ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_MODES = (consts.MODE_NUMERIC, consts.MODE_ALPHANUMERIC, consts.MODE_BYTE)
# Bits per character, times 6 so that numeric (10 bits per 3) and alphanumeric (11 per 2)
# stay whole numbers.
_CHAR_COST = {consts.MODE_NUMERIC: 20, consts.MODE_ALPHANUMERIC: 33, consts.MODE_BYTE: 48}
# Mode indicator (4 bits) plus the character count field for versions 1-9, times 6.
_HEADER_COST = {
    consts.MODE_NUMERIC: (4 + 10) * 6,
    consts.MODE_ALPHANUMERIC: (4 + 9) * 6,
    consts.MODE_BYTE: (4 + 8) * 6,
}


def qr_text(uri: str) -> str:
    """The URI as the QR code carries it: scheme and host lower-cased, the rest untouched."""
    parts = urlsplit(uri)
    if not parts.scheme or not parts.netloc:
        return uri
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))


def _fits(char: str, mode: int) -> bool:
    if mode == consts.MODE_NUMERIC:
        return char in _NUMERIC
    if mode == consts.MODE_ALPHANUMERIC:
        return char in _ALPHANUMERIC
    return True


def _char_cost(char: str, mode: int) -> int:
    return _CHAR_COST[mode] * len(char.encode()) if mode == consts.MODE_BYTE else _CHAR_COST[mode]


def qr_segments(text: str) -> list[tuple[str, int]]:
    """Split ``text`` into (run, segno mode) segments with the shortest total bit stream."""
    if not text:
        return [(text, consts.MODE_BYTE)]
    infinite = 10**9
    # cost[mode] = cheapest encoding of the text so far whose last segment is in ``mode``.
    cost = {mode: infinite for mode in _MODES}
    came_from: list[dict[int, int]] = []
    for index, char in enumerate(text):
        best_mode = min(cost, key=cost.__getitem__)
        step_cost: dict[int, int] = {}
        step_from: dict[int, int] = {}
        for mode in _MODES:
            if not _fits(char, mode):
                step_cost[mode] = infinite
                continue
            stay = cost[mode] if index else infinite
            switch = (cost[best_mode] if index else 0) + _HEADER_COST[mode]
            previous = mode if stay <= switch else (best_mode if index else -1)
            step_cost[mode] = min(stay, switch) + _char_cost(char, mode)
            step_from[mode] = previous
        cost = step_cost
        came_from.append(step_from)
    return _trace_back(text, came_from, min(cost, key=cost.__getitem__))


def _trace_back(text: str, came_from: list[dict[int, int]], mode: int) -> list[tuple[str, int]]:
    modes: list[int] = []
    for index in range(len(text) - 1, -1, -1):
        modes.append(mode)
        mode = came_from[index][mode]
    modes.reverse()
    segments: list[tuple[str, int]] = []
    for char, char_mode in zip(text, modes, strict=True):
        if segments and segments[-1][1] == char_mode:
            segments[-1] = (segments[-1][0] + char, char_mode)
        else:
            segments.append((char, char_mode))
    return segments


def make_qr(uri: str) -> segno.QRCode:
    """The smallest QR code (not Micro QR) for ``uri`` at error correction M or better."""
    # segno's encoder takes a list of (text, mode) segments as well as a plain string.
    segments = qr_segments(qr_text(uri))
    return segno.make(segments, error=ERROR_LEVEL, micro=False)  # type: ignore[arg-type]


def modules_across(qr: segno.QRCode, border: int = QUIET_ZONE_MODULES) -> int:
    """Modules along one side of the symbol, quiet zone included."""
    return len(qr.matrix) + 2 * border


def dark_runs(qr: segno.QRCode) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, first column, length), quiet zone excluded.

    Every renderer draws the symbol from these, so all formats carry the identical matrix.
    """
    runs = []
    for row_index, row in enumerate(qr.matrix):
        start = None
        for column, module in enumerate([*row, 0]):
            if module and start is None:
                start = column
            elif not module and start is not None:
                runs.append((row_index, start, column - start))
                start = None
    return runs
