"""What an operator asks of the database: is the schema current, is the watcher keeping up
with the arrivals and the page summaries, and did TimescaleDB's scheduled jobs
(compression, retention, aggregate refreshes) succeed.

TimescaleDB records each job's last run; a failing job is otherwise silent (on PostgreSQL
15.20 the scheduler records every run as failed with "cannot drop portal" even though the
work was done), so ``farmtrace db status`` prints these and exits non-zero on a failure.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

from store.db import has_timescaledb, rows
from store.migrations import load_migrations, timescaledb_loadable


@dataclass(frozen=True)
class JobStatus:
    job_id: int
    proc_name: str
    target: str | None
    schedule_interval: timedelta | None
    config: dict[str, object] | None
    last_run_status: str | None
    last_run_started_at: datetime | None
    last_successful_finish: datetime | None
    next_start: datetime | None
    total_runs: int
    total_failures: int
    last_error: str | None

    @property
    def failing(self) -> bool:
        return self.last_run_status == "Failed"


@dataclass(frozen=True)
class DatabaseStatus:
    timescaledb: bool
    pending_migrations: list[str]
    pending_arrivals: int
    oldest_arrival: datetime | None
    jobs: list[JobStatus]
    # Page summaries waiting for the watcher's summary workers.
    due_summaries: int = 0
    oldest_due_summary: datetime | None = None
    stale_summaries: int = 0


# The extension's own housekeeping, left out: every other job is ours or an operator's.
_HOUSEKEEPING = ("policy_telemetry", "policy_job_stat_history_retention")

_JOBS = """
SELECT j.job_id, j.proc_name, j.hypertable_name AS target, j.schedule_interval, j.config,
       s.last_run_status,
       -- "never" is recorded as -infinity, which Python's datetime cannot hold.
       CASE WHEN isfinite(s.last_run_started_at) THEN s.last_run_started_at END
           AS last_run_started_at,
       CASE WHEN isfinite(s.last_successful_finish) THEN s.last_successful_finish END
           AS last_successful_finish,
       CASE WHEN isfinite(s.next_start) THEN s.next_start END AS next_start,
       coalesce(s.total_runs, 0) AS total_runs, coalesce(s.total_failures, 0) AS total_failures,
       (SELECT e.err_message FROM timescaledb_information.job_errors e
        WHERE e.job_id = j.job_id ORDER BY e.start_time DESC LIMIT 1) AS last_error
FROM timescaledb_information.jobs j
LEFT JOIN timescaledb_information.job_stats s ON s.job_id = j.job_id
WHERE NOT j.proc_name = ANY(%s)
ORDER BY j.job_id
"""


def scheduled_jobs(conn: psycopg.Connection) -> list[JobStatus]:
    """The database's scheduled jobs with their last results (none on plain PostgreSQL)."""
    if not has_timescaledb(conn):
        return []
    return [JobStatus(**row) for row in rows(conn, _JOBS, (list(_HOUSEKEEPING),))]


def _exists(conn: psycopg.Connection, table: str) -> bool:
    return bool(rows(conn, "SELECT to_regclass(%s) IS NOT NULL AS found", (table,))[0]["found"])


def database_status(conn: psycopg.Connection) -> DatabaseStatus:
    """The schema's, the watcher's and the scheduled jobs' state (a never-migrated database
    has every migration pending and nothing else)."""
    migrated = _exists(conn, "schema_migrations")
    applied = (
        {row["version"] for row in rows(conn, "SELECT version FROM schema_migrations")}
        if migrated
        else set()
    )
    loadable = timescaledb_loadable(conn)
    pending = [
        m.version
        for m in load_migrations()
        if m.version not in applied and (loadable or not m.needs_timescaledb)
    ]
    backlog: dict[str, Any] = {"n": 0, "oldest": None}
    if _exists(conn, "reading_arrivals"):
        backlog = rows(
            conn, "SELECT count(*) AS n, min(committed_at) AS oldest FROM reading_arrivals"
        )[0]
    summaries: dict[str, Any] = {"due": 0, "oldest": None, "stale": 0}
    if _exists(conn, "batch_summaries_readings_due"):  # migration 0120
        summaries = rows(
            conn,
            "SELECT count(*) FILTER (WHERE readings_due_since IS NOT NULL) AS due,"
            " min(readings_due_since) AS oldest, count(*) FILTER (WHERE stale) AS stale"
            " FROM batch_summaries WHERE readings_due_since IS NOT NULL OR stale",
        )[0]
    return DatabaseStatus(
        timescaledb=has_timescaledb(conn),
        pending_migrations=pending,
        pending_arrivals=backlog["n"],
        oldest_arrival=backlog["oldest"],
        jobs=scheduled_jobs(conn),
        due_summaries=summaries["due"],
        oldest_due_summary=summaries["oldest"],
        stale_summaries=summaries["stale"],
    )
