"""`farmtrace watch`: consume the reading-arrivals outbox; roll up hours, raise alarms, notify.

Every few seconds one transaction takes the pending arrivals, refreshes the hourly rollups
they touch (plain PostgreSQL), opens and closes alarms, and hands the arrivals to each extra
consumer; then owed webhook notifications go out. Several watchers may run: arrivals are
taken with SKIP LOCKED and alarms are unique per condition.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click
import psycopg

from farmtrace.options import database_option, load_settings
from farmtrace.webhook import deliver_notifications
from schemas.settings import Settings
from store.alarms import AlarmChange, evaluate_alarms
from store.arrivals import Arrival, take_arrivals
from store.db import connect
from store.rollups import refresh_hours
from store.summaries import refresh_stale_summaries, refresh_summaries_for_arrivals

log = logging.getLogger(__name__)

# Further work on each round's arrivals, in the same transaction: (conn, arrivals) → None.
ArrivalConsumer = Callable[[psycopg.Connection, list[Arrival]], None]


def refresh_stale_page_summaries(conn: psycopg.Connection, arrivals: list[Arrival]) -> None:
    """Summaries that staff writes marked stale are rebuilt here rather than by a visitor."""
    refresh_stale_summaries(conn)


CONSUMERS: list[ArrivalConsumer] = [refresh_summaries_for_arrivals, refresh_stale_page_summaries]
# After a lost database connection, wait this long before connecting again.
RECONNECT_DELAY_S = 5.0


def watch_once(
    conn: psycopg.Connection,
    settings: Settings,
    consumers: list[ArrivalConsumer] | None = None,
    now: datetime | None = None,
) -> list[AlarmChange]:
    """One round on an autocommit connection; returns the alarm changes it made."""
    with conn.transaction():
        arrivals = take_arrivals(conn)
        refresh_hours(conn, arrivals)
        if now is None:
            row = conn.execute("SELECT now()").fetchone()
            assert row is not None
            now = row[0]
        changes = evaluate_alarms(conn, arrivals, now, settings.alarm_silence_factor)
        for consumer in CONSUMERS if consumers is None else consumers:
            consumer(conn, arrivals)
    for change in changes:
        log.info(
            "alarm " + change.event,
            extra={"alarm": change.alarm_id, "kind": change.kind, "device": change.device_id},
        )
    deliver_notifications(conn, settings)
    return changes


def run_watch(
    settings: Settings,
    interval_s: float,
    rounds: int | None = None,
    heartbeat: Path | None = None,
) -> None:
    """Rounds until stopped (or ``rounds`` of them); ``heartbeat`` is touched after each round
    so a container healthcheck can tell a live loop from a stuck one."""
    done = 0
    while rounds is None or done < rounds:
        try:
            with connect(settings.database_url, autocommit=True) as conn:
                while rounds is None or done < rounds:
                    watch_once(conn, settings)
                    if heartbeat is not None:
                        heartbeat.touch()
                    done += 1
                    if rounds is None or done < rounds:
                        time.sleep(interval_s)
        except psycopg.OperationalError as error:
            log.warning("database unavailable; retrying", extra={"error": str(error)})
            time.sleep(RECONNECT_DELAY_S)


@click.command("watch")
@click.option("--interval", type=float, help="seconds between rounds (FARMTRACE_WATCH_INTERVAL_S)")
@click.option("--once", is_flag=True, help="run one round and exit (for cron or tests)")
@click.option("--heartbeat", type=click.Path(path_type=Path), help="file touched after every round")
@database_option
def watch(
    interval: float | None, once: bool, heartbeat: Path | None, database_url: str | None
) -> None:
    """Take new readings' arrivals, keep rollups and alarms current, send alarm webhooks."""
    settings = load_settings(database_url=database_url)
    run_watch(
        settings, interval or settings.watch_interval_s, rounds=1 if once else None,
        heartbeat=heartbeat,
    )  # fmt: skip
