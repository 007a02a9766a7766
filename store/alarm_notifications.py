"""The outbox of alarm notifications: written with each alarm change, delivered after it.

A watcher claims due notifications for a lease, sends them with no transaction open, then
marks each sent or failed; a failed one is due again after a delay that doubles with every
attempt, until it has been failing for ``GIVE_UP_AFTER``; it then stays in the table with its
last error for an operator to see.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import psycopg

from store.alarms import get_alarm
from store.db import rows

# Long enough for one round of sends; a claim its watcher never settles lapses after it.
CLAIM_LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=10)
LONGEST_RETRY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=3)


@dataclass(frozen=True)
class PendingNotification:
    id: int
    event: str
    attempts: int
    payload: dict[str, Any]


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 10 s, 20 s, 40 s … at most 1 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def claim_notifications(conn: psycopg.Connection, limit: int = 100) -> list[PendingNotification]:
    """Claim due, undelivered notifications for ``CLAIM_LEASE``, skipping others' claims."""
    with conn.transaction():
        found = rows(
            conn,
            "UPDATE alarm_notifications SET claimed_until = now() + %(lease)s"
            " WHERE id IN (SELECT id FROM alarm_notifications"
            "   WHERE sent_at IS NULL AND next_attempt_at <= now()"
            "     AND (claimed_until IS NULL OR claimed_until < now())"
            "     AND created_at > now() - %(give_up)s"
            "   ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED)"
            " RETURNING id, alarm_id, event, attempts, created_at",
            {"lease": CLAIM_LEASE, "give_up": GIVE_UP_AFTER, "limit": limit},
        )
        return [
            PendingNotification(
                row["id"],
                row["event"],
                row["attempts"],
                {
                    "event": row["event"],
                    "notification_id": row["id"],
                    "created_at": row["created_at"].isoformat(),
                    "alarm": get_alarm(conn, row["alarm_id"]).model_dump(mode="json"),
                },
            )
            for row in sorted(found, key=lambda row: row["id"])
        ]


def mark_sent(conn: psycopg.Connection, notification_id: int) -> None:
    conn.execute(
        "UPDATE alarm_notifications"
        " SET sent_at = now(), attempts = attempts + 1, claimed_until = NULL WHERE id = %s",
        (notification_id,),
    )


def mark_failed(conn: psycopg.Connection, notification: PendingNotification, error: str) -> None:
    """Record the failure and when to try again."""
    conn.execute(
        "UPDATE alarm_notifications SET attempts = attempts + 1, last_error = %s,"
        " claimed_until = NULL, next_attempt_at = now() + %s WHERE id = %s",
        (error[:500], retry_delay(notification.attempts + 1), notification.id),
    )
