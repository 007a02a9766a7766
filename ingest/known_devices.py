"""The ids of active devices, reloaded every few seconds so a revocation takes effect soon."""

import time

import psycopg

from store.devices import active_device_ids


class KnownDevices:
    def __init__(self, refresh_s: float) -> None:
        self.refresh_s = refresh_s
        # Replaced whole on refresh, so other threads may read it without a lock.
        self.ids: set[str] = set()
        self._loaded_at: float | None = None

    @property
    def loaded(self) -> bool:
        return self._loaded_at is not None

    def refresh_if_stale(self, conn: psycopg.Connection) -> None:
        now = time.monotonic()
        if self._loaded_at is not None and now - self._loaded_at < self.refresh_s:
            return
        self.ids = active_device_ids(conn)
        conn.commit()  # end the read's transaction; the next batch starts its own
        self._loaded_at = now
