"""The 承诺达标合格证 in every printable form: a label-sized PDF, ZPL and TSPL.

All three draw the one layout of ``labels.certificate_layout`` with the renderers batch
labels use, so what the office printer and the thermal printer print is the same.
"""

import os

from labels.certificate_layout import CERTIFICATE_SIZE, layout_certificate
from labels.fonts import find_cjk_font
from labels.pdf import SheetLayout, render_pdf_sheet
from labels.tspl import TSPL_FONT, render_tspl
from labels.zpl import ZPL_FONT, render_zpl
from schemas.certificates import IssuedCertificate

CERTIFICATE_FORMATS = ("pdf", "zpl", "tspl")
# One certificate per page, the page the label's size.
_ONE_UP = SheetLayout(
    columns=1,
    rows=1,
    label=CERTIFICATE_SIZE,
    column_gap=0,
    page=(CERTIFICATE_SIZE.width_mm, CERTIFICATE_SIZE.height_mm),
)


def render_certificate(
    certificate: IssuedCertificate,
    fmt: str,
    base_url: str,
    *,
    dpi: int = 300,
    font: str | os.PathLike[str] | None = None,
) -> bytes:
    """``fmt`` is one of ``CERTIFICATE_FORMATS``; ``dpi`` applies to ZPL and TSPL."""
    layout = layout_certificate(certificate, base_url)
    if fmt == "pdf":
        return render_pdf_sheet([layout], find_cjk_font(font), _ONE_UP)
    if fmt == "zpl":
        return render_zpl(layout, dpi, font=ZPL_FONT)
    if fmt == "tspl":
        return render_tspl(layout, dpi, font=TSPL_FONT)
    raise ValueError(f"certificate format {fmt!r}; choose one of {', '.join(CERTIFICATE_FORMATS)}")
