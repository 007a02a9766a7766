"""`farmtrace db status` tells an operator how far the watcher is behind, summaries included."""

import psycopg
from click.testing import CliRunner

from farmtrace.cli import main as cli
from store.summaries import rebuild_summaries
from tests.inspect.cold_chain import new_batch, seed_district


def test_db_status_counts_the_summaries_waiting_for_the_watcher(
    db: psycopg.Connection, clean_database: str
) -> None:
    seed_district(db)
    lots = [new_batch(db), new_batch(db), new_batch(db)]
    rebuild_summaries(db)
    db.execute(
        "UPDATE batch_summaries SET readings_due_since = now() - interval '10 minutes'"
        " WHERE batch_id IN (SELECT id FROM batches WHERE lot_code = ANY(%s))",
        (lots[:2],),
    )
    db.execute("UPDATE batch_summaries SET stale = true WHERE batch_id ="
               " (SELECT id FROM batches WHERE lot_code = %s)", (lots[2],))  # fmt: skip
    db.commit()
    report = CliRunner().invoke(cli, ["db", "status", "--database-url", clean_database])
    assert report.exit_code == 0, report.output
    waiting = next(line for line in report.output.splitlines() if "summaries" in line)
    assert waiting.startswith("page summaries waiting: 1 after staff changes, 2 after new readings")
    assert waiting.endswith("(10 min ago)")
