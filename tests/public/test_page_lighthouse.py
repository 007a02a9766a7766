"""Lighthouse's mobile audit of a provenance page with a photo: performance, accessibility and
best practices each at least 95 (Lighthouse from tests/js, run on Debian's Chromium)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.public.photo_story import batch_with_cold_chain_and_photo

JS = Path(__file__).resolve().parents[1] / "js"
LIGHTHOUSE = JS / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = shutil.which("chromium")
NODE = shutil.which("node")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CATEGORIES = ("performance", "accessibility", "best-practices")
LEAST_SCORE = 0.95

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        NODE is None or CHROMIUM is None or not LIGHTHOUSE.is_file(),
        reason="node, chromium and `npm ci --prefix tests/js` are needed (scripts/test does all)",
    ),
]


def _audit(url: str) -> dict:
    """Lighthouse's report of the page, with its default mobile emulation and throttling."""
    answer = subprocess.run(
        [str(NODE), str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert answer.returncode == 0, answer.stderr[-2000:]
    report: dict = json.loads(answer.stdout)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "provenance-lighthouse.json").write_text(answer.stdout)
    return report


def test_a_page_with_a_photo_scores_at_least_95_on_a_phone(
    client: TestClient, staff_token: str, db: psycopg.Connection, live_server: str
) -> None:
    lot = batch_with_cold_chain_and_photo(client, staff_token, db)
    report = _audit(f"{live_server}/batch/{lot}")
    assert report["configSettings"]["formFactor"] == "mobile"
    assert not report.get("runtimeError"), report["runtimeError"]
    requested = report["audits"]["network-requests"]["details"]["items"]
    assert any("/media/" in item["url"] for item in requested), "the photo was loaded"
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    # Named in the failure: the weighted audits that cost points.
    short_of_full = sorted(
        ref["id"]
        for name in CATEGORIES
        for ref in report["categories"][name]["auditRefs"]
        if ref["weight"] and (report["audits"][ref["id"]]["score"] or 0) < 1
    )
    assert all(score >= LEAST_SCORE for score in scores.values()), (scores, short_of_full)
