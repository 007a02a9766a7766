"""Real-time alarms, evaluated from the reading-arrivals outbox and a silence check.

An excursion alarm is about a device's *latest* readings: it opens when the location it is
installed at holds batches and the run outside their band that reaches the newest reading
has lasted longer than allowed; it closes when the newest reading is back inside (or no
batch is there any more). Because the decision reads stored state, not the arrivals
themselves, a replayed reading changes nothing, and a late flush of old readings cannot
reopen a closed alarm; the database's partial unique index keeps one open alarm per
condition even with two watchers. Excursions found only in late data are findings of the
batches concerned (store/findings.py), not real-time alarms.

Several batches at one place: the strictest band of their products applies (highest floor,
lowest ceiling, shortest allowance).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb

from schemas.alarms import AlarmPublic
from schemas.arrivals import Arrival
from store import audit
from store.db import rows
from store.detection import Limits, Run, out_of_band_runs
from store.errors import ConflictError, NotFoundError

DEFAULT_SILENCE_FACTOR = 3.0
# Readings before the allowance read each round to judge the current run; a run longer than
# the window is long enough anyway. Where it began is looked up only when an alarm opens.
LOOKBACK_SLACK = timedelta(minutes=30)
# How far back each step of that look-up reads, newest first.
START_SEARCH_STEP = timedelta(hours=6)
ALARM_METRICS = ("temp", "hum")


@dataclass(frozen=True)
class AlarmChange:
    alarm_id: int
    event: Literal["opened", "closed"]
    kind: str
    device_id: str


@dataclass(frozen=True)
class Profile:
    limits: Limits
    allowed: timedelta
    max_gap: timedelta
    batches: list[str]
    held_since: datetime


# For each (device, metric) a round's arrivals concern: the newest reading since the oldest
# arrival (a metric with nothing that recent did not change), where the device was installed
# then, and the strictest band of the batches held there then. One statement for the round;
# the constant lower bound keeps it off older chunks.
_SITUATIONS = """
SELECT a.device_id, m.metric, d.reporting_interval_s, latest.time AS last_time,
       i.location, lower(i.during) AS installed_since,
       band.low, band.high, band.hum, band.allowed, band.gap, band.lots, band.held_since
FROM unnest(%(devices)s::text[], %(since)s::timestamptz[]) AS a(device_id, since)
JOIN devices d ON d.device_id = a.device_id
CROSS JOIN unnest(%(metrics)s::text[]) WITH ORDINALITY AS m(metric, position)
JOIN LATERAL (
    SELECT r.time FROM readings r
    WHERE r.device_id = a.device_id AND r.metric = m.metric
      AND r.time >= a.since AND r.time >= %(floor)s
    ORDER BY r.time DESC LIMIT 1
) AS latest ON true
LEFT JOIN device_installations i
  ON i.device_id = a.device_id AND i.during @> latest.time
LEFT JOIN LATERAL (
    SELECT max(p.temp_min) AS low, min(p.temp_max) AS high, min(p.humidity_max) AS hum,
           min(p.max_excursion_minutes) AS allowed, min(p.max_gap_minutes) AS gap,
           array_agg(b.lot_code ORDER BY b.lot_code) AS lots,
           min(lower(c.during)) AS held_since
    FROM custody c JOIN batches b ON b.id = c.batch_id JOIN products p ON p.code = b.product
    WHERE c.location = i.location AND c.during @> latest.time
) AS band ON true
ORDER BY a.device_id, m.position
"""

# The readings of each window, for every (device, metric) judged in the round.
_WINDOWS = """
SELECT w.device_id, w.metric, r.time, r.value
FROM unnest(%(devices)s::text[], %(metrics)s::text[], %(lows)s::timestamptz[],
            %(highs)s::timestamptz[]) AS w(device_id, metric, low, high)
JOIN LATERAL (
    SELECT time, value FROM readings
    WHERE device_id = w.device_id AND metric = w.metric
      AND time >= w.low AND time <= w.high AND time >= %(floor)s
) AS r ON true
ORDER BY w.device_id, w.metric, r.time
"""


@dataclass(frozen=True)
class _Situation:
    """Where a device's newest reading of a metric stands, read for the whole round."""

    device_id: str
    metric: str
    fresh_within: timedelta
    last_time: datetime
    location: str | None
    installed_since: datetime | None
    profile: Profile | None

    @property
    def window_start(self) -> datetime | None:
        """Where the readings judged start: the allowance (plus slack) before the newest."""
        if self.profile is None:
            return None
        return self.last_time - self.profile.allowed - LOOKBACK_SLACK


def _profile(row: dict[str, Any]) -> Profile | None:
    """The strictest band of the batches held where the device was, if any applies."""
    if not row["lots"]:
        return None
    hum = row["metric"] == "hum"
    limits = Limits(None, row["hum"]) if hum else Limits(row["low"], row["high"])
    if limits.low is None and limits.high is None:
        return None
    return Profile(
        limits,
        timedelta(minutes=row["allowed"]),
        timedelta(minutes=row["gap"]),
        row["lots"],
        row["held_since"],
    )


def _situations(
    conn: psycopg.Connection, oldest: dict[str, datetime], silence_factor: float
) -> list[_Situation]:
    """Every (device, metric) with a reading since the device's oldest arrival, in device
    and metric order."""
    devices = sorted(oldest)
    found = rows(
        conn,
        _SITUATIONS,
        {
            "devices": devices,
            "since": [oldest[device] for device in devices],
            "metrics": list(ALARM_METRICS),
            "floor": min(oldest.values()),
        },
    )
    return [
        _Situation(
            row["device_id"], row["metric"],
            timedelta(seconds=row["reporting_interval_s"] * silence_factor),
            row["last_time"], row["location"], row["installed_since"], _profile(row),
        )
        for row in found
    ]  # fmt: skip


def _windows(
    conn: psycopg.Connection, situations: list[_Situation]
) -> dict[tuple[str, str], list[tuple[datetime, float]]]:
    """The readings of each judged situation's window, by (device, metric)."""
    windows = {
        (s.device_id, s.metric): (start, s.last_time)
        for s in situations
        if (start := s.window_start) is not None
    }
    points: dict[tuple[str, str], list[tuple[datetime, float]]] = {key: [] for key in windows}
    if not windows:
        return points
    found = rows(
        conn,
        _WINDOWS,
        {
            "devices": [device for device, _ in windows],
            "metrics": [metric for _, metric in windows],
            "lows": [low for low, _ in windows.values()],
            "highs": [high for _, high in windows.values()],
            "floor": min(low for low, _ in windows.values()),
        },
    )
    for row in found:
        points[(row["device_id"], row["metric"])].append((row["time"], row["value"]))
    return points


def _open_excursions(conn: psycopg.Connection, devices: list[str]) -> set[tuple[str, str]]:
    found = rows(
        conn,
        "SELECT device_id, metric FROM alarms WHERE kind = 'excursion' AND closed_at IS NULL"
        " AND device_id = ANY(%s)",
        (devices,),
    )
    return {(row["device_id"], row["metric"]) for row in found}


def _true_start(
    conn: psycopg.Connection,
    device_id: str,
    metric: str,
    run: Run,
    profile: Profile,
    floor: datetime,
) -> Run:
    """The run as batch_findings sees it: back to its first reading out of the band, past
    the watcher's window. Read newest first, a step at a time, and stop at the first reading
    inside the band, a silence longer than allowed, or ``floor`` (when the device was put
    there or the batches arrived), so the cost follows the run, and is paid once per alarm."""
    start, peak, worst = run.start, run.peak, run.deviation
    upper = start
    while upper > floor:
        lower = max(floor, upper - START_SEARCH_STEP)
        earlier = rows(
            conn,
            "SELECT time, value FROM readings WHERE device_id = %s AND metric = %s"
            " AND time >= %s AND time < %s ORDER BY time DESC",
            (device_id, metric, lower, upper),
        )
        for row in earlier:
            deviation = profile.limits.deviation(row["value"])
            if start - row["time"] > profile.max_gap or deviation <= 0:
                return Run(start, run.end, peak, worst, run.ongoing)
            start = row["time"]
            if deviation > worst:
                peak, worst = row["value"], deviation
        if start - lower > profile.max_gap:
            break  # the step held a silence longer than allowed before the earliest found
        upper = lower
    return Run(start, run.end, peak, worst, run.ongoing)


def _open_alarm(
    conn: psycopg.Connection, kind: str, device_id: str, metric: str
) -> dict[str, Any] | None:
    found = rows(
        conn,
        "SELECT id, peak, details FROM alarms WHERE kind = %s AND device_id = %s AND metric = %s"
        " AND closed_at IS NULL FOR UPDATE",
        (kind, device_id, metric),
    )
    return found[0] if found else None


def _open(
    conn: psycopg.Connection,
    kind: str,
    device_id: str,
    metric: str,
    location: str | None,
    started_at: datetime,
    now: datetime,
    peak: float | None = None,
    details: dict[str, Any] | None = None,
) -> AlarmChange | None:
    """Open an alarm unless one is open for the condition (then only its peak may grow)."""
    current = _open_alarm(conn, kind, device_id, metric)
    if current is not None:
        deviation = (details or {}).get("deviation", 0)
        if peak is not None and deviation > current["details"].get("deviation", 0):
            conn.execute(
                "UPDATE alarms SET peak = %s, details = %s WHERE id = %s",
                (peak, Jsonb(details or {}), current["id"]),
            )
        return None
    inserted = rows(
        conn,
        "INSERT INTO alarms (kind, device_id, metric, location, started_at, opened_at, peak,"
        " details) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (kind, device_id, metric) WHERE closed_at IS NULL DO NOTHING RETURNING id",
        (kind, device_id, metric, location, started_at, now, peak, Jsonb(details or {})),
    )
    if not inserted:
        return None
    _notify(conn, inserted[0]["id"], "opened")
    return AlarmChange(inserted[0]["id"], "opened", kind, device_id)


def _close(
    conn: psycopg.Connection, kind: str, device_id: str, metric: str, now: datetime
) -> AlarmChange | None:
    closed = rows(
        conn,
        "UPDATE alarms SET closed_at = %s WHERE kind = %s AND device_id = %s AND metric = %s"
        " AND closed_at IS NULL RETURNING id",
        (now, kind, device_id, metric),
    )
    if not closed:
        return None
    _notify(conn, closed[0]["id"], "closed")
    return AlarmChange(closed[0]["id"], "closed", kind, device_id)


def _notify(conn: psycopg.Connection, alarm_id: int, event: str) -> None:
    conn.execute(
        "INSERT INTO alarm_notifications (alarm_id, event) VALUES (%s, %s)", (alarm_id, event)
    )


def _remember_last_readings(conn: psycopg.Connection, arrivals: list[Arrival]) -> None:
    conn.execute(
        "INSERT INTO device_last_readings (device_id, last_time)"
        " SELECT d.device_id, max(a.last_time)"
        " FROM unnest(%s::text[], %s::timestamptz[]) AS a(device_id, last_time)"
        " JOIN devices d ON d.device_id = a.device_id GROUP BY d.device_id"
        " ON CONFLICT (device_id) DO UPDATE"
        " SET last_time = greatest(device_last_readings.last_time, excluded.last_time)",
        ([a.device_id for a in arrivals], [a.last_time for a in arrivals]),
    )


def _evaluate_excursion(
    conn: psycopg.Connection,
    situation: _Situation,
    points: list[tuple[datetime, float]],
    alarmed: bool,
    now: datetime,
) -> AlarmChange | None:
    """Judge the run reaching the device's newest reading of the metric, from the readings
    of the allowance (plus slack) before it."""
    device_id, metric, profile = situation.device_id, situation.metric, situation.profile
    window_start = situation.window_start
    if profile is None or window_start is None:
        return _close(conn, "excursion", device_id, metric, now) if alarmed else None
    runs = out_of_band_runs(points, profile.limits, profile.max_gap)
    current = runs[-1] if runs and runs[-1].ongoing else None
    if current is None:
        return _close(conn, "excursion", device_id, metric, now) if alarmed else None
    if current.duration <= profile.allowed or now - situation.last_time > situation.fresh_within:
        # Not long enough yet, or old news from a late flush: nothing to open (an open alarm
        # stays open until readings say otherwise).
        return None
    if current.start <= window_start + profile.max_gap and not alarmed:
        floor = max(situation.installed_since or profile.held_since, profile.held_since)
        current = _true_start(conn, device_id, metric, current, profile, floor)
    return _open(
        conn, "excursion", device_id, metric, situation.location, current.start, now,
        peak=current.peak,
        details={"deviation": round(current.deviation, 3), "batches": profile.batches},
    )  # fmt: skip


def _evaluate_silences(conn: psycopg.Connection, now: datetime, factor: float) -> list[AlarmChange]:
    devices = rows(
        conn,
        "SELECT d.device_id, i.location, d.reporting_interval_s,"
        " coalesce(l.last_time, lower(i.during)) AS last_time,"
        " i.device_id IS NOT NULL AND d.revoked_at IS NULL AS should_report,"
        " EXISTS (SELECT 1 FROM alarms a WHERE a.kind = 'silence' AND a.device_id = d.device_id"
        "   AND a.closed_at IS NULL) AS alarmed"
        " FROM devices d"
        " LEFT JOIN device_installations i ON i.device_id = d.device_id"
        "   AND i.during @> %s::timestamptz"
        " LEFT JOIN device_last_readings l ON l.device_id = d.device_id"
        " ORDER BY d.device_id",
        (now,),
    )
    opening: list[dict[str, Any]] = []
    closing: list[dict[str, Any]] = []
    for device in devices:
        allowed = timedelta(seconds=device["reporting_interval_s"] * factor)
        silent = device["should_report"] and now - device["last_time"] > allowed
        if silent != device["alarmed"]:
            (opening if silent else closing).append(device)
    # Set-wise: a thousand gateways back from a tunnel close their silences in two statements.
    changes = _open_silences(conn, opening, now) + _close_silences(conn, closing, now)
    return sorted(changes, key=lambda change: change.device_id)


def _open_silences(
    conn: psycopg.Connection, devices: list[dict[str, Any]], now: datetime
) -> list[AlarmChange]:
    if not devices:
        return []
    opened = rows(
        conn,
        "WITH opened AS ("
        " INSERT INTO alarms (kind, device_id, metric, location, started_at, opened_at, details)"
        " SELECT 'silence', s.device_id, '', s.location, s.started_at, %s, '{}'"
        " FROM unnest(%s::text[], %s::text[], %s::timestamptz[])"
        "   AS s(device_id, location, started_at)"
        " ON CONFLICT (kind, device_id, metric) WHERE closed_at IS NULL DO NOTHING"
        " RETURNING id, device_id"
        "), told AS ("
        " INSERT INTO alarm_notifications (alarm_id, event) SELECT id, 'opened' FROM opened"
        ") SELECT id, device_id FROM opened",
        (
            now,
            [d["device_id"] for d in devices],
            [d["location"] for d in devices],
            [d["last_time"] for d in devices],
        ),
    )
    return [AlarmChange(row["id"], "opened", "silence", row["device_id"]) for row in opened]


def _close_silences(
    conn: psycopg.Connection, devices: list[dict[str, Any]], now: datetime
) -> list[AlarmChange]:
    if not devices:
        return []
    closed = rows(
        conn,
        "WITH closed AS ("
        " UPDATE alarms SET closed_at = %s WHERE kind = 'silence' AND metric = ''"
        " AND device_id = ANY(%s) AND closed_at IS NULL RETURNING id, device_id"
        "), told AS ("
        " INSERT INTO alarm_notifications (alarm_id, event) SELECT id, 'closed' FROM closed"
        ") SELECT id, device_id FROM closed",
        (now, [d["device_id"] for d in devices]),
    )
    return [AlarmChange(row["id"], "closed", "silence", row["device_id"]) for row in closed]


def evaluate_alarms(
    conn: psycopg.Connection,
    arrivals: list[Arrival],
    now: datetime,
    silence_factor: float = DEFAULT_SILENCE_FACTOR,
) -> list[AlarmChange]:
    """Open and close alarms for what the arrivals changed and for silent devices; runs in
    the caller's transaction (the one that took the arrivals). What the arrivals' devices
    show is read for all of them at once: a flush of a thousand gateways costs a few
    statements, not a dozen per device."""
    changes: list[AlarmChange] = []
    with conn.transaction():
        if arrivals:
            _remember_last_readings(conn, arrivals)
            oldest: dict[str, datetime] = {}
            for arrival in arrivals:
                known = oldest.get(arrival.device_id, arrival.first_time)
                oldest[arrival.device_id] = min(known, arrival.first_time)
            situations = _situations(conn, oldest, silence_factor)
            points = _windows(conn, situations)
            alarmed = _open_excursions(conn, sorted(oldest))
            for situation in situations:
                key = (situation.device_id, situation.metric)
                change = _evaluate_excursion(
                    conn, situation, points.get(key, []), key in alarmed, now
                )
                if change is not None:
                    changes.append(change)
        changes += _evaluate_silences(conn, now, silence_factor)
    return changes


_ALARM_SELECT = """
SELECT a.id, a.kind, a.device_id, nullif(a.metric, '') AS metric, a.location,
       l.name AS location_name, a.started_at, a.opened_at, a.peak, a.closed_at,
       a.acknowledged_at, u.username AS acknowledged_by, a.ack_comment,
       d.last_calibrated + d.calibration_interval_days AS calibration_due,
       coalesce(d.last_calibrated + d.calibration_interval_days < current_date, true)
           AS calibration_overdue,
       coalesce((SELECT array_agg(b.lot_code ORDER BY b.lot_code) FROM custody c
                 JOIN batches b ON b.id = c.batch_id
                 WHERE c.location = a.location AND upper_inf(c.during)), '{}') AS batches
FROM alarms a
JOIN devices d ON d.device_id = a.device_id
LEFT JOIN locations l ON l.code = a.location
LEFT JOIN users u ON u.id = a.acknowledged_by
"""


def list_alarms(
    conn: psycopg.Connection, include_closed: bool = False, limit: int = 500
) -> list[AlarmPublic]:
    where = "" if include_closed else " WHERE a.closed_at IS NULL"
    found = rows(conn, _ALARM_SELECT + where + " ORDER BY a.opened_at DESC LIMIT %s", (limit,))
    return [AlarmPublic(**row) for row in found]


def get_alarm(conn: psycopg.Connection, alarm_id: int) -> AlarmPublic:
    found = rows(conn, _ALARM_SELECT + " WHERE a.id = %s", (alarm_id,))
    if not found:
        raise NotFoundError(f"no alarm {alarm_id}")
    return AlarmPublic(**found[0])


def acknowledge_alarm(
    conn: psycopg.Connection, alarm_id: int, user_id: int, comment: str
) -> AlarmPublic:
    """Record who took charge of an alarm and what they did; once per alarm."""
    with conn.transaction():
        updated = rows(
            conn,
            "UPDATE alarms SET acknowledged_at = now(), acknowledged_by = %s, ack_comment = %s"
            " WHERE id = %s AND acknowledged_at IS NULL RETURNING id",
            (user_id, comment, alarm_id),
        )
        if not updated:
            get_alarm(conn, alarm_id)  # raises NotFoundError for an unknown id
            raise ConflictError(f"alarm {alarm_id} is already acknowledged")
        _notify(conn, alarm_id, "acknowledged")
        audit.record(conn, user_id, "acknowledge", f"alarm {alarm_id}", {"comment": comment})
    return get_alarm(conn, alarm_id)
