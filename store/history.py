"""A batch's temperature (and humidity) history across its whole custody chain.

The history is the readings of every device installed where the batch was, while it was
there: custody intervals × device installations × readings. For display it is downsampled to
at most N buckets (min, max, mean each) on a fixed grid, from the hourly rollups where the
bucket width is a whole number of hours, and from raw readings with ``date_bin`` otherwise
and at the partial hours at either end of an interval. A bucket without readings is a null
point, so a silence stays visible as a gap.

The hourly rollups are the ``reading_hours`` table on both servers (store/rollups.py), with
the hours that pending arrivals touch read raw, so late data shows at once. TimescaleDB's
continuous aggregates are not read here: their policies refresh only a window behind now, so
a reading arriving later than that into a materialised range is missing from them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.multirange import Multirange
from psycopg.types.range import Range

from schemas.batches import CustodyPublic
from schemas.codes import normalize_lot_code
from schemas.history import HistoryPoint, HistorySeries, TemperatureHistory
from schemas.master_data import StorageProfile
from schemas.sensor_metrics import METRICS
from store.custody import custody_of_batches
from store.db import database_now, lean_reads, rows
from store.errors import NotFoundError
from store.rollups import ROLLUP_ORIGIN

# Bucket widths on offer, in seconds: each a multiple of the last, the larger ones of an hour,
# so wide buckets come from hourly rollups.
BUCKET_WIDTHS_S = (
    60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400,
    2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400,
)  # fmt: skip
DEFAULT_POINTS = 500
MAX_POINTS = 5000
# Raw readings on request are capped: a year of one-minute readings would be 30 MB of JSON.
MAX_RAW_POINTS = 100_000
# Consecutive raw readings further apart than this many reporting intervals are a gap (a
# little slack: devices on a timer drift by seconds).
RAW_GAP_FACTOR = 1.5


@dataclass(frozen=True)
class Segment:
    """One device at one custody location, over the overlap of custody and installation."""

    location: str
    location_name: str
    device_id: str
    start: datetime
    end: datetime
    reporting_interval_s: int
    calibration_due: date | None


@dataclass(frozen=True)
class PendingArrival:
    """Readings stored but not yet taken by the watcher: its rollups may not hold them yet."""

    device_id: str
    first_time: datetime
    last_time: datetime


@dataclass(frozen=True)
class CustodyRecord:
    """What a batch's history and its findings both start from, read once for the two."""

    batch_id: int
    lot_code: str
    profile: StorageProfile
    custody: list[CustodyPublic]
    segments: list[Segment]
    pending: list[PendingArrival]
    # When the batch was received or made, and whether it was made from other batches (split
    # or merged): its parents' records are part of its cold chain.
    received_at: datetime
    derived: bool


def custody_record(conn: psycopg.Connection, lot_code: str, now: datetime) -> CustodyRecord:
    return custody_records(conn, [lot_code], now)[normalize_lot_code(lot_code)]


def custody_records(
    conn: psycopg.Connection, lot_codes: Sequence[str], now: datetime
) -> dict[str, CustodyRecord]:
    """Several batches' records by lot code in four reads, whatever their number (the summary
    workers rebuild a group of pages at a time)."""
    wanted = sorted({normalize_lot_code(code) for code in lot_codes})
    found = rows(
        conn,
        "SELECT b.id, b.lot_code, b.received_at,"
        " EXISTS (SELECT FROM batch_lineage l WHERE l.child_id = b.id) AS derived,"
        " p.temp_min, p.temp_max, p.humidity_max, p.max_excursion_minutes, p.max_gap_minutes"
        " FROM batches b JOIN products p ON p.code = b.product WHERE b.lot_code = ANY(%s)",
        (wanted,),
    )
    missing = sorted(set(wanted) - {batch["lot_code"] for batch in found})
    if missing:
        code = missing[0]
        raise NotFoundError(f"no batch with lot code {code!r}", f"找不到批次码 {code}")
    ids = [batch["id"] for batch in found]
    custody = custody_of_batches(conn, ids)
    segments = custody_segments_of(conn, ids, now)
    pending = pending_arrivals(conn, [s for found in segments.values() for s in found])
    records = {}
    for batch in found:
        batch_id, lot_code = batch.pop("id"), batch.pop("lot_code")
        received_at, derived = batch.pop("received_at"), batch.pop("derived")
        here = segments.get(batch_id, [])
        devices = {segment.device_id for segment in here}
        records[lot_code] = CustodyRecord(
            batch_id=batch_id,
            lot_code=lot_code,
            profile=StorageProfile(**batch),
            custody=custody.get(batch_id, []),
            segments=here,
            pending=[arrival for arrival in pending if arrival.device_id in devices],
            received_at=received_at,
            derived=derived,
        )
    return records


def monitored_metrics(profile: StorageProfile) -> list[str]:
    """Temperature always has a history; humidity where the profile limits it."""
    return ["temp", "hum"] if profile.humidity_max is not None else ["temp"]


def calibration_overdue(due: date | None, today: date) -> bool:
    """No calibration on record counts as overdue: GB 31605 asks for calibration records."""
    return due is None or due < today


def custody_segments(conn: psycopg.Connection, batch_id: int, now: datetime) -> list[Segment]:
    """Every (custody interval × installation) overlap up to now, in time order."""
    return custody_segments_of(conn, [batch_id], now).get(batch_id, [])


def custody_segments_of(
    conn: psycopg.Connection, batch_ids: Sequence[int], now: datetime
) -> dict[int, list[Segment]]:
    """Several batches' segments in one read, by batch."""
    found = rows(
        conn,
        "SELECT c.batch_id, c.location, l.name AS location_name, i.device_id,"
        " lower(c.during * i.during) AS start,"
        " least(coalesce(upper(c.during * i.during), %(now)s), %(now)s) AS end,"
        " d.reporting_interval_s,"
        " d.last_calibrated + d.calibration_interval_days AS calibration_due"
        " FROM custody c JOIN locations l ON l.code = c.location"
        " JOIN device_installations i ON i.location = c.location AND i.during && c.during"
        " JOIN devices d ON d.device_id = i.device_id"
        " WHERE c.batch_id = ANY(%(batches)s) AND lower(c.during * i.during) < %(now)s"
        " ORDER BY c.batch_id, 5, i.device_id",
        {"batches": list(batch_ids), "now": now},
    )
    segments: dict[int, list[Segment]] = {}
    for row in found:
        segments.setdefault(row.pop("batch_id"), []).append(Segment(**row))
    return segments


def choose_bucket_width(segments: list[Segment], points: int) -> int:
    """The narrowest offered width (not below any device's reporting interval, where every
    bucket would hold a reading) that keeps all segments within ``points`` buckets."""
    floor_s = max((s.reporting_interval_s for s in segments), default=60)
    for width in BUCKET_WIDTHS_S:
        if width < floor_s:
            continue
        needed = sum(int((s.end - s.start).total_seconds() // width) + 2 for s in segments)
        if needed <= points:
            return width
    return BUCKET_WIDTHS_S[-1]


def _floor(time: datetime, width_s: int) -> datetime:
    offset = (time - ROLLUP_ORIGIN).total_seconds()
    return ROLLUP_ORIGIN + timedelta(seconds=(offset // width_s) * width_s)


def _ceil(time: datetime, width_s: int) -> datetime:
    floor = _floor(time, width_s)
    return floor if floor == time else floor + timedelta(seconds=width_s)


def merge_spans(ranges: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for low, high in sorted(r for r in ranges if r[0] < r[1]):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def pending_arrivals(conn: psycopg.Connection, segments: list[Segment]) -> list[PendingArrival]:
    """The pending arrivals of the segments' devices within their span, in one read."""
    if not segments:
        return []
    found = rows(
        conn,
        "SELECT device_id, first_time, last_time FROM reading_arrivals"
        " WHERE device_id = ANY(%s) AND last_time >= %s AND first_time < %s",
        (
            sorted({s.device_id for s in segments}),
            min(s.start for s in segments),
            max(s.end for s in segments),
        ),
    )
    return [PendingArrival(**row) for row in found]


def stale_hours(
    pending: list[PendingArrival], device_id: str, low: datetime, high: datetime
) -> list[tuple[datetime, datetime]]:
    """Hours that pending arrivals touch: the stored rollup may not include them yet."""
    return [
        (_floor(a.first_time, 3600), _floor(a.last_time, 3600) + timedelta(hours=1))
        for a in pending
        if a.device_id == device_id and a.last_time >= low and a.first_time < high
    ]


# Each part yields (bucket, min, max, sum, count); the parts' buckets are summed up after.
_BUCKETS_FROM_HOURS = """
SELECT date_bin(%(width)s, bucket, %(origin)s), min(min), max(max), sum(avg * count), sum(count)
FROM reading_hours
WHERE device_id = %(device)s AND metric = %(metric)s
  AND bucket >= %(inner_low)s AND bucket < %(inner_high)s
  AND NOT (%(raw)s::tstzmultirange @> bucket)
GROUP BY 1
"""
# One part per raw span, its bounds as plain parameters: the planner then excludes every
# chunk (or index range) outside the span, which a join against a list of spans defeats.
_BUCKETS_FROM_RAW = """
SELECT date_bin(%(width)s, time, %(origin)s), min(value), max(value), sum(value), count(*)
FROM readings
WHERE device_id = %(device)s AND metric = %(metric)s AND time >= %(low{n})s AND time < %(high{n})s
GROUP BY 1
"""


def bucketed(
    conn: psycopg.Connection,
    segment: Segment,
    metric: str,
    width_s: int,
    pending: list[PendingArrival],
) -> list[HistoryPoint]:
    """The segment's readings in ``width_s`` buckets on the global grid, gaps as nulls.

    Widths of whole hours come from ``reading_hours``, except at the partial hours at either
    end and in hours that pending arrivals touch, which are read raw; other widths span at
    most a few days (``points`` buckets of a few minutes) and are read raw throughout.
    """
    low, high = segment.start, segment.end
    raw: list[tuple[datetime, datetime]] = [(low, high)]
    params: dict[str, Any] = {
        "width": timedelta(seconds=width_s), "origin": ROLLUP_ORIGIN,
        "device": segment.device_id, "metric": metric,
    }  # fmt: skip
    parts = []
    inner_low, inner_high = _ceil(low, 3600), _floor(high, 3600)
    if width_s % 3600 == 0 and inner_low < inner_high:
        raw = [(low, inner_low), (inner_high, high)]
        raw += [
            (max(a, inner_low), min(b, inner_high))
            for a, b in stale_hours(pending, segment.device_id, inner_low, inner_high)
        ]
        raw = merge_spans(raw)
        params |= {
            "inner_low": inner_low, "inner_high": inner_high,
            "raw": Multirange([Range(a, b, "[)") for a, b in raw]),
        }  # fmt: skip
        parts.append(_BUCKETS_FROM_HOURS)
    for n, (a, b) in enumerate(raw):
        params |= {f"low{n}": a, f"high{n}": b}
        parts.append(_BUCKETS_FROM_RAW.replace("{n}", str(n)))
    found = (
        conn.cursor(row_factory=dict_row)
        .execute(
            "SELECT b AS time, min(min) AS min, max(max) AS max, sum(total) / sum(count) AS mean,"
            " sum(count)::int AS count FROM (" + " UNION ALL ".join(parts) + ")"
            " AS parts(b, min, max, total, count) GROUP BY b ORDER BY b",
            params,
            prepare=False,  # see store/raw_stretches.py: preparing it costs more than it saves
        )
        .fetchall()
    )
    by_time = {row["time"]: row for row in found}
    points = []
    bucket = _floor(low, width_s)
    step = timedelta(seconds=width_s)
    while bucket < high:
        row = by_time.get(bucket)
        points.append(HistoryPoint(**row) if row else HistoryPoint(
            time=bucket, min=None, max=None, mean=None, count=0
        ))  # fmt: skip
        bucket += step
    return points


def raw_points(conn: psycopg.Connection, segment: Segment, metric: str) -> list[HistoryPoint]:
    """The segment's readings as stored, with a null point wherever the device fell silent."""
    found = rows(
        conn,
        "SELECT time, value FROM readings WHERE device_id = %s AND metric = %s"
        " AND time >= %s AND time < %s ORDER BY time LIMIT %s",
        (segment.device_id, metric, segment.start, segment.end, MAX_RAW_POINTS),
    )
    allowed = timedelta(seconds=segment.reporting_interval_s * RAW_GAP_FACTOR)
    points: list[HistoryPoint] = []
    previous = segment.start
    for row in found:
        if row["time"] - previous > allowed:
            points.append(HistoryPoint(time=previous, min=None, max=None, mean=None, count=0))
        value = row["value"]
        points.append(HistoryPoint(time=row["time"], min=value, max=value, mean=value, count=1))
        previous = row["time"]
    if segment.end - previous > allowed:
        points.append(HistoryPoint(time=previous, min=None, max=None, mean=None, count=0))
    return points


@lean_reads
def temperature_history(
    conn: psycopg.Connection,
    lot_code: str,
    points: int = DEFAULT_POINTS,
    raw: bool = False,
    now: datetime | None = None,
    record: CustodyRecord | None = None,
) -> TemperatureHistory:
    """The batch's history: raw on request, otherwise at most ``points`` buckets per metric.
    ``record``: the batch's custody as already read at ``now`` (by a caller that needs it too)."""
    now = now or database_now(conn)
    record = record or custody_record(conn, lot_code, now)
    segments = record.segments
    width = None if raw else choose_bucket_width(segments, max(1, min(points, MAX_POINTS)))
    today = now.date()
    series = []
    for metric in monitored_metrics(record.profile):
        for segment in segments:
            series.append(
                HistorySeries(
                    location=segment.location,
                    location_name=segment.location_name,
                    device_id=segment.device_id,
                    metric=metric,
                    unit=METRICS[metric].unit or "",
                    start=segment.start,
                    end=segment.end,
                    reporting_interval_s=segment.reporting_interval_s,
                    calibration_due=segment.calibration_due,
                    calibration_overdue=calibration_overdue(segment.calibration_due, today),
                    points=raw_points(conn, segment, metric)
                    if width is None
                    else bucketed(conn, segment, metric, width, record.pending),
                )
            )
    return TemperatureHistory(
        lot_code=record.lot_code,
        storage_profile=record.profile,
        bucket_seconds=width,
        custody=record.custody,
        series=series,
    )
