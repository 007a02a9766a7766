"""The dead-letter table: refused input kept with its reason, counted when it comes again."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import psycopg
from psycopg.rows import tuple_row


class Letter(Protocol):
    """What a refused message or record carries into the table (ingest builds them)."""

    @property
    def topic(self) -> str: ...
    @property
    def device_id(self) -> str | None: ...
    @property
    def record_index(self) -> int | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def payload(self) -> bytes: ...
    @property
    def payload_size(self) -> int: ...
    @property
    def fingerprint(self) -> str: ...


@dataclass(frozen=True)
class StoredDeadLetter:
    id: int
    received_at: datetime
    last_received_at: datetime
    arrivals: int
    topic: str
    device_id: str | None
    record_index: int | None
    reason: str
    payload: bytes  # bytea arrives as bytes
    payload_size: int
    fingerprint: str

    @property
    def complete(self) -> bool:
        """Whether the payload was kept whole (a capped one cannot be read again)."""
        return len(self.payload) == self.payload_size


_COLUMNS = "topic, device_id, record_index, reason, payload, payload_size, fingerprint"


def write_dead_letters(cur: psycopg.Cursor[Any], letters: Sequence[Letter]) -> int:
    """Insert or count again, in the caller's transaction; return how many rows changed."""
    if not letters:
        return 0
    arrivals = Counter(letter.fingerprint for letter in letters)
    first = {letter.fingerprint: letter for letter in reversed(letters)}
    cur.execute(
        "CREATE TEMP TABLE IF NOT EXISTS dead_letters_staging (topic text, device_id text,"
        " record_index integer, reason text, payload bytea, payload_size integer,"
        " fingerprint text, arrivals integer) ON COMMIT DELETE ROWS"
    )
    with cur.copy(f"COPY dead_letters_staging ({_COLUMNS}, arrivals) FROM STDIN") as copy:
        for fingerprint, letter in first.items():
            copy.write_row(
                (
                    letter.topic,
                    letter.device_id,
                    letter.record_index,
                    letter.reason,
                    letter.payload,
                    letter.payload_size,
                    fingerprint,
                    arrivals[fingerprint],
                )
            )
    # Sorted, so that two collectors writing the same letters lock them in one order.
    cur.execute(
        f"INSERT INTO dead_letters ({_COLUMNS}, arrivals)"
        f" SELECT {_COLUMNS}, arrivals FROM dead_letters_staging ORDER BY fingerprint"
        " ON CONFLICT (fingerprint) DO UPDATE SET"
        "  arrivals = dead_letters.arrivals + excluded.arrivals,"
        "  last_received_at = now(), reason = excluded.reason"
    )
    return cur.rowcount


def list_dead_letters(
    conn: psycopg.Connection,
    device_id: str | None = None,
    ids: list[int] | None = None,
    limit: int | None = None,
) -> list[StoredDeadLetter]:
    """Oldest first; optionally those of one device or with the given ids."""
    rows = (
        conn.cursor(row_factory=tuple_row)
        .execute(
            "SELECT id, received_at, last_received_at, arrivals, topic, device_id,"
            " record_index, reason, payload, payload_size, fingerprint FROM dead_letters"
            " WHERE (%(device)s::text IS NULL OR device_id = %(device)s)"
            "   AND (%(ids)s::bigint[] IS NULL OR id = ANY(%(ids)s))"
            " ORDER BY id LIMIT %(limit)s",
            {"device": device_id, "ids": ids, "limit": limit},
        )
        .fetchall()
    )
    return [StoredDeadLetter(*row) for row in rows]


def delete_dead_letter(conn: psycopg.Connection, letter_id: int) -> None:
    conn.execute("DELETE FROM dead_letters WHERE id = %s", (letter_id,))


def update_reason(conn: psycopg.Connection, letter_id: int, reason: str) -> None:
    """A replay refused again: the row keeps its arrivals, with today's reason."""
    conn.execute("UPDATE dead_letters SET reason = %s WHERE id = %s", (reason, letter_id))


def reason_of(conn: psycopg.Connection, fingerprint: str) -> str | None:
    row = (
        conn.cursor(row_factory=tuple_row)
        .execute("SELECT reason FROM dead_letters WHERE fingerprint = %s", (fingerprint,))
        .fetchone()
    )
    return row[0] if row else None
