"""`farmtrace api` serves from as many worker processes as asked, and spreads connections."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
CONNECTIONS = 40


def _workers(pid: int) -> list[int]:
    """The server's worker processes: its spawned children (not the resource tracker)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if parent == pid and b"spawn_main" in command:
            found.append(int(stat.parent.name))
    return sorted(found)


def _sockets(pid: int) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:
            continue
    return count


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
        while len(_workers(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        for _ in range(20):  # both workers answering: each has opened its pool by now
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
                assert answer.status == 200
        yield port, _workers(server.pid)
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
