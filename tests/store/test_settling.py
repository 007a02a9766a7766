"""What a starting system waits for: readings stored per device, the watcher's backlog."""

from datetime import timedelta

import psycopg

from store.arrivals import take_arrivals
from store.settling import last_reading_times, watcher_backlog
from store.summaries import rebuild_summaries
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    add_readings,
    every_minute,
    new_batch,
    seed_district,
)


def test_the_backlog_empties_once_arrivals_are_taken_and_summaries_recomputed(
    db: psycopg.Connection,
) -> None:
    seed_district(db)
    assert last_reading_times(db, [COLD_DEVICE]) == {}
    new_batch(db)
    add_readings(db, COLD_DEVICE, every_minute(T0, 30, lambda i: 3.0))
    assert last_reading_times(db, [COLD_DEVICE, "nobody"]) == {
        COLD_DEVICE: T0 + timedelta(minutes=29)
    }
    backlog = watcher_backlog(db)
    assert backlog.arrivals == 1 and backlog.stale_summaries == 1 and not backlog.empty
    assert backlog.due_summaries == 1, "storing the readings marked the summary due"
    with db.transaction():
        take_arrivals(db)
        assert watcher_backlog(db).due_summaries == 1, "a summary due is work still to do"
        rebuild_summaries(db)
    assert watcher_backlog(db).empty
