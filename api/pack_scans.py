"""What a pack's page says of its own code: how often it was scanned, since when, and whether
it is scanned as a single pack would not be (``schemas.scans.CopyRule``).

Each process reads a serial's history once, then counts its own scans in memory, and reads
again after ``PACK_VIEW_TTL_S`` so that other processes' scans show: a busy pack costs one
query every few seconds, not one per scan. Nothing about the scanner is kept.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from psycopg_pool import ConnectionPool

from schemas.district_time import DISTRICT_TIME
from schemas.scans import CopyRule, SerialHistory
from store.scans import serial_history

# Long enough that a pack scanned in a burst is read once, short enough that a count from
# another API process shows within seconds (its scan log writes every second).
PACK_VIEW_TTL_S = 5.0
# Serials whose view a process keeps; each is a few hundred bytes.
PACK_VIEWS_KEPT = 20_000


@dataclass(frozen=True)
class PackScan:
    """This scan of a pack, as its page tells it."""

    number: int
    first: datetime
    days: int
    is_pack: bool
    batch_has_packs: bool
    looks_copied: bool


@dataclass
class _View:
    history: SerialHistory
    read_at: float
    counted_here: int


class PackScans:
    def __init__(self, pool: ConnectionPool, rule: CopyRule) -> None:
        self._pool = pool
        self._rule = rule
        self._views: OrderedDict[tuple[str, str], _View] = OrderedDict()
        self._lock = threading.Lock()

    def _read(self, lot_code: str, serial: str) -> SerialHistory:
        with self._pool.connection() as conn:
            conn.autocommit = True
            return serial_history(conn, lot_code, serial)

    def scanned(self, lot_code: str, serial: str) -> PackScan:
        """Count one scan of the serial and say what its page should (call off the event loop:
        it may read the database)."""
        key = (lot_code, serial)
        now = time.monotonic()
        with self._lock:
            view = self._views.get(key)
        if view is None or now - view.read_at > PACK_VIEW_TTL_S:
            # The scan log has written this process's earlier scans by now (every second).
            view = _View(self._read(lot_code, serial), now, 0)
        moment = datetime.now(UTC)
        view.counted_here += 1
        view.history = replace(
            view.history,
            first=view.history.first or moment,
            days=view.history.days | {moment.astimezone(DISTRICT_TIME).date()},
        )
        with self._lock:
            self._views[key] = view
            self._views.move_to_end(key)
            if len(self._views) > PACK_VIEWS_KEPT:
                self._views.popitem(last=False)
        history = view.history
        number = history.count + view.counted_here
        assert history.first is not None
        return PackScan(
            number=number,
            first=history.first,
            days=len(history.days),
            is_pack=history.is_pack,
            batch_has_packs=history.batch_has_packs,
            looks_copied=self._rule.looks_copied(number, len(history.days)),
        )
