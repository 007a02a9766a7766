"""The printed URIs as digital-link.js reads them: GS1 Digital Link parsing written outside
this project (tests/js, installed by ``npm ci --prefix tests/js``)."""

import json
import shutil
import subprocess
from itertools import islice
from pathlib import Path

import pytest

from labels.digital_link import build_digital_link, parse_digital_link
from labels.qr import qr_text
from schemas.gs1 import company_gtins
from tests.labels.conftest import BASE_URL

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


def test_every_printed_qr_text_is_a_valid_digital_link_with_our_keys() -> None:
    labels = [("TM2611284KQ8ZP1XD6", "6901234567892", None),
              ("TIAN260506L6BANQTM5G", "06901234567892", "PACK0001"),
              ("CY2611289RT3MX0QB1", "96385074", "9")]  # fmt: skip
    texts = [qr_text(build_digital_link(BASE_URL, *label)) for label in labels]
    for found, (lot, gtin, serial) in zip(_read(texts), labels, strict=True):
        assert found["valid"], found
        assert found["identifier"] == {"01": gtin.zfill(14)}
        assert found["keyQualifiers"] == {"10": lot, **({"21": serial} if serial else {})}


def test_the_canonical_uri_the_resolver_redirects_to_is_valid_where_the_spelling_was_not() -> None:
    reordered = f"{BASE_URL}/01/06901234567892/21/S1/10/LOT7"
    canonical = BASE_URL + parse_digital_link(reordered).path()
    upper_case = "HTTPS://" + canonical.removeprefix("https://").upper()
    found = {entry["uri"]: entry["valid"] for entry in _read([reordered, canonical, upper_case])}
    assert found == {reordered: False, canonical: True, upper_case: False}


def test_links_numbered_from_a_company_prefix_are_valid_digital_links() -> None:
    gtins = [*islice(company_gtins("690123456"), 2), next(company_gtins("6901234567"))]
    uris = [build_digital_link(BASE_URL, "WAL2611284KQ8ZP1XD6", gtin) for gtin in gtins]
    for found, gtin in zip(_read(uris), gtins, strict=True):
        assert found["valid"], found
        assert found["identifier"] == {"01": gtin}
