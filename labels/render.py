"""One entry point for every label format, used by ``farmtrace labels render`` and the API."""

import os
from collections.abc import Sequence

from labels.fonts import find_cjk_font
from labels.layout import DEFAULT_SIZE, LabelSize, layout_label
from labels.pdf import DEFAULT_SHEET, SheetLayout, render_pdf_sheet
from labels.png import DEFAULT_DPI, render_png
from labels.svg import render_svg
from labels.tspl import TSPL_FONT, render_tspl
from labels.zpl import ZPL_FONT, render_zpl
from schemas.labels import LabelData

FORMATS = ("pdf", "svg", "png", "zpl", "tspl")
# ZPL and TSPL have no registered media type; both are UTF-8 text sent to the printer as is.
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "svg": "image/svg+xml",
    "png": "image/png",
    "zpl": "text/plain; charset=utf-8",
    "tspl": "text/plain; charset=utf-8",
}
PRINTER_DPIS = (203, 300)


class UnsupportedFormat(ValueError):
    """A label format other than those in ``FORMATS``."""


def render_label(
    label: LabelData,
    fmt: str,
    base_url: str,
    *,
    dpi: int = DEFAULT_DPI,
    size: LabelSize = DEFAULT_SIZE,
    copies: int | None = None,
    font: str | os.PathLike[str] | None = None,
    printer_font: str | None = None,
) -> bytes:
    """A batch's label in ``fmt``: one label (svg, png, zpl, tspl) or an A4 sheet (pdf).

    ``dpi`` applies to png, zpl and tspl; ``size`` to all but pdf, whose cells are the sheet's.
    ``copies`` fills a PDF sheet by default, and is the print quantity for ZPL/TSPL.
    ``font`` is the CJK font file for pdf and png; ``printer_font`` the name of the CJK
    TrueType font stored on a Zebra or TSC printer (``E:SIMSUN.TTF`` / ``SIMSUN.TTF``).
    """
    if fmt not in FORMATS:
        raise UnsupportedFormat(f"label format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "pdf":
        return render_label_sheet([label] * (copies or DEFAULT_SHEET.per_page), base_url, font=font)
    layout = layout_label(label, base_url, size)
    if fmt == "svg":
        return render_svg(layout)
    if fmt == "png":
        return render_png(layout, find_cjk_font(font), dpi)
    if fmt == "zpl":
        return render_zpl(layout, dpi, font=printer_font or ZPL_FONT, copies=copies or 1)
    return render_tspl(layout, dpi, font=printer_font or TSPL_FONT, copies=copies or 1)


def render_label_sheet(
    labels: Sequence[LabelData],
    base_url: str,
    *,
    sheet: SheetLayout = DEFAULT_SHEET,
    font: str | os.PathLike[str] | None = None,
) -> bytes:
    """Several labels (one batch's copies, or many batches) on A4 sheets as one PDF."""
    layouts = [layout_label(label, base_url, sheet.label) for label in labels]
    return render_pdf_sheet(layouts, find_cjk_font(font), sheet)
