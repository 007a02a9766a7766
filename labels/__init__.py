"""GS1 Digital Link URIs, QR codes and label layouts (SVG, PNG, PDF sheets, ZPL/TSPL)."""

from labels.digital_link import (
    DigitalLink,
    InvalidGtin,
    InvalidLink,
    build_digital_link,
    gtin_check_digit,
    is_valid_gtin,
    normalize_gtin,
    parse_digital_link,
)
from labels.layout import DEFAULT_SIZE, LabelSize
from labels.lot_codes import generate_lot_code, is_valid_lot_code, normalize_lot_code
from labels.render import FORMATS, MEDIA_TYPES, UnsupportedFormat, render_label, render_label_sheet
from schemas.labels import LabelData

__all__ = [
    "DEFAULT_SIZE",
    "FORMATS",
    "MEDIA_TYPES",
    "DigitalLink",
    "InvalidGtin",
    "InvalidLink",
    "LabelData",
    "LabelSize",
    "UnsupportedFormat",
    "build_digital_link",
    "generate_lot_code",
    "gtin_check_digit",
    "is_valid_gtin",
    "is_valid_lot_code",
    "normalize_gtin",
    "normalize_lot_code",
    "parse_digital_link",
    "render_label",
    "render_label_sheet",
]
