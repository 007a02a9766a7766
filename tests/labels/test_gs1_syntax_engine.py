"""Every Digital Link farmtrace prints, as GS1's Barcode Syntax Engine (``gs1encoders``, GS1's
own C library) reads it, and the engine's Digital Links as farmtrace reads them.

The engine checks what GS1 checks: the URI's structure, the GTIN's check digit, each AI's
length and character set, the key-qualifier order, the query's data attributes. Skipped where
the library is not installed (see the README's test section).
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from labels.digital_link import DigitalLink, build_digital_link, parse_digital_link
from tests.labels.conftest import BASE_URL
from tests.labels.gs1_syntax_engine import EngineRefused, SyntaxEngine, needs_syntax_engine
from tests.labels.printed_uris import PATH_PREFIX, Identifiers, PrintedUri, label_uris

pytestmark = needs_syntax_engine

# Identifiers beyond what farmtrace numbers itself: a GTIN-8, a variant (22), a third-party
# serial (235), and AI values with every character of set 82 that a URI must percent-encode.
ELEMENT_STRINGS = [
    Identifiers("06901234567892", "TM2611284KQ8ZP1XD6"),
    Identifiers("06901234567892", "TIAN260506L6BANQTM5G", "PACK0001"),
    Identifiers("00000096385074", "CY2611289RT3MX0QB1", "9"),
    Identifiers("06901234567892"),
    Identifiers("06901234567892", "LOT7", "S1", variant="V1"),
    Identifiers("06901234567892", tpx="TPX-0001"),
    Identifiers("06901234567892", "A/B+C%D&E", "x!'*\"()"),
    Identifiers("06901234567892", "a,b;c:d<e=f>g?h_i", "-._"),
]


@pytest.fixture(scope="module")
def engine() -> Iterator[SyntaxEngine]:
    with SyntaxEngine() as found:
        yield found


def _misread(engine: SyntaxEngine, printed: list[PrintedUri]) -> dict[str, tuple[str, str]]:
    """Each URI the engine refuses, or reads as other identifiers than were meant."""
    misread = {}
    for entry in printed:
        try:
            read = engine.read_digital_link(entry.uri)
        except EngineRefused as error:
            read = f"refused: {error}"
        if read != entry.meant.element_string():
            misread[entry.uri] = (entry.where, read)
    return misread


def test_every_label_farmtrace_prints_is_read_by_gs1s_engine_as_the_ids_it_was_built_for(
    engine: SyntaxEngine,
) -> None:
    printed = label_uris(BASE_URL)
    assert len(printed) == 18
    assert _misread(engine, printed) == {}


def test_every_digital_link_the_api_and_resolver_print_is_read_by_gs1s_engine_as_meant(
    engine: SyntaxEngine, uris_served: list[PrintedUri]
) -> None:
    wheres = {entry.where for entry in uris_served}
    assert {"pack list", "linkset anchor of a product", "batch label (TSPL)"} <= wheres
    assert _misread(engine, uris_served) == {}


def test_every_demo_label_and_certificate_is_read_by_gs1s_engine_as_meant(
    engine: SyntaxEngine, uris_of_the_demo: list[PrintedUri]
) -> None:
    assert any(entry.meant.serial for entry in uris_of_the_demo)
    assert any("certificate" in entry.where for entry in uris_of_the_demo)
    assert _misread(engine, uris_of_the_demo) == {}


def _as_link(meant: Identifiers) -> DigitalLink:
    return DigitalLink(meant.lot_code, meant.gtin, meant.serial, meant.variant, meant.tpx)


@pytest.mark.parametrize("stem", [BASE_URL, BASE_URL + PATH_PREFIX])
def test_the_engines_digital_links_under_our_domain_are_the_ones_farmtrace_reads_and_builds(
    engine: SyntaxEngine, stem: str
) -> None:
    for meant in ELEMENT_STRINGS:
        uri = engine.digital_link(meant.element_string(), stem)
        assert parse_digital_link(uri) == _as_link(meant), uri
        assert stem + _as_link(meant).path() == uri
        if meant.lot_code is not None and meant.variant is None:
            assert build_digital_link(stem, meant.lot_code, meant.gtin, meant.serial) == uri


def test_the_resolver_reads_the_engines_digital_links_to_the_same_identifiers(
    engine: SyntaxEngine, client: TestClient
) -> None:
    """The resolver's ``Link`` header names the canonical URI of what it read from the path."""
    base = "https://trace.example.cn"
    for meant in ELEMENT_STRINGS:
        uri = engine.digital_link(meant.element_string(), base)
        answer = client.options(uri.removeprefix(base))
        assert answer.headers.get("link", "").startswith(f"<{uri}?linkType=linkset>"), uri


def test_an_expiry_date_the_engine_puts_in_the_query_is_checked_by_the_resolver(
    engine: SyntaxEngine, client: TestClient
) -> None:
    base = "https://trace.example.cn"
    valid = engine.digital_link("(01)06901234567892(10)LOT7(17)270531", base)
    assert valid == f"{base}/01/06901234567892/10/LOT7?17=270531"
    assert parse_digital_link(valid) == DigitalLink("LOT7", "06901234567892")
    answer = client.get(valid.removeprefix(base), headers={"Accept": "application/json"})
    assert answer.status_code == 404  # read, checked, and not known here
    with pytest.raises(EngineRefused):
        engine.read_digital_link(f"{base}/01/06901234567892/10/LOT7?17=271340")
    refused = client.get("/01/06901234567892/10/LOT7?17=271340",
                         headers={"Accept": "application/json"})  # fmt: skip
    assert refused.status_code == 400
