"""Which raw readings findings must read, decided from the stored hours alone (no database).

Excursions: every reading outside the band lies in an hour whose stored min or max is outside
it; detection (store/detection.py) needs those readings and the one after each, which lies in
the same hour or in the next hour that has readings. Feeding it only those, in time order,
finds the same runs as feeding it all: between runs an in-band reading changes nothing.

Gaps: an hour is *covered* when every device there recorded it completely, up to date, and
one of them densely (no stretch longer than the allowed gap without a reading). A silence
longer than that cannot lie inside a covered hour nor hold one, so it either ends in the head
of a covered hour and begins in the tail of the one before (told by the hours' first and last
readings), or it lies among uncovered hours and their two neighbours, which are read raw.
"""

import math
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from store.detection import Limits, Silence
from store.stored_hours import (
    HOUR_S,
    DeviceHours,
    StoredHour,
    hour_start,
    hours_between,
    moment,
    seconds,
)

Span = tuple[datetime, datetime]
# The same in UNIX seconds, as the stored hours are judged.
Stretch = tuple[float, float]


@dataclass(frozen=True)
class SeriesPlace:
    """One device's stored hours over the stretch it was in custody (a segment), which
    runs over [start, end) in UNIX seconds."""

    start: float
    end: float
    hours: DeviceHours

    def whole(self, hour: float) -> bool:
        return self.start <= hour and hour + HOUR_S <= self.end

    def touches(self, hour: float) -> bool:
        return self.start < hour + HOUR_S and hour < self.end


def _spans(hours: list[float], low: float, high: float) -> list[Span]:
    """Sorted hour starts as merged [start, end) spans, clipped to [low, high)."""
    stretches: list[Stretch] = []
    for hour in hours:
        if stretches and stretches[-1][1] == hour:
            stretches[-1] = (stretches[-1][0], hour + HOUR_S)
        else:
            stretches.append((hour, hour + HOUR_S))
    return [
        (moment(max(a, low)), moment(min(b, high)))
        for a, b in stretches
        if max(a, low) < min(b, high)
    ]


def _outside(hours: Iterable[StoredHour], limits: Limits) -> list[float]:
    low = -math.inf if limits.low is None else limits.low
    high = math.inf if limits.high is None else limits.high
    return [hour.start for hour in hours if hour.low < low or hour.high > high]


def excursion_reads(place: SeriesPlace, metric: str, limits: Limits) -> list[Span]:
    """The raw stretches an excursion of one metric could be in, with what follows each."""
    stored = place.hours.by_metric.get(metric, {})
    edges = {hour_start(place.start), hour_start(place.end - 1e-6)}
    pending = {h for h in place.hours.pending if place.touches(h)}
    # Every hour that may hold readings, in order; the ones to read, and the next after each.
    candidates = sorted(h for h in {*stored, *pending, *edges} if place.touches(h))
    doubtful = {
        *pending,
        *(h for h in edges if not place.whole(h)),
        *_outside(stored.values(), limits),
    }
    needed: set[float] = set()
    for hour in doubtful:
        i = bisect_left(candidates, hour)
        needed.update(candidates[i : i + 2])
    return _spans(sorted(needed), place.start, place.end)


@dataclass(frozen=True)
class GapReads:
    regions: list[Span]
    silences: list[Silence]


# Hour summaries: (first reading, last reading, recorded densely by some metric), or None
# where a stored row does not say where its readings lie.
HourSummary = tuple[float, float, bool] | None


def _summaries(
    place: SeriesPlace, metrics: list[str], max_gap_s: float
) -> dict[float, HourSummary]:
    """The place's stored hours over all metrics."""
    summary: dict[float, HourSummary] = {}
    for metric in metrics:
        for hour, row in place.hours.by_metric.get(metric, {}).items():
            if row.first_time is None or row.last_time is None:
                summary[hour] = None
                continue
            dense = row.dense(max_gap_s)
            if hour not in summary:
                summary[hour] = (row.first_time, row.last_time, dense)
            elif (seen := summary[hour]) is not None:
                summary[hour] = (
                    min(seen[0], row.first_time),
                    max(seen[1], row.last_time),
                    seen[2] or dense,
                )
    return summary


def _covered(
    hour: float, places: list[SeriesPlace], summaries: list[dict[float, HourSummary]]
) -> tuple[float, float] | None:
    """The location's first and last reading in an hour that every device there recorded
    wholly, up to date, and one of them densely; None when the hour is not covered."""
    first: float | None = None
    last: float | None = None
    dense = False
    after = hour + HOUR_S
    for place, summary in zip(places, summaries, strict=True):
        if hour >= place.end or after <= place.start:
            continue
        if hour < place.start or after > place.end or hour in place.hours.pending:
            return None
        if hour not in summary:
            continue
        seen = summary[hour]
        if seen is None:
            return None
        first = seen[0] if first is None else min(first, seen[0])
        last = seen[1] if last is None else max(last, seen[1])
        dense = dense or seen[2]
    return (first, last) if dense and first is not None and last is not None else None


def gap_reads(
    start: datetime,
    end: datetime,
    places: list[SeriesPlace],
    metrics: list[str],
    max_gap: timedelta,
) -> GapReads:
    """For custody at one location over [start, end): the raw regions to search for
    silences, and the silences already told by the stored hours between covered hours."""
    low, high, gap_s = seconds(start), seconds(end), max_gap.total_seconds()
    grid = list(hours_between(low, high))
    summaries = [_summaries(place, metrics, gap_s) for place in places]
    bounds = [
        _covered(hour, places, summaries) if low <= hour and hour + HOUR_S <= high else None
        for hour in grid
    ]
    # Uncovered hours with one neighbour each side, as index ranges (merged where they share).
    regions: list[list[int]] = []
    for i, covered in enumerate(bounds):
        if covered is not None:
            continue
        first, last = max(i - 1, 0), min(i + 1, len(grid) - 1)
        if regions and first <= regions[-1][1]:
            regions[-1][1] = last
        else:
            regions.append([first, last])
    silences = [
        Silence(moment(before[1]), moment(after[0]))
        for before, after in pairwise(bounds)
        if before is not None and after is not None and after[0] - before[1] > gap_s
    ]
    spans = [
        (max(moment(grid[first]), start), min(moment(grid[last] + HOUR_S), end))
        for first, last in regions
    ]
    return GapReads(spans, silences)


def silences_in(
    region: Span, times: list[datetime], start: datetime, end: datetime, max_gap: timedelta
) -> list[Silence]:
    """Silences among a region's readings (sorted, every one of the region's), counting the
    custody's start and end where the region reaches them."""
    found = []
    previous = start if region[0] == start else None
    for time in times:
        if previous is not None and time - previous > max_gap:
            found.append(Silence(previous, time))
        previous = time if previous is None else max(previous, time)
    if region[1] == end:
        last = start if previous is None else previous
        if end - last > max_gap:
            found.append(Silence(last, end))
    return found
