"""The 承诺达标合格证 as a label-sized PDF (100 × 70 mm), with the batch's QR code.

The rules allow a certificate in QR form if the words 承诺达标合格证 stand out beside it: the
title heads the label in large type, every required item follows, and the QR code leads to
the batch's public page, where the same certificate is shown.
"""

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode, WrapMode

from labels.qr import QUIET_ZONE_MODULES, dark_runs, make_qr, modules_across
from schemas.certificates import BASIS_WORDS, IssuedCertificate
from schemas.district_time import DISTRICT_TIME

# A common thermal label size that holds every item at a readable 2.6 mm type.
CERTIFICATE_SIZE_MM = (100.0, 70.0)
MARGIN_MM = 4.0
QR_SIDE_MM = 28.0
LINE_MM = 4.2
TITLE_PT = 15.0
TEXT_PT = 7.5
SMALL_PT = 6.0
_FONT = "cjk"
# The font has no bold face: the title is filled and outlined instead.
TITLE_STROKE_MM = 0.25


def _items(certificate: IssuedCertificate) -> list[tuple[str, str]]:
    basis_zh, _ = BASIS_WORDS[certificate.basis]
    tests = "；".join(
        "、".join(part for part in (test.standard, test.lab or test.instrument) if part)
        for test in certificate.tests
    )
    quantity = f"{certificate.quantity:g} {certificate.unit}"
    issued = certificate.issued_at.astimezone(DISTRICT_TIME).date().isoformat()
    return [
        ("编号", certificate.number),
        ("产品名称", certificate.product_name),
        ("数量（重量）", quantity),
        ("产地", certificate.origin),
        ("开具主体", certificate.issuer_name),
        ("联系方式", certificate.issuer_contact or "—"),
        ("开具日期", issued),
        ("开具依据", basis_zh + (f"（{tests}）" if tests else "")),
    ]


def _draw_qr(pdf: FPDF, uri: str, left: float, top: float, side: float) -> None:
    qr = make_qr(uri)
    module = side / modules_across(qr)
    origin_x = left + QUIET_ZONE_MODULES * module
    origin_y = top + QUIET_ZONE_MODULES * module
    for row, column, length in dark_runs(qr):
        pdf.rect(origin_x + column * module, origin_y + row * module, length * module, module, "F")


def render_certificate_pdf(certificate: IssuedCertificate, uri: str, font_path: Path) -> bytes:
    width, _ = CERTIFICATE_SIZE_MM
    pdf = FPDF(unit="mm", format=CERTIFICATE_SIZE_MM)
    pdf.set_auto_page_break(False)
    pdf.set_margin(MARGIN_MM)
    pdf.set_creator("farmtrace")
    pdf.set_title(f"承诺达标合格证 {certificate.number}")
    pdf.add_font(_FONT, fname=str(font_path), collection_font_number=0)
    pdf.set_fill_color(0)
    pdf.add_page()
    pdf.set_font(_FONT, size=TITLE_PT)
    pdf.text_mode = TextMode.FILL_STROKE
    pdf.set_line_width(TITLE_STROKE_MM)
    pdf.text(MARGIN_MM, MARGIN_MM + 5.5, "承诺达标合格证")
    pdf.text_mode = TextMode.FILL
    qr_left = width - MARGIN_MM - QR_SIDE_MM
    _draw_qr(pdf, uri, qr_left, MARGIN_MM, QR_SIDE_MM)
    pdf.set_font(_FONT, size=SMALL_PT)
    pdf.set_xy(qr_left, MARGIN_MM + QR_SIDE_MM)
    pdf.cell(QR_SIDE_MM, 3, certificate.lot_code, align="C")
    text_width = qr_left - MARGIN_MM - 2
    top = MARGIN_MM + 9
    for caption, value in _items(certificate):
        pdf.set_xy(MARGIN_MM, top)
        pdf.set_font(_FONT, size=SMALL_PT)
        pdf.cell(17, LINE_MM, caption)
        pdf.set_font(_FONT, size=TEXT_PT)
        pdf.multi_cell(text_width - 17, LINE_MM * 0.85, value, wrapmode=WrapMode.CHAR)
        top = max(top + LINE_MM, pdf.get_y())
    pdf.set_xy(MARGIN_MM, max(top, MARGIN_MM + QR_SIDE_MM + 4) + 1)
    pdf.set_font(_FONT, size=TEXT_PT)
    pdf.multi_cell(
        width - 2 * MARGIN_MM, LINE_MM * 0.85, "承诺：" + certificate.commitment,
        wrapmode=WrapMode.CHAR,
    )  # fmt: skip
    return bytes(pdf.output())
