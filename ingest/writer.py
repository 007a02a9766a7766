"""The writer thread: batches validated messages, writes them with COPY, then acknowledges.

paho's callbacks run on its network thread, which must keep answering the broker; all
database work happens here instead, while that thread validates the next messages. The
inbox needs no bound of its own: the broker never has more than the MQTT 5 receive maximum
of unacknowledged messages out to us. Live readings go first: when a thousand gateways
flush hours of spooled readings at once, a message whose newest reading is recent is
read and written in the next batch instead of after every spooled one received before it.
"""

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg

from ingest import metrics
from ingest.batches import Batch, BatchPolicy, Written
from ingest.conflicts import conflict_letters
from ingest.dead_letters import DeadLetter, fingerprint, refused_message
from ingest.known_devices import KnownDevices
from ingest.messages import (
    COPY_SIGNATURE,
    COPY_TRAILER,
    Limits,
    Received,
    Resolution,
    resolve_message,
)
from schemas.arrivals import LIVE_WITHIN_S
from schemas.senml import device_id_from_topic
from store.arrivals import record_arrivals
from store.dead_letters import write_dead_letters
from store.deliveries import count_deliveries, forget_deliveries

log = logging.getLogger(__name__)

# Reconnect back-off to the database: first wait and ceiling, in seconds.
DB_RETRY_FIRST_S = 0.2
DB_RETRY_MAX_S = 10.0
# Bounds how long a dead connection (pulled cable, not a refused port) blocks a flush.
DB_CONNECT_OPTIONS: dict[str, Any] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}
# A batch is first copied straight into readings, the fast path; if any of its readings is
# already stored (a redelivery), that copy is undone and the same rows go through staging
# and ON CONFLICT DO NOTHING instead, which is about half as fast.
_COLUMNS = "(time, device_id, metric, value)"
_COPY_READINGS = f"COPY readings {_COLUMNS} FROM STDIN (FORMAT BINARY)"
_CREATE_STAGING = (
    "CREATE TEMP TABLE IF NOT EXISTS readings_staging"
    " (LIKE readings INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
)
_COPY_STAGING = f"COPY readings_staging {_COLUMNS} FROM STDIN (FORMAT BINARY)"
_INSERT_READINGS = (
    f"INSERT INTO readings {_COLUMNS} SELECT {_COLUMNS[1:-1]} FROM readings_staging"
    " ON CONFLICT (device_id, metric, time) DO NOTHING"
)
# Staged readings that met a stored one of another value: kept as dead letters, not dropped.
_CONFLICTS = (
    "SELECT s.device_id, s.metric, extract(epoch FROM s.time)::float8, s.value, r.value"
    " FROM readings_staging s JOIN readings r"
    "   ON r.device_id = s.device_id AND r.metric = s.metric AND r.time = s.time"
    " WHERE r.value IS DISTINCT FROM s.value"
)
# A message the broker delivers this many times without a commit is parked as a dead letter:
# whatever fails on it, the messages queued behind it are stored. Deliveries are counted
# only for messages the broker marks as sent again, so the first delivery costs nothing.
MAX_DELIVERIES = 5

Acknowledge = Callable[[list[Received]], None]

# Messages larger than this are read on a thread of their own (see ``Writer.receive``); a
# live pack of a device's sample is a few hundred bytes, a spool's flush tens of thousands.
LARGE_MESSAGE_BYTES = 4 * 1024
# The inbox's order: a message whose newest reading is live (schemas.arrivals.LIVE_WITHIN_S)
# is written before older ones (a spool's flush); the stop sentinel comes after both.
_LIVE, _SPOOLED, _STOP = 0, 1, 2


class Writer(threading.Thread):
    def __init__(
        self,
        database_url: str,
        limits: Limits,
        policy: BatchPolicy,
        acknowledge: Acknowledge,
        device_refresh_s: float,
    ) -> None:
        super().__init__(name="farmtrace-writer", daemon=True)
        # (precedence, arrival order, message): live first, each kind in arrival order.
        self._inbox: queue.PriorityQueue[tuple[int, int, Received | None]] = queue.PriorityQueue()
        self._arrival_order = itertools.count()
        self._large: queue.SimpleQueue[Received | None] = queue.SimpleQueue()
        self._reader = threading.Thread(
            target=self._read_large, name="farmtrace-reader", daemon=True
        )
        self._database_url = database_url
        self._limits = limits
        self._policy = policy
        self._acknowledge = acknowledge
        self._devices = KnownDevices(device_refresh_s)
        self._conn: psycopg.Connection | None = None
        self._stopping = threading.Event()
        self.failed: BaseException | None = None

    def receive(self, item: Received) -> None:
        """Take a message from paho's network thread.

        It is validated there, so parsing overlaps the writer's wait on PostgreSQL; a large
        one (a spool's flush, most often) on the reader thread instead, so that reading it
        never delays the small live messages behind it. Until the device list is first
        loaded the writer validates instead: an empty list would refuse every device. A
        redelivered message is read only after its delivery is counted. Once stopping,
        messages are left unacknowledged for the broker to deliver again: taken ahead of the
        stop, a steady stream would keep the writer from ever ending.
        """
        if self._stopping.is_set():
            return
        if self._devices.loaded and not item.redelivered:
            if len(item.payload) > LARGE_MESSAGE_BYTES:
                self._large.put(item)
                return
            item.resolution = self._resolve(item)
        self._queue(item)

    def _queue(self, item: Received) -> None:
        resolution = item.resolution
        live = (
            resolution is not None
            and resolution.newest is not None
            and time.time() - resolution.newest <= LIVE_WITHIN_S
        )
        self._inbox.put((_LIVE if live else _SPOOLED, next(self._arrival_order), item))

    def _read_large(self) -> None:
        """The reader thread: validates large messages, then queues them like the rest."""
        while (item := self._large.get()) is not None:
            item.resolution = self._resolve(item)
            self._queue(item)

    def start(self) -> None:
        self._reader.start()
        super().start()

    def stop(self) -> None:
        """Flush what has arrived, acknowledge it, and end (used on SIGTERM)."""
        self._stopping.set()
        self._large.put(None)
        self._inbox.put((_STOP, next(self._arrival_order), None))

    def run(self) -> None:
        try:
            self._loop()
        except BaseException as error:  # the collector exits non-zero rather than hang
            self.failed = error
            log.exception("writer thread failed")
            raise
        finally:
            if self._conn is not None:
                self._conn.close()

    def _loop(self) -> None:
        # Runs until the sentinel that stop() queues: what arrived before it is still written.
        while True:
            conn = self._connection()
            if conn is None:
                return
            try:
                self._devices.refresh_if_stale(conn)
            except psycopg.OperationalError as error:
                self._lost_database(error)
                continue
            batch, ended = self._collect()
            if batch.messages and not self._flush(batch):
                return  # stopping while the database is away: unacknowledged, so redelivered
            if ended:
                return

    def _collect(self) -> tuple[Batch, bool]:
        """Take messages until the batch is full or its deadline passes; True at the end."""
        batch = Batch()
        policy = self._policy
        get = self._inbox.get
        deadline = None
        while True:
            try:
                if deadline is None:
                    # Idle: wake now and then to keep the device list fresh.
                    _, _, item = get(timeout=self._devices.refresh_s)
                else:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return batch, False
                    _, _, item = get(timeout=remaining)
            except queue.Empty:
                return batch, False
            if item is None:
                return batch, True
            if deadline is None:
                batch.started = time.monotonic()
                deadline = batch.started + policy.max_wait_s
            self._add(batch, item)
            if batch.rows >= policy.max_rows or len(batch.messages) >= policy.max_messages:
                return batch, False

    def _resolve(self, item: Received) -> Resolution:
        return resolve_message(
            item.topic, item.payload, self._devices.ids, time.time(), self._limits
        )

    def _add(self, batch: Batch, item: Received) -> None:
        batch.messages.append(item)
        if item.redelivered:
            batch.redelivered.append(item)
            return
        self._sort(batch, item, item.resolution or self._resolve(item))

    def _sort(self, batch: Batch, item: Received, resolution: Resolution) -> None:
        if resolution.unknown_device is not None:
            batch.unknown.append((item, resolution))
        else:
            batch.take(item, resolution)

    def _settle(self, conn: psycopg.Connection, batch: Batch) -> None:
        """Count redeliveries and look unknown devices up; repeatable after an outage."""
        if batch.redelivered:
            keys = [(fingerprint(m.topic, m.payload, None), m.topic) for m in batch.redelivered]
            attempts = count_deliveries(conn, keys)
            conn.commit()
            for item, (key, _) in zip(batch.redelivered, keys, strict=True):
                batch.delivery_fingerprints.append(key)
                if attempts[key] > MAX_DELIVERIES:
                    batch.take(item, self._parked(item, attempts[key]))
                else:
                    self._sort(batch, item, self._resolve(item))
            batch.redelivered = []
        while batch.unknown:
            item, resolution = batch.unknown[0]
            device_id = resolution.unknown_device
            assert device_id is not None
            if self._devices.look_up(conn, device_id):
                resolution = self._resolve(item)
            batch.take(item, resolution)
            batch.unknown.pop(0)

    def _parked(self, item: Received, attempts: int) -> Resolution:
        metrics.DEAD_LETTERS.labels("parked").inc()
        reason = f"redelivered {attempts} times without being stored; parked"
        return Resolution(dead_letters=[self._refused(item, reason)])

    def _flush(self, batch: Batch) -> bool:
        """Write and commit the batch, retrying until it is stored; False if told to stop.

        An outage is waited out. Anything else the database refuses is the batch's
        content: its messages are then written one by one, and those refused become
        dead letters, so no input can stop the writer.
        """
        while True:
            conn = self._connection()
            if conn is None:
                return False
            began = time.perf_counter()
            try:
                self._settle(conn, batch)
                written = write_batch(conn, batch, self._limits.dead_letter_payload_cap)
            except psycopg.Error as error:
                if self._is_outage(error, conn):
                    metrics.FLUSH_ERRORS.inc()
                    self._lost_database(error)
                    continue
                log.warning("database refused a batch; writing its messages one by one",
                            extra={"error": str(error)})  # fmt: skip
                try:
                    written = self._write_one_by_one(conn, batch)
                except psycopg.Error as error:
                    if not self._is_outage(error, conn):
                        raise
                    metrics.FLUSH_ERRORS.inc()
                    self._lost_database(error)
                    continue
            break
        committed = time.time()
        self._acknowledge(batch.messages)
        elapsed = time.perf_counter() - began
        self._count(batch, written, committed, elapsed)
        return True

    def _write_one_by_one(self, conn: psycopg.Connection, batch: Batch) -> Written:
        inserted = letters = conflicts = 0
        cap = self._limits.dead_letter_payload_cap
        for item, resolution in batch.resolutions:
            single = Batch()
            single.take(item, resolution)
            try:
                written = write_batch(conn, single, cap)
            except psycopg.Error as error:
                if self._is_outage(error, conn):
                    raise
                reason = f"the database refused it: {type(error).__name__}: {error}"
                single = Batch()
                single.take(item, Resolution(dead_letters=[self._refused(item, reason)]))
                written = write_batch(conn, single, cap)
            inserted += written.inserted
            letters += written.letters
            conflicts += written.conflicts
        with conn.transaction(), conn.cursor() as cur:
            forget_deliveries(cur, batch.delivery_fingerprints)
        return Written(inserted, letters, conflicts)

    def _refused(self, item: Received, reason: str) -> DeadLetter:
        return refused_message(
            item.topic,
            device_id_from_topic(item.topic),
            item.payload,
            reason,
            self._limits.dead_letter_payload_cap,
        )

    @staticmethod
    def _is_outage(error: psycopg.Error, conn: psycopg.Connection) -> bool:
        """The database away or overloaded, as opposed to refusing what it was sent."""
        return isinstance(error, psycopg.OperationalError) or conn.closed or conn.broken

    def _count(self, batch: Batch, written: Written, committed: float, elapsed: float) -> None:
        metrics.FLUSH_SECONDS.observe(elapsed)
        metrics.ROWS_WRITTEN.inc(written.inserted)
        metrics.DUPLICATES.inc(batch.rows - written.inserted - written.conflicts)
        refused_messages = sum(1 for letter in batch.dead_letters if letter.record_index is None)
        metrics.MESSAGES.labels("refused").inc(refused_messages)
        metrics.MESSAGES.labels("stored").inc(len(batch.messages) - refused_messages)
        if batch.dead_letters:
            metrics.DEAD_LETTERS.labels("message").inc(refused_messages)
            metrics.DEAD_LETTERS.labels("record").inc(len(batch.dead_letters) - refused_messages)
        if written.conflicts:
            metrics.DEAD_LETTERS.labels("conflict").inc(written.conflicts)
        for newest in batch.newest_times:
            metrics.LAG_SECONDS.observe(committed - newest)
        log.debug(
            "batch committed",
            extra={
                "messages": len(batch.messages),
                "rows": batch.rows,
                "inserted": written.inserted,
                "duplicates": batch.rows - written.inserted - written.conflicts,
                "conflicts": written.conflicts,
                "dead_letters": len(batch.dead_letters),
                "dead_letter_rows": written.letters,
                "flush_s": round(elapsed, 4),
            },
        )

    def _connection(self) -> psycopg.Connection | None:
        """The open connection, reconnecting with back-off; None if told to stop meanwhile."""
        delay = DB_RETRY_FIRST_S
        while self._conn is None or self._conn.closed:
            try:
                conn = psycopg.connect(self._database_url, **DB_CONNECT_OPTIONS)
                conn.execute(_CREATE_STAGING)
                conn.commit()
                self._conn = conn
                log.info("database connected")
            except psycopg.OperationalError as error:
                log.warning(
                    "database unreachable", extra={"error": str(error), "retry_in_s": delay}
                )
                if self._stopping.wait(delay) or self._stopping.is_set():
                    return None
                delay = min(delay * 2, DB_RETRY_MAX_S)
        return self._conn

    def _lost_database(self, error: psycopg.Error) -> None:
        log.warning("database write failed; retrying", extra={"error": str(error)})
        if self._conn is not None:
            self._conn.close()
        self._conn = None


def write_batch(conn: psycopg.Connection, batch: Batch, payload_cap: int) -> Written:
    """Store a batch's readings, arrivals and dead letters in one transaction."""
    with conn.transaction(), conn.cursor() as cur:
        inserted, conflicts = (
            _write_readings(conn, cur, batch, payload_cap) if batch.rows else (0, [])
        )
        # Alarms and page summaries follow new readings through this outbox; a
        # redelivered message adds an arrival too, which costs a recomputation only.
        record_arrivals(conn, list(batch.arrivals.values()))
        letters = write_dead_letters(cur, batch.dead_letters + conflicts)
        forget_deliveries(cur, batch.delivery_fingerprints)
    return Written(inserted, letters, len(conflicts))


def _write_readings(
    conn: psycopg.Connection, cur: psycopg.Cursor[Any], batch: Batch, payload_cap: int
) -> tuple[int, list[DeadLetter]]:
    """Store the batch's readings; return how many were new, and conflicting duplicates."""
    data = b"".join([COPY_SIGNATURE, *batch.copy_parts, COPY_TRAILER])
    try:
        # A savepoint: a duplicate undoes only this copy, not the batch's transaction.
        with conn.transaction(), cur.copy(_COPY_READINGS) as copy:
            copy.write(data)
        return batch.rows, []
    except psycopg.errors.UniqueViolation:
        with cur.copy(_COPY_STAGING) as copy:
            copy.write(data)
        cur.execute(_INSERT_READINGS)
        inserted = cur.rowcount
        cur.execute(_CONFLICTS)
        return inserted, conflict_letters(cur.fetchall(), payload_cap)
