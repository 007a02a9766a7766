"""The SVG label as a browser shows it (the staff console's preview): the QR code must scan."""

import pytest
from playwright.sync_api import sync_playwright

from labels import LabelData, render_label
from labels.digital_link import build_digital_link
from labels.qr import qr_text
from tests.labels.conftest import BASE_URL
from tests.labels.decoding import decode_png

pytestmark = pytest.mark.browser


def test_svg_label_rendered_by_chromium_scans_to_the_uri(tianma_label: LabelData) -> None:
    svg = render_label(tianma_label, "svg", BASE_URL).decode()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        try:
            page = browser.new_page(device_scale_factor=3)
            page.set_content(f"<body style='margin:0;background:#fff'>{svg}</body>")
            png = page.locator("svg").screenshot()
            chinese_width = page.evaluate(
                "() => document.querySelector('text').getComputedTextLength()"
            )
        finally:
            browser.close()
    uri = build_digital_link(BASE_URL, tianma_label.lot_code, tianma_label.gtin)
    assert decode_png(png) == [qr_text(uri)]
    # The Chinese title is laid out with real glyphs, not zero-width missing-glyph boxes.
    assert chinese_width > 10
