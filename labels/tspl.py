"""A single label in TSPL/TSPL2 for TSC thermal printers, sized in millimetres and dots.

Printer-side assumption: a TrueType font with Chinese glyphs has been downloaded to the
printer as ``SIMSUN.TTF`` (TSC's Diagtool, or ``DOWNLOAD F,"SIMSUN.TTF",…``); with a TrueType
font, TEXT's two multipliers are the character height in points. ``CODEPAGE UTF-8`` makes the
printer read the strings as UTF-8.
"""

import unicodedata

from labels.dots import fitted_height, place_qr
from labels.layout import LabelLayout, mm_to_dots
from labels.qr import ERROR_LEVEL, qr_text

TSPL_FONT = "SIMSUN.TTF"
# The gap between labels on the liner; most die-cut rolls use 2 mm.
GAP_MM = 2
# Share of the em above the baseline for CJK sans fonts: TEXT is placed by its top edge.
ASCENT = 0.86
POINTS_PER_INCH = 72


def _string(text: str) -> str:
    """A TSPL string literal. A line end ends the command (the rest would be a command of its
    own, ``PRINT 1,999``), so control characters become spaces; TSPL has no backslash
    escapes except \\["] for a double quote inside a string."""
    printable = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return '"' + printable.replace('"', '\\["]') + '"'


QR_MODEL = "M2"
QR_MASK = "S7"


def render_tspl(layout: LabelLayout, dpi: int, font: str = TSPL_FONT, copies: int = 1) -> bytes:
    """One label job (SIZE … PRINT), UTF-8 encoded, CRLF line ends as TSC's manual shows."""
    size = layout.size
    lines = [
        f"SIZE {size.width_mm:g} mm, {size.height_mm:g} mm",
        f"GAP {GAP_MM} mm, 0 mm",
        "DIRECTION 1",
        "REFERENCE 0,0",
        "CODEPAGE UTF-8",
        "CLS",
    ]
    for box in layout.texts:
        height = fitted_height(box, dpi)
        points = max(round(height * POINTS_PER_INCH / dpi), 1)
        x = mm_to_dots(box.x, dpi)
        top = mm_to_dots(box.baseline, dpi) - round(ASCENT * height)
        lines.append(f"TEXT {x},{top},{_string(font)},0,{points},{points},{_string(box.text)}")
    qr = place_qr(layout, dpi)
    # Model 2 named: TSC's manual gives Model 1 as QRCODE's default, which phones do not read.
    # S7 is the manual's default mask; ERROR_LEVEL is the error-correction level.
    lines.append(
        f"QRCODE {qr.left},{qr.top},{ERROR_LEVEL},{qr.module},A,0,{QR_MODEL},{QR_MASK},"
        f"{_string(qr_text(layout.uri))}"
    )
    lines.append(f"PRINT 1,{copies}")
    return ("\r\n".join(lines) + "\r\n").encode()
