"""Counted deliveries of redelivered messages, so one that keeps failing can be parked."""

from typing import Any

import psycopg
from psycopg.rows import tuple_row


def count_deliveries(conn: psycopg.Connection, messages: list[tuple[str, str]]) -> dict[str, int]:
    """Add one attempt per (fingerprint, topic) and return each one's attempts so far.

    The caller commits at once: the count must survive the crash it is there to detect.
    """
    if not messages:
        return {}
    unique = sorted(dict(messages).items())
    rows = (
        conn.cursor(row_factory=tuple_row)
        .execute(
            "INSERT INTO message_deliveries (fingerprint, topic, attempts)"
            " SELECT fingerprint, topic, 1 FROM unnest(%s::text[], %s::text[])"
            "   AS given (fingerprint, topic)"
            " ON CONFLICT (fingerprint) DO UPDATE SET"
            "  attempts = message_deliveries.attempts + 1, last_attempt_at = now()"
            " RETURNING fingerprint, attempts",
            ([f for f, _ in unique], [t for _, t in unique]),
        )
        .fetchall()
    )
    return {fingerprint: attempts for fingerprint, attempts in rows}


def forget_deliveries(cur: psycopg.Cursor[Any], fingerprints: list[str]) -> None:
    """In the transaction that stored (or parked) the messages: they are done with."""
    if fingerprints:
        cur.execute(
            "DELETE FROM message_deliveries WHERE fingerprint = ANY(%s)", (sorted(fingerprints),)
        )
