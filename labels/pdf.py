"""An A4 sheet of labels as PDF for office printers, with the CJK font embedded (subset).

The default grid is the common 21-up A4 sheet (3 × 7 labels of 63.5 × 38.1 mm). The QR code is
drawn as vector rectangles, so it prints sharp at any printer resolution.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode

from labels.layout import LabelLayout, LabelSize
from labels.qr import QUIET_ZONE_MODULES, dark_runs, make_qr, modules_across

A4 = (210.0, 297.0)
# The common 21-up A4 label sheet's cell.
A4_21_UP_CELL = LabelSize(63.5, 38.1)
_FONT_FAMILY = "cjk"
# Outline width of bold lines as a share of their em: visibly heavier, counters stay open.
BOLD_STROKE_SHARE = 0.03
# WenQuanYi fonts carry embedded bitmaps (a BDF table) that fontTools drops while subsetting,
# with a warning per document; the outlines the PDF uses are unaffected.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


@dataclass(frozen=True)
class SheetLayout:
    """A grid of labels on a page, in millimetres."""

    columns: int = 3
    rows: int = 7
    label: LabelSize = A4_21_UP_CELL
    column_gap: float = 2.5
    row_gap: float = 0.0
    page: tuple[float, float] = A4

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, slot: int) -> tuple[float, float]:
        """Top-left corner of the label in ``slot`` (0-based, row by row); the grid is centred."""
        grid_width = self.columns * self.label.width_mm + (self.columns - 1) * self.column_gap
        grid_height = self.rows * self.label.height_mm + (self.rows - 1) * self.row_gap
        left = (self.page[0] - grid_width) / 2
        top = (self.page[1] - grid_height) / 2
        row, column = divmod(slot % self.per_page, self.columns)
        return (
            left + column * (self.label.width_mm + self.column_gap),
            top + row * (self.label.height_mm + self.row_gap),
        )


DEFAULT_SHEET = SheetLayout()


def _draw_label(pdf: FPDF, layout: LabelLayout, left: float, top: float) -> None:
    for box in layout.texts:
        points = box.size * 72 / 25.4
        pdf.set_font(_FONT_FAMILY, size=points)
        width = pdf.get_string_width(box.text)
        if width > box.max_width:
            pdf.set_font(_FONT_FAMILY, size=points * box.max_width / width)
        # The font has no bold face: bold lines are filled and outlined instead.
        pdf.text_mode = TextMode.FILL_STROKE if box.bold else TextMode.FILL
        pdf.set_line_width(box.size * BOLD_STROKE_SHARE)
        pdf.text(left + box.x, top + box.baseline, box.text)
    pdf.text_mode = TextMode.FILL
    qr = make_qr(layout.uri)
    modules = modules_across(qr)
    module = layout.qr.size / modules
    qr_left = left + layout.qr.x + QUIET_ZONE_MODULES * module
    qr_top = top + layout.qr.y + QUIET_ZONE_MODULES * module
    for row, column, length in dark_runs(qr):
        pdf.rect(qr_left + column * module, qr_top + row * module, length * module, module, "F")


def render_pdf_sheet(
    layouts: Sequence[LabelLayout], font_path: Path, sheet: SheetLayout = DEFAULT_SHEET
) -> bytes:
    """Labels laid out cell by cell, as many A4 pages as they need."""
    pdf = FPDF(unit="mm", format=sheet.page)
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.set_creator("farmtrace")
    pdf.add_font(_FONT_FAMILY, fname=str(font_path), collection_font_number=0)
    pdf.set_fill_color(0)
    for index, layout in enumerate(layouts):
        if index % sheet.per_page == 0:
            pdf.add_page()
        left, top = sheet.origin(index)
        _draw_label(pdf, layout, left, top)
    return bytes(pdf.output())
