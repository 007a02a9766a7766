"""`farmtrace db`: the schema, and the state of the database's own work."""

import sys
from datetime import datetime, timedelta

import click
import psycopg

from farmtrace.commands.options import database_option, load_settings
from store.db import connect, database_now
from store.job_status import JobStatus, database_status
from store.migrations import migrate


@click.group()
def db() -> None:
    """The database schema."""


@db.command("migrate")
@database_option
def migrate_command(database_url: str | None) -> None:
    """Create or upgrade the schema (idempotent; safe when two run at once)."""
    settings = load_settings(database_url=database_url)
    applied = migrate(settings.database_url, settings.retention_days, settings.compress_after_days)
    click.echo(f"applied: {', '.join(applied)}" if applied else "schema is up to date")


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    when = f"{moment:%Y-%m-%d %H:%M:%S%z}"
    return (
        f"{when} ({_age(now - moment)} ago)"
        if moment <= now
        else f"{when} (in {_age(moment - now)})"
    )


def _age(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    if seconds < 172800:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"


def _job_line(job: JobStatus, now: datetime) -> str:
    settings = ", ".join(
        f"{key} {value}" for key, value in sorted((job.config or {}).items())
        if key in _SHOWN_SETTINGS
    )  # fmt: skip
    head = f"job {job.job_id} {job.proc_name} on {job.target or '-'} ({settings}):"
    if job.last_run_started_at is None:
        return f"{head} not run yet; next start {_ago(job.next_start, now)}"
    state = "FAILED" if job.failing else (job.last_run_status or "running").lower()
    line = (
        f"{head} last run {state}, started {_ago(job.last_run_started_at, now)};"
        f" last success {_ago(job.last_successful_finish, now)};"
        f" {job.total_failures} of {job.total_runs} runs failed"
    )
    if job.failing and job.last_error:
        line += f"\n    error: {job.last_error}"
    return line


# Job settings worth printing beside each job: the ages and windows an operator configured.
_SHOWN_SETTINGS = {"compress_after", "drop_after", "start_offset", "end_offset"}


@db.command("status")
@database_option
def status_command(database_url: str | None) -> None:
    """Schema version, the watcher's backlog, and the last result of each scheduled job
    (exits with status 1 when a job's last run failed)."""
    settings = load_settings(database_url=database_url)
    try:
        with connect(settings.database_url) as conn:
            now = database_now(conn)
            found = database_status(conn)
    except psycopg.OperationalError as error:
        raise click.ClickException(f"cannot reach the database: {error}") from error
    click.echo(f"server: {'TimescaleDB' if found.timescaledb else 'PostgreSQL'}")
    click.echo(
        "schema: up to date"
        if not found.pending_migrations
        else f"schema: {len(found.pending_migrations)} migrations pending"
        f" ({', '.join(found.pending_migrations)}); run farmtrace db migrate"
    )
    click.echo(
        f"reading arrivals waiting for the watcher: {found.pending_arrivals}"
        + (f", oldest stored {_ago(found.oldest_arrival, now)}" if found.oldest_arrival else "")
    )
    click.echo(
        f"page summaries waiting: {found.stale_summaries} after staff changes,"
        f" {found.due_summaries} after new readings"
        + (
            f", oldest marked {_ago(found.oldest_due_summary, now)}"
            if found.oldest_due_summary
            else ""
        )
    )
    if not found.timescaledb:
        click.echo("scheduled jobs: none (plain PostgreSQL; farmtrace watch keeps the rollups)")
        return
    for job in found.jobs:
        click.echo(_job_line(job, now))
    failing = [job for job in found.jobs if job.failing]
    if failing:
        click.echo(f"{len(failing)} of {len(found.jobs)} jobs failed on their last run", err=True)
        sys.exit(1)
