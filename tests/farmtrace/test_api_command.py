"""`farmtrace api` serves with the number of worker processes asked for."""

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_api_workers_serve_from_as_many_processes(database_url: str) -> None:
    port = free_port()
    env = {**os.environ, "FARMTRACE_SECRET_KEY": secrets.token_urlsafe(32)}
    server = subprocess.Popen(
        [sys.executable, "-m", "farmtrace", "api", "--port", str(port), "--workers", "2",
         "--database-url", database_url],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_port("127.0.0.1", port, timeout=30)
        deadline = time.monotonic() + 30
        while len(_children(server.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)  # two workers beside multiprocessing's resource tracker
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            assert answer.status == 200
        workers = [
            pid for pid in _children(server.pid)
            if b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()
            and b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]  # fmt: skip
        assert len(workers) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
