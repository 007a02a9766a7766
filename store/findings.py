"""A batch's findings: excursions out of its storage band and gaps in its record.

Detection itself is pure (store/detection.py); this module reads the custody chain, the
stored hours behind it, and only those raw readings that the hours cannot settle
(store/finding_reads.py says which), so a year costs hours, not minutes. Excursions are
judged per device at each location; a gap is custody time when no device at the location
reported for longer than ``max_gap_minutes`` (a location without any installed device is one
long gap: GB 31605 asks for continuous records).
"""

from bisect import bisect_left
from datetime import datetime, timedelta

import psycopg

from schemas.history import Finding, Verdict
from schemas.master_data import StorageProfile
from store.db import database_now, lean_reads
from store.detection import Limits, excursions
from store.finding_reads import SeriesPlace, excursion_reads, gap_reads, silences_in
from store.history import CustodyRecord, custody_record, monitored_metrics
from store.raw_stretches import band_points, reading_times
from store.stored_hours import device_hours, seconds


def limits_for(profile: StorageProfile, metric: str) -> Limits:
    if metric == "hum":
        return Limits(None, profile.humidity_max)
    return Limits(profile.temp_min, profile.temp_max)


def sets_limits(profile: StorageProfile) -> bool:
    return any(v is not None for v in (profile.temp_min, profile.temp_max, profile.humidity_max))


def _seconds(delta: timedelta) -> float:
    return delta.total_seconds()


# Where the storage profile applies: the product is stored or carried there. In processing
# rooms it is worked on at the temperatures the step needs (washing water, a drying room at
# 80 °C), and village points have no instruments; their readings are history, not findings.
COLD_CHAIN_KINDS = frozenset({"cold_store", "warehouse", "truck"})


@lean_reads
def batch_findings(
    conn: psycopg.Connection,
    lot_code: str,
    now: datetime | None = None,
    record: CustodyRecord | None = None,
) -> tuple[list[Finding], bool]:
    """The findings in time order, and whether any reading was recorded during custody.
    ``record``: the batch's custody as already read at ``now`` (by a caller that needs it too)."""
    now = now or database_now(conn)
    record = record or custody_record(conn, lot_code, now)
    profile = record.profile
    if not sets_limits(profile):
        return [], False
    metrics = monitored_metrics(profile)
    allowed = timedelta(minutes=profile.max_excursion_minutes)
    max_gap = timedelta(minutes=profile.max_gap_minutes)
    spans_judged = [s for s in record.custody if s.kind in COLD_CHAIN_KINDS]
    judged = {span.location for span in spans_judged}
    still_here = {span.location for span in spans_judged if span.end is None}
    segments = [s for s in record.segments if s.location in judged]
    places = {
        s: SeriesPlace(
            seconds(s.start),
            seconds(s.end),
            device_hours(conn, s.device_id, metrics, s.start, s.end, record.pending),
        )
        for s in segments
    }
    # What the stored hours cannot settle is read raw: per segment, the stretches that may
    # hold an excursion, and per custody span the regions where a gap may be.
    bands = {m: limits_for(profile, m) for m in metrics}
    bands = {m: band for m, band in bands.items() if band.low is not None or band.high is not None}
    findings: list[Finding] = []
    any_data = any(
        places[s].whole(hour) for s in segments for stored in places[s].hours.by_metric.values()
        for hour in stored
    )  # fmt: skip
    for segment in segments:
        spans = [
            span for m, band in bands.items() for span in excursion_reads(places[segment], m, band)
        ]
        points = band_points(conn, segment.device_id, bands, spans, segment.start, segment.end)
        for metric, series in points.items():
            any_data = any_data or bool(series)
            for run in excursions(series, bands[metric], allowed, max_gap):
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
    for span in spans_judged:
        start, end = span.start, min(span.end or now, now)
        if start >= end:
            continue
        here = [s for s in segments if s.location == span.location and s.start < end]
        plan = gap_reads(start, end, [places[s] for s in here], metrics, max_gap)
        times = sorted(
            t for s in here
            for t in reading_times(conn, s.device_id, metrics, plan.regions, s.start, s.end)
        )  # fmt: skip
        any_data = any_data or bool(times)
        found = list(plan.silences)
        for region in plan.regions:
            low, high = max(region[0], start), min(region[1], end)
            inside = times[bisect_left(times, low) : bisect_left(times, high)]
            found += silences_in(region, inside, start, end, max_gap)
        devices = sorted({s.device_id for s in here})
        for silence in found:
            findings.append(
                Finding(
                    kind="gap", start=silence.start, end=silence.end,
                    duration_s=_seconds(silence.duration), peak=None, location=span.location,
                    device_id=devices[0] if len(devices) == 1 else None,
                    ongoing=span.end is None and silence.end >= now,
                )
            )  # fmt: skip
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
    now = database_now(conn)
    record = custody_record(conn, lot_code, now)
    found, any_data = batch_findings(conn, lot_code, now=now, record=record)
    return verdict(found, any_data, sets_limits(record.profile))
