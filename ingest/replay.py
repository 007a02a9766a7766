"""Refused input put through again, once its cause is mended (a device registered, a unit added).

Each dead letter is resolved as the collector would have, at the time it first arrived, so a
time relative to "now" means what it meant then. What resolves is stored (exactly once, as
readings are unique) and its dead letter removed; what is still refused stays, with today's
reason, its arrivals counted as before.
"""

from dataclasses import dataclass

import psycopg

from ingest.batches import Batch
from ingest.messages import Limits, Received, resolve_message
from ingest.writer import write_batch
from store.dead_letters import StoredDeadLetter, delete_dead_letter, reason_of, update_reason
from store.devices import active_device_ids


@dataclass(frozen=True)
class ReplayOutcome:
    replayed: int = 0
    readings: int = 0
    still_refused: int = 0


class _StillRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def replay(
    conn: psycopg.Connection, letters: list[StoredDeadLetter], limits: Limits
) -> ReplayOutcome:
    """Put each dead letter through again, one transaction each."""
    known = active_device_ids(conn)
    conn.commit()
    replayed = readings = still_refused = 0
    for letter in letters:
        try:
            readings += _replay_one(conn, letter, known, limits)
            replayed += 1
        except _StillRefused as refused:
            update_reason(conn, letter.id, refused.reason)
            conn.commit()
            still_refused += 1
    return ReplayOutcome(replayed, readings, still_refused)


def _replay_one(
    conn: psycopg.Connection, letter: StoredDeadLetter, known: set[str], limits: Limits
) -> int:
    if not letter.complete:
        raise _StillRefused(letter.reason)  # only the first bytes were kept
    resolution = resolve_message(
        letter.topic, letter.payload, known, letter.received_at.timestamp(), limits
    )
    if not resolution.rows and resolution.dead_letters:
        raise _StillRefused(resolution.dead_letters[0].reason)
    batch = Batch()
    batch.take(Received(0, 0, letter.topic, letter.payload, 0), resolution)
    with conn.transaction():
        delete_dead_letter(conn, letter.id)
        written = write_batch(conn, batch, limits.dead_letter_payload_cap)
        # A conflicting duplicate replayed meets the same stored value and is written again.
        again = reason_of(conn, letter.fingerprint) if written.conflicts else None
        if again is not None:
            raise _StillRefused(again)
    return written.inserted
