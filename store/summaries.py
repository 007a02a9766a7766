"""Stored provenance summaries: read one cheaply, recompute stale ones, follow new readings.

Writers mark summaries stale in their own transaction (triggers of migration 0030); a stale
summary is recomputed by the next request that needs it, or by the watcher through
``refresh_stale_summaries`` and ``refresh_summaries_for_arrivals``. Each recompute takes a new
``version``, which pages use as their ETag.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic import ValidationError

from schemas.arrivals import Arrival
from schemas.codes import normalize_lot_code
from schemas.provenance import ProvenanceSummary
from store.db import rows
from store.genealogy import descendant_ids
from store.provenance import compute_summary


@dataclass(frozen=True)
class SummaryHead:
    """What a request needs before deciding whether to render: the batch and the version."""

    batch_id: int
    lot_code: str
    gtin: str | None
    version: int
    stale: bool
    # The product's names, for the resolver's linkset (its itemDescription).
    product_name_zh: str = ""
    product_name_en: str = ""


log = logging.getLogger(__name__)

# Recomputes of one summary in a row before leaving it stale for the next reader.
RECOMPUTE_ATTEMPTS = 3

_HEAD = """
SELECT b.id AS batch_id, b.lot_code, p.gtin, coalesce(s.version, 0) AS version,
       coalesce(s.stale, true) AS stale, p.name_zh AS product_name_zh,
       coalesce(p.name_en, '') AS product_name_en
FROM batches b JOIN products p ON p.code = b.product
LEFT JOIN batch_summaries s ON s.batch_id = b.id
WHERE b.lot_code = %s
"""

# The batches whose custody, at a location where one of these devices was installed, overlaps
# the time the device's new readings cover.
_BATCHES_FOR_ARRIVALS = """
SELECT DISTINCT c.batch_id
FROM unnest(%s::text[], %s::timestamptz[], %s::timestamptz[]) AS a(device_id, first_time, last_time)
JOIN device_installations i
  ON i.device_id = a.device_id AND i.during && tstzrange(a.first_time, a.last_time, '[]')
JOIN custody c
  ON c.location = i.location AND c.during && i.during
 AND c.during && tstzrange(a.first_time, a.last_time, '[]')
ORDER BY c.batch_id
"""


def summary_head(conn: psycopg.Connection, lot_code: str) -> SummaryHead | None:
    found = rows(conn, _HEAD, (normalize_lot_code(lot_code),))
    return SummaryHead(**found[0]) if found else None


def fresh_head(conn: psycopg.Connection, lot_code: str) -> SummaryHead | None:
    """The batch's head, recomputing its summary first when it is stale or missing."""
    head = summary_head(conn, lot_code)
    if head is None or not head.stale:
        return head
    refresh_summary(conn, head.batch_id)
    return summary_head(conn, lot_code)


def load_summary(conn: psycopg.Connection, batch_id: int) -> tuple[int, ProvenanceSummary]:
    """The stored summary and its version (recomputed first if it was never computed)."""
    found = rows(
        conn, "SELECT version, summary FROM batch_summaries WHERE batch_id = %s", (batch_id,)
    )
    if found and found[0]["summary"] is not None:
        try:
            return found[0]["version"], ProvenanceSummary.model_validate(found[0]["summary"])
        except ValidationError:
            log.info("summary of batch %s has an older shape; recomputing it", batch_id)
    refresh_summary(conn, batch_id, force=True)
    found = rows(
        conn, "SELECT version, summary FROM batch_summaries WHERE batch_id = %s", (batch_id,)
    )
    return found[0]["version"], ProvenanceSummary.model_validate(found[0]["summary"])


def refresh_summary(conn: psycopg.Connection, batch_id: int, force: bool = False) -> int:
    """Recompute one summary if it is stale (or ``force``); returns the current version.

    Optimistic: the result is written only if no writer marked the summary stale while it
    was computed (``changes`` unchanged); otherwise it is computed again, a few times at most,
    and the summary stays stale for the next reader if changes keep coming.
    """
    conn.execute(
        "INSERT INTO batch_summaries (batch_id) VALUES (%s) ON CONFLICT DO NOTHING", (batch_id,)
    )
    current: dict[str, Any] = {}
    for _ in range(RECOMPUTE_ATTEMPTS):
        current = rows(
            conn, "SELECT version, stale, changes FROM batch_summaries WHERE batch_id = %s",
            (batch_id,),
        )[0]  # fmt: skip
        if not current["stale"] and not force:
            break
        summary = compute_summary(conn, batch_id)
        written = rows(
            conn,
            "UPDATE batch_summaries SET summary = %s, stale = false, computed_at = now(),"
            " version = nextval('batch_summary_versions')"
            " WHERE batch_id = %s AND changes = %s RETURNING version",
            (Jsonb(summary.model_dump(mode="json")), batch_id, current["changes"]),
        )
        if written:
            return int(written[0]["version"])
    return int(current["version"])


def refresh_stale_summaries(conn: psycopg.Connection, limit: int = 100) -> int:
    """Recompute up to ``limit`` stale summaries; returns how many were recomputed."""
    stale = rows(
        conn, "SELECT batch_id FROM batch_summaries WHERE stale ORDER BY batch_id LIMIT %s",
        (limit,),
    )  # fmt: skip
    for row in stale:
        refresh_summary(conn, row["batch_id"])
    return len(stale)


def batches_for_arrivals(conn: psycopg.Connection, arrivals: Sequence[Arrival]) -> list[int]:
    if not arrivals:
        return []
    params: tuple[Any, ...] = (
        [arrival.device_id for arrival in arrivals],
        [arrival.first_time for arrival in arrivals],
        [arrival.last_time for arrival in arrivals],
    )
    return [row["batch_id"] for row in rows(conn, _BATCHES_FOR_ARRIVALS, params)]


def refresh_summaries_for_arrivals(conn: psycopg.Connection, arrivals: list[Arrival]) -> None:
    """The watcher's consumer of reading arrivals (``farmtrace watch``'s ``CONSUMERS``)."""
    recompute_summaries_for_arrivals(conn, arrivals)


def recompute_summaries_for_arrivals(
    conn: psycopg.Connection, arrivals: Sequence[Arrival]
) -> list[int]:
    """Recompute the summaries of every batch that new readings concern (late data too, by
    the readings' own times); returns the batch ids recomputed.

    Batches derived from those (a pack split off a batch after the readings) show their
    parents' cold chain, so they are recomputed as well. The hourly rollups the history reads
    must already cover the arrivals: the watcher refreshes them before its consumers run.
    """
    batch_ids = batches_for_arrivals(conn, arrivals)
    if not batch_ids:
        return []
    touched = sorted({*batch_ids, *descendant_ids(conn, batch_ids)})
    for batch_id in touched:
        refresh_summary(conn, batch_id, force=True)
    return touched


# Migration 0030's triggers notify this channel when a summary changes or goes stale.
SUMMARY_CHANNEL = "farmtrace_summaries"


def listen_for_summary_changes(conn: psycopg.Connection) -> None:
    """Subscribe an autocommit connection to summary changes (read with ``conn.notifies``)."""
    conn.execute(f"LISTEN {SUMMARY_CHANNEL}")
