"""`farmtrace api` serves from as many worker processes as asked, spreads connections, and
one scrape of `/metrics` counts what every worker served."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.parser import text_string_to_metric_families

from tests.farmtrace.processes import spawned_children
from tests.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = 40
# Requests sent at most while waiting for the kernel to route some to each worker.
MAX_PROBES = 400


def _sockets(pid: int) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:
            continue
    return count


def _counter_file(pid: int) -> Path | None:
    """The file where the worker writes its counters (it keeps it open), if it has one yet."""
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if target.name == f"counter_{pid}.db":
            return target
    return None


def _unmatched_counted(pid: int) -> float:
    """Requests to unknown paths this worker has counted, read from its own counter file."""
    found = _counter_file(pid)
    if found is None:
        return 0.0
    total = 0.0
    for key, value, _timestamp, _position in MmapedDict.read_all_values_from_file(str(found)):
        metric, _name, labels, _help = json.loads(key)
        if metric == "farmtrace_http_requests" and labels.get("route") == "unmatched":
            total += value
    return total


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def two_workers(database_url: str) -> Iterator[tuple[int, list[int]]]:
    port = free_port()
    env = {**os.environ, "FARMTRACE_SECRET_KEY": secrets.token_urlsafe(32)}
    server = subprocess.Popen(
        [sys.executable, "-m", "farmtrace", "api", "--port", str(port), "--workers", "2",
         "--database-url", database_url],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port("127.0.0.1", port, timeout=60)
        deadline = time.monotonic() + 60
        while len(spawned_children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        for _ in range(20):  # both workers answering: each has opened its pool by now
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
                assert answer.status == 200
        yield port, spawned_children(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_two_workers_each_take_a_fair_share_of_new_connections(
    two_workers: tuple[int, list[int]],
) -> None:
    port, workers = two_workers
    assert len(workers) == 2
    before = {pid: _sockets(pid) for pid in workers}
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTIONS)]
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            gained = {pid: _sockets(pid) - before[pid] for pid in workers}
            if sum(gained.values()) >= CONNECTIONS:
                break
            time.sleep(0.1)
        # Binomially spread by the kernel: fewer than 8 of 40 on one worker has odds of 1e-5.
        assert sum(gained.values()) == CONNECTIONS
        assert min(gained.values()) >= 8, gained
    finally:
        for client in clients:
            client.close()


def test_one_scrape_of_metrics_counts_the_requests_every_worker_served(
    two_workers: tuple[int, list[int]],
) -> None:
    port, workers = two_workers
    assert len(workers) == 2
    sent = 0
    # Each request opens a new connection, which the kernel hands to either worker's socket.
    while sent < MAX_PROBES and min(_unmatched_counted(pid) for pid in workers) == 0:
        for _ in range(10):
            # Two segments: a one-segment path may be a compressed Digital Link.
            assert _get(port, f"/no-such/page-{sent}") == 404
            sent += 1
    # A worker counts a request just after its answer has gone out.
    deadline = time.monotonic() + 10
    served = {pid: _unmatched_counted(pid) for pid in workers}
    while sum(served.values()) < sent and time.monotonic() < deadline:
        time.sleep(0.05)
        served = {pid: _unmatched_counted(pid) for pid in workers}
    assert min(served.values()) > 0 and sum(served.values()) == sent, served
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
        text = answer.read().decode()
    counted = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "farmtrace_http_requests_total" and sample.labels["route"] == "unmatched"
    ]
    assert counted == [sent], (served, counted)
