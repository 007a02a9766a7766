"""A commit that stores readings wakes the watcher: its next round starts about a gap after
the last one, not at the end of its interval; with nothing stored it still runs every
interval, for the silences."""

import threading
import time
from datetime import timedelta
from pathlib import Path

import psycopg

from schemas.settings import Settings
from tests.inspect.cold_chain import COLD_DEVICE, T0, add_readings, every_minute, seed_district
from watch.rounds import run_watch


def _watch_in_thread(
    db: psycopg.Connection, url: str, gap_s: float, interval_s: float, heartbeat: Path
) -> threading.Thread:
    """Two rounds of the watcher on a seeded district, returned once the first has run."""
    seed_district(db)
    db.commit()
    settings = Settings(database_url=url, watch_min_gap_s=gap_s)
    watcher = threading.Thread(
        target=run_watch, args=(settings, interval_s),
        kwargs={"rounds": 2, "heartbeat": heartbeat}, daemon=True,
    )  # fmt: skip
    watcher.start()
    deadline = time.monotonic() + 20
    while not heartbeat.exists():
        assert time.monotonic() < deadline, "the first round never ran"
        time.sleep(0.02)
    return watcher


def _pending(db: psycopg.Connection) -> int:
    count = db.execute("SELECT count(*) FROM reading_arrivals").fetchone()
    db.rollback()
    return int(count[0]) if count else 0


def test_stored_readings_start_the_next_round_within_the_gap(
    db: psycopg.Connection, clean_database: str, tmp_path: Path
) -> None:
    watcher = _watch_in_thread(db, clean_database, 0.3, 60.0, tmp_path / "heartbeat")
    stored = time.monotonic()
    add_readings(db, COLD_DEVICE, every_minute(T0, 3, lambda i: 3.5))
    watcher.join(10)
    assert not watcher.is_alive(), "the second round waited for the interval"
    assert time.monotonic() - stored < 5
    assert _pending(db) == 0


def test_with_nothing_stored_a_round_still_comes_every_interval(
    db: psycopg.Connection, clean_database: str, tmp_path: Path
) -> None:
    began = time.monotonic()
    watcher = _watch_in_thread(db, clean_database, 0.1, 1.5, tmp_path / "heartbeat")
    watcher.join(10)
    assert not watcher.is_alive()
    assert time.monotonic() - began >= 1.4


def test_a_flush_larger_than_a_round_is_taken_over_rounds_one_gap_apart(
    db: psycopg.Connection, clean_database: str
) -> None:
    """Nothing is announced after the watcher starts: the arrivals a round leaves behind
    start the next round after the gap, not after the interval."""
    seed_district(db)
    for hour in range(3):
        add_readings(db, COLD_DEVICE, every_minute(T0 + timedelta(hours=hour), 3, lambda i: 3.5))
    assert _pending(db) == 3
    settings = Settings(database_url=clean_database, watch_min_gap_s=0.3, watch_round_readings=3)
    began = time.monotonic()
    watcher = threading.Thread(
        target=run_watch, args=(settings, 60.0), kwargs={"rounds": 3}, daemon=True
    )
    watcher.start()
    watcher.join(15)
    assert not watcher.is_alive(), "a round waited for the interval with arrivals left"
    assert time.monotonic() - began < 10
    assert _pending(db) == 0
