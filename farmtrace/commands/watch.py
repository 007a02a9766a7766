"""`farmtrace watch`: run the watcher (``watch/``) until stopped, or one round."""

import contextlib
import os
import signal
from pathlib import Path
from types import FrameType

import click

from farmtrace.commands.logs import configure_logging
from farmtrace.commands.options import database_option, load_settings
from watch.rounds import run_watch


@click.command("watch")
@click.option("--interval", type=float, help="seconds between rounds (FARMTRACE_WATCH_INTERVAL_S)")
@click.option("--once", is_flag=True, help="run one round and exit (for cron or tests)")
@click.option("--heartbeat", type=click.Path(path_type=Path), help="file touched after every round")
@click.option(
    "--summary-workers", type=click.IntRange(0, 32),
    help="processes rebuilding page summaries beside the rounds (FARMTRACE_WATCH_SUMMARY_WORKERS)",
)  # fmt: skip
@database_option
def watch(
    interval: float | None, once: bool, heartbeat: Path | None, summary_workers: int | None,
    database_url: str | None,
) -> None:  # fmt: skip
    """Take new readings' arrivals, keep rollups and alarms current, send alarm webhooks,
    rebuild the page summaries new readings concern."""
    settings = load_settings(database_url=database_url)
    workers = settings.watch_summary_workers if summary_workers is None else summary_workers
    # SIGTERM (docker stop, a supervisor) ends the loop as Ctrl-C does, so the summary
    # workers are stopped too.
    signal.signal(signal.SIGTERM, _interrupt)
    with contextlib.suppress(KeyboardInterrupt):
        run_watch(
            settings, interval or settings.watch_interval_s, rounds=1 if once else None,
            heartbeat=heartbeat, summary_workers=0 if once else workers,
            initialize_worker=configure_worker_logging,
        )  # fmt: skip


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def configure_worker_logging() -> None:
    """A summary worker logs as the watcher does."""
    configure_logging(os.environ.get("FARMTRACE_LOG_LEVEL", "INFO").upper())
