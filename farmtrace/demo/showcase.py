"""What the demo points a first-time visitor at: a batch whose cold chain held, one that
suffered the compressor failure, and a sheet of printable case and pack labels."""

from dataclasses import dataclass
from pathlib import Path

import psycopg

from labels import build_digital_link, render_label_sheet
from schemas.labels import LabelData
from store.batches import lot_codes, product_gtin
from store.cold_chain_summary import cold_chain_of
from store.custody import lots_kept_cold
from store.labels import load_label_data, load_pack_labels


@dataclass(frozen=True)
class Showcase:
    held: str | None
    excursion: str | None

    @property
    def complete(self) -> bool:
        return self.held is not None and self.excursion is not None


def find_showcase(conn: psycopg.Connection) -> Showcase:
    """The first held and the first excursion batch still in hand (a consumed parent's code is
    on no pack), judged as their pages judge them."""
    held = excursion = None
    for lot_code in lots_kept_cold(conn):
        verdict = cold_chain_of(conn, lot_code).verdict
        if verdict == "held" and held is None:
            held = lot_code
        elif verdict == "excursions" and excursion is None:
            excursion = lot_code
    return Showcase(held, excursion)


def provenance_url(conn: psycopg.Connection, base_url: str, lot_code: str) -> str:
    """The URI the batch's QR code carries."""
    return build_digital_link(base_url, lot_code, product_gtin(conn, lot_code))


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
