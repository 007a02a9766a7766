"""What the public front page lists: the district's products, the producers who agreed to be
named, and the batches on sale with the cold-chain verdict of their stored summary.

Three small queries whatever the number of readings: verdicts come from the summaries the
provenance pages already keep (``store.summaries``), recomputed first where stale, as the
provenance page does, so both pages always state the same verdict.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import psycopg

from schemas.district_time import DISTRICT_TIME_ZONE
from store.db import rows
from store.summaries import refresh_summary

# Batches listed per product: the newest; older ones are still found by their lot code.
BATCHES_PER_PRODUCT = 12

_PRODUCTS = """
SELECT code, name_zh, name_en, category, gtin, grade_standard, temp_min, temp_max
FROM products ORDER BY name_zh, code
"""

# Named only with their consent, whatever their kind: the front page is a directory, and a
# directory of people is what the consent is about.
_PRODUCERS = """
SELECT DISTINCT b.product, pr.name, v.name AS village_name, v.name_en AS village_name_en,
       coalesce(v.township, pr.township) AS township
FROM batches b
JOIN batch_harvest_lots l ON l.batch_id = b.id
JOIN harvest_lots h ON h.id = l.harvest_lot_id
JOIN producers pr ON pr.code = h.producer
LEFT JOIN locations v ON v.code = pr.village
WHERE pr.public_name_consent
ORDER BY b.product, pr.name
"""

# On sale: out of processing, not recalled, not made into other batches, not past its date.
_ON_SALE = """
SELECT id, stale, product, lot_code, gtin, quantity, unit, packed_at, best_before, verdict
FROM (
    SELECT b.id, coalesce(s.stale, true) AS stale, b.product, b.lot_code, p.gtin,
           b.quantity::float8 AS quantity, b.unit, b.packed_at, b.best_before,
           s.summary -> 'cold_chain' ->> 'verdict' AS verdict,
           row_number() OVER (PARTITION BY b.product
                              ORDER BY coalesce(b.packed_at, b.received_at) DESC, b.id DESC) AS n
    FROM batches b
    JOIN products p ON p.code = b.product
    LEFT JOIN batch_summaries s ON s.batch_id = b.id
    WHERE b.status IN ('ready', 'shipped', 'delivered') AND b.recalled_at IS NULL
      AND (b.best_before IS NULL OR b.best_before >= (now() AT TIME ZONE %(zone)s)::date)
) listed
WHERE n <= %(limit)s
ORDER BY product, n
"""


@dataclass(frozen=True)
class PublicProducer:
    name: str
    village_name: str | None
    village_name_en: str | None
    township: str | None


@dataclass(frozen=True)
class BatchOnSale:
    lot_code: str
    gtin: str | None
    quantity: float
    unit: str
    packed_at: datetime | None
    best_before: date | None
    # None until the batch's summary has been evaluated.
    verdict: str | None


@dataclass(frozen=True)
class ProductListing:
    code: str
    name_zh: str
    name_en: str
    category: str
    gtin: str | None
    grade_standard: str | None
    temp_min: float | None
    temp_max: float | None
    producers: list[PublicProducer] = field(default_factory=list)
    on_sale: list[BatchOnSale] = field(default_factory=list)


def front_page_listing(conn: psycopg.Connection) -> list[ProductListing]:
    """Every product with its consenting producers and its batches on sale today (the
    district's day, by the database's clock), those with batches on sale first."""
    listings = {row["code"]: ProductListing(**row) for row in rows(conn, _PRODUCTS)}
    for row in rows(conn, _PRODUCERS):
        product = row.pop("product")
        listings[product].producers.append(PublicProducer(**row))
    for row in _on_sale(conn):
        product = row.pop("product")
        listings[product].on_sale.append(BatchOnSale(**row))
    # What can be bought first; the rest of the district's products after it.
    return sorted(listings.values(), key=lambda listing: not listing.on_sale)


def _on_sale(conn: psycopg.Connection) -> list[dict[str, Any]]:
    params = {"zone": DISTRICT_TIME_ZONE, "limit": BATCHES_PER_PRODUCT}
    found = rows(conn, _ON_SALE, params)
    stale = [row["id"] for row in found if row["stale"]]
    for batch_id in stale:
        refresh_summary(conn, batch_id)
    if stale:
        found = rows(conn, _ON_SALE, params)
    for row in found:
        del row["id"], row["stale"]
    return found
