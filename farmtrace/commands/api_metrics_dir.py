"""The directory where `farmtrace api`'s workers write their Prometheus values, one per run.

prometheus_client's multiprocess mode keeps each process's counters in files of one directory
and sums them at a scrape. Files left by an earlier run would be summed as well, so the
directory is emptied when the command starts; one the command made itself is removed at exit.
"""

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from api.metrics import SHARED_DIR_ENV


@contextmanager
def shared_metrics_dir() -> Iterator[Path]:
    """An empty directory named in the environment the workers inherit (the operator's, if set)."""
    given = os.environ.get(SHARED_DIR_ENV)
    path = Path(given) if given else Path(tempfile.mkdtemp(prefix="farmtrace-api-metrics-"))
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ[SHARED_DIR_ENV] = str(path)
    try:
        yield path
    finally:
        if not given:
            shutil.rmtree(path, ignore_errors=True)
            del os.environ[SHARED_DIR_ENV]
