"""Stored provenance summaries: read one cheaply, recompute stale ones, follow new readings.

Writers mark summaries stale in their own transaction (triggers of migration 0030); a stale
summary is recomputed by the next request that needs it, or by the watcher through
``rebuild_summaries``. New readings mark summaries due instead (migration 0120), in the
transaction that stores them (``store.arrivals.record_arrivals``): the page keeps its
summary until ``rebuild_summaries`` recomputes the cold chain. Each recompute takes a new
``version``, which pages use as their ETag.
"""

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic import ValidationError

from schemas.codes import normalize_lot_code
from schemas.provenance import ProvenanceSummary
from store.cold_chain_summary import cold_chains_of
from store.db import database_now, lean_settings, rows
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
# Due summaries rebuilt per transaction: their rows stay locked while computed, so several
# watchers share the work (SKIP LOCKED) and a staff write waits for one group at most.
REBUILD_GROUP = 10

_HEAD = """
SELECT b.id AS batch_id, b.lot_code, p.gtin, coalesce(s.version, 0) AS version,
       coalesce(s.stale, true) AS stale, p.name_zh AS product_name_zh,
       coalesce(p.name_en, '') AS product_name_en
FROM batches b JOIN products p ON p.code = b.product
LEFT JOIN batch_summaries s ON s.batch_id = b.id
WHERE b.lot_code = %s
"""

# Summaries to rebuild, claimed a group at a time: stale ones (a writer changed what the page
# shows), then due ones (new readings), oldest mark first. Batches whose rebuild failed in
# this pass are left out, so one bad batch cannot hold the queue.
_CLAIM_STALE = """
SELECT s.batch_id, b.lot_code, true AS whole
FROM batch_summaries s JOIN batches b ON b.id = s.batch_id
WHERE s.stale AND s.batch_id <> ALL(%s)
ORDER BY s.batch_id
LIMIT %s
FOR UPDATE OF s SKIP LOCKED
"""

_CLAIM_DUE = """
SELECT s.batch_id, b.lot_code, s.stale OR s.summary IS NULL AS whole
FROM batch_summaries s JOIN batches b ON b.id = s.batch_id
WHERE s.readings_due_since IS NOT NULL AND s.batch_id <> ALL(%s)
ORDER BY s.readings_due_since, s.batch_id
LIMIT %s
FOR UPDATE OF s SKIP LOCKED
"""

# A group's summaries in one statement: whole ones replaced, due ones given their new cold
# chain (``whole`` false), each a new version. The documents come as JSON text that pydantic
# wrote, in a binary array: a text-format array would escape every quote in them.
_WRITE_GROUP = """
UPDATE batch_summaries s
SET summary = CASE WHEN w.whole THEN w.doc::jsonb
                   ELSE jsonb_set(s.summary, '{cold_chain}', w.doc::jsonb) END,
    stale = CASE WHEN w.whole THEN false ELSE s.stale END,
    readings_due_since = NULL, computed_at = now(),
    version = nextval('batch_summary_versions')
FROM unnest(%s::bigint[], %s::bool[], %b::text[]) AS w(batch_id, whole, doc)
WHERE s.batch_id = w.batch_id
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
            conn,
            "SELECT version, stale, changes, readings_marks FROM batch_summaries"
            " WHERE batch_id = %s",
            (batch_id,),
        )[0]
        if not current["stale"] and not force:
            break
        summary = compute_summary(conn, batch_id)
        written = rows(
            conn,
            "UPDATE batch_summaries SET summary = %s, stale = false, computed_at = now(),"
            " version = nextval('batch_summary_versions'), readings_due_since = CASE"
            " WHEN readings_marks = %s THEN NULL ELSE readings_due_since END"
            " WHERE batch_id = %s AND changes = %s RETURNING version",
            (
                Jsonb(summary.model_dump(mode="json")),
                current["readings_marks"],
                batch_id,
                current["changes"],
            ),
        )
        if written:
            return int(written[0]["version"])
    return int(current["version"])


def rebuild_summaries(conn: psycopg.Connection, deadline: float | None = None) -> int:
    """Rebuild stale summaries, then due ones, until none is left or the ``time.monotonic``
    ``deadline`` has passed; returns how many were rebuilt. Call on an autocommit connection.

    A due summary that no writer made stale gets only its cold chain recomputed: the rest
    depends on records whose writers would have marked it stale. A batch whose rebuild fails
    is logged and skipped for the rest of this call (a due one goes to the back of the queue).
    """
    rebuilt = 0
    failed: list[int] = []
    for claim in (_CLAIM_STALE, _CLAIM_DUE):
        while deadline is None or time.monotonic() < deadline:
            with conn.transaction():
                lean_settings(conn)
                now = database_now(conn)
                claimed = rows(conn, claim, (failed, REBUILD_GROUP))
                refused = _rebuild_group(conn, claimed, now)
            rebuilt += len(claimed) - len(refused)
            failed += refused
            if len(claimed) < REBUILD_GROUP:
                break
    return rebuilt


@dataclass(frozen=True)
class _Rebuilt:
    batch_id: int
    whole: bool
    doc: str


def _rebuild_group(
    conn: psycopg.Connection, claimed: list[dict[str, Any]], now: datetime
) -> list[int]:
    """Rebuild the claimed summaries and write them in one statement; returns the batches
    that failed. Should one fail, the group is rolled back and rebuilt one by one."""
    if _rebuilt_or_error(conn, claimed, now) is None:
        return []
    log.info("a summary of the group failed; rebuilding them one by one")
    failed = []
    for row in claimed:
        error = _rebuilt_or_error(conn, [row], now)
        if error is None:
            continue
        # Whatever one batch's records hold, the other pages are still rebuilt.
        log.error("the summary of batch %s could not be rebuilt", row["batch_id"], exc_info=error)
        conn.execute(
            "UPDATE batch_summaries SET readings_due_since = now()"
            " WHERE batch_id = %s AND readings_due_since IS NOT NULL",
            (row["batch_id"],),
        )
        failed.append(row["batch_id"])
    return failed


def _rebuilt_or_error(
    conn: psycopg.Connection, claimed: list[dict[str, Any]], now: datetime
) -> Exception | None:
    """Rebuild and write these summaries in a savepoint; what failed, rolled back, if any
    (a lost connection is raised: that is no batch's fault)."""
    try:
        with conn.transaction():
            _write(conn, _computed(conn, claimed, now))
        return None
    except psycopg.OperationalError:
        raise
    except Exception as error:
        return error


def _computed(
    conn: psycopg.Connection, claimed: list[dict[str, Any]], now: datetime
) -> list[_Rebuilt]:
    """Whole summaries one by one; the due ones' cold chains together (custody read once)."""
    due = [row["lot_code"] for row in claimed if not row["whole"]]
    cold_chains = cold_chains_of(conn, due, now) if due else {}
    rebuilt = []
    for row in claimed:
        if row["whole"]:
            document = compute_summary(conn, row["batch_id"]).model_dump_json()
        else:
            document = cold_chains[row["lot_code"]].model_dump_json()
        rebuilt.append(_Rebuilt(row["batch_id"], row["whole"], document))
    return rebuilt


def _write(conn: psycopg.Connection, rebuilt: list[_Rebuilt]) -> None:
    if rebuilt:
        conn.execute(
            _WRITE_GROUP,
            (
                [r.batch_id for r in rebuilt],
                [r.whole for r in rebuilt],
                [r.doc for r in rebuilt],
            ),
        )


# Migration 0030's triggers notify this channel when a summary changes or goes stale.
SUMMARY_CHANNEL = "farmtrace_summaries"


def listen_for_summary_changes(conn: psycopg.Connection) -> None:
    """Subscribe an autocommit connection to summary changes (read with ``conn.notifies``)."""
    conn.execute(f"LISTEN {SUMMARY_CHANNEL}")
