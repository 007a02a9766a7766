"""The workers' shared metrics directory starts empty and leaves nothing behind it made."""

import os
from pathlib import Path

import pytest

from api.metrics import SHARED_DIR_ENV
from farmtrace.commands.api_metrics_dir import shared_metrics_dir


def test_a_directory_made_for_the_run_is_named_to_the_workers_and_removed_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SHARED_DIR_ENV, raising=False)
    with shared_metrics_dir() as made:
        assert os.environ[SHARED_DIR_ENV] == str(made) and made.is_dir()
        (made / "counter_1.db").write_bytes(b"\0" * 8)
    assert not made.exists() and SHARED_DIR_ENV not in os.environ


def test_an_operators_directory_is_emptied_of_an_earlier_runs_counters_at_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(SHARED_DIR_ENV, str(tmp_path))
    (tmp_path / "counter_4242.db").write_bytes(b"\0" * 8)
    (tmp_path / "README").write_text("kept")
    with shared_metrics_dir() as used:
        assert used == tmp_path and not list(tmp_path.glob("*.db"))
    assert (tmp_path / "README").exists()
