"""A batch's findings: excursions out of its storage band and gaps in its record.

Detection itself is pure (store/detection.py); this module reads the custody chain and the
raw readings behind it. Excursions are judged per device at each location; a gap is custody
time when no device at the location reported for longer than ``max_gap_minutes`` (a location
without any installed device is one long gap: GB 31605 asks for continuous records).
"""

import heapq
from collections.abc import Iterator
from datetime import datetime, timedelta

import psycopg
from psycopg.rows import tuple_row

from schemas.history import Finding, Verdict
from schemas.master_data import StorageProfile
from store.batches import batch_row
from store.custody import custody_of
from store.db import database_now
from store.detection import Limits, Point, excursions, silences
from store.history import Segment, custody_segments, monitored_metrics, storage_profile_of


def limits_for(profile: StorageProfile, metric: str) -> Limits:
    if metric == "hum":
        return Limits(None, profile.humidity_max)
    return Limits(profile.temp_min, profile.temp_max)


def sets_limits(profile: StorageProfile) -> bool:
    return any(v is not None for v in (profile.temp_min, profile.temp_max, profile.humidity_max))


def segment_points(
    conn: psycopg.Connection, segment: Segment, metrics: list[str]
) -> dict[str, list[Point]]:
    found = (
        conn.cursor(row_factory=tuple_row)
        .execute(
            "SELECT metric, time, value FROM readings WHERE device_id = %s AND metric = ANY(%s)"
            " AND time >= %s AND time < %s ORDER BY metric, time",
            (segment.device_id, metrics, segment.start, segment.end),
        )
        .fetchall()
    )
    points: dict[str, list[Point]] = {metric: [] for metric in metrics}
    for metric, time, value in found:
        points[metric].append((time, value))
    return points


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()


# Where the storage profile applies: the product is stored or carried there. In processing
# rooms it is worked on at the temperatures the step needs (washing water, a drying room at
# 80 °C), and village points have no instruments; their readings are history, not findings.
COLD_CHAIN_KINDS = frozenset({"cold_store", "warehouse", "truck"})


def batch_findings(
    conn: psycopg.Connection, lot_code: str, now: datetime | None = None
) -> tuple[list[Finding], bool]:
    """The findings in time order, and whether any reading was recorded during custody."""
    batch = batch_row(conn, lot_code)
    now = now or database_now(conn)
    profile = storage_profile_of(conn, batch["product"])
    if not sets_limits(profile):
        return [], False
    metrics = monitored_metrics(profile)
    allowed = timedelta(minutes=profile.max_excursion_minutes)
    max_gap = timedelta(minutes=profile.max_gap_minutes)
    spans = [s for s in custody_of(conn, batch["id"]) if s.kind in COLD_CHAIN_KINDS]
    judged = {span.location for span in spans}
    still_here = {span.location for span in spans if span.end is None}
    segments = [s for s in custody_segments(conn, batch["id"], now) if s.location in judged]
    findings: list[Finding] = []
    times_by_segment: dict[Segment, list[datetime]] = {}
    for segment in segments:
        points = segment_points(conn, segment, metrics)
        # Each metric's points come sorted; merging keeps the order without a sort.
        times_by_segment[segment] = list(
            heapq.merge(*([time for time, _ in series] for series in points.values()))
        )
        for metric, series in points.items():
            limits = limits_for(profile, metric)
            if limits.low is None and limits.high is None:
                continue
            for run in excursions(series, limits, allowed, max_gap):
                findings.append(
                    Finding(
                        kind="excursion", start=run.start, end=run.end,
                        duration_s=_seconds(run.duration), peak=run.peak,
                        location=segment.location, device_id=segment.device_id,
                        metric=metric, deviation=round(run.deviation, 3),
                        ongoing=run.ongoing and segment.location in still_here
                        and now - run.end <= max_gap,
                    )
                )  # fmt: skip
    for span in spans:
        start, end = span.start, min(span.end or now, now)
        if start >= end:
            continue
        here = [s for s in segments if s.location == span.location and s.start < end]
        devices = sorted({s.device_id for s in here})
        times: Iterator[datetime] = heapq.merge(*(times_by_segment[s] for s in here))
        for silence in silences(times, start, end, max_gap):
            findings.append(
                Finding(
                    kind="gap", start=silence.start, end=silence.end,
                    duration_s=_seconds(silence.duration), peak=None, location=span.location,
                    device_id=devices[0] if len(devices) == 1 else None,
                )
            )  # fmt: skip
    any_data = any(times_by_segment.values())
    return sorted(findings, key=lambda f: (f.start, f.kind)), any_data


def verdict(findings: list[Finding], any_data: bool, monitored: bool = True) -> Verdict:
    """One word for the whole record: excursions outweigh gaps; no reading at all is no_data."""
    if not monitored:
        return "no_profile"
    if not any_data:
        return "no_data"
    if any(f.kind == "excursion" for f in findings):
        return "excursions"
    if findings:
        return "gaps"
    return "held"


def batch_verdict(conn: psycopg.Connection, lot_code: str) -> Verdict:
    batch = batch_row(conn, lot_code)
    found, any_data = batch_findings(conn, lot_code)
    return verdict(found, any_data, sets_limits(storage_profile_of(conn, batch["product"])))
