"""Which of the collectors sharing one MQTT session is the active one.

On Mosquitto, which restores plain subscriptions after a restart but not shared ones, the
lossless layout is one active collector on a plain persistent subscription and standbys
with the same client id. Were a standby to connect while the active one runs, each would
take the session from the other in turn; so a collector connects only while it holds a
PostgreSQL advisory lock named after its client id. The lock ends with its connection, so
a standby takes over within a second or two of the active collector's death (kill -9
included) and inherits its session: what the broker queued or had in flight is delivered
to it, nothing is lost.
"""

import logging
import threading

import psycopg

from store.leases import lock_key, still_connected, try_hold

log = logging.getLogger(__name__)

# How often a standby asks for the lock, and the active collector checks it still holds it.
LOCK_POLL_S = 1.0
# Bounds how long a dead database link (not a refused port) blocks a check.
_CONNECT_TIMEOUT_S = 5


class ActiveSession:
    def __init__(self, database_url: str, client_id: str) -> None:
        self._database_url = database_url
        self._key = lock_key(f"farmtrace-ingest:{client_id}")
        self._conn: psycopg.Connection | None = None

    def wait_for_turn(self, stop: threading.Event) -> bool:
        """Block until this collector holds the lock (True) or ``stop`` is set (False)."""
        announced = False
        while not stop.is_set():
            if self._take():
                log.info("active: this collector holds the session")
                return True
            if not announced:
                log.info("standby: another collector holds the session; waiting")
                announced = True
            stop.wait(LOCK_POLL_S)
        return False

    def still_ours(self) -> bool:
        """False once another collector holds the lock (after a database restart, say).

        While the database is unreachable nobody can take the lock, so it counts as ours.
        """
        if self._conn is not None and still_connected(self._conn):
            return True
        self.release()
        return self._take() is not False

    def _take(self) -> bool | None:
        """True: held now; False: another collector holds it; None: no database to ask."""
        try:
            conn = psycopg.connect(
                self._database_url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT_S
            )
        except psycopg.OperationalError as error:
            log.warning("database unreachable for the session lock", extra={"error": str(error)})
            return None
        try:
            held = try_hold(conn, self._key)
        except psycopg.OperationalError:
            conn.close()
            return None
        if held:
            self._conn = conn
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
