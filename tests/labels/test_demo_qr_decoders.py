"""Every QR code the demo prints, read by zxing-cpp and by zbar: each decodes to exactly the
Digital Link built for its batch (and pack), on every printed form."""

import io
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
import pytest
from PIL import Image
from playwright.sync_api import Browser
from pypdf import PdfReader

from farmtrace.demo.seed import seed_demo
from farmtrace.demo.showcase import demo_labels
from labels import LabelData, render_label
from labels.certificates import render_certificate
from labels.digital_link import build_digital_link
from labels.pdf import DEFAULT_SHEET
from labels.qr import qr_text
from labels.render import PRINTER_DPIS, render_label_sheet
from schemas.certificates import IssuedCertificate
from store.certificates import issued_for
from tests.labels.conftest import BASE_URL
from tests.labels.decoding import ZBARIMG, decode_qr_codes, zbar_decode_qr_codes
from tests.labels.pdf_raster import rasterise_rectangles

Decoder = Callable[[Image.Image], list[str]]
DECODERS = [
    pytest.param(decode_qr_codes, id="zxing"),
    pytest.param(
        zbar_decode_qr_codes,
        id="zbar",
        marks=pytest.mark.skipif(
            ZBARIMG is None, reason="zbarimg is needed (scripts/test installs zbar-tools)"
        ),
    ),
]


@dataclass
class Printed:
    labels: list[LabelData]
    certificates: list[IssuedCertificate]


@pytest.fixture
def printed(db: psycopg.Connection) -> Printed:
    seed_demo(db, batches=True, anchor=None)
    db.commit()
    lots = [row[0] for row in db.execute("SELECT lot_code FROM batches ORDER BY lot_code")]
    certificates = [found for lot in lots if (found := issued_for(db, lot)) is not None]
    labels = demo_labels(db)
    assert labels and any(label.serial for label in labels) and certificates
    return Printed(labels, certificates)


def _encoded(lot_code: str, gtin: str | None, serial: str | None = None) -> str:
    return qr_text(build_digital_link(BASE_URL, lot_code, gtin, serial))


def _label_uri(label: LabelData) -> str:
    return _encoded(label.lot_code, label.gtin, label.serial)


@pytest.mark.parametrize("decode", DECODERS)
def test_every_demo_label_png_at_each_printer_resolution_decodes_to_its_uri(
    printed: Printed, decode: Decoder
) -> None:
    misread = {
        (label.lot_code, label.serial, dpi): found
        for label in printed.labels
        for dpi in PRINTER_DPIS
        if (found := decode(_png(render_label(label, "png", BASE_URL, dpi=dpi))))
        != [_label_uri(label)]
    }
    assert misread == {}


@pytest.mark.parametrize("decode", DECODERS)
def test_every_page_of_the_demo_label_sheet_decodes_to_its_labels_uris(
    printed: Printed, decode: Decoder
) -> None:
    pages = PdfReader(io.BytesIO(render_label_sheet(printed.labels, BASE_URL))).pages
    per_page = DEFAULT_SHEET.per_page
    assert len(pages) == -(-len(printed.labels) // per_page)
    for number, page in enumerate(pages):
        on_page = printed.labels[number * per_page : (number + 1) * per_page]
        found = decode(rasterise_rectangles(page))
        assert sorted(found) == sorted(map(_label_uri, on_page)), number


@pytest.mark.parametrize("decode", DECODERS)
def test_every_demo_certificate_decodes_to_its_batchs_uri(
    printed: Printed, decode: Decoder
) -> None:
    for certificate in printed.certificates:
        [page] = PdfReader(io.BytesIO(render_certificate(certificate, "pdf", BASE_URL))).pages
        found = decode(rasterise_rectangles(page))
        assert found == [_encoded(certificate.lot_code, certificate.gtin)], certificate.number


@pytest.mark.browser
@pytest.mark.parametrize("decode", DECODERS)
def test_every_demo_svg_label_as_chromium_shows_it_decodes_to_its_uri(
    printed: Printed, browser: Browser, decode: Decoder
) -> None:
    page = browser.new_page(device_scale_factor=3)
    misread = {}
    for label in printed.labels:
        svg = render_label(label, "svg", BASE_URL).decode()
        page.set_content(f"<body style='margin:0;background:#fff'>{svg}</body>")
        found = decode(Image.open(io.BytesIO(page.locator("svg").screenshot())))
        if found != [_label_uri(label)]:
            misread[label.lot_code, label.serial] = found
    assert misread == {}


def _png(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))
