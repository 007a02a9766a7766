"""The outbox of newly stored readings (see migration 0004), announced on commit (0130)."""

from datetime import timedelta

import psycopg

from schemas.arrivals import LIVE_WITHIN_S, Arrival

# The arrivals, and in the same statement the page summaries they concern marked due
# (migration 0120's function, which also marks the batches derived from those and locks in
# batch order, so two collectors marking the same batches wait, never deadlock): those of
# the batches whose custody, at a location where an arrival's device was installed,
# overlaps the time its new readings cover, late data too. The function is called only when
# some batch is concerned, as planning it costs more than the rest of the statement.
_RECORD = """
WITH recorded AS (
    INSERT INTO reading_arrivals (device_id, first_time, last_time, row_count)
    SELECT * FROM unnest(%s::text[], %s::timestamptz[], %s::timestamptz[], %s::int[])
    RETURNING device_id, first_time, last_time
), concerned AS (
    SELECT ARRAY(
        SELECT DISTINCT c.batch_id
        FROM recorded a
        JOIN device_installations i
          ON i.device_id = a.device_id AND i.during && tstzrange(a.first_time, a.last_time, '[]')
        JOIN custody c
          ON c.location = i.location AND c.during && i.during
         AND c.during && tstzrange(a.first_time, a.last_time, '[]')
        ORDER BY c.batch_id
    ) AS batch_ids
)
SELECT mark_batch_summaries_due(batch_ids) FROM concerned WHERE cardinality(batch_ids) > 0
"""


def record_arrivals(conn: psycopg.Connection, arrivals: list[Arrival]) -> None:
    """Add arrivals in the caller's transaction, beside the readings they describe, and mark
    the page summaries they concern due there too: the summary workers need not wait for the
    watcher's round, which a flush of spooled readings had held back for tens of seconds. A
    summary rebuilt before that round reads the pending arrivals' hours raw
    (``store.history.pending_arrivals``)."""
    if not arrivals:
        return
    conn.execute(
        _RECORD,
        (
            [a.device_id for a in arrivals],
            [a.first_time for a in arrivals],
            [a.last_time for a in arrivals],
            [a.row_count for a in arrivals],
        ),
    )


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
