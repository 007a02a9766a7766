"""Summary versions kept in memory per process, dropped the moment the database changes them.

The page's hot path is then no database round trip at all: the version (the ETag) comes from
here, the rendered page from the render cache. A trigger announces every summary change with
``NOTIFY farmtrace_summaries`` at commit; a listener thread clears the cache when one arrives.
A generation counter keeps a read that raced with a change from being cached, and a short
time-to-live bounds staleness should the listening connection ever be lost unnoticed.
"""

import logging
import threading
import time

import psycopg

from store.summaries import SummaryHead, listen_for_summary_changes

log = logging.getLogger(__name__)

# Seconds between attempts to listen again after the listening connection failed.
RELISTEN_DELAY_S = 1.0
# How often the listener wakes to check whether it should stop.
LISTEN_POLL_S = 0.5


class SummaryHeads:
    def __init__(self, ttl_s: float) -> None:
        self._ttl_s = ttl_s
        self._entries: dict[str, tuple[SummaryHead, float]] = {}
        self._lock = threading.Lock()
        self.generation = 0
        # Nothing is cached until a listener confirms it hears changes.
        self.listening = False

    def get(self, lot_code: str) -> SummaryHead | None:
        found = self._entries.get(lot_code)
        if found is None or time.monotonic() > found[1]:
            return None
        return found[0]

    def put(self, lot_code: str, head: SummaryHead, generation: int) -> None:
        """Cache a head read while the generation was ``generation``, unless a change came
        in since (the read may predate it)."""
        if self._ttl_s <= 0 or head.stale:
            return
        with self._lock:
            if self.listening and generation == self.generation:
                self._entries[lot_code] = (head, time.monotonic() + self._ttl_s)

    def invalidate(self) -> None:
        with self._lock:
            self.generation += 1
            self._entries.clear()


class SummaryListener:
    """A thread holding one connection that listens for summary changes."""

    def __init__(self, database_url: str, heads: SummaryHeads) -> None:
        self._database_url = database_url
        self._heads = heads
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="summary-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._database_url, autocommit=True) as conn:
                    listen_for_summary_changes(conn)
                    self._heads.invalidate()
                    self._heads.listening = True
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=LISTEN_POLL_S):
                            self._heads.invalidate()
            except psycopg.Error:
                log.warning("summary listener lost its connection; listening again shortly")
            finally:
                self._heads.listening = False
                self._heads.invalidate()
            self._stopping.wait(RELISTEN_DELAY_S)
