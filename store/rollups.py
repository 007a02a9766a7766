"""Hourly rollups, refreshed from the reading-arrivals outbox on both servers.

``reading_hours`` (migrations 0040, 0110) is refreshed here, in the watcher's transaction, for
the hours each arrival touches, however old; until then those hours are read raw (see
store/history.py). Plain PostgreSQL has only views that aggregate raw readings per query;
TimescaleDB's continuous aggregates refresh only a window behind now, so a reading arriving
after that window has passed its hour would never reach them (store/aggregates.py mends
them for Grafana), while this table has it at once.
"""

from collections.abc import Sequence
from datetime import datetime

import psycopg

from schemas.arrivals import Arrival

ROLLUP_ORIGIN = datetime.fromisoformat("2000-01-01T00:00:00+00:00")

_REFRESH = """
INSERT INTO reading_hours (device_id, metric, bucket, min, max, avg, count)
SELECT device_id, metric, date_bin('1 hour', time, %(origin)s) AS bucket,
       min(value), max(value), avg(value), count(*)
FROM readings
WHERE device_id = %(device_id)s
  AND time >= date_bin('1 hour', %(first)s::timestamptz, %(origin)s)
  AND time < date_bin('1 hour', %(last)s::timestamptz, %(origin)s) + interval '1 hour'
GROUP BY 1, 2, 3
ON CONFLICT (device_id, metric, bucket) DO UPDATE
SET min = excluded.min, max = excluded.max, avg = excluded.avg, count = excluded.count
"""


def refresh_hours(conn: psycopg.Connection, arrivals: Sequence[Arrival]) -> None:
    """Recompute the stored hours the arrivals touched."""
    if not arrivals:
        return
    with conn.cursor() as cur:
        cur.executemany(
            _REFRESH,
            [
                {"device_id": a.device_id, "first": a.first_time, "last": a.last_time,
                 "origin": ROLLUP_ORIGIN}
                for a in arrivals
            ],
        )  # fmt: skip


def refresh_hours_between(
    conn: psycopg.Connection, device_id: str, first: datetime, last: datetime
) -> None:
    """Backfill the stored hours of one device (readings loaded outside the collector)."""
    refresh_hours(conn, [Arrival(device_id, first, last, 0)])
