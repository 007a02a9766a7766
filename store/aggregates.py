"""TimescaleDB's continuous aggregates, mended for readings that arrive after their window.

A refresh policy recomputes only the buckets between its start and end offsets behind now;
TimescaleDB logs an insert into an older, already materialised bucket as an invalidation
that no later policy run covers, so ``readings_5m``/``readings_1h`` (which Grafana reads)
would miss a device's readings flushed days late. After each round the watcher refreshes the
range its late arrivals touched when they fall below both the policy's reach and the
watermark (newer buckets are computed from raw readings at each query), which processes
exactly those invalidations. History and findings do not wait for this: they read ``reading_hours``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from schemas.arrivals import Arrival
from store.db import has_timescaledb
from store.rollups import HOUR, hour_of


@dataclass(frozen=True)
class RefreshWindow:
    view: str
    start_offset: timedelta
    # Where materialised buckets end: newer ones are computed from raw readings at each
    # query (real-time aggregation) and need no refresh; None when nothing is materialised.
    watermark: datetime | None


def refresh_windows(conn: psycopg.Connection) -> list[RefreshWindow]:
    """Each continuous aggregate with a refresh policy, and how far back the policy reaches."""
    found = conn.execute(
        "SELECT c.view_name, (j.config ->> 'start_offset')::interval, w.watermark"
        " FROM timescaledb_information.jobs j"
        # The jobs view names the aggregate itself (older releases: its materialisation).
        " JOIN timescaledb_information.continuous_aggregates c"
        "   ON (j.hypertable_schema, j.hypertable_name) IN ((c.view_schema, c.view_name),"
        "      (c.materialization_hypertable_schema, c.materialization_hypertable_name))"
        # The watermark has no public view; before any refresh it is the lowest time.
        " CROSS JOIN LATERAL (SELECT nullif(_timescaledb_functions.to_timestamp("
        "   _timescaledb_functions.cagg_watermark((j.config ->> 'mat_hypertable_id')::int)),"
        "   '-infinity') AS raw) AS m"
        " CROSS JOIN LATERAL (SELECT CASE WHEN m.raw > '0001-01-02' THEN m.raw END"
        "   AS watermark) AS w"
        " WHERE j.proc_name = 'policy_refresh_continuous_aggregate'"
        "   AND j.config ->> 'start_offset' IS NOT NULL"
        " ORDER BY c.view_name"
    ).fetchall()
    return [RefreshWindow(view, offset, watermark) for view, offset, watermark in found]


def late_ranges(
    arrivals: Sequence[Arrival], window: RefreshWindow, now: datetime
) -> tuple[datetime, datetime] | None:
    """The range that arrivals touched in materialised buckets older than the policy's reach,
    in whole hours (a multiple of both aggregates' buckets); None when there is none."""
    if window.watermark is None:
        return None
    reach = min(now - window.start_offset, window.watermark)
    late = [a for a in arrivals if a.first_time < reach]
    if not late:
        return None
    return hour_of(min(a.first_time for a in late)), hour_of(max(a.last_time for a in late)) + HOUR


def mend_late_aggregates(
    conn: psycopg.Connection, arrivals: Sequence[Arrival], now: datetime
) -> list[str]:
    """Refresh what late arrivals invalidated beyond the policies' reach; returns the views
    refreshed. Needs an autocommit connection outside a transaction (TimescaleDB's rule)."""
    if not arrivals or not has_timescaledb(conn):
        return []
    refreshed = []
    for window in refresh_windows(conn):
        span = late_ranges(arrivals, window, now)
        if span is None:
            continue
        conn.execute(
            "CALL refresh_continuous_aggregate(%s::regclass, %s::timestamptz, %s::timestamptz)",
            (window.view, *span),
        )
        refreshed.append(window.view)
    return refreshed
