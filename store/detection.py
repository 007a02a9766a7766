"""Pure detection over (time, value) points: runs outside a band, and silences in a record.

No database here, so the rules are tested on constructed histories. Boundaries: a value equal
to a limit is inside the band; an excursion or a gap must last *longer* than what is allowed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

Point = tuple[datetime, float]


@dataclass(frozen=True)
class Limits:
    low: float | None
    high: float | None

    def deviation(self, value: float) -> float:
        """How far outside the band a value is (0 inside)."""
        below = self.low - value if self.low is not None else 0.0
        above = value - self.high if self.high is not None else 0.0
        return max(below, above, 0.0)


@dataclass(frozen=True)
class Run:
    """A stretch outside the band: from the first reading outside to the first one back
    inside (or to the last reading outside, when the record stops or breaks)."""

    start: datetime
    end: datetime
    peak: float
    deviation: float
    ongoing: bool

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class Silence:
    start: datetime
    end: datetime

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


def out_of_band_runs(points: Iterable[Point], band: Limits, max_gap: timedelta) -> list[Run]:
    """Every run outside the band; a silence longer than ``max_gap`` ends a run, because
    nothing is known of the silence (it is reported as a gap of its own)."""
    runs: list[Run] = []
    start: datetime | None = None
    last: datetime | None = None
    peak, worst = 0.0, 0.0

    def close(end: datetime, ongoing: bool) -> None:
        assert start is not None
        runs.append(Run(start, end, peak, worst, ongoing))

    for time, value in points:
        if start is not None and last is not None and time - last > max_gap:
            close(last, ongoing=False)
            start = None
        deviation = band.deviation(value)
        if deviation > 0:
            if start is None:
                start, peak, worst = time, value, deviation
            elif deviation > worst:
                peak, worst = value, deviation
        elif start is not None:
            close(time, ongoing=False)
            start = None
        last = time
    if start is not None and last is not None:
        close(last, ongoing=True)
    return runs


def excursions(
    points: Iterable[Point], band: Limits, allowed: timedelta, max_gap: timedelta
) -> list[Run]:
    """Runs outside the band that lasted longer than the profile allows."""
    return [run for run in out_of_band_runs(points, band, max_gap) if run.duration > allowed]


def silences(
    times: Iterable[datetime], start: datetime, end: datetime, max_gap: timedelta
) -> list[Silence]:
    """Stretches of [start, end) longer than ``max_gap`` without a reading (times sorted)."""
    found: list[Silence] = []
    previous = start
    for time in times:
        if time < start or time >= end:
            continue
        if time - previous > max_gap:
            found.append(Silence(previous, time))
        previous = max(previous, time)
    if end - previous > max_gap:
        found.append(Silence(previous, end))
    return found
