"""The schemathesis command line runs from the project's own environment.

It sends requests through requests and urllib3; an environment where a fork shadows urllib3
(urllib3-future, once pulled in by grafana-client) breaks it, so the lock keeps that fork out.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCHEMATHESIS = shutil.which("schemathesis", path=str(Path(sys.executable).parent))


def test_urllib3_is_urllib3_itself() -> None:
    import urllib3

    assert int(urllib3.__version__.split(".")[2]) < 900, urllib3.__version__


@pytest.mark.skipif(SCHEMATHESIS is None, reason="schemathesis is not installed beside python")
def test_schemathesis_command_checks_the_live_api(live_server: str) -> None:
    assert SCHEMATHESIS is not None
    finished = subprocess.run(
        [
            SCHEMATHESIS,
            "run",
            f"{live_server}/openapi.json",
            "--checks",
            "not_a_server_error",
            "--include-path",
            "/healthz",
            "--max-examples",
            "5",
            "--seed",
            "13",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "Tested: 1" in finished.stdout, finished.stdout
    assert "No issues found" in finished.stdout, finished.stdout
