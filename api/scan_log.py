"""Scans are logged in memory and written in the background, so a scan costs no round trip.

A flusher thread writes the buffer every ``SCAN_FLUSH_INTERVAL_S`` or as soon as
``SCAN_FLUSH_ROWS`` wait; what is buffered when a process dies uncleanly is lost (at most
about a second of scans), which a statistic can afford and a page's speed cannot.
"""

import logging
import re
import threading
from datetime import UTC, datetime

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from store.scans import Scan, record_scans

log = logging.getLogger(__name__)

# About one second of staleness in the scan counts, for one write per second per process.
SCAN_FLUSH_INTERVAL_S = 1.0
SCAN_FLUSH_ROWS = 500
# A database outage must not grow the buffer without bound: beyond this, scans are dropped.
SCAN_BUFFER_CAP = 50_000

# Coarse client types, tried in order; WeChat and Alipay's in-app browsers say who they are.
_CLIENTS = (
    ("wechat", re.compile(r"MicroMessenger|WeChat|WXWork", re.IGNORECASE)),
    ("alipay", re.compile(r"AlipayClient|AliApp\(AP", re.IGNORECASE)),
    ("bot", re.compile(r"bot\b|spider|crawl|slurp|curl/|wget/|python|httpx|wrk|headless",
                       re.IGNORECASE)),
    ("browser", re.compile(r"Mozilla/|Opera/", re.IGNORECASE)),
)  # fmt: skip


def client_kind(user_agent: str | None) -> str:
    if not user_agent:
        return "other"
    for kind, pattern in _CLIENTS:
        if pattern.search(user_agent):
            return kind
    return "other"


class ScanLog:
    """A per-process buffer of scans and the thread that writes it."""

    def __init__(self, pool: ConnectionPool, interval_s: float = SCAN_FLUSH_INTERVAL_S) -> None:
        self._pool = pool
        self._interval_s = interval_s
        self._pending: list[Scan] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="scan-log", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def add(self, lot_code: str, serial: str | None, language: str, user_agent: str | None) -> None:
        scan = Scan(datetime.now(UTC), lot_code, serial, language, client_kind(user_agent))
        with self._lock:
            if len(self._pending) < SCAN_BUFFER_CAP:
                self._pending.append(scan)
            if len(self._pending) >= SCAN_FLUSH_ROWS:
                self._wake.set()

    def flush(self) -> None:
        with self._lock:
            taken, self._pending = self._pending, []
        if not taken:
            return
        try:
            with self._pool.connection() as conn:
                record_scans(conn, taken)
        except (psycopg.Error, PoolTimeout):
            log.warning("could not write %d scans; keeping them for the next try", len(taken))
            with self._lock:
                self._pending = (taken + self._pending)[:SCAN_BUFFER_CAP]

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(self._interval_s)
            self._wake.clear()
            self.flush()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self.flush()
