"""The outbox of alarm notifications: written with each alarm change, delivered after it."""

from dataclasses import dataclass
from typing import Any

import psycopg

from store.alarms import get_alarm
from store.batches import rows

# A notification that keeps failing stops being retried after this many attempts; it stays
# in the table with its last error for an operator to see.
MAX_ATTEMPTS = 20


@dataclass(frozen=True)
class PendingNotification:
    id: int
    event: str
    payload: dict[str, Any]


def pending_notifications(conn: psycopg.Connection, limit: int = 100) -> list[PendingNotification]:
    """Lock and return undelivered notifications (skipping those another watcher holds)."""
    found = rows(
        conn,
        "SELECT id, alarm_id, event, created_at FROM alarm_notifications"
        " WHERE sent_at IS NULL AND attempts < %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
        (MAX_ATTEMPTS, limit),
    )
    return [
        PendingNotification(
            row["id"],
            row["event"],
            {
                "event": row["event"],
                "notification_id": row["id"],
                "created_at": row["created_at"].isoformat(),
                "alarm": get_alarm(conn, row["alarm_id"]).model_dump(mode="json"),
            },
        )
        for row in found
    ]


def mark_sent(conn: psycopg.Connection, notification_id: int) -> None:
    conn.execute(
        "UPDATE alarm_notifications SET sent_at = now(), attempts = attempts + 1 WHERE id = %s",
        (notification_id,),
    )


def mark_failed(conn: psycopg.Connection, notification_id: int, error: str) -> None:
    conn.execute(
        "UPDATE alarm_notifications SET attempts = attempts + 1, last_error = %s WHERE id = %s",
        (error[:500], notification_id),
    )
