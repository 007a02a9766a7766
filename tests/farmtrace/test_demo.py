"""`farmtrace demo` from a fresh home: ready within its stated time, serves the pages it
prints (the village console to the agent it prints), stops on SIGINT even when started with
SIGINT ignored, and leaves nothing running."""

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.public_texts import page_text
from farmtrace.demo.home import DemoHome
from farmtrace.servers.network import free_port

ROOT = Path(__file__).resolve().parents[2]
# The README's promise for a two-core machine.
READY_WITHIN_S = 30.0
STOPPED_WITHIN_S = 60.0
# A demo still not ready by then is stopped, which ends its output and fails the test.
GIVE_UP_AFTER_S = 120.0

pytestmark = pytest.mark.slow


def _fetch(url: str, follow: bool = False) -> tuple[int, str]:
    headers = {"Accept-Language": "zh-CN", "Accept": "text/html"}
    answer = httpx.get(url, headers=headers, timeout=10, follow_redirects=follow)
    return answer.status_code, answer.text


def _village_console(base: str, password: str) -> str:
    """The village console's page, signed in through the form as the demo's agent."""
    with httpx.Client(base_url=base, headers={"Accept": "text/html"}, timeout=10) as browser:
        form = browser.get("/login").text
        token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        signed_in = browser.post(
            "/login", data={"username": "village", "password": password, "csrf_token": token}
        )
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/village"
        page = browser.get("/village")
        assert page.status_code == 200, page.text
        return page.text


def _processes_mentioning(*needles: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if any(needle in command for needle in needles):
            found.append(int(entry.name))
    return found


def _kill(pids: list[int]) -> None:
    """End what a failed test left running, by process id, so no stack outlives the test."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _ignore_sigint() -> None:
    """As a shell script starts its background jobs."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
        preexec_fn=_ignore_sigint,
    )
    assert demo.stdout is not None
    printed: list[str] = []
    started = time.monotonic()
    give_up = threading.Timer(GIVE_UP_AFTER_S, demo.send_signal, (signal.SIGINT,))
    give_up.start()
    try:
        while True:
            line = demo.stdout.readline()
            if not line:
                break
            printed.append(line)
            if line.startswith("Ctrl-C"):
                break
        took = time.monotonic() - started
        output = "".join(printed)
        assert "ready" in output, output
        assert took <= READY_WITHIN_S, f"ready after {took:.1f} s\n{output}"
        base = f"http://127.0.0.1:{port}"
        assert _fetch(f"{base}/healthz")[0] == 200
        for console in ("staff", "inspect"):
            assert _fetch(f"{base}/{console}")[0] == 303  # to the sign-in page
        assert _fetch(f"{base}/login")[0] == 200
        agent = re.search(rf"村级服务点:\s*{re.escape(base)}/village\s+\(village / (\S+),", output)
        assert agent, output
        village = _village_console(base, agent[1])
        assert "和平彝族乡服务站" in village and "阿布惹" in village
        held = re.search(rf"冷链完好:\s*({re.escape(base)}/\S+)", output)
        failed = re.search(rf"冷机故障:\s*({re.escape(base)}/\S+)", output)
        assert held and failed, output
        held_words = [page_text("verdict_held", "zh")]
        failed_words = [page_text(key, "zh") for key in ("verdict_excursions",
                                                         "verdict_excursions_ongoing")]
        for page, verdicts in ((held[1], held_words), (failed[1], failed_words)):
            assert _fetch(page)[0] == 307, page  # the Digital Link leads to the page
            status, body = _fetch(page, follow=True)
            assert status == 200, page
            assert 'lang="zh-CN"' in body
            # Settled: the verdict printed is the one the page gives, and stays so.
            assert any(verdict in body for verdict in verdicts), page
            assert "finding gap" not in body, page
        status, front = _fetch(f"{base}/")
        held_lot = re.search(r"/10/([^/]+)", held[1])
        assert held_lot and "/21/" in held[1], "the held showcase is a pack in hand"
        assert status == 200 and held_lot[1] in front
        assert re.search(r"database[^:]*:\s*postgresql://", output), output
        sheet = re.search(r"label sheet[^:]*:\s*(\S+\.pdf)", output)
        assert sheet and Path(sheet.group(1)).read_bytes().startswith(b"%PDF"), output
    finally:
        give_up.cancel()
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=STOPPED_WITHIN_S)
        finally:
            leftovers = _processes_mentioning(str(demo_home), str(DemoHome(demo_home).postgres))
            _kill([demo.pid, *leftovers] if demo.poll() is None else leftovers)
    assert demo.returncode == 0, "".join(printed) + (demo.stdout.read() or "")
    assert leftovers == []
