"""The outbox of newly stored readings (see migration 0004), announced on commit (0130)."""

import psycopg

from schemas.arrivals import Arrival


def record_arrivals(conn: psycopg.Connection, arrivals: list[Arrival]) -> None:
    """Add arrivals in the caller's transaction, beside the readings they describe."""
    if not arrivals:
        return
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO reading_arrivals (device_id, first_time, last_time, row_count)"
            " VALUES (%s, %s, %s, %s)",
            [(a.device_id, a.first_time, a.last_time, a.row_count) for a in arrivals],
        )


def take_arrivals(conn: psycopg.Connection, limit: int = 10_000) -> list[Arrival]:
    """Remove and return pending arrivals, merged per device; commit with the work they caused.

    Rows locked by another consumer are skipped, so two watchers never handle one arrival.
    """
    rows = conn.execute(
        "WITH taken AS (DELETE FROM reading_arrivals WHERE id IN ("
        "   SELECT id FROM reading_arrivals ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)"
        " RETURNING device_id, first_time, last_time, row_count)"
        " SELECT device_id, min(first_time), max(last_time), sum(row_count)::int"
        " FROM taken GROUP BY device_id ORDER BY device_id",
        (limit,),
    ).fetchall()
    return [Arrival(*row) for row in rows]


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
