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
    assert packs == (3 * 120 + 40 + 120 + 60, 6), (
        "the gastrodia shares, tea, walnuts and cured pork are packed into coded packs"
    )


def test_every_demo_batch_on_sale_with_a_gtin_is_packed_into_coded_packs_of_its_size(
    clean_database: str,
) -> None:
    _seed(clean_database)
    with psycopg.connect(clean_database) as conn:
        found = conn.execute(
            "SELECT b.lot_code, p.code, count(k.id),"
            " count(k.id) FILTER (WHERE k.quantity = p.pack_quantity AND k.unit = p.pack_unit)"
            " FROM batches b JOIN products p ON p.code = b.product"
            " LEFT JOIN packs k ON k.batch_id = b.id"
            " WHERE p.gtin IS NOT NULL AND b.status NOT IN ('consumed', 'recalled')"
            " GROUP BY b.lot_code, p.code"
        ).fetchall()
        consumed = conn.execute(
            "SELECT count(*) FROM packs k JOIN batches b ON b.id = k.batch_id"
            " WHERE b.status = 'consumed'"
        ).fetchone()
    assert found and all(packs > 0 and sized == packs for _, _, packs, sized in found), found
    assert [packs for _, product, packs, _ in found if product == "TIANMA-FRESH"] == [120] * 3
    assert consumed == (0,), "no pack carries the code of a lot that was split"


def test_every_demo_batchs_origin_comes_from_village_deliveries(clean_database: str) -> None:
    _seed(clean_database)
    with psycopg.connect(clean_database) as conn:
        typed = conn.execute(
            "SELECT count(*) FROM harvest_lots h"
            " WHERE NOT EXISTS (SELECT 1 FROM farm_deliveries d WHERE d.harvest_lot_id = h.id)"
        ).fetchone()
        carried = conn.execute(
            "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM trip_deliveries t"
            " WHERE t.delivery_id = d.id)), count(*), count(d.certificate_number)"
            " FROM farm_deliveries d"
        ).fetchone()
        issued = conn.execute(
            "SELECT p.code, c.basis, c.issuer_contact FROM issued_certificates c"
            " JOIN batches b ON b.id = c.batch_id JOIN products p ON p.code = b.product"
        ).fetchall()
        agents_farmers = conn.execute(
            "SELECT count(*) FROM producers WHERE kind = 'farmer' AND phone IS NOT NULL"
        ).fetchone()
    assert typed == (0,), "no demo harvest lot is typed at the centre"
    assert carried is not None and carried[0] == carried[1] > 0, "every delivery rode a trip"
    assert 0 < carried[2] < carried[1], "some farmers gave a certificate, some did not"
    assert issued == [("TEA-EMEI-GREEN", "commissioned_test", "0833-2726000")]
    assert agents_farmers is not None and agents_farmers[0] > 0
