"""On TimescaleDB, the schema is what production relies on: a hypertable compressed per
device and metric, compression and retention at the configured ages, both continuous
aggregates with their refresh policies, and every one of those jobs runs without error.

Runs in the suite's TimescaleDB pass (``FARMTRACE_TEST_TIMESCALE=1``); skipped elsewhere.
"""

import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
from click.testing import CliRunner

from farmtrace.cli import main as cli
from store.db import database_url_on
from store.migrations import migrate
from tests.servers import PrivatePostgres

pytestmark = pytest.mark.timescale

RETENTION_DAYS = 400
COMPRESS_AFTER_DAYS = 3


@pytest.fixture
def configured(postgres_server: str, timescale: bool) -> Iterator[str]:
    """A database of the test's own, migrated with non-default retention and compression."""
    if not timescale:
        pytest.skip("needs TimescaleDB (FARMTRACE_TEST_TIMESCALE=1)")
    name = f"farmtrace_policies_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    url = database_url_on(postgres_server, name)
    try:
        migrate(url, retention_days=RETENTION_DAYS, compress_after_days=COMPRESS_AFTER_DAYS)
        yield url
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


def _jobs(conn: psycopg.Connection) -> dict[tuple[str, str], tuple[int, dict]]:
    found = conn.execute(
        "SELECT proc_name, hypertable_name, job_id, config FROM timescaledb_information.jobs"
        " WHERE proc_name LIKE 'policy_%' AND hypertable_name IS NOT NULL"
    ).fetchall()
    return {(proc, target): (job_id, config) for proc, target, job_id, config in found}


def test_readings_are_a_hypertable_of_daily_chunks_compressed_per_device_and_metric(
    configured: str,
) -> None:
    with psycopg.connect(configured) as conn:
        assert conn.execute(
            "SELECT column_name, time_interval FROM timescaledb_information.dimensions"
            " WHERE hypertable_name = 'readings'"
        ).fetchall() == [("time", timedelta(days=1))]
        settings = conn.execute(
            "SELECT segmentby, orderby FROM timescaledb_information.hypertable_compression_settings"
            " WHERE hypertable = 'readings'::regclass"
        ).fetchall()
        assert settings == [("device_id,metric", '"time"')]


def test_compression_and_retention_policies_have_the_configured_ages(configured: str) -> None:
    with psycopg.connect(configured) as conn:
        jobs = _jobs(conn)
    assert jobs[("policy_compression", "readings")][1]["compress_after"] == "3 days"
    assert jobs[("policy_retention", "readings")][1]["drop_after"] == "400 days"


def test_both_rollups_are_real_time_continuous_aggregates_with_refresh_policies(
    configured: str,
) -> None:
    with psycopg.connect(configured) as conn:
        aggregates = conn.execute(
            "SELECT view_name, materialized_only FROM timescaledb_information.continuous_aggregates"
            " ORDER BY view_name"
        ).fetchall()
        jobs = _jobs(conn)
    assert aggregates == [("readings_1h", False), ("readings_5m", False)]
    five, hourly = (jobs[("policy_refresh_continuous_aggregate", v)][1] for v in
                    ("readings_5m", "readings_1h"))  # fmt: skip
    assert (five["start_offset"], five["end_offset"]) == ("3 days", "00:05:00")
    assert (hourly["start_offset"], hourly["end_offset"]) == ("30 days", "01:00:00")


def test_every_policy_job_runs_without_error_on_data(configured: str) -> None:
    """Data in an old chunk (compressed, then dropped by retention) and a recent one."""
    with psycopg.connect(configured, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO readings (time, device_id, metric, value)"
            " SELECT now() - make_interval(days => d), 'd1', 'temp', 3.0"
            " FROM unnest(ARRAY[1, 10, 500]) AS d"
        )
        jobs = _jobs(conn)
        assert len(jobs) == 4
        order = ["policy_refresh_continuous_aggregate", "policy_compression", "policy_retention"]
        for _, (job_id, _) in sorted(jobs.items(), key=lambda j: order.index(j[0][0])):
            conn.execute("CALL run_job(%s)", (job_id,))
        compressed = conn.execute(
            "SELECT count(*) FILTER (WHERE is_compressed), count(*)"
            " FROM timescaledb_information.chunks WHERE hypertable_name = 'readings'"
        ).fetchone()
        left = conn.execute("SELECT count(*) FROM readings").fetchone()
        hourly = conn.execute("SELECT sum(count) FROM readings_1h").fetchone()
    assert compressed == (1, 2)  # the 10-day-old chunk; the 500-day-old one was dropped
    assert left == (2,) and hourly == (2,)


def test_db_status_lists_the_jobs_and_the_schema(configured: str) -> None:
    report = CliRunner().invoke(cli, ["db", "status", "--database-url", configured])
    assert report.exit_code == 0, report.output
    assert "schema: up to date" in report.output
    assert report.output.count("\njob ") == 4
    assert "policy_retention on readings (drop_after 400 days)" in report.output
    assert "policy_compression on readings (compress_after 3 days)" in report.output


@pytest.fixture
def scheduling_server(timescale: bool) -> Iterator[str]:
    """A cluster whose TimescaleDB scheduler runs jobs on their own, as production's does."""
    if not timescale:
        pytest.skip("needs TimescaleDB (FARMTRACE_TEST_TIMESCALE=1)")
    cluster = PrivatePostgres(timescaledb=True, scheduled_jobs=True)
    cluster.start()
    try:
        migrate(cluster.dsn())
        yield cluster.dsn()
    finally:
        cluster.destroy()


def test_db_status_shows_a_job_the_scheduler_recorded_as_failed_and_exits_1(
    scheduling_server: str,
) -> None:
    with psycopg.connect(scheduling_server, autocommit=True) as conn:
        conn.execute(
            "CREATE PROCEDURE archive_old_photos(job_id int, config jsonb) LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'photo store is unreachable'; END $$"
        )
        (job_id,) = conn.execute(
            "SELECT add_job('archive_old_photos', '1 hour', initial_start => now())"
        ).fetchone() or (None,)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = conn.execute(
                "SELECT last_run_status FROM timescaledb_information.job_stats WHERE job_id = %s",
                (job_id,),
            ).fetchone()
            if status == ("Failed",):
                break
            time.sleep(0.5)
        assert status == ("Failed",)
    report = CliRunner().invoke(cli, ["db", "status", "--database-url", scheduling_server])
    assert report.exit_code == 1, report.output
    line = next(line for line in report.output.splitlines() if f"job {job_id} " in line)
    assert "archive_old_photos" in line and "last run FAILED" in line
    assert "error: photo store is unreachable" in report.output
