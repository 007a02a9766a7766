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
    ]


def layout_label(label: LabelData, base_url: str, size: LabelSize = DEFAULT_SIZE) -> LabelLayout:
    """Place a label's texts and QR code on a label of ``size``."""
    width, height = size.width_mm, size.height_mm
    unit = height / 40  # the design was drawn on a 40 mm tall label
    margin = 2 * unit
    lot_size = 3 * unit
    qr_size = min(height - 2 * margin - lot_size - unit, QR_WIDTH_SHARE * width)
    qr = QrBox(x=width - margin - qr_size, y=margin, size=qr_size)
    column = qr.x - margin - unit
    title = label.product_name_zh + (f" {label.grade}" if label.grade else "")
    title_size = 5.2 * unit
    texts = [TextBox(margin, margin + 0.85 * title_size, title_size, title, column, bold=True)]
    y = margin + title_size
    if label.product_name_en:
        y += 2.6 * unit
        texts.append(TextBox(margin, y, 2 * unit, label.product_name_en, column))
    y += 0.6 * unit
    for caption, value in _caption_pairs(label):
        y += 2.3 * unit
        texts.append(TextBox(margin, y, 1.7 * unit, caption, column))
        y += 2.9 * unit
        texts.append(TextBox(margin, y, 2.6 * unit, value, column))
    lot_line = f"批号 Lot {label.lot_code}"
    texts.append(
        TextBox(margin, height - margin, lot_size, lot_line, width - 2 * margin, bold=True)
    )
    uri = build_digital_link(base_url, label.lot_code, label.gtin)
    return LabelLayout(size=size, uri=uri, texts=tuple(texts), qr=qr)
