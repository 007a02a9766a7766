"""The outbox of newly stored readings (see migration 0004), announced on commit (0130)."""

from datetime import timedelta

import psycopg

from schemas.arrivals import LIVE_WITHIN_S, Arrival
from store.summaries import marking_summaries_due

# The arrivals, and the page summaries they concern marked due, in one statement.
_RECORD = (
    """
WITH recorded AS (
    INSERT INTO reading_arrivals (device_id, first_time, last_time, row_count)
    SELECT * FROM unnest(%s::text[], %s::timestamptz[], %s::timestamptz[], %s::int[])
    RETURNING device_id, first_time, last_time
)
"""
    + marking_summaries_due("recorded")
)


def record_arrivals(conn: psycopg.Connection, arrivals: list[Arrival]) -> int:
    """Add arrivals in the caller's transaction, beside the readings they describe, and mark
    the page summaries they concern due there too (returns how many): the summary workers
    need not wait for the watcher's round, which a flush of spooled readings had held back
    for tens of seconds."""
    if not arrivals:
        return 0
    marked = conn.execute(
        _RECORD,
        (
            [a.device_id for a in arrivals],
            [a.first_time for a in arrivals],
            [a.last_time for a in arrivals],
            [a.row_count for a in arrivals],
        ),
    ).fetchone()
    return int(marked[0]) if marked else 0


_TAKE = """
WITH candidates AS (
    SELECT id, row_count, last_time >= now() - %(live)s AS live FROM reading_arrivals
    ORDER BY live DESC, id
    LIMIT %(limit)s FOR UPDATE SKIP LOCKED
), chosen AS (
    SELECT id FROM (
        SELECT id, sum(row_count) OVER (ORDER BY live DESC, id) - row_count AS before
        FROM candidates
    ) AS running
    WHERE %(readings)s::bigint IS NULL OR before < %(readings)s
), taken AS (
    DELETE FROM reading_arrivals WHERE id IN (SELECT id FROM chosen)
    RETURNING device_id, first_time, last_time, row_count
)
SELECT device_id, min(first_time), max(last_time), sum(row_count)::int
FROM taken GROUP BY device_id ORDER BY device_id
"""


def take_arrivals(
    conn: psycopg.Connection, limit: int = 10_000, readings: int | None = None
) -> list[Arrival]:
    """Remove and return pending arrivals, merged per device; commit with the work they caused.
    Live ones (``LIVE_WITHIN_S``) come first, then the oldest, up to ``readings`` readings
    (always one arrival): the live fleet's alarms and page summaries never wait for a whole
    flush of spooled readings. Rows locked by another consumer are skipped, so two watchers
    never handle one arrival.
    """
    rows = conn.execute(
        _TAKE,
        {
            "live": timedelta(seconds=LIVE_WITHIN_S),
            "limit": limit,
            "readings": readings,
        },
    ).fetchall()
    return [Arrival(*row) for row in rows]


def arrivals_waiting(conn: psycopg.Connection) -> bool:
    """Whether arrivals are pending (a round left some for the next, or new ones came)."""
    found = conn.execute("SELECT EXISTS (SELECT FROM reading_arrivals)").fetchone()
    return bool(found and found[0])


# Migration 0130's trigger notifies this channel when a transaction records arrivals.
ARRIVALS_CHANNEL = "farmtrace_arrivals"


def listen_for_arrivals(conn: psycopg.Connection) -> None:
    """Subscribe an autocommit connection to new arrivals (see ``wait_for_arrivals``)."""
    conn.execute(f"LISTEN {ARRIVALS_CHANNEL}")


def wait_for_arrivals(conn: psycopg.Connection, timeout_s: float) -> bool:
    """Wait up to ``timeout_s`` for arrivals announced since the last wait; True if any were.

    Announcements that came while the connection ran queries were kept by psycopg and count;
    all of them are taken, so the next wait starts afresh.
    """
    return bool(list(conn.notifies(timeout=max(0.0, timeout_s), stop_after=1)))
