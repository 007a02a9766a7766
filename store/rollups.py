"""Hourly rollups, refreshed from the reading-arrivals outbox on both servers.

``reading_hours`` (migrations 0040, 0110) is refreshed here, in the watcher's transaction, for
the hours each arrival touches, however old; until then those hours are read raw (see
store/history.py). Plain PostgreSQL has only views that aggregate raw readings per query;
TimescaleDB's continuous aggregates refresh only a window behind now, so a reading arriving
after that window has passed its hour would never reach them (store/aggregates.py mends
them for Grafana), while this table has it at once.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

import psycopg

from schemas.arrivals import Arrival
from schemas.sensor_metrics import METRICS

ROLLUP_ORIGIN = datetime.fromisoformat("2000-01-01T00:00:00+00:00")
HOUR = timedelta(hours=1)


def hour_of(time: datetime) -> datetime:
    """The start of the stored hour holding ``time`` (whole hours from the rollups' origin)."""
    return ROLLUP_ORIGIN + (time - ROLLUP_ORIGIN) // HOUR * HOUR


# Naming the metrics lets the (device, metric, time) index bound the time as well; without
# them it read every reading the device ever sent (a year: 9 ms a round per arrival). The
# collector stores no other metric.
_METRICS = sorted(METRICS)

# Besides min/max/avg/count, where the hour's readings lie (migration 0111): its first and
# last reading and the longest silence between two of them, which findings read.
_REFRESH = """
WITH spaced AS (
    SELECT device_id, metric, time, value, date_bin('1 hour', time, %(origin)s) AS bucket,
           time - lag(time) OVER (
               PARTITION BY metric, date_bin('1 hour', time, %(origin)s) ORDER BY time) AS gap
    FROM readings
    WHERE device_id = %(device_id)s AND metric = ANY(%(metrics)s)
      AND time >= date_bin('1 hour', %(first)s::timestamptz, %(origin)s)
      AND time < date_bin('1 hour', %(last)s::timestamptz, %(origin)s) + interval '1 hour'
)
INSERT INTO reading_hours (device_id, metric, bucket, min, max, avg, count,
                           first_time, last_time, longest_gap_s)
SELECT device_id, metric, bucket, min(value), max(value), avg(value), count(*),
       min(time), max(time), coalesce(extract(epoch FROM max(gap)), 0)
FROM spaced
GROUP BY 1, 2, 3
ON CONFLICT (device_id, metric, bucket) DO UPDATE
SET min = excluded.min, max = excluded.max, avg = excluded.avg, count = excluded.count,
    first_time = excluded.first_time, last_time = excluded.last_time,
    longest_gap_s = excluded.longest_gap_s
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
                 "origin": ROLLUP_ORIGIN, "metrics": _METRICS}
                for a in arrivals
            ],
        )  # fmt: skip


def refresh_hours_between(
    conn: psycopg.Connection, device_id: str, first: datetime, last: datetime
) -> None:
    """Backfill the stored hours of one device (readings loaded outside the collector)."""
    refresh_hours(conn, [Arrival(device_id, first, last, 0)])
