"""What the demo points a first-time visitor at: a batch whose cold chain held, one that
suffered the compressor failure, and a sheet of printable labels."""

from dataclasses import dataclass
from pathlib import Path

import psycopg

from labels import build_digital_link, render_label_sheet
from store.findings import batch_verdict
from store.labels import load_label_data


@dataclass(frozen=True)
class Showcase:
    held: str | None
    excursion: str | None

    @property
    def complete(self) -> bool:
        return self.held is not None and self.excursion is not None


def find_showcase(conn: psycopg.Connection) -> Showcase:
    """The first held and the first excursion batch, among those kept in the cold chain."""
    lots = conn.execute(
        "SELECT DISTINCT b.lot_code, b.received_at FROM batches b"
        " JOIN custody c ON c.batch_id = b.id JOIN locations l ON l.code = c.location"
        " WHERE l.kind IN ('cold_store', 'warehouse', 'truck') ORDER BY b.received_at"
    ).fetchall()
    held = excursion = None
    for lot_code, _ in lots:
        verdict = batch_verdict(conn, lot_code)
        if verdict == "held" and held is None:
            held = lot_code
        elif verdict == "excursions" and excursion is None:
            excursion = lot_code
    return Showcase(held, excursion)


def provenance_url(conn: psycopg.Connection, base_url: str, lot_code: str) -> str:
    """The URI the batch's QR code carries."""
    row = conn.execute(
        "SELECT p.gtin FROM batches b JOIN products p ON p.code = b.product WHERE b.lot_code = %s",
        (lot_code,),
    ).fetchone()
    return build_digital_link(base_url, lot_code, row[0] if row else None)


def write_label_sheet(conn: psycopg.Connection, base_url: str, path: Path) -> Path:
    """One label for every demo batch, on A4 sheets."""
    lots = [row[0] for row in conn.execute("SELECT lot_code FROM batches ORDER BY received_at")]
    labels = [label for lot in lots if (label := load_label_data(conn, lot)) is not None]
    path.write_bytes(render_label_sheet(labels, base_url))
    return path
