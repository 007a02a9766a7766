import io

import pytest
import segno
from segno import consts

from labels.digital_link import build_digital_link
from labels.qr import make_qr, qr_segments, qr_text
from tests.labels.conftest import BASE_URL
from tests.labels.decoding import decode_png

GTIN_URI = build_digital_link(BASE_URL, "TM2611284KQ8ZP1XD6", "6901234567892")
SHORT_URI = build_digital_link(BASE_URL, "TM2611284KQ8ZP1XD6")


def _png(qr: segno.QRCode) -> bytes:
    out = io.BytesIO()
    qr.save(out, kind="png", scale=4)
    return out.getvalue()


def test_scheme_and_host_are_uppercased_and_the_path_kept() -> None:
    assert qr_text("https://trace.example.cn/l/AB1?linkType=all") == (
        "HTTPS://TRACE.EXAMPLE.CN/l/AB1?linkType=all"
    )


@pytest.mark.parametrize("uri", [GTIN_URI, SHORT_URI, "https://t.example.cn/trace/l/A%2FB"])
def test_decoded_qr_equals_the_uri(uri: str) -> None:
    [decoded] = decode_png(_png(make_qr(uri)))
    assert decoded == qr_text(uri)
    assert decoded.lower() == uri.lower()


def test_digital_link_encodes_without_byte_mode() -> None:
    modes = {mode for _, mode in qr_segments(qr_text(GTIN_URI))}
    assert consts.MODE_BYTE not in modes
    # A single alphanumeric segment is what segno itself picks for the upper-case text.
    assert segno.make(qr_text(GTIN_URI), error="m", micro=False).mode == "alphanumeric"


def test_short_form_keeps_lowercase_path_in_one_small_byte_segment() -> None:
    byte_runs = [text for text, mode in qr_segments(qr_text(SHORT_URI)) if mode == consts.MODE_BYTE]
    assert byte_runs == ["l"]


@pytest.mark.parametrize("uri", [GTIN_URI, SHORT_URI])
def test_compact_qr_is_smaller_than_the_lowercase_uri_as_is(uri: str) -> None:
    compact = make_qr(uri)
    as_is = segno.make(uri, error="m", micro=False)
    assert as_is.mode == "byte"
    assert compact.version < as_is.version
    assert compact.symbol_size()[0] < as_is.symbol_size()[0]


@pytest.mark.parametrize("uri", [GTIN_URI, SHORT_URI])
def test_error_correction_is_m_or_better(uri: str) -> None:
    assert make_qr(uri).error in {"M", "Q", "H"}
    assert not make_qr(uri).is_micro
