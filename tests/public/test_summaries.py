"""Summaries follow new readings from the moment they are stored, and only where they belong."""

import time
from datetime import timedelta

import psycopg
from fastapi.testclient import TestClient

from api.summary_heads import SummaryHeads, SummaryListener
from schemas.settings import Settings
from store.arrivals import take_arrivals
from store.rollups import refresh_hours
from store.summaries import (
    fresh_head,
    load_summary,
    rebuild_summaries,
    summary_head,
)
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    TRUCK_DEVICE,
    add_readings,
    every_minute,
    new_batch,
    seed_district,
)
from tests.public.stories import fresh_get
from watch.rounds import watch_once

HTML = {"Accept": "text/html"}


def _due_batches(db: psycopg.Connection) -> list[int]:
    """The batches whose summaries are marked due."""
    found = db.execute(
        "SELECT batch_id FROM batch_summaries WHERE readings_due_since IS NOT NULL"
        " ORDER BY batch_id"
    )
    return [row[0] for row in found]


def _watcher_round(db: psycopg.Connection) -> None:
    """Take the arrivals and bring the hourly rollups up to date, as the watcher's round does."""
    with db.transaction():
        refresh_hours(db, take_arrivals(db))


def test_new_readings_update_the_page_before_the_watcher_has_taken_them(
    client: TestClient, db: psycopg.Connection
) -> None:
    seed_district(db)
    lot = new_batch(db)
    add_readings(db, COLD_DEVICE, every_minute(T0, 60, lambda i: 3.0))
    _watcher_round(db)
    rebuild_summaries(db)
    db.commit()
    before = client.get(f"/l/{lot}", headers=HTML)
    assert "3.0 ~ 3.0 °C" in before.text
    assert "温度超出要求" not in before.text

    warm = every_minute(T0 + timedelta(hours=1), 45, lambda i: 8.5)
    add_readings(db, COLD_DEVICE, warm)
    assert _due_batches(db) == [summary_head(db, lot).batch_id], (  # type: ignore[union-attr]
        "storing the readings marked the summary due"
    )
    due = client.get(f"/l/{lot}", headers={**HTML, "If-None-Match": before.headers["etag"]})
    assert due.status_code == 304, "a due summary is served as it is until it is rebuilt"
    # Rebuilt while the arrivals still wait for the watcher: their hours are read raw.
    assert rebuild_summaries(db) == 1
    db.commit()
    assert _due_batches(db) == []
    after = fresh_get(
        client, f"/l/{lot}", {**HTML, "If-None-Match": before.headers["etag"]},
        lambda a: a.status_code == 200,
    )  # fmt: skip
    assert after.status_code == 200
    assert "3.0 ~ 8.5 °C" in after.text
    assert "温度超出要求" in after.text and "最高 8.5 °C" in after.text
    _watcher_round(db)
    db.commit()
    rolled_up = client.get(f"/l/{lot}", headers={**HTML, "If-None-Match": after.headers["etag"]})
    assert rolled_up.status_code == 304, "the round that rolls them up changes no page"


def test_arrivals_elsewhere_leave_a_batch_alone(db: psycopg.Connection) -> None:
    seed_district(db)
    new_batch(db)
    add_readings(db, TRUCK_DEVICE, every_minute(T0, 30, lambda i: 4.0))
    assert _due_batches(db) == []


def test_late_readings_reach_the_batch_that_was_there_at_their_time(
    db: psycopg.Connection,
) -> None:
    seed_district(db)
    earlier = new_batch(db, at=T0)
    db.execute(
        "UPDATE custody SET during = tstzrange(lower(during), %s)"
        " WHERE batch_id = (SELECT id FROM batches WHERE lot_code = %s)",
        (T0 + timedelta(hours=2), earlier),
    )
    later = new_batch(db, at=T0 + timedelta(hours=3))
    db.commit()
    # A gateway flushes its spool hours late: readings from the first batch's time.
    add_readings(db, COLD_DEVICE, every_minute(T0 + timedelta(minutes=30), 30, lambda i: 3.0))
    heads = {lot: summary_head(db, lot) for lot in (earlier, later)}
    assert _due_batches(db) == [heads[earlier].batch_id]  # type: ignore[union-attr]


def test_an_event_marks_the_summary_stale_in_the_same_transaction(
    db: psycopg.Connection,
) -> None:
    seed_district(db)
    lot = new_batch(db)
    db.execute("UPDATE batch_summaries SET stale = false")
    db.commit()
    assert not summary_head(db, lot).stale  # type: ignore[union-attr]
    db.execute(
        "INSERT INTO events (event_id, batch_id, type, business_step, time)"
        " SELECT gen_random_uuid(), id, 'cleaning', 'other', now() FROM batches"
        " WHERE lot_code = %s",
        (lot,),
    )
    assert summary_head(db, lot).stale  # type: ignore[union-attr]
    db.rollback()
    assert not summary_head(db, lot).stale  # type: ignore[union-attr]


def test_api_processes_drop_cached_versions_when_the_database_announces_a_change(
    db: psycopg.Connection, clean_database: str
) -> None:
    seed_district(db)
    lot = new_batch(db)
    heads = SummaryHeads(ttl_s=60)
    listener = SummaryListener(clean_database, heads)
    listener.start()
    try:
        deadline = time.monotonic() + 5
        while not heads.listening and time.monotonic() < deadline:
            time.sleep(0.01)
        announced = heads.generation
        head = fresh_head(db, lot)
        assert head is not None and not head.stale
        db.commit()
        # The recompute itself is announced; once heard, the head may be cached.
        while heads.generation == announced and time.monotonic() < deadline:
            time.sleep(0.01)
        before_read = heads.generation
        heads.put(lot, head, before_read)
        assert heads.get(lot) == head
        db.execute("UPDATE batches SET grade = '特级' WHERE lot_code = %s", (lot,))
        db.commit()
        while heads.get(lot) is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert heads.get(lot) is None
        # A read that began before the change must not be cached after it.
        heads.put(lot, head, before_read)
        assert heads.get(lot) is None
    finally:
        listener.stop()


def test_the_watchers_workers_rebuild_what_storing_marked_due(
    db: psycopg.Connection, clean_database: str
) -> None:
    seed_district(db)
    lot = new_batch(db)
    before = fresh_head(db, lot)
    db.commit()
    add_readings(db, COLD_DEVICE, every_minute(T0, 30, lambda i: 4.4))
    settings = Settings(database_url=clean_database)
    with psycopg.connect(clean_database, autocommit=True) as watcher:
        watch_once(watcher, settings)
        assert summary_head(db, lot) == before, "the round leaves summaries to the workers"
        assert _due_batches(db) == [before.batch_id]  # type: ignore[union-attr]
        assert rebuild_summaries(watcher) == 1
    after = summary_head(db, lot)
    assert before is not None and after is not None
    assert after.version > before.version and not after.stale
    _, summary = load_summary(db, after.batch_id)
    assert summary.cold_chain is not None and summary.cold_chain.temp_max == 4.4
