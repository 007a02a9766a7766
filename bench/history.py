"""Benchmark: a year of one-minute readings for one truck, downsampled for a batch's chart.

Creates a database of its own on the server given, loads 525,600 readings of one truck probe
with a batch in custody on that truck all year, and times ``temperature_history`` (at most
500 points) against two raw baselines in the same run: fetching every reading, and the
``date_bin`` aggregate over raw readings that the plain-PostgreSQL ``readings_1h`` view
computes. On TimescaleDB, point ``--server`` at a server with the extension preloaded: the
migrations then build the continuous aggregates, refreshed here before timing.

    python -m bench.history [--server postgresql://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import io
import random
import statistics
import time
import uuid
from collections.abc import Callable
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
MINUTES = 365 * 24 * 60
REPEATS = 15
POINTS = 500


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
        stamp = (START + timedelta(minutes=minute)).isoformat()
        buffer.write(f"{stamp}\t{DEVICE}\ttemp\t{3.5 + rng.gauss(0, 0.4):.2f}\n")
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


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name:<52} median {statistics.median(samples):8.1f} ms   min {ordered[0]:8.1f} ms"
        f"   p95 {p95:8.1f} ms"
    )


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
        with psycopg.connect(url) as conn:
            began = time.perf_counter()
            load(conn)
            print(f"loaded {MINUTES:,} readings in {time.perf_counter() - began:.1f} s")
            timescale = has_timescaledb(conn)
            began = time.perf_counter()
            if timescale:
                with psycopg.connect(url, autocommit=True) as auto:
                    for view in ("readings_5m", "readings_1h"):
                        auto.execute(
                            f"CALL refresh_continuous_aggregate('{view}', NULL, NULL)".encode()
                        )
            else:
                refresh_hours_between(conn, DEVICE, START, START + timedelta(minutes=MINUTES))
                conn.commit()
            print(f"rollups refreshed in {time.perf_counter() - began:.1f} s")
            with psycopg.connect(url, autocommit=True) as auto:
                auto.execute("VACUUM ANALYZE")
            end = START + timedelta(minutes=MINUTES)
            print(f"server: {'TimescaleDB' if timescale else 'plain PostgreSQL'} "
                  f"{conn.info.server_version}")  # fmt: skip
            history = temperature_history(conn, LOT, points=POINTS, now=end)
            points = sum(len(s.points) for s in history.series)
            print(f"downsampled: {points} points of {history.bucket_seconds} s each")
            report(
                f"temperature_history(points={POINTS})",
                timed(lambda: temperature_history(conn, LOT, points=POINTS, now=end)),
            )
            report(
                "baseline: fetch every raw reading",
                timed(lambda: conn.execute(
                    "SELECT time, value FROM readings WHERE device_id = %s AND metric = 'temp'"
                    " AND time >= %s AND time < %s ORDER BY time", (DEVICE, START, end),
                ).fetchall(), repeats=5),
            )  # fmt: skip
            report(
                "baseline: date_bin(1 day) over raw readings",
                timed(lambda: conn.execute(
                    "SELECT date_bin('1 day', time, TIMESTAMPTZ '2000-01-01'), min(value),"
                    " max(value), avg(value) FROM readings WHERE device_id = %s"
                    " AND metric = 'temp' AND time >= %s AND time < %s GROUP BY 1 ORDER BY 1",
                    (DEVICE, START, end),
                ).fetchall(), repeats=5),
            )  # fmt: skip
            report(
                "for scale: batch_findings over the raw year",
                timed(lambda: batch_findings(conn, LOT, now=end), repeats=2),
            )
    finally:
        if not args.keep:
            with psycopg.connect(args.server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


if __name__ == "__main__":
    main()
