"""Benchmark: the provenance page and the scan's redirect beside /healthz, 10 k and 10 M readings.

    python bench/provenance.py [--database-server URL] [--workers N] [--duration S]

Builds two databases of its own on the server (dropped afterwards), each with ten batches in
cold stores and on trucks with a probe behind each, one with 10 thousand readings and one
with 10 million, generated server-side with ``generate_series``. In alternating rounds it
starts ``farmtrace api`` (the command production runs) on loopback against each, drives
/healthz, the ten batches' pages (``/batch/{lot}``) and their Digital Links (the 307 a scan
gets first) with ``wrk`` (Debian package ``wrk``) and prints requests/s and latency
percentiles. Nothing here is a test: it measures and reports, and asserts nothing.

Targets (see docs/provenance.md): page throughput ≥ 40 % of /healthz's, p99 < 50 ms at 64
connections, and throughput with 10 M readings ≥ 90 % of that with 10 k; the redirect, one
more round trip on the phone, should cost the server less than the page does.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from farmtrace.commands.api import default_workers  # noqa: E402
from farmtrace.servers.network import free_port  # noqa: E402
from labels.digital_link import build_digital_link  # noqa: E402
from labels.lot_codes import lot_code_for  # noqa: E402
from schemas.batches import BatchCreate, HarvestLotCreate, MoveCreate  # noqa: E402
from store.batches import receive_batch  # noqa: E402
from store.custody import move_batch  # noqa: E402
from store.db import database_url_on  # noqa: E402
from store.devices import add_device  # noqa: E402
from store.migrations import migrate  # noqa: E402
from store.rollups import refresh_hours_between  # noqa: E402
from store.summaries import rebuild_summaries  # noqa: E402

GTIN = "06901234567892"
# Ten places along the cold chain, one probe each, one batch held in each.
PLACES = [(f"COLD-{n}", f"冷库 {n} 号", "cold_store") for n in range(1, 6)] + [
    (f"TRUCK-{n}", f"冷藏车 川L·J01{n:02d}", "truck") for n in range(1, 6)
]
READING_INTERVAL_S = 30
SIZES = (10_000, 10_000_000)
CONNECTIONS = 64
# wrk's own threads share the two cores with the server: one is enough to keep 64
# connections busy and leaves the server more of the machine (measured: see docs).
WRK_THREADS = 1
BASE_URL = "https://trace.example.cn"
# A phone's request: Chinese first, from WeChat's in-app browser.
PAGE_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.6",
    "Accept-Encoding": "gzip, deflate",
    "User-Agent": "Mozilla/5.0 (Linux; Android 10) AppleWebKit/537.36 MicroMessenger/8.0.40",
}


@dataclass(frozen=True)
class Measured:
    label: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    # The machine's 1-minute load average after the run: other work on the same cores
    # shows up in the latency tail, so the table says how busy the machine was.
    load: float


def seed(url: str, start: datetime) -> list[str]:
    """Master data, a probe per place, and one batch per place held there since ``start``."""
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO locations (code, name, kind) VALUES ('VP-PUTI', '蒲梯村服务点',"
            " 'village_point'), ('PC-RECEIVING', '加工中心收货区', 'processing_room')"
        )
        conn.cursor().executemany(
            "INSERT INTO locations (code, name, kind) VALUES (%s, %s, %s)", PLACES
        )
        conn.execute(
            "INSERT INTO producers (code, name, village, public_name_consent)"
            " VALUES ('P-ABU', '阿布惹', 'VP-PUTI', true)"
        )
        conn.execute(
            "INSERT INTO products (code, name_zh, name_en, category, gtin, temp_min, temp_max,"
            " shelf_life_days) VALUES ('TIANMA-FRESH', '金口河乌天麻（鲜）',"
            " 'Jinkouhe gastrodia, fresh', 'medicinal herb', %s, 2, 5, 14)",
            (GTIN,),
        )
        conn.commit()
        lots = []
        for code, _, _ in PLACES:
            add_device(conn, f"{code}-T1", "probe", code, start - timedelta(days=1),
                       READING_INTERVAL_S, date.today())  # fmt: skip
            batch = BatchCreate(
                product="TIANMA-FRESH",
                harvest_lots=[HarvestLotCreate(producer="P-ABU", village="VP-PUTI",
                              harvest_date=start.date(), quantity=100, unit="kg")],
                quantity=100, unit="kg", location="PC-RECEIVING",
                received_at=start - timedelta(hours=2), grade="一级",
            )  # fmt: skip
            lot = receive_batch(conn, batch, None, lot_code_for).lot_code
            move_batch(conn, lot, MoveCreate(location=code, time=start), None)
            conn.commit()
            lots.append(lot)
    return lots


def load_readings(url: str, start: datetime, first: int, last: int) -> float:
    """Readings ``first``..``last - 1`` in all, spread evenly over the probes; seconds."""
    began = time.perf_counter()
    per_device_first, per_device_last = first // len(PLACES), last // len(PLACES)
    with psycopg.connect(url) as conn:
        for code, _, _ in PLACES:
            conn.execute(
                "INSERT INTO readings (time, device_id, metric, value)"
                " SELECT %(start)s + make_interval(secs => i * %(step)s), %(device)s, 'temp',"
                "        3.5 + 1.2 * sin(i / 40.0) + CASE WHEN i %% 20000 < 90 THEN 4 ELSE 0 END"
                " FROM generate_series(%(first)s, %(last)s - 1) AS i",
                {"start": start, "step": READING_INTERVAL_S, "device": f"{code}-T1",
                 "first": per_device_first, "last": per_device_last},
            )  # fmt: skip
            refresh_hours_between(
                conn, f"{code}-T1",
                start + timedelta(seconds=per_device_first * READING_INTERVAL_S),
                start + timedelta(seconds=per_device_last * READING_INTERVAL_S),
            )  # fmt: skip
            conn.commit()
    # A database at rest: without this, autovacuum's first pass over the freshly inserted
    # rows (triggered by the insert count) runs during the measurement and shows in its tail.
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return time.perf_counter() - began


def refresh_summaries(url: str) -> float:
    """Mark every summary stale (new readings) and recompute them all; seconds."""
    began = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE batch_summaries SET stale = true")
        rebuild_summaries(conn)
    return time.perf_counter() - began


class Server:
    """``farmtrace api`` (the command production runs) on a loopback port, for one
    measurement."""

    def __init__(
        self, url: str, port: int, workers: int, extra_env: dict[str, str] | None = None
    ) -> None:
        env = {**os.environ, "FARMTRACE_DATABASE_URL": url,
               "FARMTRACE_SECRET_KEY": secrets.token_urlsafe(32),
               "FARMTRACE_PUBLIC_BASE_URL": BASE_URL, **(extra_env or {})}  # fmt: skip
        self.origin = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "farmtrace", "--log-level", "warning", "api",
             "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            cwd=ROOT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                # The origin is our own loopback http URL, never a caller's.
                probe = self.origin + "/healthz"
                with urllib.request.urlopen(probe, timeout=1) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the API did not start") from None
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(
    label: str, origin: str, paths: list[str], duration_s: int, headers: dict[str, str]
) -> Measured:
    """Drive ``paths`` in turn with 64 connections for ``duration_s``; parse wrk's report."""
    lua_paths = ", ".join(f'"{path}"' for path in paths)
    lua_headers = ", ".join(f'["{key}"] = "{value}"' for key, value in headers.items())
    script = (
        f"local paths = {{{lua_paths}}}\nlocal headers = {{{lua_headers}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i], headers)\nend\n'
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        # A short warm-up fills the per-process render caches and the connection pools.
        subprocess.run(["wrk", "-t", "1", "-c", "16", "-d", "2s", "-s", handle.name, origin],
                       check=True, capture_output=True)  # fmt: skip
        report = subprocess.run(
            ["wrk", "-t", str(WRK_THREADS), "-c", str(CONNECTIONS), "-d", f"{duration_s}s",
             "--latency", "-s", handle.name, origin],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(handle.name)
    if "Non-2xx" in report:
        raise RuntimeError(f"{label}: some answers were not 2xx:\n{report}")
    latencies = {p: float(v) * _UNITS_MS[u] for p, v, u in _LATENCY.findall(report)}
    rate = _RATE.search(report)
    assert rate is not None, report
    return Measured(
        label, float(rate.group(1)), latencies["50"], latencies["99"], os.getloadavg()[0]
    )


def measure(url: str, lots: list[str], workers: int, duration_s: int, size: str) -> list[Measured]:
    pages = [f"/batch/{lot}" for lot in lots]
    scans = [urlsplit(build_digital_link(BASE_URL, lot, GTIN)).path for lot in lots]
    server = Server(url, free_port(), workers)
    try:
        health = wrk(f"/healthz ({size})", server.origin, ["/healthz"], duration_s, {})
        page = wrk(f"page ({size})", server.origin, pages, duration_s, PAGE_HEADERS)
        redirect = wrk(f"scan redirect ({size})", server.origin, scans, duration_s, PAGE_HEADERS)
    finally:
        server.stop()
    return [health, page, redirect]


def probed(url: str, lots: list[str], workers: int, duration_s: int, size: str) -> str:
    """The page run again with bench/loop_probe.py in every worker: what the tail is made of."""
    paths = [urlsplit(build_digital_link(BASE_URL, lot, GTIN)).path for lot in lots]
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(ROOT / "bench" / "loop_probe.py", Path(folder) / "sitecustomize.py")
        tallies = Path(folder) / "tallies.jsonl"
        path = os.pathsep.join(p for p in (folder, os.environ.get("PYTHONPATH")) if p)
        server = Server(url, free_port(), workers,
                        {"PYTHONPATH": path, "FARMTRACE_LOOP_PROBE": str(tallies)})  # fmt: skip
        try:
            page = wrk(f"page ({size}, probed)", server.origin, paths, duration_s, PAGE_HEADERS)
        finally:
            server.stop()
        workers_seen = [json.loads(line) for line in tallies.read_text().splitlines()]
    stalls = [tuple(s) for w in workers_seen for s in w["stalls"]]
    long = [s for s in stalls if s[0] > 0.050]
    collections = [c for w in workers_seen for c in w["collections_over_5ms"]]
    where: Counter[str] = Counter()
    for worker in workers_seen:
        where.update(dict(worker["where"]))
    lines = [
        f"probed {page.label}: {page.requests_per_s:,.0f} requests/s, p99 {page.p99_ms:.1f} ms",
        f"- loop stalls over 20 ms: {len(stalls)} in {len(workers_seen)} workers;"
        f" over 50 ms: {len(long)}, longest {max((s[0] for s in stalls), default=0) * 1000:.0f}"
        " ms",
        f"- of the stalled time, the loop's thread ran our Python for"
        f" {_share(sum(s[1] for s in stalls), sum(s[0] for s in stalls))};"
        f" over 50 ms: {_share(sum(s[1] for s in long), sum(s[0] for s in long))}"
        " (the rest it was not running: another process or thread had the core or the GIL)",
        f"- collections over 5 ms: {len(collections)}"
        f" (longest {max((c[1] for c in collections), default=0) * 1000:.1f} ms,"
        f" its CPU {max(collections, key=lambda c: c[1], default=(0, 0, 0))[2] * 1000:.1f} ms;"
        f" full ones {sum(1 for c in collections if c[0] == 2)})"
        f" of {sum(w['collections'] for w in workers_seen)}; CPU in collections by generation"
        f" {_by_generation(workers_seen)}; objects tracked at the end"
        f" {', '.join(str(w['tracked_objects']) for w in workers_seen)}",
        "- the longest collections (generation, wall ms, CPU ms, objects collected): "
        + ", ".join(
            f"({c[0]}, {c[1] * 1000:.0f}, {c[2] * 1000:.0f}, {c[3]})"
            for c in sorted(collections, key=lambda c: -c[1])[:6]
        ),
        "- objects in the oldest generation as each full collection began, per worker: "
        + "; ".join(", ".join(map(str, w["full_collection_sizes"])) for w in workers_seen),
        "- the loop's thread during stalls (watchdog samples): "
        + "; ".join(f"{spot} ×{n}" for spot, n in where.most_common(6)),
    ]
    return "\n".join(lines)


def _by_generation(workers_seen: list[dict]) -> str:
    total = {g: sum(w["collection_cpu_by_generation"][str(g)] for w in workers_seen)
             for g in (0, 1, 2)}  # fmt: skip
    return " / ".join(f"{seconds * 1000:.0f} ms" for seconds in total.values())


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def table(results: list[Measured], workers: int) -> str:
    lines = [
        f"| what (farmtrace api, {workers} worker{'s' if workers > 1 else ''},"
        f" {CONNECTIONS} connections)"
        " | requests/s | p50 ms | p99 ms | load average |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in results:
        lines.append(
            f"| {row.label} | {row.requests_per_s:,.0f} | {row.p50_ms:.2f} | {row.p99_ms:.2f}"
            f" | {row.load:.1f} |"
        )
    return "\n".join(lines)


def _median_round(rounds: list[list[Measured]]) -> list[Measured]:
    """The round whose page throughput is the median: /healthz, its page and its redirect."""
    ordered = sorted(rounds, key=lambda pair: pair[1].requests_per_s)
    return ordered[len(ordered) // 2]


def verdicts(results: list[Measured]) -> list[str]:
    health_small, page_small, redirect_small, health_large, page_large, redirect_large = results
    checks = [
        ("page ≥ 40 % of /healthz (small)",
         page_small.requests_per_s / health_small.requests_per_s, 0.40),
        ("page ≥ 40 % of /healthz (large)",
         page_large.requests_per_s / health_large.requests_per_s, 0.40),
        ("page with large ≥ 90 % of with small",
         page_large.requests_per_s / page_small.requests_per_s, 0.90),
    ]  # fmt: skip
    lines = [f"- {name}: {ratio:.0%} ({'met' if ratio >= goal else 'NOT met'})"
             for name, ratio, goal in checks]  # fmt: skip
    for row in (page_small, page_large, redirect_small, redirect_large):
        lines.append(
            f"- p99 < 50 ms, {row.label}: {row.p99_ms:.1f} ms"
            f" ({'met' if row.p99_ms < 50 else 'NOT met'})"
        )
    for page, redirect in ((page_small, redirect_small), (page_large, redirect_large)):
        lines.append(
            f"- redirect's server cost beside the page's, {redirect.label}: p50"
            f" {redirect.p50_ms:.2f} ms vs {page.p50_ms:.2f} ms,"
            f" {redirect.requests_per_s:,.0f} vs {page.requests_per_s:,.0f} requests/s"
        )
    return lines


def _create(server: str) -> str:
    name = f"farmtrace_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    return database_url_on(server, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-server", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument(
        "--workers", type=int, default=default_workers(),
        help="farmtrace api's workers (default: its own default, the machine's cores)",
    )  # fmt: skip
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument(
        "--rounds", type=int, default=3,
        help="rounds alternating the two sizes; the median round of each is reported",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument(
        "--probe", action="store_true",
        help="then run each size's page once more with a loop probe in the workers",
    )  # fmt: skip
    parser.add_argument(
        "--sizes", type=int, nargs=2, default=SIZES, metavar=("SMALL", "LARGE"),
        help="reading counts of the two databases (default 10,000 and 10,000,000)",
    )  # fmt: skip
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    # One database per size, measured in alternation, so that load from elsewhere on the
    # machine falls on both sizes alike rather than on whichever ran second.
    urls = [_create(options.database_server) for _ in options.sizes]
    try:
        start = datetime.now(UTC).replace(microsecond=0) - timedelta(
            seconds=options.sizes[-1] // len(PLACES) * READING_INTERVAL_S
        )
        lots: dict[str, list[str]] = {}
        for size, url in zip(options.sizes, urls, strict=True):
            migrate(url)
            lots[url] = seed(url, start)
            took = load_readings(url, start, 0, size)
            recomputed = refresh_summaries(url)
            print(f"{size:,} readings: loaded in {took:.1f} s,"
                  f" {len(lots[url])} summaries in {recomputed:.1f} s", flush=True)  # fmt: skip
        rounds: dict[str, list[list[Measured]]] = {url: [] for url in urls}
        for number in range(1, options.rounds + 1):
            for size, url in zip(options.sizes, urls, strict=True):
                label = f"{size:,} readings, round {number}"
                rounds[url].append(measure(url, lots[url], options.workers, options.duration,
                                           label))  # fmt: skip
        every = [row for url in urls for pair in rounds[url] for row in pair]
        median = [row for url in urls for row in _median_round(rounds[url])]
        print()
        print(table(every, options.workers))
        print()
        print("Median rounds:")
        print(table(median, options.workers))
        print()
        print("\n".join(verdicts(median)))
        pages = [pair[1] for url in urls for pair in rounds[url]]
        worst = max(pages, key=lambda row: row.p99_ms)
        print(f"- p99 < 50 ms in every page round: worst {worst.p99_ms:.1f} ms ({worst.label})"
              f" ({'met' if worst.p99_ms < 50 else 'NOT met'})")  # fmt: skip
        if options.probe:
            print()
            for size, url in zip(options.sizes, urls, strict=True):
                print(probed(url, lots[url], options.workers, options.duration, f"{size:,}"))
    finally:
        if not options.keep:
            with psycopg.connect(options.database_server, autocommit=True) as admin:
                for url in urls:
                    name = urlsplit(url).path.lstrip("/")
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


if __name__ == "__main__":
    main()
