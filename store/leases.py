"""Session-level advisory locks: one holder at a time, released when its connection ends."""

import hashlib

import psycopg
from psycopg.rows import tuple_row


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a name (advisory locks are keyed by bigint)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def try_hold(conn: psycopg.Connection, key: int) -> bool:
    """Take the lock on ``conn`` (autocommit) if free; it lasts as long as the connection."""
    row = (
        conn.cursor(row_factory=tuple_row)
        .execute("SELECT pg_try_advisory_lock(%s)", (key,))
        .fetchone()
    )
    return bool(row and row[0])


def still_connected(conn: psycopg.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except psycopg.OperationalError:
        return False
    return True
