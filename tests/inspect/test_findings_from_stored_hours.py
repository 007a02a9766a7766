"""Findings read from stored hours agree with findings over every raw reading.

Random histories (dropouts, excursions, jittered clocks, a second probe installed mid-stay,
humidity beside temperature, custody starting mid-hour, a late flush still pending) are
judged twice: by ``batch_findings`` and by the detection rules over all raw readings.
"""

import heapq
import random
from datetime import datetime, timedelta

import psycopg
import pytest

from schemas.history import Finding
from store.arrivals import take_arrivals
from store.detection import excursions, silences
from store.devices import add_device
from store.findings import COLD_CHAIN_KINDS, batch_findings, limits_for
from store.history import custody_record, monitored_metrics
from store.rollups import refresh_hours
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    TRUCK_DEVICE,
    add_readings,
    minutes,
    move,
    new_batch,
    seed_district,
)

SECOND_PROBE = "COLD-T2"
NOW = T0 + timedelta(hours=40)


def every_finding_from_raw(conn: psycopg.Connection, lot: str, now: datetime) -> list[Finding]:
    """The reference: the detection rules over every raw reading of the custody chain."""
    record = custody_record(conn, lot, now)
    profile = record.profile
    metrics = monitored_metrics(profile)
    allowed = minutes(profile.max_excursion_minutes)
    max_gap = minutes(profile.max_gap_minutes)
    spans = [s for s in record.custody if s.kind in COLD_CHAIN_KINDS]
    segments = [s for s in record.segments if s.location in {span.location for span in spans}]
    span_open = {span.location: span.end is None for span in spans}
    found, times = [], {}
    for segment in segments:
        readings = conn.execute(
            "SELECT metric, time, value FROM readings WHERE device_id = %s AND metric = ANY(%s)"
            " AND time >= %s AND time < %s ORDER BY metric, time",
            (segment.device_id, metrics, segment.start, segment.end),
        ).fetchall()
        times[segment] = sorted(time for _, time, _ in readings)
        for metric in metrics:
            series = [(time, value) for m, time, value in readings if m == metric]
            for run in excursions(series, limits_for(profile, metric), allowed, max_gap):
                found.append(
                    Finding(
                        kind="excursion", start=run.start, end=run.end,
                        duration_s=run.duration.total_seconds(), peak=run.peak,
                        location=segment.location, device_id=segment.device_id,
                        metric=metric, deviation=round(run.deviation, 3),
                        ongoing=run.ongoing and span_open[segment.location]
                        and now - run.end <= max_gap,
                    )
                )  # fmt: skip
    for span in spans:
        start, end = span.start, min(span.end or now, now)
        here = [s for s in segments if s.location == span.location and s.start < end]
        devices = sorted({s.device_id for s in here})
        merged = heapq.merge(*(times[s] for s in here))
        for silence in silences(merged, start, end, max_gap):
            found.append(
                Finding(
                    kind="gap", start=silence.start, end=silence.end,
                    duration_s=silence.duration.total_seconds(), peak=None,
                    location=span.location,
                    device_id=devices[0] if len(devices) == 1 else None,
                    ongoing=span.end is None and silence.end >= now,
                )
            )  # fmt: skip
    return sorted(found, key=lambda f: (f.start, f.kind))


def random_record(
    rng: random.Random, start: datetime, hours: int, interval_s: int, warm: float
) -> list[tuple[datetime, float]]:
    """Readings every ``interval_s`` (a few seconds of jitter), with dropouts of a few
    minutes to two hours, and warm spells of a few minutes to an hour."""
    points, time, spell_left, silent_left = [], start, 0, 0
    while time < start + timedelta(hours=hours):
        if silent_left <= 0 and rng.random() < 0.004:
            silent_left = rng.choice([3, 9, 11, 25, 70, 130]) * 60
        if spell_left <= 0 and rng.random() < 0.006:
            spell_left = rng.choice([4, 20, 29, 31, 45, 65]) * 60
        if silent_left > 0:
            silent_left -= interval_s
        else:
            value = warm if spell_left > 0 else 3.0 + rng.uniform(-0.5, 0.5)
            points.append((time + timedelta(seconds=rng.randint(0, 5)), value))
        spell_left -= interval_s
        time += timedelta(seconds=interval_s)
    return points


def build_history(conn: psycopg.Connection, rng: random.Random, product: str) -> str:
    seed_district(conn)
    add_device(conn, SECOND_PROBE, "probe", "PC-COLD", T0 + timedelta(hours=10, minutes=17), 120)
    conn.commit()
    lot = new_batch(conn, product=product, at=T0 + minutes(7))
    move(conn, lot, "TRUCK-01", T0 + timedelta(hours=30, minutes=41))
    move(conn, lot, "WH-1", T0 + timedelta(hours=38, minutes=13))
    records = {
        COLD_DEVICE: random_record(rng, T0 - timedelta(hours=1), 32, 60, 7.5),
        SECOND_PROBE: random_record(rng, T0 + timedelta(hours=10, minutes=20), 21, 120, 8.0),
        TRUCK_DEVICE: random_record(rng, T0 + timedelta(hours=29), 12, 60, 6.0),
    }
    for device, points in records.items():
        add_readings(conn, device, points)
        if product == "WALNUT":
            add_readings(
                conn, device, [(t, 60.0 if v < 5 else 75.0) for t, v in points[::2]], "hum"
            )
    return lot


@pytest.mark.parametrize("seed", range(12))
def test_findings_from_stored_hours_match_findings_over_every_reading(
    db: psycopg.Connection, seed: int
) -> None:
    rng = random.Random(seed)
    lot = build_history(db, rng, "WALNUT" if seed % 3 == 2 else "TIANMA-FRESH")
    raw_only = batch_findings(db, lot, now=NOW)  # every hour still pending: all read raw
    refresh_hours(db, take_arrivals(db))
    db.commit()
    if seed % 2:
        # A late flush into the middle of the record stays pending: those hours read raw.
        late = T0 + timedelta(hours=12, minutes=rng.randint(0, 59), seconds=30)
        add_readings(db, COLD_DEVICE, [(late, 9.5), (late + minutes(40), 9.0)])
    reference = every_finding_from_raw(db, lot, NOW)
    found, any_data = batch_findings(db, lot, now=NOW)
    assert any_data
    assert found == reference
    if not seed % 2:
        assert raw_only == (found, any_data)
    assert {f.kind for f in found} == {"excursion", "gap"}
