"""A device's stored hours (``reading_hours``), as findings read them instead of raw readings.

An hour tells its band (min, max) and where its readings lie (first, last, longest silence
between two; migration 0111). Hours that pending arrivals touch may be out of date and are
read raw, as history does. Times here are UNIX seconds: a year is 8,760 hours per metric,
and plain numbers keep reading and judging them a few milliseconds.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

import psycopg
from psycopg.rows import tuple_row

from store.history import PendingArrival, stale_hours

HOUR_S = 3600.0


class StoredHour(NamedTuple):
    """One device's stored hour of one metric."""

    start: float
    low: float
    high: float
    first_time: float | None
    last_time: float | None
    longest_gap_s: float | None

    def dense(self, max_gap_s: float) -> bool:
        """Every stretch of the hour longer than ``max_gap_s`` holds one of its readings."""
        if self.first_time is None or self.last_time is None or self.longest_gap_s is None:
            return False
        return (
            self.first_time - self.start <= max_gap_s
            and self.start + HOUR_S - self.last_time <= max_gap_s
            and self.longest_gap_s <= max_gap_s
        )


@dataclass(frozen=True)
class DeviceHours:
    """One device's stored hours per metric over a stretch, and the hours still pending."""

    by_metric: dict[str, dict[float, StoredHour]]
    pending: frozenset[float]


def seconds(time: datetime) -> float:
    return time.timestamp()


def moment(seconds: float) -> datetime:
    """A time back from UNIX seconds (exact to the microsecond for these years)."""
    return datetime.fromtimestamp(seconds, UTC)


def hour_start(seconds: float) -> float:
    """The start of the stored hour holding a time (the rollups' origin is a whole hour)."""
    return seconds // HOUR_S * HOUR_S


def hours_between(low: float, high: float) -> Iterable[float]:
    """The starts of every hour that [low, high) touches."""
    hour = hour_start(low)
    while hour < high:
        yield hour
        hour += HOUR_S


def device_hours(
    conn: psycopg.Connection,
    device_id: str,
    metrics: list[str],
    low: datetime,
    high: datetime,
    pending: list[PendingArrival],
) -> DeviceHours:
    found = (
        # date_part gives float8 at once (extract gives numeric: 8 times slower here), and
        # binary rows skip parsing text: together 50 ms of a year's hours become 12.
        conn.cursor(row_factory=tuple_row, binary=True)
        .execute(
            "SELECT metric, date_part('epoch', bucket), min, max, date_part('epoch', first_time),"
            " date_part('epoch', last_time), longest_gap_s"
            " FROM reading_hours WHERE device_id = %s AND metric = ANY(%s)"
            " AND bucket >= %s AND bucket < %s",
            (device_id, metrics, moment(hour_start(seconds(low))), high),
        )
        .fetchall()
    )
    by_metric: dict[str, dict[float, StoredHour]] = {metric: {} for metric in metrics}
    for metric, *fields in found:
        by_metric[metric][fields[0]] = StoredHour(*fields)
    pending_hours = frozenset(
        hour
        for first, last in stale_hours(pending, device_id, low, high)
        for hour in hours_between(seconds(first), seconds(last))
    )
    return DeviceHours(by_metric, pending_hours)
