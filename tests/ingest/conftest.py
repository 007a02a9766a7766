"""Fixtures for the collector: registered devices, collectors run as `python -m farmtrace`."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from store.devices import add_device
from tests.servers import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
DEVICE_IDS = ["truck-01", "truck-02", "room-cold-1"]
WAIT_TIMEOUT_S = 60.0


@dataclass
class CollectorProcess:
    process: subprocess.Popen[bytes]
    metrics_port: int
    log: Path

    def metric(self, name: str) -> float:
        """Sum of a metric's samples as the collector's endpoint reports them."""
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            text = response.read().decode()
        return sum(
            float(line.rsplit(" ", 1)[1])
            for line in text.splitlines()
            if line.startswith(name) and not line.startswith("#")
        )

    def wait_ready(self, line: str = "subscribed") -> None:
        """Until the collector has logged ``line``: by default, until it has subscribed."""
        deadline = time.monotonic() + 15
        while f'"message": "{line}' not in self.log.read_text():
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, self.log.read_text()
            time.sleep(0.05)

    def wait_metric(self, name: str, expected: float, timeout: float = 10.0) -> float:
        """The metric once it reaches ``expected`` (counted just after the commit)."""
        deadline = time.monotonic() + timeout
        while (value := self.metric(name)) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        return value

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def devices(db: psycopg.Connection) -> dict[str, str]:
    """The test fleet, registered: device id → MQTT password."""
    passwords = {
        device_id: add_device(db, device_id, "temperature_logger") for device_id in DEVICE_IDS
    }
    db.commit()
    return passwords


@pytest.fixture
def collector_factory(tmp_path: Path) -> Iterator[Callable[..., CollectorProcess]]:
    """Start `farmtrace ingest` subprocesses; each test gets its own client ids."""
    started: list[CollectorProcess] = []
    run_id = uuid.uuid4().hex[:8]

    def start(
        database_url: str,
        mqtt_url: str,
        name: str = "a",
        ready: str = "subscribed",
        **settings: str,
    ) -> CollectorProcess:
        """A collector; one with a ``name`` already running waits as its standby."""
        port = free_port()
        env = {
            **os.environ,
            "FARMTRACE_DATABASE_URL": database_url,
            "FARMTRACE_MQTT_URL": mqtt_url,
            "FARMTRACE_INGEST_CLIENT_ID": f"ingest-test-{run_id}-{name}",
            "FARMTRACE_LOG_LEVEL": "DEBUG",
            **{f"FARMTRACE_{key.upper()}": value for key, value in settings.items()},
        }
        log = tmp_path / f"collector-{name}-{len(started)}.log"
        with log.open("ab") as sink:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "farmtrace",
                    "ingest",
                    "--metrics-port",
                    str(port),
                    "--metrics-host",
                    "127.0.0.1",
                ],
                cwd=REPO_ROOT,
                env=env,
                stdout=sink,
                stderr=sink,
            )
        collector = CollectorProcess(process, port, log)
        started.append(collector)
        collector.wait_ready(ready)
        return collector

    yield start
    for collector in started:
        if collector.process.poll() is None:
            collector.kill()


def count_rows(database_url: str, table: str = "readings") -> int:
    with psycopg.connect(database_url, connect_timeout=5) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}".encode()).fetchone()
        assert row is not None
        return int(row[0])


def wait_for_rows(
    database_url: str, expected: int, table: str = "readings", timeout: float = WAIT_TIMEOUT_S
) -> int:
    """Wait until the table holds ``expected`` rows (or the timeout passes); return the count."""
    deadline = time.monotonic() + timeout
    count = -1
    while time.monotonic() < deadline:
        try:
            count = count_rows(database_url, table)
        except psycopg.OperationalError:
            count = -1
        if count >= expected:
            # Linger briefly: more rows than expected would be a bug worth seeing.
            time.sleep(0.3)
            return count_rows(database_url, table)
        time.sleep(0.1)
    return count


def stored_readings(database_url: str) -> set[tuple[str, str, float, float]]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT device_id, metric, extract(epoch FROM time)::float8, value FROM readings"
        ).fetchall()
    return {(device_id, metric, round(when, 6), value) for device_id, metric, when, value in rows}


def rounded(readings: set[tuple[str, str, float, float]]) -> set[tuple[str, str, float, float]]:
    """Times to the microsecond, as PostgreSQL keeps them."""
    return {
        (device_id, metric, round(when, 6), value) for device_id, metric, when, value in readings
    }
