"""Whether the stored records have caught up: what a starting system waits for before it
points anyone at a page (``farmtrace demo`` says "ready" only once these hold)."""

from dataclasses import dataclass
from datetime import datetime

import psycopg

from store.db import rows


@dataclass(frozen=True)
class Backlog:
    """Work the watcher has not done yet: new readings to judge, summaries to recompute."""

    arrivals: int
    stale_summaries: int
    # Summaries new readings concern, not yet rebuilt by the watcher's summary workers.
    due_summaries: int = 0

    @property
    def empty(self) -> bool:
        return self.arrivals == 0 and self.stale_summaries == 0 and self.due_summaries == 0


def last_reading_times(conn: psycopg.Connection, device_ids: list[str]) -> dict[str, datetime]:
    """Each device's newest stored reading (devices with none are left out)."""
    found = rows(
        conn,
        "SELECT d.device_id, (SELECT max(r.time) FROM readings r WHERE r.device_id = d.device_id)"
        " AS last FROM unnest(%s::text[]) AS d(device_id)",
        (device_ids,),
    )
    return {row["device_id"]: row["last"] for row in found if row["last"] is not None}


def watcher_backlog(conn: psycopg.Connection) -> Backlog:
    found = rows(
        conn,
        "SELECT (SELECT count(*) FROM reading_arrivals) AS arrivals,"
        " (SELECT count(*) FROM batch_summaries WHERE stale) AS stale_summaries,"
        " (SELECT count(*) FROM batch_summaries WHERE readings_due_since IS NOT NULL)"
        " AS due_summaries",
    )[0]
    return Backlog(
        int(found["arrivals"]), int(found["stale_summaries"]), int(found["due_summaries"])
    )
