"""A single label in ZPL II for Zebra thermal printers, sized in dots for 203 or 300 dpi.

Printer-side assumption: a TrueType font with Chinese glyphs is stored on the printer as
``E:SIMSUN.TTF`` (Zebra's font downloader, or ``^DU``/``~DY``); pass another name for, say,
Zebra's own ``E:ANMDS.TTF``. ``^CI28`` makes the printer read field data as UTF-8.
"""

from labels.dots import fitted_height, place_qr
from labels.layout import LabelLayout, mm_to_dots
from labels.qr import ERROR_LEVEL, qr_text

ZPL_FONT = "E:SIMSUN.TTF"
# ^FH makes "_" the hex escape; these three would otherwise end or escape the field.
_FIELD_ESCAPES = {"_": "_5F", "^": "_5E", "~": "_7E"}


def _field(text: str) -> str:
    """Field data after ^FH: the command prefixes and control characters hex-escaped, so
    nothing a user typed can end the field or start a command."""
    return "".join(
        _FIELD_ESCAPES.get(char) or (f"_{ord(char):02X}" if ord(char) < 0x20 else char)
        for char in text
    )


def render_zpl(layout: LabelLayout, dpi: int, font: str = ZPL_FONT, copies: int = 1) -> bytes:
    """One label format (``^XA`` … ``^XZ``), UTF-8 encoded."""
    width, height = layout.size.dots(dpi)
    lines = ["^XA", "^CI28", f"^PW{width}", f"^LL{height}", "^LH0,0"]
    for box in layout.texts:
        size = fitted_height(box, dpi)
        x, baseline = mm_to_dots(box.x, dpi), mm_to_dots(box.baseline, dpi)
        # ^FT places the field by its baseline, as the layout does.
        lines.append(f"^FT{x},{baseline}^A@N,{size},{size},{font}^FH^FD{_field(box.text)}^FS")
    qr = place_qr(layout, dpi)
    # ^BQ orientation N, model 2, magnification, error correction, mask 7 (the default); the
    # data's "MA," repeats the level (the field's own setting wins) with automatic mode input.
    lines.append(
        f"^FO{qr.left},{qr.top}^BQN,2,{qr.module},{ERROR_LEVEL},7^FH"
        f"^FD{ERROR_LEVEL}A,{_field(qr_text(layout.uri))}^FS"
    )
    lines.append(f"^PQ{copies}")
    lines.append("^XZ")
    return ("\n".join(lines) + "\n").encode()
