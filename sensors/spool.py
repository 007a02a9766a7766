"""The durable spool: every sample is written here before anything is sent.

SQLite in WAL mode with ``synchronous=FULL``: a gateway may lose power at any moment, and
in WAL mode ``NORMAL`` can roll back the last commits on power loss (it is only safe against
a process crash). A gateway commits a few times a minute, so an fsync per commit costs
nothing that matters, and it is what makes "written" mean "kept".

Records leave the spool only when the broker acknowledged the message that carried them.
Readings whose time cannot be trusted (the clock was unset) wait in a separate ``held``
table until the clock is set; see ``sensors.clock``.
"""

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas.sensor_metrics import METRICS
from sensors.samples import Sample

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: acknowledgements name id ranges
    time REAL NOT NULL,
    name TEXT NOT NULL,
    value REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS held (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,      -- what the unset clock read
    monotonic REAL NOT NULL, -- seconds since boot, to place the reading once the clock is set
    boot_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS source_state (name TEXT PRIMARY KEY, state TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class SpooledRecord:
    id: int
    time: float
    name: str
    value: float | bool


class Spool:
    """One gateway's spool. Not thread-safe: the agent's main thread owns it."""

    def __init__(self, path: Path, max_records: int) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.max_records = max_records
        # Built in one thread and then used by the agent's loop thread, one at a time.
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self.depth: int = self._db.execute("SELECT count(*) FROM records").fetchone()[0]
        self.held: int = self._db.execute("SELECT count(*) FROM held").fetchone()[0]
        row = self._db.execute("SELECT value FROM counters WHERE name = 'dropped'").fetchone()
        self.dropped: int = int(row[0]) if row else 0

    def close(self) -> None:
        self._db.close()

    def append(self, samples: Iterable[Sample], source_state: dict[str, Any] | None = None) -> int:
        """Store samples, and a source's position with them in the same transaction.

        Storing a replay source's position atomically with its rows is what keeps a
        restarted agent from reading a row twice or skipping one.
        """
        rows = [
            (sample.time, name, float(value))
            for sample in samples
            for name, value in sample.values.items()
        ]
        with self._transaction():
            self._db.executemany("INSERT INTO records (time, name, value) VALUES (?, ?, ?)", rows)
            self._save_state(source_state)
            self.depth += len(rows)
            self._enforce_cap()
        return len(rows)

    def hold(
        self,
        samples: Iterable[Sample],
        monotonic: float,
        boot_id: str,
        source_state: dict[str, Any] | None = None,
    ) -> None:
        rows = [
            (sample.time, monotonic, boot_id, name, float(value))
            for sample in samples
            for name, value in sample.values.items()
        ]
        with self._transaction():
            self._db.executemany(
                "INSERT INTO held (time, monotonic, boot_id, name, value) VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            self._save_state(source_state)
            self.held += len(rows)
            overflow = self.held - self.max_records
            if overflow > 0:
                self._drop_oldest("held", overflow)
                self.held -= overflow

    def release_held(self, wall_now: float, monotonic_now: float, boot_id: str) -> int:
        """Give held readings of this boot their true time and queue them for sending.

        Readings held during an earlier boot cannot be placed in time (the monotonic clock
        restarted), so they are dropped and counted rather than sent with a wrong time.
        """
        with self._transaction():
            moved = self._db.execute(
                "INSERT INTO records (time, name, value)"
                " SELECT ? - (? - monotonic), name, value FROM held WHERE boot_id = ? ORDER BY id",
                (wall_now, monotonic_now, boot_id),
            ).rowcount
            lost = self._db.execute("DELETE FROM held WHERE boot_id != ?", (boot_id,)).rowcount
            self._db.execute("DELETE FROM held")
            self._count_dropped(lost)
            self.held = 0
            self.depth += moved
            self._enforce_cap()
        return moved

    def oldest(self, after_id: int, limit: int) -> list[SpooledRecord]:
        """The next records to send, oldest first, after the last one already handed out."""
        rows = self._db.execute(
            "SELECT id, time, name, value FROM records WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        ).fetchall()
        return [SpooledRecord(row[0], row[1], row[2], _decode(row[2], row[3])) for row in rows]

    def acknowledge(self, id_ranges: Iterable[tuple[int, int]]) -> int:
        """Delete the records of acknowledged messages (each an inclusive id range)."""
        deleted = 0
        with self._transaction():
            for first, last in id_ranges:
                deleted += self._db.execute(
                    "DELETE FROM records WHERE id BETWEEN ? AND ?", (first, last)
                ).rowcount
        self.depth -= deleted
        return deleted

    def source_state(self, name: str) -> dict[str, Any] | None:
        row = self._db.execute("SELECT state FROM source_state WHERE name = ?", (name,)).fetchone()
        return json.loads(row[0]) if row else None

    def _save_state(self, source_state: dict[str, Any] | None) -> None:
        for name, state in (source_state or {}).items():
            self._db.execute(
                "INSERT INTO source_state (name, state) VALUES (?, ?)"
                " ON CONFLICT (name) DO UPDATE SET state = excluded.state",
                (name, json.dumps(state)),
            )

    def _enforce_cap(self) -> None:
        overflow = self.depth - self.max_records
        if overflow > 0:
            self._drop_oldest("records", overflow)
            self.depth -= overflow

    def _drop_oldest(self, table: str, count: int) -> None:
        self._db.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT ?)",
            (count,),
        )
        self._count_dropped(count)

    def _count_dropped(self, count: int) -> None:
        if count:
            self._db.execute(
                "INSERT INTO counters (name, value) VALUES ('dropped', ?)"
                " ON CONFLICT (name) DO UPDATE SET value = value + excluded.value",
                (count,),
            )
            self.dropped += count

    def _transaction(self) -> "_Transaction":
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on error (the connection is in autocommit)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._db.execute("COMMIT" if kind is None else "ROLLBACK")


def _decode(name: str, value: float) -> float | bool:
    metric = METRICS.get(name)
    return bool(value) if metric is not None and metric.boolean else value
