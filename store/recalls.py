"""Recalls: trace forward from a batch, a harvest lot or a producer and mark every batch
holding that produce recalled, in one transaction, so every page shows it at once."""

import psycopg

from schemas.recalls import RecallCreate, RecalledBatch, RecallPublic
from store import audit
from store.batches import batch_row
from store.db import rows
from store.errors import InvalidReferenceError, NotFoundError
from store.genealogy import batches_from_harvest_lots, descendant_ids

_RECALLED = """
SELECT b.lot_code, b.product, b.quantity::float8 AS quantity, b.unit, b.status,
       c.location, l.name AS location_name, b.recalled_at
FROM recall_batches rb
JOIN batches b ON b.id = rb.batch_id
LEFT JOIN custody c ON c.batch_id = b.id AND upper_inf(c.during)
LEFT JOIN locations l ON l.code = c.location
WHERE rb.recall_id = %s
ORDER BY b.received_at, b.id
"""


def _scope(conn: psycopg.Connection, recall: RecallCreate) -> tuple[str, str, list[int]]:
    """(scope, reference, batch ids reached)."""
    if recall.batch is not None:
        batch = batch_row(conn, recall.batch)
        return "batch", batch["lot_code"], [batch["id"], *descendant_ids(conn, [batch["id"]])]
    if recall.harvest_lot is not None:
        if not rows(conn, "SELECT 1 FROM harvest_lots WHERE id = %s", (recall.harvest_lot,)):
            raise InvalidReferenceError(f"no harvest lot {recall.harvest_lot}")
        return (
            "harvest_lot",
            str(recall.harvest_lot),
            batches_from_harvest_lots(conn, [recall.harvest_lot]),
        )
    assert recall.producer is not None
    if not rows(conn, "SELECT 1 FROM producers WHERE code = %s", (recall.producer,)):
        raise InvalidReferenceError(f"unknown producer {recall.producer!r}")
    harvests = [
        row["id"]
        for row in rows(conn, "SELECT id FROM harvest_lots WHERE producer = %s", (recall.producer,))
    ]
    return "producer", recall.producer, batches_from_harvest_lots(conn, harvests)


def recall_batches(
    conn: psycopg.Connection, recall: RecallCreate, user_id: int | None
) -> RecallPublic:
    """Mark everything reached recalled; a batch recalled before keeps its first date."""
    with conn.transaction():
        scope, reference, batch_ids = _scope(conn, recall)
        if not batch_ids:
            raise InvalidReferenceError(f"no batch holds produce of {scope} {reference}")
        # Lock in id order, as merges do, so concurrent writers cannot deadlock with us.
        rows(conn, "SELECT id FROM batches WHERE id = ANY(%s) ORDER BY id FOR UPDATE", (batch_ids,))
        recall_id = rows(
            conn,
            "INSERT INTO recalls (scope, reference, reason, recalled_by) VALUES (%s, %s, %s, %s)"
            " RETURNING id",
            (scope, reference, recall.reason, user_id),
        )[0]["id"]
        conn.execute(
            "UPDATE batches SET recalled_at = coalesce(recalled_at, now()),"
            " recall_reason = coalesce(recall_reason, %s) WHERE id = ANY(%s)",
            (recall.reason, batch_ids),
        )
        conn.execute(
            "INSERT INTO recall_batches (recall_id, batch_id) SELECT %s, unnest(%s::bigint[])",
            (recall_id, batch_ids),
        )
        public = get_recall(conn, recall_id)
        audit.record(
            conn, user_id, "recall", f"{scope} {reference}",
            {"reason": recall.reason, "recall": recall_id,
             "batches": [b.lot_code for b in public.batches]},
        )  # fmt: skip
    return public


def get_recall(conn: psycopg.Connection, recall_id: int) -> RecallPublic:
    found = rows(
        conn,
        "SELECT id, scope, reference, reason, recalled_at FROM recalls WHERE id = %s",
        (recall_id,),
    )
    if not found:
        raise NotFoundError(f"no recall {recall_id}")
    batches = [RecalledBatch(**row) for row in rows(conn, _RECALLED, (recall_id,))]
    return RecallPublic(**found[0], batches=batches)


def recall_reason(conn: psycopg.Connection, lot_code: str) -> str | None:
    """Why the batch was recalled, or None when it was not."""
    found = rows(conn, "SELECT recall_reason FROM batches WHERE lot_code = %s", (lot_code,))
    return found[0]["recall_reason"] if found else None
