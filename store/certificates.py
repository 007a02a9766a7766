"""承诺达标合格证 issued at packing, and those received with the harvest lots behind a batch.

Packing a batch of a covered product mixes or repacks it for sale, so the centre issues its
own certificate then, in the packing's transaction, with every required item copied in.
Its basis is the batch's own tests where they exist (a laboratory's: commissioned, else our
own), and quality control otherwise; a batch whose latest test failed gets none.
"""

from datetime import date, datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from schemas.certificates import (
    BASIS_WORDS,
    COMMITMENT,
    KEPT_DAYS,
    BatchCertificates,
    CertificateTest,
    IssuedCertificate,
    PublicCertificate,
    ReceivedOnLot,
)
from schemas.district_time import DISTRICT_TIME, DISTRICT_TIME_ZONE
from store import audit
from store.batches import batch_row
from store.db import rows
from store.farm_deliveries import photo_url

# Between origin villages (the Chinese enumeration comma), as on the label.
VILLAGE_SEPARATOR = "、"

# Batches this one came from, through splits and merges (store.genealogy imports the event
# store, which issues certificates: the walk is repeated here rather than imported).
_ANCESTORS = """
WITH RECURSIVE up (id) AS (
    SELECT parent_id FROM batch_lineage WHERE child_id = %s
    UNION SELECT l.parent_id FROM batch_lineage l JOIN up ON l.child_id = up.id
)
SELECT id FROM up
"""

# Tests of the batch and its ancestors as their latest correction says they were.
_TESTS = """
SELECT e.time, e.data FROM events e
WHERE e.batch_id = ANY(%s) AND e.type = 'testing'
  AND NOT EXISTS (SELECT 1 FROM events later WHERE later.corrects = e.id)
ORDER BY e.time, e.id
"""

_ISSUED = """
SELECT c.number, b.lot_code, p.gtin, c.product_name, c.quantity::float8 AS quantity, c.unit,
       c.issuer_name, c.issuer_contact, c.origin, c.basis, c.tests, c.received, c.commitment,
       c.issued_at, c.kept_until
FROM issued_certificates c JOIN batches b ON b.id = c.batch_id JOIN products p ON p.code = b.product
"""

_RECEIVED = """
SELECT h.code AS harvest_lot_code, f.name AS farmer_name, v.name AS village_name,
       d.certificate_number AS number, d.certificate_basis AS basis,
       CASE WHEN d.certificate_number IS NOT NULL THEN coalesce(d.certificate_issuer, f.name)
       END AS issuer, d.certificate_photo AS photo,
       EXISTS (SELECT 1 FROM farm_deliveries other WHERE other.certificate_number
               = d.certificate_number AND other.farmer <> d.farmer) AS number_elsewhere
FROM batch_harvest_lots bh
JOIN harvest_lots h ON h.id = bh.harvest_lot_id
JOIN producers f ON f.code = h.producer
JOIN locations v ON v.code = h.village
LEFT JOIN farm_deliveries d ON d.harvest_lot_id = h.id
WHERE bh.batch_id = ANY(%s)
ORDER BY h.harvest_date, h.id
"""


def _lineage(conn: psycopg.Connection, batch_id: int) -> list[int]:
    return [batch_id, *(row["id"] for row in rows(conn, _ANCESTORS, (batch_id,)))]


def _issuer(conn: psycopg.Connection, location: str | None) -> tuple[str, str | None]:
    """The site at the top of the packing room's parents, and the nearest contact number."""
    found = rows(
        conn,
        "WITH RECURSIVE up (code, name, parent, phone, depth) AS ("
        "  SELECT code, name, parent, phone, 0 FROM locations WHERE code = %s"
        "  UNION ALL SELECT l.code, l.name, l.parent, l.phone, up.depth + 1"
        "  FROM locations l JOIN up ON l.code = up.parent WHERE up.depth < 10)"
        " SELECT name, parent, phone FROM up ORDER BY depth",
        (location,),
    )
    if not found:
        return "金口河区农产品初加工中心", None
    contact = next((row["phone"] for row in found if row["phone"]), None)
    return found[-1]["name"], contact


def _basis(tests: list[dict[str, Any]]) -> tuple[str, list[CertificateTest]] | None:
    """The basis and the passed tests; None when the latest test failed."""
    if tests and not tests[-1]["data"].get("passed"):
        return None
    passed = [
        CertificateTest(
            time=test["time"], standard=test["data"].get("standard"),
            lab=test["data"].get("lab"), instrument=test["data"].get("instrument"),
        )
        for test in tests
        if test["data"].get("passed")
    ]  # fmt: skip
    if not passed:
        return "quality_control", []
    return ("commissioned_test" if any(test.lab for test in passed) else "self_tested"), passed


def issue_at_packing(
    conn: psycopg.Connection,
    batch_id: int,
    packed_at: datetime,
    location: str | None,
    user_id: int | None,
) -> str | None:
    """Issue the batch's certificate in the caller's transaction; its number, or None when
    the product is not covered, the batch has one, or its latest test failed."""
    batch = rows(
        conn,
        "SELECT b.lot_code, b.quantity, b.unit, p.name_zh, p.certificate_category,"
        " EXISTS (SELECT 1 FROM issued_certificates c WHERE c.batch_id = b.id) AS issued"
        " FROM batches b JOIN products p ON p.code = b.product WHERE b.id = %s",
        (batch_id,),
    )[0]
    if batch["certificate_category"] == "none" or batch["issued"]:
        return None
    lineage = _lineage(conn, batch_id)
    basis = _basis(rows(conn, _TESTS, (lineage,)))
    if basis is None:
        return None
    received = rows(conn, _RECEIVED, (lineage,))
    origin = VILLAGE_SEPARATOR.join(sorted({row["village_name"] for row in received}))
    issuer_name, contact = _issuer(conn, location)
    day = packed_at.astimezone(DISTRICT_TIME).date()
    number = f"HGZ{day:%Y%m%d}{batch['lot_code']}"
    conn.execute(
        "INSERT INTO issued_certificates (number, batch_id, product_name, quantity, unit,"
        " issuer_name, issuer_contact, origin, basis, tests, received, commitment, issued_at,"
        " issued_by, kept_until) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " %s, %s)",
        (
            number, batch_id, batch["name_zh"], batch["quantity"], batch["unit"], issuer_name,
            contact, origin or "—", basis[0],
            Jsonb([test.model_dump(mode="json") for test in basis[1]]),
            Jsonb(sorted({row["number"] for row in received if row["number"]})),
            COMMITMENT, packed_at, user_id, day + timedelta(days=KEPT_DAYS),
        ),
    )  # fmt: skip
    audit.record(
        conn, user_id, "issue_certificate", f"batch {batch['lot_code']}", {"number": number}
    )
    return number


def _issued(row: dict[str, Any]) -> IssuedCertificate:
    return IssuedCertificate(**row)


def issued_for(conn: psycopg.Connection, lot_code: str) -> IssuedCertificate | None:
    found = rows(conn, _ISSUED + " WHERE b.lot_code = %s", (batch_row(conn, lot_code)["lot_code"],))
    return _issued(found[0]) if found else None


def batch_certificates(conn: psycopg.Connection, lot_code: str) -> BatchCertificates:
    """What was received with the batch's harvest lots (through its ancestors) and issued."""
    batch = batch_row(conn, lot_code)
    category = rows(
        conn, "SELECT certificate_category FROM products WHERE code = %s", (batch["product"],)
    )[0]["certificate_category"]
    lineage = _lineage(conn, batch["id"])
    received = [
        ReceivedOnLot(
            **{**row, "photo": photo_url(row["photo"]) if row["photo"] else None},
            missing=row["number"] is None and category != "none",
        )
        for row in rows(conn, _RECEIVED, (lineage,))
    ]
    return BatchCertificates(
        lot_code=batch["lot_code"],
        certificate_category=category,
        received=received,
        issued=issued_for(conn, lot_code),
    )


def search_issued(
    conn: psycopg.Connection,
    text: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 500,
) -> list[IssuedCertificate]:
    """Issued certificates, newest first: by number, lot code, product or origin, and by
    district day of issue (``until`` inclusive)."""
    pattern = f"%{text.strip()}%" if text and text.strip() else None
    found = rows(
        conn,
        _ISSUED + " WHERE (%(p)s::text IS NULL OR c.number ILIKE %(p)s OR b.lot_code ILIKE %(p)s"
        "   OR c.product_name ILIKE %(p)s OR c.origin ILIKE %(p)s OR c.received::text ILIKE %(p)s)"
        " AND (%(since)s::date IS NULL OR (c.issued_at AT TIME ZONE %(zone)s)::date >= %(since)s)"
        " AND (%(until)s::date IS NULL OR (c.issued_at AT TIME ZONE %(zone)s)::date <= %(until)s)"
        " ORDER BY c.issued_at DESC, c.id DESC LIMIT %(limit)s",
        {"p": pattern, "since": since, "until": until, "zone": DISTRICT_TIME_ZONE, "limit": limit},
    )
    return [_issued(row) for row in found]


def public_certificate(conn: psycopg.Connection, batch_id: int) -> PublicCertificate | None:
    found = rows(
        conn,
        "SELECT number, product_name, quantity::float8 AS quantity, unit, issuer_name,"
        " issuer_contact, origin, basis, commitment, issued_at FROM issued_certificates"
        " WHERE batch_id = %s",
        (batch_id,),
    )
    if not found:
        return None
    basis_zh, basis_en = BASIS_WORDS[found[0]["basis"]]
    return PublicCertificate(**found[0], basis_zh=basis_zh, basis_en=basis_en)
