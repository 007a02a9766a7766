"""What the demo points a first-time visitor at: a batch on sale whose cold chain held, one
that suffered the compressor failure, and a sheet of printable case and pack labels."""

from dataclasses import dataclass
from pathlib import Path

import psycopg

from labels import build_digital_link, render_label_sheet
from schemas.labels import LabelData
from store.batches import batch_row, lot_codes, product_gtin
from store.custody import custody_of
from store.front_page import front_page_listing
from store.labels import load_label_data, load_pack_labels
from store.packs import packs_of

# The demo's truck whose compressor fails (sensors.simulation.fleet's TRUCK-02 profile).
FAILING_TRUCK = "TRUCK-02"


@dataclass(frozen=True)
class Pick:
    """A batch to point a visitor at, or in words why there is none."""

    lot_code: str | None
    why_not: str = ""


@dataclass(frozen=True)
class Showcase:
    held: Pick
    excursion: Pick


def find_showcase(conn: psycopg.Connection) -> Showcase:
    """A batch on sale from the failing truck, and one on sale whose cold chain held (packed
    into coded packs where one is, else of the same product: the same harvest, kept cold);
    both judged by the stored summaries the pages show (the front page's listing)."""
    listings = front_page_listing(conn)
    on_sale = [(listing.code, batch) for listing in listings for batch in listing.on_sale]
    from_truck = [
        (product, batch)
        for product, batch in on_sale
        if _was_on(conn, batch.lot_code, FAILING_TRUCK)
    ]
    failed = next(
        ((product, batch) for product, batch in from_truck if batch.verdict == "excursions"), None
    )
    failed_product = failed[0] if failed else None
    # A pack in hand first (its own code on it), then the same product as the failed one.
    held = sorted(
        (pair for pair in on_sale if pair[1].verdict == "held"),
        key=lambda pair: (not _has_packs(conn, pair[1].lot_code), pair[0] != failed_product),
    )
    verdicts = ", ".join(f"{b.lot_code} {b.verdict or 'pending'}" for _, b in on_sale)
    truck_verdicts = ", ".join(f"{b.lot_code} {b.verdict or 'pending'}" for _, b in from_truck)
    return Showcase(
        Pick(
            held[0][1].lot_code if held else None,
            f"no batch on sale has a record that held ({verdicts or 'none on sale'})",
        ),
        Pick(
            failed[1].lot_code if failed else None,
            f"no batch on sale from {FAILING_TRUCK} shows its excursion yet"
            f" ({truck_verdicts or 'none on sale'})",
        ),
    )


def _has_packs(conn: psycopg.Connection, lot_code: str) -> bool:
    return bool(packs_of(conn, batch_row(conn, lot_code)["id"]))


def _was_on(conn: psycopg.Connection, lot_code: str, location: str) -> bool:
    custody = custody_of(conn, batch_row(conn, lot_code)["id"])
    return any(interval.location == location for interval in custody)


def provenance_url(conn: psycopg.Connection, base_url: str, lot_code: str) -> str:
    """The URI a pack of the batch carries (a pack in hand), or the batch's own where it was
    not packed into coded packs."""
    gtin = product_gtin(conn, lot_code)
    packs = packs_of(conn, batch_row(conn, lot_code)["id"]) if gtin else []
    serial = packs[0].serial if packs else None
    return build_digital_link(base_url, lot_code, gtin, serial)


# Pack labels per batch on the demo's sheet: enough to show that each pack has its own code.
PACK_LABELS_SHOWN = 3


def demo_labels(conn: psycopg.Connection) -> list[LabelData]:
    """For every demo batch still in hand: its case label, then the first few of its packs'
    labels (each with its own serial and the pack's net content)."""
    labels = []
    for lot in lot_codes(conn, in_hand=True):
        case = load_label_data(conn, lot)
        if case is not None:
            labels.append(case)
        labels += (load_pack_labels(conn, lot) or [])[:PACK_LABELS_SHOWN]
    return labels


def write_label_sheet(conn: psycopg.Connection, base_url: str, path: Path) -> Path:
    """The demo's labels on A4 sheets."""
    path.write_bytes(render_label_sheet(demo_labels(conn), base_url))
    return path
