"""The watcher's loop: one transaction per round over the pending arrivals, then the rest.

A round starts when a collector's commit announces new arrivals (but never sooner than the
minimum gap after the last one) and every interval regardless, for the silences. One
transaction takes the pending arrivals, refreshes the hourly rollups they touch and opens
and closes alarms; then, on TimescaleDB, the continuous aggregates are mended for arrivals
older than their policies' reach, and owed webhook notifications go out. The collectors
mark the page summaries that arrivals concern due as they store them; those are rebuilt by
worker processes beside the rounds (``watch.summary_workers``), or, without workers, by the
loop until the next round is due: alarms never wait for them, nor they for a round.
Several watchers may run: arrivals and summaries are taken with SKIP LOCKED and alarms are
unique per condition.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import psycopg

from schemas.settings import Settings
from store.aggregates import mend_late_aggregates
from store.alarms import AlarmChange, evaluate_alarms
from store.arrivals import (
    arrivals_waiting,
    listen_for_arrivals,
    take_arrivals,
    wait_for_arrivals,
)
from store.db import connect, database_now, lean_session, plan_each_execution
from store.rollups import refresh_hours
from store.summaries import rebuild_summaries
from watch.summary_workers import SummaryWorkers
from watch.webhook import deliver_notifications

log = logging.getLogger(__name__)

# After a lost database connection, wait this long before connecting again.
RECONNECT_DELAY_S = 5.0
# The least part of the gap given to page summaries after a round, however long it took.
MIN_SUMMARY_SHARE = 0.5


def watch_once(
    conn: psycopg.Connection,
    settings: Settings,
    now: datetime | None = None,
) -> list[AlarmChange]:
    """One round on an autocommit connection; returns the alarm changes it made."""
    began = time.monotonic()
    now = now or database_now(conn)
    with conn.transaction():
        arrivals = take_arrivals(conn, readings=settings.watch_round_readings)
        refresh_hours(conn, arrivals)
        rolled_up = time.monotonic()
        changes = evaluate_alarms(conn, arrivals, now, settings.alarm_silence_factor)
        judged = time.monotonic()
    log.debug(
        "round",
        extra={
            "arrivals": len(arrivals), "rollups_s": round(rolled_up - began, 3),
            "alarms_s": round(judged - rolled_up, 3), "round_s": round(time.monotonic() - began, 3),
        },
    )  # fmt: skip
    for change in changes:
        log.info(
            "alarm " + change.event,
            extra={"alarm": change.alarm_id, "kind": change.kind, "device": change.device_id},
        )
    mend_late_aggregates(conn, arrivals, now)
    deliver_notifications(conn, settings)
    return changes


def run_watch(
    settings: Settings,
    interval_s: float,
    rounds: int | None = None,
    heartbeat: Path | None = None,
    summary_workers: int = 0,
    initialize_worker: Callable[[], None] | None = None,
) -> None:
    """Rounds until stopped (or ``rounds`` of them): one every ``interval_s`` at the least,
    and one ``settings.watch_min_gap_s`` after the last when new arrivals are announced.
    ``heartbeat`` is touched after each round so a container healthcheck can tell a live loop
    from a stuck one. With
    ``summary_workers``, that many processes (each starting with ``initialize_worker``)
    rebuild page summaries beside the rounds; without, the loop rebuilds them between rounds."""
    workers = None
    if summary_workers:
        workers = SummaryWorkers(settings.database_url, summary_workers, initialize_worker)
    if workers is not None:
        workers.start()
    try:
        _rounds(settings, interval_s, rounds, heartbeat, rebuilds=workers is None)
    finally:
        if workers is not None:
            workers.stop()


def _rounds(
    settings: Settings, interval_s: float, rounds: int | None, heartbeat: Path | None,
    rebuilds: bool,
) -> None:  # fmt: skip
    done = 0
    gap_s = min(settings.watch_min_gap_s, interval_s)
    while rounds is None or done < rounds:
        try:
            with connect(settings.database_url, autocommit=True) as conn:
                plan_each_execution(conn)
                lean_session(conn)
                listen_for_arrivals(conn)
                while rounds is None or done < rounds:
                    began = time.monotonic()
                    watch_once(conn, settings)
                    if heartbeat is not None:
                        heartbeat.touch()
                    done += 1
                    if rounds is not None and done == rounds:
                        if rebuilds:
                            rebuild_summaries(conn)  # the last round leaves none behind
                        break
                    _between_rounds(conn, began, gap_s, interval_s, rebuilds)
        except psycopg.OperationalError as error:
            log.warning("database unavailable; retrying", extra={"error": str(error)})
            time.sleep(RECONNECT_DELAY_S)


def _between_rounds(
    conn: psycopg.Connection, began: float, gap_s: float, interval_s: float, rebuilds: bool
) -> None:
    """Until the next round is due: the gap, then until arrivals are announced or the
    interval is up; only the gap if the last round left arrivals (a flush taken over several
    rounds). Without workers, page summaries are rebuilt meanwhile: for at least a share of
    the gap, and on while nothing is announced."""
    soonest, latest = began + gap_s, began + interval_s
    if arrivals_waiting(conn):
        latest = soonest
    if rebuilds:
        deadline = max(soonest, time.monotonic() + gap_s * MIN_SUMMARY_SHARE)
        while rebuild_summaries(conn, deadline) and time.monotonic() < latest:
            if wait_for_arrivals(conn, 0):
                return
            deadline = min(latest, time.monotonic() + gap_s)
    time.sleep(max(0.0, soonest - time.monotonic()))
    wait_for_arrivals(conn, latest - time.monotonic())
