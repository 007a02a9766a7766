"""The ids of active devices, reloaded every few seconds so a revocation takes effect soon.

A device missing from the list is looked up in the registry before it is refused, so what
a device publishes right after `farmtrace devices add` returns is stored.
"""

import time

import psycopg

from store.devices import active_device_ids, device_is_active


class KnownDevices:
    def __init__(self, refresh_s: float) -> None:
        self.refresh_s = refresh_s
        # Replaced whole on refresh, so other threads may read it without a lock.
        self.ids: set[str] = set()
        self._loaded_at: float | None = None
        # Looked up and not found, until the next reload: a refused device costs one query.
        self._absent: set[str] = set()

    @property
    def loaded(self) -> bool:
        return self._loaded_at is not None

    def refresh_if_stale(self, conn: psycopg.Connection) -> None:
        now = time.monotonic()
        if self._loaded_at is not None and now - self._loaded_at < self.refresh_s:
            return
        self.ids = active_device_ids(conn)
        conn.commit()  # end the read's transaction; the next batch starts its own
        self._absent = set()
        self._loaded_at = now

    def look_up(self, conn: psycopg.Connection, device_id: str) -> bool:
        """Whether the registry holds ``device_id`` as active now; the list learns it."""
        if device_id in self.ids:
            return True
        if device_id in self._absent:
            return False
        active = device_is_active(conn, device_id)
        conn.commit()
        if active:
            self.ids = self.ids | {device_id}
        else:
            self._absent.add(device_id)
        return active
