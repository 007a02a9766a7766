"""One batch with everything recorded about it: the answer of ``GET /api/v1/batches/{lot}``."""

import psycopg

from schemas.batches import BatchDetail
from store.batches import batch_row, get_batch, harvest_lots_of
from store.custody import custody_of
from store.events import events_of
from store.genealogy import genealogy_of


def batch_detail(conn: psycopg.Connection, lot_code: str) -> BatchDetail:
    """The batch with its events (corrections beside the originals), custody and genealogy."""
    batch = get_batch(conn, lot_code)
    batch_id = batch_row(conn, lot_code)["id"]
    return BatchDetail(
        **batch.model_dump(),
        harvest_lots=harvest_lots_of(conn, [batch_id]),
        events=events_of(conn, batch_id),
        custody=custody_of(conn, batch_id),
        genealogy=genealogy_of(conn, batch_id),
    )
