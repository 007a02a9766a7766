"""GS1's reference compression, as digital-link.js bundles it (tests/js, installed by
``npm ci --prefix tests/js``): the independent side of the compression tests."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).parent.parent / "js"
NODE = shutil.which("node")
needs_digital_link_js = pytest.mark.skipif(
    NODE is None or not (JS / "node_modules" / "digital-link.js").is_dir(),
    reason="node and `npm ci --prefix tests/js` are needed (scripts/test does both)",
)


def run_js(script: str, uris: list[str]) -> list[dict]:
    """One JSON answer for each URI from a tests/js script."""
    answer = subprocess.run(
        [str(NODE), str(JS / script)],
        input="\n".join(uris), capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    return [json.loads(line) for line in answer.stdout.splitlines()]


def compressed_forms(uris: list[str]) -> list[dict]:
    """``compressed`` and ``partial`` forms of each URI, and what the toolkit reads back."""
    return run_js("compress_digital_links.js", uris)
