"""Throwaway PostgreSQL clusters and Mosquitto brokers that tests start, stop and restart.

They live in folders made outside pytest's temporary tree, because when the suite runs as
root the servers run as the ``postgres`` user, who cannot enter pytest's private folders.
"""

import shutil
import tempfile
from pathlib import Path

from farmtrace.servers.mosquitto import MosquittoBroker
from farmtrace.servers.network import free_port, port_open, wait_for_port
from farmtrace.servers.postgres import PostgresCluster, timescaledb_installed

__all__ = [
    "PrivateMosquitto",
    "PrivatePostgres",
    "free_port",
    "port_open",
    "timescaledb_installed",
    "wait_for_port",
]


class PrivatePostgres(PostgresCluster):
    """A throwaway cluster on a free port, initialised at once. TimescaleDB's scheduler does
    not run in it: a job refreshing an aggregate mid-test would hide the months-old readings
    tests insert below the aggregate's watermark, so tests run jobs with ``CALL run_job``
    (a test of the scheduler itself asks for ``scheduled_jobs``)."""

    def __init__(self, timescaledb: bool = False, scheduled_jobs: bool = False) -> None:
        super().__init__(
            Path(tempfile.mkdtemp(prefix="farmtrace-pg-")),
            free_port(),
            timescaledb=timescaledb,
            durable=False,
            scheduled_jobs=scheduled_jobs,
        )
        self.init()

    def destroy(self) -> None:
        self.stop_quietly()
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateMosquitto(MosquittoBroker):
    """A throwaway broker with whatever extra configuration the test needs."""

    def __init__(
        self, extra_config: str = "", anonymous: bool = True, port: int | None = None
    ) -> None:
        super().__init__(
            Path(tempfile.mkdtemp(prefix="farmtrace-mqtt-")),
            port or free_port(),
            extra_config,
            anonymous,
        )

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
