"""Page summaries are rebuilt beside the watcher's rounds, and one bad batch holds up none."""

import time

import psycopg

from schemas.settings import Settings
from store.summaries import rebuild_summaries, summary_head
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    add_readings,
    every_minute,
    new_batch,
    seed_district,
)
from watch.rounds import watch_once
from watch.summary_workers import SummaryWorkers


def _due(db: psycopg.Connection) -> list[int]:
    found = db.execute(
        "SELECT batch_id FROM batch_summaries WHERE readings_due_since IS NOT NULL"
        " ORDER BY readings_due_since, batch_id"
    )
    return [row[0] for row in found]


def test_workers_rebuild_what_a_round_marked_due(
    db: psycopg.Connection, clean_database: str
) -> None:
    seed_district(db)
    lot = new_batch(db)
    rebuild_summaries(db)
    db.commit()
    before = summary_head(db, lot)
    assert before is not None and not before.stale
    add_readings(db, COLD_DEVICE, every_minute(T0, 30, lambda i: 4.4))
    settings = Settings(database_url=clean_database)
    workers = SummaryWorkers(clean_database, 2)
    workers.start()
    try:
        with psycopg.connect(clean_database, autocommit=True) as watcher:
            watch_once(watcher, settings)
        deadline = time.monotonic() + 30  # spawning the workers takes a moment
        while _due(db) and time.monotonic() < deadline:
            db.rollback()
            time.sleep(0.05)
    finally:
        workers.stop()
    assert _due(db) == []
    after = summary_head(db, lot)
    assert after is not None and after.version > before.version and not after.stale
    assert all(not process.is_alive() for process in workers.processes)


def test_a_batch_whose_rebuild_fails_goes_to_the_back_and_the_others_are_rebuilt(
    db: psycopg.Connection,
) -> None:
    seed_district(db)
    lots = [new_batch(db), new_batch(db)]
    rebuild_summaries(db)
    ids = [summary_head(db, lot).batch_id for lot in lots]  # type: ignore[union-attr]
    try:
        # The first batch's summary cannot be written, as if its records broke the rebuild.
        db.execute(
            "CREATE FUNCTION refuse_summary() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN IF NEW.batch_id = {ids[0]} THEN RAISE EXCEPTION 'broken records'; END IF;"
            " RETURN NEW; END $$"
        )
        db.execute(
            "CREATE TRIGGER refuse_summary BEFORE UPDATE OF summary ON batch_summaries"
            " FOR EACH ROW EXECUTE FUNCTION refuse_summary()"
        )
        db.execute(
            "UPDATE batch_summaries SET readings_due_since = now() - interval '1 minute'"
            " WHERE batch_id = ANY(%s)",
            (ids,),
        )
        assert rebuild_summaries(db) == 1
        assert _due(db) == [ids[0]], "the other batch was rebuilt; the broken one waits, due"
        moved = db.execute(
            "SELECT readings_due_since > now() - interval '1 minute' FROM batch_summaries"
            " WHERE batch_id = %s",
            (ids[0],),
        ).fetchone()
        assert moved == (True,), "and it went to the back of the queue"
    finally:
        db.rollback()  # the trigger goes with the test's transaction
