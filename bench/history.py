"""Benchmark: a year of one-minute readings for one truck: a batch's chart and its findings.

Creates a database of its own on the server given, loads 525,600 readings of one truck probe
with a batch in custody on that truck all year, and times ``temperature_history`` (at most
500 points) and ``batch_findings`` against raw baselines in the same run: the ``date_bin``
aggregate over the raw year (with JIT off, and on as the server's default has it) and
fetching every reading. On TimescaleDB (point ``--server`` at a server with the extension
preloaded) everything is timed twice: as loaded, and after the compression job has run, as
it would on a production database a week later.

    python -m bench.history [--server postgresql://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import io
import random
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from store.db import database_url_on, has_timescaledb
from store.findings import batch_findings
from store.history import temperature_history
from store.migrations import migrate
from store.rollups import refresh_hours_between

DEVICE = "TRUCK01-T1"
LOT = "BENCH0000000000001X"
START = datetime(2025, 1, 1, tzinfo=UTC)
MINUTES = 365 * 24 * 60  # readings: fewer by the silences below
REPEATS = 15
POINTS = 500
# A year as a truck has it: a door left open for 45 minutes every ten days (an excursion
# past the 30 allowed) and a 25-minute silence in a tunnel every two weeks (a gap past 10).
WARM_EVERY_MIN, WARM_MIN = 10 * 1440, 45
GAP_EVERY_MIN, GAP_MIN = 14 * 1440 + 300, 25
HISTORY_TARGET_MS = 100
FINDINGS_TARGET_MS = 200


def load(conn: psycopg.Connection) -> None:
    conn.execute(
        "INSERT INTO locations (code, name, kind) VALUES ('TRUCK-01', '冷藏车 川L·J0101', 'truck')"
    )
    conn.execute(
        "INSERT INTO products (code, name_zh, name_en, category, temp_min, temp_max)"
        " VALUES ('TIANMA-FRESH', '金口河乌天麻（鲜）', 'Fresh gastrodia', 'herb', 2, 5)"
    )
    conn.execute(
        "INSERT INTO devices (device_id, kind, mqtt_password_hash) VALUES (%s, 'probe', 'x')",
        (DEVICE,),
    )
    conn.execute(
        "INSERT INTO device_installations (device_id, location, during)"
        " VALUES (%s, 'TRUCK-01', tstzrange(%s, NULL))",
        (DEVICE, START - timedelta(days=1)),
    )
    batch_id = conn.execute(
        "INSERT INTO batches (lot_code, product, quantity, unit, received_at)"
        " VALUES (%s, 'TIANMA-FRESH', 100, 'kg', %s) RETURNING id",
        (LOT, START),
    ).fetchone()[0]  # type: ignore[index]
    conn.execute(
        "INSERT INTO custody (batch_id, location, during)"
        " VALUES (%s, 'TRUCK-01', tstzrange(%s, %s))",
        (batch_id, START, START + timedelta(minutes=MINUTES)),
    )
    rng = random.Random(7)
    buffer = io.StringIO()
    for minute in range(MINUTES):
        if minute % GAP_EVERY_MIN < GAP_MIN:
            continue
        stamp = (START + timedelta(minutes=minute)).isoformat()
        warm = minute % WARM_EVERY_MIN < WARM_MIN
        value = 7.5 if warm else 3.5 + rng.gauss(0, 0.4)
        buffer.write(f"{stamp}\t{DEVICE}\ttemp\t{value:.2f}\n")
    buffer.seek(0)
    with conn.cursor().copy("COPY readings (time, device_id, metric, value) FROM STDIN") as copy:
        copy.write(buffer.read())
    conn.commit()


def timed(action: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    action()  # warm the cache, as a dashboard's second look would find it
    samples = []
    for _ in range(repeats):
        begin = time.perf_counter()
        action()
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


@dataclass(frozen=True)
class Timing:
    name: str
    median_ms: float
    p95_ms: float


def timing(name: str, samples: list[float]) -> Timing:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Timing(name, statistics.median(samples), p95)


def measure(conn: psycopg.Connection, end: datetime) -> list[Timing]:
    """Our two reads beside the raw baselines, on the database as it is now."""

    def raw_daily(jit: bool) -> Callable[[], object]:
        def run() -> object:
            with conn.transaction():
                conn.execute(f"SET LOCAL jit = {'on' if jit else 'off'}".encode())
                return conn.execute(
                    "SELECT date_bin('1 day', time, TIMESTAMPTZ '2000-01-01'), min(value),"
                    " max(value), avg(value) FROM readings WHERE device_id = %s"
                    " AND metric = 'temp' AND time >= %s AND time < %s GROUP BY 1 ORDER BY 1",
                    (DEVICE, START, end),
                ).fetchall()

        return run

    def every_reading() -> object:
        return conn.execute(
            "SELECT time, value FROM readings WHERE device_id = %s AND metric = 'temp'"
            " AND time >= %s AND time < %s ORDER BY time", (DEVICE, START, end),
        ).fetchall()  # fmt: skip

    return [
        timing(f"temperature_history(points={POINTS})",
               timed(lambda: temperature_history(conn, LOT, points=POINTS, now=end))),
        timing("batch_findings over the year",
               timed(lambda: batch_findings(conn, LOT, now=end))),
        timing("baseline: date_bin(1 day) over raw, jit off", timed(raw_daily(False), 5)),
        timing("baseline: date_bin(1 day) over raw, jit on", timed(raw_daily(True), 3)),
        timing("baseline: fetch every raw reading", timed(every_reading, 3)),
    ]  # fmt: skip


def compress(url: str) -> str:
    """Run TimescaleDB's compression job as its schedule would; describe the result."""
    with psycopg.connect(url, autocommit=True) as conn:
        job = conn.execute(
            "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression'"
            " AND hypertable_name = 'readings'"
        ).fetchone()
        assert job is not None, "no compression policy on readings"
        before = conn.execute("SELECT hypertable_size('readings')").fetchone()
        conn.execute("CALL run_job(%s)", (job[0],))
        conn.execute("VACUUM ANALYZE")
        chunks = conn.execute(
            "SELECT count(*) FILTER (WHERE is_compressed), count(*)"
            " FROM timescaledb_information.chunks WHERE hypertable_name = 'readings'"
        ).fetchone()
        after = conn.execute("SELECT hypertable_size('readings')").fetchone()
    assert before is not None and chunks is not None and after is not None
    return (
        f"compressed {chunks[0]} of {chunks[1]} chunks:"
        f" {before[0] / 2**20:.0f} MiB -> {after[0] / 2**20:.0f} MiB"
    )


def table(states: list[tuple[str, list[Timing]]]) -> str:
    lines = ["| state | what | median ms | p95 ms | × baseline (date_bin, jit off) |",
             "|---|---|---:|---:|---:|"]  # fmt: skip
    for state, timings in states:
        baseline = timings[2].median_ms
        for row in timings:
            lines.append(
                f"| {state} | {row.name} | {row.median_ms:.1f} | {row.p95_ms:.1f}"
                f" | {row.median_ms / baseline:.3f} |"
            )
    return "\n".join(lines)


def verdicts(states: list[tuple[str, list[Timing]]]) -> list[str]:
    lines = []
    for state, timings in states:
        history, findings = timings[0], timings[1]
        for row, goal in ((history, HISTORY_TARGET_MS), (findings, FINDINGS_TARGET_MS)):
            met = "met" if row.median_ms < goal else "NOT met"
            lines.append(f"- {state}: {row.name} {row.median_ms:.1f} ms < {goal} ms: {met}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()
    name = f"farmtrace_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    url = database_url_on(args.server, name)
    try:
        migrate(url)
        end = START + timedelta(minutes=MINUTES)
        with psycopg.connect(url) as conn:
            began = time.perf_counter()
            load(conn)
            print(f"loaded a year of readings in {time.perf_counter() - began:.1f} s")
            began = time.perf_counter()
            refresh_hours_between(conn, DEVICE, START, end)
            conn.commit()
            print(f"hourly rollups refreshed in {time.perf_counter() - began:.1f} s")
            timescale = has_timescaledb(conn)
        with psycopg.connect(url, autocommit=True) as auto:
            auto.execute("VACUUM ANALYZE")
        with psycopg.connect(url, autocommit=True) as conn:
            print(f"server: {'TimescaleDB' if timescale else 'plain PostgreSQL'} "
                  f"{conn.info.server_version}")  # fmt: skip
            history = temperature_history(conn, LOT, points=POINTS, now=end)
            points = sum(len(s.points) for s in history.series)
            print(f"downsampled: {points} points of {history.bucket_seconds} s each")
            found, _ = batch_findings(conn, LOT, now=end)
            print(f"findings over the year: {len(found)}")
            states = [("uncompressed" if timescale else "plain", measure(conn, end))]
            if timescale:
                print(compress(url))
                if batch_findings(conn, LOT, now=end)[0] != found:
                    raise RuntimeError("findings changed with compression")
                states.append(("compressed", measure(conn, end)))
        print()
        print(table(states))
        print()
        print("\n".join(verdicts(states)))
    finally:
        if not args.keep:
            with psycopg.connect(args.server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


if __name__ == "__main__":
    main()
