"""Rasterise the filled rectangles of a PDF page, enough to read back the QR codes drawn in it.

No PDF rasteriser is installed here, and the labels draw their QR codes as filled ``re``
rectangles, so this reads those operators from the page's content stream and paints them.
"""

import re

from PIL import Image, ImageDraw
from pypdf import PageObject

_RECTANGLE = re.compile(rb"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\s+f\b")


def rasterise_rectangles(page: PageObject, pixels_per_point: float = 3.0) -> Image.Image:
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    image = Image.new("L", (round(width * pixels_per_point), round(height * pixels_per_point)), 255)
    draw = ImageDraw.Draw(image)
    for match in _RECTANGLE.finditer(page.get_contents().get_data()):  # type: ignore[union-attr]
        x, y, w, h = (float(value) for value in match.groups())
        # PDF's origin is bottom-left; images count rows from the top.
        left, right = sorted((x, x + w))
        bottom, top = sorted((y, y + h))
        draw.rectangle(
            (
                round(left * pixels_per_point),
                round((height - top) * pixels_per_point),
                round(right * pixels_per_point) - 1,
                round((height - bottom) * pixels_per_point) - 1,
            ),
            fill=0,
        )
    return image
