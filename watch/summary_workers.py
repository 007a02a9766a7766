"""Threads of the watcher that rebuild page summaries while its main loop keeps the rounds.

A rebuild spends most of its time waiting for the database, so a few threads, each on its
own connection, rebuild several at once, and alarms never wait behind them. Summaries are
claimed with SKIP LOCKED, so two workers (or two watchers) never rebuild the same one.
"""

import logging
import threading
import time

import psycopg

from schemas.settings import Settings
from store.db import connect
from store.summaries import rebuild_summaries

log = logging.getLogger(__name__)

# With nothing to rebuild, look again after this long.
IDLE_POLL_S = 0.5
# A worker looks at its stop flag at least this often.
SLICE_S = 1.0
# After a failure, wait this long before connecting again.
RETRY_DELAY_S = 5.0


class SummaryWorkers:
    def __init__(self, settings: Settings, count: int) -> None:
        self.settings = settings
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._work, name=f"summaries-{n}", daemon=True)
            for n in range(count)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def _work(self) -> None:
        while not self.stopping.is_set():
            try:
                with connect(self.settings.database_url, autocommit=True) as conn:
                    while not self.stopping.is_set():
                        if not rebuild_summaries(conn, time.monotonic() + SLICE_S):
                            self.stopping.wait(IDLE_POLL_S)
            except psycopg.OperationalError as error:
                log.warning("database unavailable; retrying", extra={"error": str(error)})
                self.stopping.wait(RETRY_DELAY_S)
            except Exception:
                # A bug must not end page summaries for good: log it, start over.
                log.exception("summary worker failed; restarting")
                self.stopping.wait(RETRY_DELAY_S)
