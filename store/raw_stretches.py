"""Raw readings of one device over chosen stretches, read for findings.

Each stretch is a part of a UNION ALL with plain bounds, so that the planner excludes every
chunk (TimescaleDB) or index range outside it; a join against a list of stretches defeats
that, and on compressed chunks decompresses the whole year.
"""

from collections.abc import Sequence
from datetime import datetime

import psycopg
from psycopg.rows import tuple_row

from store.detection import Limits, Point
from store.history import merge_spans

Span = tuple[datetime, datetime]

# Stretches per query: a longer UNION ALL only costs planning time.
SPANS_PER_QUERY = 32
# These queries are never prepared: psycopg prepares a statement on its fifth use, and on a
# hypertable of a year of chunks that one execution took 1-2 s (bench/history.py's p95 of
# uncompressed findings: 997 and 1,944 ms in two runs, 115 ms unprepared); unprepared, each
# execution's plain bounds also let the planner exclude the chunks outside them.

# Readings outside the metric's band, and each one's successor (detection needs those only);
# the first of a stretch comes too, as its predecessor is not at hand.
_BAND_PART = """
SELECT metric, time, value FROM (
    SELECT r.metric, r.time, r.value, b.low, b.high,
           lag(r.value) OVER (PARTITION BY r.metric ORDER BY r.time) AS before
    FROM readings r
    JOIN unnest(%s::text[], %s::float8[], %s::float8[]) AS b(metric, low, high)
      ON b.metric = r.metric
    WHERE r.device_id = %s AND r.time >= %s AND r.time < %s
) AS part
WHERE before IS NULL OR value < low OR value > high OR before < low OR before > high
"""
_TIME_PART = (
    "SELECT time FROM readings WHERE device_id = %s AND metric = ANY(%s)"
    " AND time >= %s AND time < %s"
)


def _clipped(spans: Sequence[Span], low: datetime, high: datetime) -> list[Span]:
    return merge_spans([(max(a, low), min(b, high)) for a, b in spans])


def _union(
    conn: psycopg.Connection, part: str, spans: list[Span], head: list[object]
) -> list[tuple]:
    cursor = conn.cursor(row_factory=tuple_row)
    found: list[tuple] = []
    for first in range(0, len(spans), SPANS_PER_QUERY):
        batch = spans[first : first + SPANS_PER_QUERY]
        params = [value for low, high in batch for value in (*head, low, high)]
        query = " UNION ALL ".join([part] * len(batch))
        found += cursor.execute(query, params, prepare=False).fetchall()
    return found


def band_points(
    conn: psycopg.Connection,
    device_id: str,
    bands: dict[str, Limits],
    spans: Sequence[Span],
    low: datetime,
    high: datetime,
) -> dict[str, list[Point]]:
    """Per metric, in time order: the readings in ``spans`` (within [low, high)) that are
    outside the metric's band or follow one that is."""
    metrics = list(bands)
    head: list[object] = [
        metrics, [bands[m].low for m in metrics], [bands[m].high for m in metrics], device_id,
    ]  # fmt: skip
    points: dict[str, list[Point]] = {metric: [] for metric in metrics}
    for metric, time, value in sorted(_union(conn, _BAND_PART, _clipped(spans, low, high), head)):
        points[metric].append((time, value))
    return points


def reading_times(
    conn: psycopg.Connection,
    device_id: str,
    metrics: list[str],
    spans: Sequence[Span],
    low: datetime,
    high: datetime,
) -> list[datetime]:
    """Every reading's time in ``spans`` (within [low, high)), in order, over the metrics."""
    found = _union(conn, _TIME_PART, _clipped(spans, low, high), [device_id, metrics])
    return sorted(time for (time,) in found)
