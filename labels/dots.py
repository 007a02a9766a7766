"""Placing a label's QR code and texts on whole printer dots (PNG pixels, ZPL, TSPL)."""

from dataclasses import dataclass

import segno

from labels.layout import LabelLayout, TextBox, estimated_width, mm_to_dots
from labels.qr import QUIET_ZONE_MODULES, make_qr, modules_across

# ZPL ^BQ and TSPL QRCODE take the module size as a 1-10 multiplier.
MAX_MODULE_DOTS = 10


@dataclass(frozen=True)
class QrPlacement:
    """The symbol's top-left dark-module corner (quiet zone outside it) and module size, in dots."""

    qr: segno.QRCode
    left: int
    top: int
    module: int

    @property
    def side(self) -> int:
        """The symbol's side without its quiet zone."""
        return self.module * modules_across(self.qr, border=0)


def place_qr(layout: LabelLayout, dpi: int) -> QrPlacement:
    """Fit the QR code with its quiet zone into its box on whole dots, centred."""
    qr = make_qr(layout.uri)
    modules = modules_across(qr)
    box = mm_to_dots(layout.qr.size, dpi)
    module = min(max(box // modules, 1), MAX_MODULE_DOTS)
    slack = (box - module * modules) // 2
    return QrPlacement(
        qr=qr,
        left=mm_to_dots(layout.qr.x, dpi) + slack + QUIET_ZONE_MODULES * module,
        top=mm_to_dots(layout.qr.y, dpi) + slack + QUIET_ZONE_MODULES * module,
        module=module,
    )


def fitted_height(box: TextBox, dpi: int) -> int:
    """The text's em height in dots, shrunk so its estimated width fits its column."""
    width = estimated_width(box.text, box.size)
    scale = min(1.0, box.max_width / width) if width else 1.0
    return max(mm_to_dots(box.size * scale, dpi), 1)
