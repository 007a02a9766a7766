"""Benchmark: the watcher's round against the length of history and the number of arrivals.

    python -m bench.watch [--server URL] [--devices N] [--days 1 30 365]

For each history length it builds a database of its own: N probes, each in its own cold
store holding a batch, with readings every two minutes for that many days (generated
server-side, hourly rollups and page summaries computed as the watcher would have). Each
round then stores one new reading per arriving probe (with its arrival, which marks the
summaries concerned due, as the collector does) and times ``watch_once`` (rollups, alarms)
and then the rebuild of those summaries, as the watcher's summary workers do it. On
TimescaleDB the compression job runs first, as production's policy compresses readings
older than seven days. Two custody shapes: batches received three days ago (history is
older readings of the same probes), and batches held the whole history (every summary
covers it all). Rounds with 1 and with N arriving probes show what a round costs per
arrival. Measures, asserts nothing.
"""

import argparse
import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from bench.history import compress
from labels.lot_codes import lot_code_for
from schemas.arrivals import Arrival
from schemas.batches import BatchCreate, HarvestLotCreate
from schemas.settings import Settings
from store.arrivals import record_arrivals
from store.batches import receive_batch
from store.db import database_url_on, has_timescaledb, lean_session, plan_each_execution
from store.devices import add_device
from store.migrations import migrate
from store.rollups import refresh_hours_between
from store.summaries import rebuild_summaries
from watch.rounds import watch_once

INTERVAL_S = 120
ROUNDS = 9
RECENT_CUSTODY = timedelta(days=3)


@dataclass(frozen=True)
class Round:
    days: int
    custody: str
    arriving: int
    median_ms: float
    max_ms: float
    rebuild_median_ms: float


def _device(n: int) -> str:
    return f"COLD-{n:03d}-T1"


def build(url: str, devices: int, days: int, custody: timedelta, now: datetime) -> None:
    start = now - timedelta(days=days)
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO locations (code, name, kind) VALUES ('VP-PUTI', '蒲梯村服务点',"
            " 'village_point')"
        )
        conn.execute(
            "INSERT INTO producers (code, name, village) VALUES ('P-ABU', '阿布惹', 'VP-PUTI')"
        )
        conn.execute(
            "INSERT INTO products (code, name_zh, name_en, category, temp_min, temp_max)"
            " VALUES ('TIANMA-FRESH', '金口河乌天麻（鲜）', 'Fresh gastrodia', 'herb', 2, 5)"
        )
        for n in range(devices):
            code = f"COLD-{n:03d}"
            conn.execute(
                "INSERT INTO locations (code, name, kind) VALUES (%s, %s, 'cold_store')",
                (code, f"冷库 {n} 号"),
            )
            add_device(conn, _device(n), "probe", code, start - timedelta(days=1), INTERVAL_S)
            received = max(start, now - custody)
            receive_batch(
                conn,
                BatchCreate(
                    product="TIANMA-FRESH",
                    harvest_lots=[HarvestLotCreate(producer="P-ABU", village="VP-PUTI",
                                  harvest_date=received.date(), quantity=100, unit="kg")],
                    quantity=100, unit="kg", location=code, received_at=received,
                ),
                None, lot_code_for,
            )  # fmt: skip
            conn.execute(
                "INSERT INTO readings (time, device_id, metric, value)"
                " SELECT %(start)s + make_interval(secs => i * %(step)s), %(device)s, 'temp',"
                "        3.5 + sin(i / 30.0) FROM generate_series(0, %(count)s - 1) AS i",
                {"start": start, "step": INTERVAL_S, "device": _device(n),
                 "count": days * 86400 // INTERVAL_S},
            )  # fmt: skip
            refresh_hours_between(conn, _device(n), start, now)
            conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        rebuild_summaries(conn)
        conn.execute("VACUUM ANALYZE")


def rounds(
    url: str, devices: int, arriving: int, now: datetime, first: int
) -> tuple[list[float], list[float]]:
    """Rounds with ``arriving`` probes each storing one new reading, then the rebuild of the
    summaries storing them marked due (as the summary workers do it); milliseconds each."""
    settings = Settings(database_url=url)
    samples = []
    rebuilds = []
    with psycopg.connect(url, autocommit=True) as conn:
        # The session as `farmtrace watch` and its summary workers set theirs up.
        plan_each_execution(conn)
        lean_session(conn)
        for number in range(first, first + ROUNDS + 1):
            at = now + timedelta(seconds=number * INTERVAL_S)
            with conn.transaction():
                conn.cursor().executemany(
                    "INSERT INTO readings (time, device_id, metric, value)"
                    " VALUES (%s, %s, 'temp', 3.4)",
                    [(at, _device(n)) for n in range(arriving)],
                )
                record_arrivals(conn, [Arrival(_device(n), at, at, 1) for n in range(arriving)])
            began = time.perf_counter()
            watch_once(conn, settings, now=at + timedelta(seconds=1))
            ended = time.perf_counter()
            rebuild_summaries(conn)
            if number > first:  # the first round warms the caches
                samples.append((ended - began) * 1000)
                rebuilds.append((time.perf_counter() - ended) * 1000)
    return samples, rebuilds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--days", type=int, nargs="+", default=[1, 30, 365])
    options = parser.parse_args()
    now = datetime.now(UTC).replace(microsecond=0)
    results: list[Round] = []
    for custody_name, custody in (("3 days", RECENT_CUSTODY), ("all history", None)):
        for days in options.days:
            name = f"farmtrace_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(options.server, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"'.encode())
            url = database_url_on(options.server, name)
            try:
                migrate(url)
                began = time.perf_counter()
                build(url, options.devices, days, custody or timedelta(days=days), now)
                print(f"{days} days, custody {custody_name}: built in"
                      f" {time.perf_counter() - began:.1f} s", flush=True)  # fmt: skip
                with psycopg.connect(url) as conn:
                    timescale = has_timescaledb(conn)
                if timescale:  # readings older than 7 days are compressed in production
                    print(compress(url), flush=True)
                for number, arriving in enumerate((1, options.devices)):
                    samples, rebuilds = rounds(url, options.devices, arriving, now, number * 100)
                    results.append(Round(days, custody_name, arriving, statistics.median(samples),
                                         max(samples), statistics.median(rebuilds)))  # fmt: skip
            finally:
                with psycopg.connect(options.server, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
    print()
    print(
        "| custody | history (days) | arriving probes | round median ms | max ms |"
        " × the shortest history | summaries rebuilt: median ms | × the shortest history |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in results:
        base = next(r for r in results if (r.custody, r.arriving) == (row.custody, row.arriving))
        print(f"| {row.custody} | {row.days} | {row.arriving} | {row.median_ms:.1f}"
              f" | {row.max_ms:.1f} | {row.median_ms / base.median_ms:.2f}"
              f" | {row.rebuild_median_ms:.1f}"
              f" | {row.rebuild_median_ms / base.rebuild_median_ms:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
