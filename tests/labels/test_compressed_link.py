"""Compressed GS1 Digital Link URIs read back, against GS1's reference toolkit's compression
(digital-link.js 1.4.3): vectors it made are kept in tests/data, and fresh ones are made live."""

import json
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from labels.compressed_link import decompress, decompress_digital_link
from labels.digital_link import InvalidLink, build_digital_link
from tests.labels.conftest import BASE_URL
from tests.labels.digital_link_js import compressed_forms, needs_digital_link_js

GTIN = "06901234567892"
VECTORS = Path(__file__).parent.parent / "data" / "gs1-compressed-digital-links.jsonl"


def _uncompressed(compressed_uri: str) -> str:
    split = urlsplit(compressed_uri)
    segments = split.path.strip("/").split("/")
    gtin = segments[1] if len(segments) == 3 else None
    link, pairs = decompress_digital_link(segments[-1], gtin)
    query = urlencode(pairs, safe="")
    return f"{split.scheme}://{split.netloc}{link.path()}" + (f"?{query}" if query else "")


def _check(vector: dict) -> None:
    assert _uncompressed(vector["compressed"]) == vector["uri"], vector
    assert _uncompressed(vector["partial"]) == vector["uri"], vector


def test_the_toolkits_vectors_decompress_to_the_uris_they_were_made_from() -> None:
    vectors = [json.loads(line) for line in VECTORS.read_text().splitlines()]
    assert len(vectors) == 7
    for vector in vectors:
        assert vector["decompressed"] == vector["uri"]
        _check(vector)


@needs_digital_link_js
def test_printed_links_compressed_by_the_toolkit_decompress_to_themselves() -> None:
    uris = [build_digital_link(BASE_URL, "TM2611284KQ8ZP1XD6", "06901234567892"),
            build_digital_link(BASE_URL, "CY2611289RT3MX0QB1", "96385074", "9"),
            build_digital_link(BASE_URL, "abc-1.2_x", "6901234567892", "S/N%1"),
            build_digital_link(BASE_URL, "0A1B2C3D", "06901234567892") + "?17=261231",
            build_digital_link(BASE_URL, "Lot7", GTIN) + "?7007=260501260503"]  # fmt: skip
    for vector in compressed_forms(uris):
        _check(vector)


def test_ai_sequences_and_non_gs1_pairs_come_back_in_their_places() -> None:
    ais, others = decompress("GgyNo0UVqMhZyep_NQxJamIGABe-DfooYNtqs")
    assert ais == {"01": "06901234567892", "10": "LOT1", "17": "260520", "21": "S1",
                   "3103": "000189"}  # fmt: skip
    assert others == {"foo": "bar"}


@pytest.mark.parametrize(
    "segment",
    [
        "batch",
        "CwyNo0UVqOSZm3Wuu3nBSHjJ-q4",
        "not+base64",
        "",
        "_" * 40,
        "CwyNo0UVqOSZm3Wuu3nBSHjJ-q4fQ" * 2,
    ],
)
def test_a_segment_that_is_no_compressed_gtin_link_is_refused_in_words(segment: str) -> None:
    with pytest.raises(InvalidLink):
        decompress_digital_link(segment)


def test_a_compressed_link_on_another_primary_key_is_not_taken_for_a_gtin() -> None:
    # The toolkit's compression of /414/9521234000013 (a GLN) and /8006/069012345678920102/10/L1.
    assert decompress("QUio1cU4jQ") == ({"414": "9521234000013"}, {})
    for segment in ("QUio1cU4jQ", "EGIvWABg9S5c3U75qA"):
        with pytest.raises(InvalidLink, match="GTIN"):
            decompress_digital_link(segment)


def test_an_all_digit_value_keeps_its_leading_zeros_where_the_toolkit_drops_them() -> None:
    # The toolkit's compression of /01/06901234567892/10/0123; it reads it back as lot "123".
    assert decompress("CwyNo0UVqAgD2") == ({"01": "06901234567892", "10": "0123"}, {})
