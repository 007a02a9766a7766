"""`farmtrace demo` from a fresh home: reaches ready, serves pages, stops leaving nothing behind."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from farmtrace.demo.home import DemoHome
from farmtrace.servers.network import free_port

ROOT = Path(__file__).resolve().parents[2]
READY_WITHIN_S = 120.0
STOPPED_WITHIN_S = 60.0

pytestmark = pytest.mark.slow


def _fetch(url: str) -> tuple[int, str]:
    headers = {"Accept-Language": "zh-CN", "Accept": "text/html"}
    answer = httpx.get(url, headers=headers, timeout=10)
    return answer.status_code, answer.text


def _processes_mentioning(*needles: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if any(needle in command for needle in needles):
            found.append(f"{entry.name}: {command}")
    return found


@pytest.fixture
def demo_home(tmp_path: Path) -> Iterator[Path]:
    home = tmp_path / "demo-home"
    yield home
    shutil.rmtree(DemoHome(home).postgres.parent, ignore_errors=True)


@pytest.mark.parametrize(
    "servers",
    [
        pytest.param([], id="machine-servers"),
        # What a machine with nothing but Python runs: the wheel's PostgreSQL and amqtt.
        pytest.param(["--postgres", "pip", "--broker", "amqtt"], id="pip-servers"),
    ],
)
def test_demo_starts_serves_and_stops_cleanly(demo_home: Path, servers: list[str]) -> None:
    port = free_port()
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("FARMTRACE_")
    }
    demo = subprocess.Popen(
        [
            *(sys.executable, "-m", "farmtrace", "demo"),
            *("--home", str(demo_home), "--port", str(port), *servers),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    assert demo.stdout is not None
    printed: list[str] = []
    try:
        deadline = time.monotonic() + READY_WITHIN_S
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            printed.append(line)
            if line.startswith("Ctrl-C"):
                break
        output = "".join(printed)
        assert "ready" in output, output
        base = f"http://127.0.0.1:{port}"
        assert _fetch(f"{base}/healthz")[0] == 200
        for console in ("staff", "inspect"):
            assert _fetch(f"{base}/{console}")[0] == 303  # to the sign-in page
        assert _fetch(f"{base}/login")[0] == 200
        pages = re.findall(rf"{re.escape(base)}/(?:l|01)/\S+", output)
        assert len(pages) >= 2, output
        for page in pages:
            status, body = _fetch(page)
            assert status == 200, page
            assert 'lang="zh-CN"' in body
        sheet = re.search(r"label sheet[^:]*:\s*(\S+\.pdf)", output)
        assert sheet and Path(sheet.group(1)).read_bytes().startswith(b"%PDF"), output
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=STOPPED_WITHIN_S)
    assert demo.returncode == 0, "".join(printed) + (demo.stdout.read() or "")
    leftovers = _processes_mentioning(str(demo_home), str(DemoHome(demo_home).postgres))
    assert leftovers == []
