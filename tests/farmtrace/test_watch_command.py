"""`farmtrace watch` runs its summary workers as processes and takes them along when it stops,
on SIGTERM as on Ctrl-C, or when it is killed outright."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.farmtrace.processes import spawned_children

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(condition: object, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_the_watcher_takes_its_summary_workers_along_when_it_stops(
    clean_database: str, how: signal.Signals
) -> None:
    env = {**os.environ, "FARMTRACE_DATABASE_URL": clean_database}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "farmtrace", "watch", "--interval", "1", "--summary-workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    workers: list[int] = []
    try:
        _wait(lambda: len(spawned_children(watcher.pid)) == 2, 30)
        workers = spawned_children(watcher.pid)
        watcher.send_signal(how)
        watcher.wait(20)
        if how != signal.SIGKILL:
            assert watcher.returncode == 0, watcher.stderr.read() if watcher.stderr else ""
        # Killed outright, the watcher cannot stop them: its workers notice and exit.
        _wait(lambda: not any(_alive(pid) for pid in workers), 15)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait(10)
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
