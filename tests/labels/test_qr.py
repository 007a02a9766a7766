import io
import re

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


# GS1 Digital Link URI syntax's regular expression for a plausible uncompressed URI (RE2,
# no convenience alphas), as the standard writes it: case-sensitive.
PLAUSIBLE_DL = re.compile(
    r"^https?:(//((([^/?#]*)@)?([^/?#:]*)(:([^/?#]*))?))?([^?#]*)"
    r"(((/(01|8006|8013|8010|414|417|8017|8018|255|00|253|401|402|8003|8004)/)"
    r"(\d{4}[^/]+)(/[^/]+/[^/]+)?[/]?(\?([^?\n]*))?(#([^\n]*))?))"
)


def test_scheme_and_host_are_lowercased_and_the_path_kept() -> None:
    assert qr_text("HTTPS://Trace.Example.CN/l/AB1?linkType=all") == (
        "https://trace.example.cn/l/AB1?linkType=all"
    )


def test_the_qr_text_is_a_plausible_digital_link_by_the_standards_own_expression() -> None:
    assert PLAUSIBLE_DL.match(qr_text(GTIN_URI))
    assert not PLAUSIBLE_DL.match("HTTPS://" + GTIN_URI.removeprefix("https://"))


@pytest.mark.parametrize("uri", [GTIN_URI, SHORT_URI, "https://t.example.cn/trace/l/A%2FB"])
def test_decoded_qr_equals_the_uri(uri: str) -> None:
    [decoded] = decode_png(_png(make_qr(uri)))
    assert decoded == qr_text(uri) == uri


def test_only_the_lower_case_host_costs_a_byte_segment() -> None:
    segments = qr_segments(qr_text(GTIN_URI))
    byte_runs = [text for text, mode in segments if mode == consts.MODE_BYTE]
    assert byte_runs == [f"{BASE_URL}/01/"]
    assert ("06901234567892", consts.MODE_NUMERIC) in segments
    assert ("/10/TM2611284KQ8ZP1XD6", consts.MODE_ALPHANUMERIC) in segments


@pytest.mark.parametrize("uri", [GTIN_URI, SHORT_URI])
def test_compact_qr_is_never_larger_than_the_uri_in_one_byte_segment(uri: str) -> None:
    compact = make_qr(uri)
    as_is = segno.make(uri, error="m", micro=False)
    assert as_is.mode == "byte"
    assert compact.version <= as_is.version
    if uri == GTIN_URI:
        assert compact.version < as_is.version


@pytest.mark.parametrize("uri", [GTIN_URI, SHORT_URI])
def test_error_correction_is_m_or_better(uri: str) -> None:
    assert make_qr(uri).error in {"M", "Q", "H"}
    assert not make_qr(uri).is_micro
