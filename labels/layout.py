"""Where things sit on a label, in millimetres, shared by every output format.

The QR code takes the top right; the product's Chinese name and grade head the left column,
then pack date, best-before date, origin and net weight, each under a small bilingual caption;
the lot code runs along the bottom in full, human-readable beside the QR. Sizes scale with the
label, so the same layout serves 60 × 40 mm thermal labels and A4 sheet cells.
"""

from dataclasses import dataclass
from decimal import Decimal

from labels.digital_link import build_digital_link
from schemas.labels import LabelData

MM_PER_INCH = 25.4
# Share of the label's width the QR code may take; the rest is the text column.
QR_WIDTH_SHARE = 0.45
MISSING = "—"
# Shares of the em above and below the baseline in CJK sans fonts.
ASCENT = 0.85
DESCENT = 0.15
# A product name too long for one line goes on two, in type this much smaller.
WRAPPED_TITLE_SCALE = 0.68


@dataclass(frozen=True)
class LabelSize:
    width_mm: float
    height_mm: float

    def dots(self, dpi: int) -> tuple[int, int]:
        """The label's width and height in printer dots (or pixels) at ``dpi``."""
        return mm_to_dots(self.width_mm, dpi), mm_to_dots(self.height_mm, dpi)


# A common direct-thermal roll size for produce packs.
DEFAULT_SIZE = LabelSize(60, 40)


def mm_to_dots(mm: float, dpi: int) -> int:
    return round(mm * dpi / MM_PER_INCH)


@dataclass(frozen=True)
class TextBox:
    """One line of text: left edge and baseline, em size, and the width it must fit in."""

    x: float
    baseline: float
    size: float
    text: str
    max_width: float
    bold: bool = False


@dataclass(frozen=True)
class QrBox:
    """The square the QR code and its quiet zone occupy."""

    x: float
    y: float
    size: float


@dataclass(frozen=True)
class LabelLayout:
    size: LabelSize
    uri: str
    texts: tuple[TextBox, ...]
    qr: QrBox


def estimated_width(text: str, size: float) -> float:
    """Width of ``text`` in a CJK sans font without measuring: full-width for CJK, 0.6 em else."""
    return sum(size if ord(char) > 0x2E7F else 0.6 * size for char in text)


def fit_title(label: LabelData, size: float, column: float) -> tuple[list[str], float]:
    """The name and grade on one line if shrinking keeps them large enough, else on two.

    Two lines break before the grade when the name fits whole (so the name stays one string,
    for people and for text search), else in the middle of the name, as Chinese allows.
    """
    title = label.product_name_zh + (f" {label.grade}" if label.grade else "")
    if estimated_width(title, size) * WRAPPED_TITLE_SCALE <= column:
        return [title], size
    name = label.product_name_zh
    if label.grade and estimated_width(name, size) * WRAPPED_TITLE_SCALE <= column:
        return [name, label.grade], min(size, column / estimated_width(name, 1))
    # Both halves in one size, small enough that two lines hold the whole title.
    size = min(size * WRAPPED_TITLE_SCALE, 1.9 * column / estimated_width(title, 1))
    target = estimated_width(title, size) / 2
    first = ""
    for char in title:
        if first and estimated_width(first + char, size) > target + size / 2:
            break
        first += char
    return [first.rstrip(), title[len(first) :].strip()], size


def format_quantity(quantity: Decimal, unit: str) -> str:
    """``500.000 kg`` → ``500 kg``; ``2.50`` → ``2.5``."""
    text = f"{quantity.normalize():f}"
    return f"{text} {unit}"


def _caption_pairs(label: LabelData) -> list[tuple[str, str]]:
    return [
        ("包装日期 Packed", label.pack_date.isoformat() if label.pack_date else MISSING),
        ("保质期至 Best before", label.best_before.isoformat() if label.best_before else MISSING),
        ("产地 Origin", label.origin_village or MISSING),
        ("净含量 Net wt", format_quantity(label.net_quantity, label.net_unit)),
        *([("序列号 Serial", label.serial)] if label.serial else []),
    ]


def _column_rows(
    label: LabelData, unit: float, column: float
) -> list[tuple[float, float, str, bool]]:
    """The text column as (advance from the previous baseline, em size, text, bold) rows."""
    title_lines, title_size = fit_title(label, 5.2 * unit, column)
    rows = [
        (ASCENT * title_size if index == 0 else title_size, title_size, line, True)
        for index, line in enumerate(title_lines)
    ]
    if label.product_name_en:
        rows.append((2.6 * unit, 2 * unit, label.product_name_en, False))
    gap = 0.6 * unit
    for caption, value in _caption_pairs(label):
        rows.append((gap + 2.3 * unit, 1.7 * unit, caption, False))
        rows.append((2.9 * unit, 2.6 * unit, value, False))
        gap = 0.0
    return rows


def layout_label(label: LabelData, base_url: str, size: LabelSize = DEFAULT_SIZE) -> LabelLayout:
    """Place a label's texts and QR code on a label of ``size``."""
    width, height = size.width_mm, size.height_mm
    unit = height / 40  # the design was drawn on a 40 mm tall label
    margin = 2 * unit
    lot_size = 3 * unit
    qr_size = min(height - 2 * margin - lot_size - unit, QR_WIDTH_SHARE * width)
    qr = QrBox(x=width - margin - qr_size, y=margin, size=qr_size)
    column = qr.x - margin - unit
    rows = _column_rows(label, unit, column)
    # The column ends a little above the lot line; a crowded column is set smaller to fit.
    room = height - margin - ASCENT * lot_size - unit - margin
    needed = sum(advance for advance, *_ in rows) + DESCENT * rows[-1][1]
    scale = min(1.0, room / needed)
    texts = []
    y = margin
    for advance, text_size, text, bold in rows:
        y += advance * scale
        texts.append(TextBox(margin, y, text_size * scale, text, column, bold=bold))
    lot_line = f"批号 Lot {label.lot_code}"
    texts.append(
        TextBox(margin, height - margin, lot_size, lot_line, width - 2 * margin, bold=True)
    )
    uri = build_digital_link(base_url, label.lot_code, label.gtin, label.serial)
    return LabelLayout(size=size, uri=uri, texts=tuple(texts), qr=qr)
