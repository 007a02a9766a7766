"""Where things sit on the 承诺达标合格证 label (100 × 70 mm), for PDF, ZPL and TSPL alike.

The rules allow a certificate in QR form if the words 承诺达标合格证 stand out beside it: the
title heads the label in large type, every required item follows, the QR code (top right)
leads to the batch's public page, where the same certificate is shown. Long values wrap,
as Chinese allows, between any two characters; when everything would not fit, the type
shrinks until it does.
"""

from labels.digital_link import build_digital_link
from labels.layout import LabelLayout, LabelSize, QrBox, TextBox, estimated_width
from schemas.certificates import BASIS_WORDS, IssuedCertificate
from schemas.district_time import DISTRICT_TIME

CERTIFICATE_SIZE = LabelSize(100, 70)
MARGIN = 4.0
QR_SIDE = 28.0
TITLE_SIZE = 5.5
TEXT_SIZE = 2.8
# Below this the printed type is no longer readable at arm's length.
SMALLEST_TEXT_SIZE = 1.8
LINE_SPACING = 1.3
SHRINK_STEP = 0.92


def wrap(text: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for char in text:
        if line and estimated_width(line + char, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def certificate_items(certificate: IssuedCertificate) -> list[str]:
    basis = BASIS_WORDS[certificate.basis][0]
    tests = "；".join(
        "、".join(part for part in (test.standard, test.lab or test.instrument) if part)
        for test in certificate.tests
    )
    issued = certificate.issued_at.astimezone(DISTRICT_TIME).date().isoformat()
    return [
        f"编号：{certificate.number}",
        f"产品名称：{certificate.product_name}",
        f"数量（重量）：{certificate.quantity:g} {certificate.unit}",
        f"产地：{certificate.origin}",
        f"开具主体：{certificate.issuer_name}",
        f"联系方式：{certificate.issuer_contact or '—'}",
        f"开具日期：{issued}",
        "开具依据：" + basis + (f"（{tests}）" if tests else ""),
    ]


def _texts(certificate: IssuedCertificate, size: float) -> tuple[list[TextBox], float]:
    """The text boxes at type ``size`` and the baseline of the last one."""
    width = CERTIFICATE_SIZE.width_mm
    column = width - 2 * MARGIN - QR_SIDE - 2
    line = size * LINE_SPACING
    boxes = [
        TextBox(MARGIN, MARGIN + TITLE_SIZE * 0.85, TITLE_SIZE, "承诺达标合格证", column, True)
    ]
    baseline = MARGIN + TITLE_SIZE + line
    for item in certificate_items(certificate):
        for part in wrap(item, size, column):
            boxes.append(TextBox(MARGIN, baseline, size, part, column))
            baseline += line
    baseline = max(baseline, MARGIN + QR_SIDE + 3 + line)
    full = width - 2 * MARGIN
    for part in wrap("承诺：" + certificate.commitment, size, full):
        boxes.append(TextBox(MARGIN, baseline, size, part, full))
        baseline += line
    return boxes, baseline - line


def layout_certificate(certificate: IssuedCertificate, base_url: str) -> LabelLayout:
    size = TEXT_SIZE
    boxes, last = _texts(certificate, size)
    while last > CERTIFICATE_SIZE.height_mm - MARGIN and size > SMALLEST_TEXT_SIZE:
        size = max(SMALLEST_TEXT_SIZE, size * SHRINK_STEP)
        boxes, last = _texts(certificate, size)
    qr_left = CERTIFICATE_SIZE.width_mm - MARGIN - QR_SIDE
    lot = TextBox(qr_left, MARGIN + QR_SIDE + 2.5, 2.4, certificate.lot_code, QR_SIDE)
    return LabelLayout(
        size=CERTIFICATE_SIZE,
        uri=build_digital_link(base_url, certificate.lot_code, certificate.gtin),
        texts=(*boxes, lot),
        qr=QrBox(qr_left, MARGIN, QR_SIDE),
    )
