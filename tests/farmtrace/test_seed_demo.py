"""`farmtrace seed demo` loads Jinkouhe master data and demo batches, once."""

import subprocess
import sys
from pathlib import Path

import psycopg

from store.batch_detail import batch_detail

REPO = Path(__file__).resolve().parents[2]


def _seed(database_url: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "farmtrace", "seed", "demo"],
        cwd=REPO,
        env={"FARMTRACE_DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_seed_demo_adds_products_producers_and_batches_once(clean_database: str) -> None:
    first = _seed(clean_database)
    assert "9 new products, 9 new producers, 9 new batches" in first
    second = _seed(clean_database)
    assert "0 new products, 0 new producers, 0 new batches" in second
    with psycopg.connect(clean_database) as conn:
        gtins = conn.execute("SELECT count(gtin), count(*) FROM products").fetchone()
        consent = conn.execute(
            "SELECT count(*) FILTER (WHERE public_name_consent), count(*) FROM producers"
        ).fetchone()
        merged = conn.execute(
            "SELECT b.lot_code FROM batches b WHERE b.product = 'WALNUT'"
            " AND EXISTS (SELECT 1 FROM batch_lineage l WHERE l.child_id = b.id)"
        ).fetchone()
        assert merged is not None
        walnuts = batch_detail(conn, merged[0])
        packs = conn.execute("SELECT count(*), count(DISTINCT batch_id) FROM packs").fetchone()
    assert gtins is not None and 0 < gtins[0] < gtins[1], "some products have GTINs, some not"
    assert consent is not None and 0 < consent[0] < consent[1], "some producers consented"
    assert {lot.producer for lot in walnuts.genealogy.harvest_lots} == {
        "F-ABU-RE",
        "COOP-JIXING-WALNUT",
    }
    [testing] = [event for event in walnuts.events if event.type == "testing"]
    assert testing.data["moisture_percent"] == 18.0
    assert testing.corrections[0].data["moisture_percent"] == 8.0
    assert walnuts.location == "WH-DISTRICT"
    assert packs == (40 + 120 + 60, 3), "tea, walnuts and cured pork are packed into coded packs"
