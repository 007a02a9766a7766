"""The printed URIs as digital-link.js reads them: GS1 Digital Link parsing written outside
this project (tests/js, installed by ``npm ci --prefix tests/js``)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from labels.digital_link import parse_digital_link
from tests.labels.conftest import BASE_URL
from tests.labels.printed_uris import PrintedUri, label_uris

JS = Path(__file__).parent.parent / "js"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(
    NODE is None or not (JS / "node_modules" / "digital-link.js").is_dir(),
    reason="node and `npm ci --prefix tests/js` are needed (scripts/test does both)",
)


def _read(uris: list[str]) -> list[dict]:
    answer = subprocess.run(
        [str(NODE), str(JS / "check_digital_links.js")],
        input="\n".join(uris), capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return [json.loads(line) for line in answer.stdout.splitlines()]


def _misread(printed: list[PrintedUri]) -> dict[str, dict]:
    """Each URI digital-link.js finds invalid, or reads as other identifiers than were meant."""
    misread = {}
    for found, entry in zip(_read([entry.uri for entry in printed]), printed, strict=True):
        meant = {"valid": True, "identifier": {"01": entry.meant.gtin},
                 "keyQualifiers": entry.meant.key_qualifiers()}  # fmt: skip
        if {key: found.get(key) for key in meant} != meant:
            misread[entry.uri] = {"where": entry.where, **found}
    return misread


def test_every_printed_label_is_a_valid_digital_link_with_our_keys() -> None:
    assert _misread(label_uris(BASE_URL)) == {}


def test_every_digital_link_the_api_and_resolver_print_is_valid_with_our_keys(
    uris_served: list[PrintedUri],
) -> None:
    # digital-link.js predates AI (235), the third-party serial (Digital Link syntax 1.4).
    assert _misread([entry for entry in uris_served if entry.meant.tpx is None]) == {}


def test_every_demo_label_and_certificate_is_a_valid_digital_link_with_our_keys(
    uris_of_the_demo: list[PrintedUri],
) -> None:
    assert _misread(uris_of_the_demo) == {}


def test_the_canonical_uri_the_resolver_redirects_to_is_valid_where_the_spelling_was_not() -> None:
    reordered = f"{BASE_URL}/01/06901234567892/21/S1/10/LOT7"
    canonical = BASE_URL + parse_digital_link(reordered).path()
    upper_case = "HTTPS://" + canonical.removeprefix("https://").upper()
    found = {entry["uri"]: entry["valid"] for entry in _read([reordered, canonical, upper_case])}
    assert found == {reordered: False, canonical: True, upper_case: False}
