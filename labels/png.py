"""A single label as PNG at a printer's resolution, drawn with Pillow.

Pillow (already required by fpdf2) draws the text with the CJK font directly; rasterising the
SVG instead would need cairo or a browser. The QR code is drawn module by module on whole
pixels, so its edges stay sharp for scanners.
"""

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from labels.dots import place_qr
from labels.layout import LabelLayout, mm_to_dots
from labels.qr import dark_runs

# Typical thermal printer resolutions are 203 and 300 dpi; office printers take 300 well.
DEFAULT_DPI = 300


def _font(path: Path, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), max(size_px, 1), index=0)


def _draw_qr(draw: ImageDraw.ImageDraw, layout: LabelLayout, dpi: int) -> None:
    placement = place_qr(layout, dpi)
    module = placement.module
    for row, column, length in dark_runs(placement.qr):
        x = placement.left + column * module
        y = placement.top + row * module
        draw.rectangle((x, y, x + length * module - 1, y + module - 1), fill=0)


def render_png(layout: LabelLayout, font_path: Path, dpi: int = DEFAULT_DPI) -> bytes:
    """The label as a 1-bit-clean greyscale PNG with its dpi recorded."""
    image = Image.new("L", layout.size.dots(dpi), 255)
    draw = ImageDraw.Draw(image)
    for box in layout.texts:
        size = mm_to_dots(box.size, dpi)
        font = _font(font_path, size)
        max_width = mm_to_dots(box.max_width, dpi)
        width = font.getlength(box.text)
        if width > max_width:
            font = _font(font_path, int(size * max_width / width))
        position = (mm_to_dots(box.x, dpi), mm_to_dots(box.baseline, dpi))
        # A hair of stroke stands in for a bold face the font file may not have.
        stroke = max(size // 30, 1) if box.bold else 0
        draw.text(position, box.text, font=font, fill=0, anchor="ls", stroke_width=stroke)
    _draw_qr(draw, layout, dpi)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()
