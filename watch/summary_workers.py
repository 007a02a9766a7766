"""Processes beside the watcher's rounds that rebuild page summaries.

A rebuild costs milliseconds of Python and of database time per batch, and a province's
fleet concerns thousands of batches a minute. In processes of their own the workers use
every core and the rounds (alarms) never wait for them, not even for the interpreter's lock:
as threads of the watcher they held it often enough to stretch its rounds. Summaries are
claimed with SKIP LOCKED, so two workers never rebuild the same one. A worker whose watcher
is gone notices within a second and exits.
"""

import logging
import multiprocessing
import os
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event

import psycopg

from store.db import connect, lean_session, plan_each_execution
from store.summaries import rebuild_summaries

log = logging.getLogger(__name__)

# With nothing to rebuild, look again after this long.
IDLE_POLL_S = 0.5
# A worker looks at its stop flag and its watcher at least this often.
SLICE_S = 1.0
# After a failure, wait this long before connecting again.
RETRY_DELAY_S = 5.0
# Workers get this long to finish their group after being asked to stop.
STOP_GRACE_S = 10.0
# Workers yield the CPU to the collectors, the API and the watcher's rounds: a page summary
# may wait seconds, a reading or an alarm should not (nice(2) increment).
NICENESS = 5


def rebuild_until_stopped(
    database_url: str, watcher_pid: int, stopping: Event, initialize: Callable[[], None] | None
) -> None:
    """One worker's life: rebuild what is stale or due, poll when nothing is, until stopped
    or orphaned."""
    os.nice(NICENESS)
    if initialize is not None:
        initialize()

    def carry_on() -> bool:
        return not stopping.is_set() and os.getppid() == watcher_pid

    while carry_on():
        try:
            with connect(database_url, autocommit=True) as conn:
                plan_each_execution(conn)
                lean_session(conn)
                while carry_on():
                    if not rebuild_summaries(conn, time.monotonic() + SLICE_S):
                        stopping.wait(IDLE_POLL_S)
        except psycopg.OperationalError as error:
            log.warning("database unavailable; retrying", extra={"error": str(error)})
            stopping.wait(RETRY_DELAY_S)
        except Exception:
            # A bug must not end page summaries for good: log it, start over.
            log.exception("summary worker failed; restarting")
            stopping.wait(RETRY_DELAY_S)


class SummaryWorkers:
    """``count`` worker processes; ``initialize`` runs first in each (logging, say)."""

    def __init__(
        self, database_url: str, count: int, initialize: Callable[[], None] | None = None
    ) -> None:
        context = multiprocessing.get_context("spawn")
        self.stopping = context.Event()
        self.processes: list[BaseProcess] = [
            context.Process(
                target=rebuild_until_stopped,
                args=(database_url, os.getpid(), self.stopping, initialize),
                name=f"farmtrace-summaries-{n}",
                daemon=True,
            )
            for n in range(count)
        ]

    def start(self) -> None:
        for process in self.processes:
            process.start()

    def stop(self) -> None:
        self.stopping.set()
        deadline = time.monotonic() + STOP_GRACE_S
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
