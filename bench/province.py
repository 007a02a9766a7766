"""Province benchmark, run on demand (never by the test suite): `python bench/province.py`.

A province's fleet through the production commands, in one bounded run on loopback: the
simulator's models (sensors/simulation) drive ``--devices`` devices (trucks, cold stores and
processing rooms) at their real cadence for ``--duration`` seconds, publishing SenML packs as
their gateways do (a truck in a dead zone spools and flushes when back in signal). A third of
the way in, ``--gateways`` trucks come out of a tunnel at once and flush two hours of spooled
readings. ``farmtrace ingest`` stores them in a fresh database while ``farmtrace watch``
raises alarms and rebuilds page summaries, and ``wrk`` drives the provenance page served by
``farmtrace api`` during the burst. Triggers on the bench's own database log when each
arrival, alarm and summary was written (clock_timestamp), and the lags are read from them.
A baseline run with a share of the fleet (``--baseline-scale``) goes first, in the same
invocation, and the table gives each figure at both scales and their ratio. Every process
it starts is killed by PID when it ends; its databases and brokers are dropped.
"""

import argparse
import heapq
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from bench.ingest import FarmtraceCollector, publish_as_fleet  # noqa: E402
from bench.provenance import PAGE_HEADERS, Server, wrk  # noqa: E402
from farmtrace.commands.api import default_workers  # noqa: E402
from labels.lot_codes import lot_code_for  # noqa: E402
from schemas.senml import telemetry_topic  # noqa: E402
from sensors.packs import encode, senml_pack  # noqa: E402
from sensors.simulation.fleet import ROOMS, TRUCKS, RoomProfile, TruckProfile  # noqa: E402
from sensors.simulation.models import DeviceModel  # noqa: E402
from sensors.simulation.rooms import RoomModel  # noqa: E402
from sensors.simulation.trucks import TruckModel  # noqa: E402
from sensors.spool import SpooledRecord  # noqa: E402
from store.db import database_url_on  # noqa: E402
from store.migrations import migrate  # noqa: E402
from store.summaries import rebuild_summaries  # noqa: E402
from tests.servers import PrivateMosquitto, free_port  # noqa: E402

INTERVAL_S = 60.0  # the simulator's (and the gateways') default cadence
SPOOLED_S = 2 * 3600  # what a gateway holds after a long tunnel
# The gateways' trucks left an hour before the tunnel: a failing compressor (a quarter of
# them, the simulator's TRUCK-02 scenario) has warmed its load past the band by the flush.
# Those carry a frozen load here: a chilled one warms towards the outside air, which on a
# winter night in the district stays inside a 2–5 °C band, and the run has no alarm to time.
FROZEN_TRUCK = next(truck for truck in TRUCKS if truck.band.high <= -18)
TRIP_BEFORE_TUNNEL_S = 3600
# A province's fleet: mostly cold stores, then processing rooms, then trucks.
SHARES = (("store", 0.55), ("room", 0.30), ("truck", 0.15))
STORE_BASES = [room for room in ROOMS if room.kind in ("cold_store", "warehouse")]
ROOM_BASES = [room for room in ROOMS if room.kind not in ("cold_store", "warehouse")]
LIVE_PUBLISHERS = 2
BURST_PUBLISHERS = 2
MAX_RECORDS_PER_MESSAGE = 500  # the gateway agent's default
WRK_DURATION_S = 10
# How long after the last reading to wait for the watcher's last rounds.
SETTLE_S = 15.0
# Traffic starts once the processes started have used less than this much CPU in a second
# (start-up over), or after the limit.
IDLE_CPU_S = 0.1
SETTLE_LIMIT_S = 60.0
# Products by the band a device's profile keeps (temp_min, temp_max).
PRODUCTS = {
    (0.0, 4.0): ("VEG-FRESH", "高山蔬菜", "Highland vegetables"),
    (2.0, 5.0): ("TIANMA-FRESH", "金口河乌天麻（鲜）", "Jinkouhe gastrodia, fresh"),
    (-30.0, -18.0): ("BAMBOO-FROZEN", "速冻笋", "Frozen bamboo shoots"),
    (5.0, 10.0): ("WALNUT", "核桃", "Walnuts in shell"),
}
# The baseline runs the same path with a tenth of the fleet for at most this long.
BASELINE_DURATION_S = 60.0
TARGETS = {"stored_p99_s": 2.0, "drain_s": 60.0, "alarm_p99_s": 10.0, "summary_p99_s": 10.0}
# The bench's own log of when each arrival, alarm and summary was written.
EVENT_LOG_SQL = """
CREATE TABLE bench_events (
    what text NOT NULL, device_id text, batch_id bigint, reading_time timestamptz,
    at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION bench_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'reading_arrivals' THEN
        INSERT INTO bench_events (what, device_id, reading_time)
        VALUES ('stored', NEW.device_id, NEW.last_time);
    ELSIF TG_TABLE_NAME = 'alarms' THEN
        INSERT INTO bench_events (what, device_id, reading_time)
        VALUES ('alarm_' || NEW.kind, NEW.device_id, NEW.started_at);
    ELSIF NEW.computed_at IS DISTINCT FROM OLD.computed_at THEN
        INSERT INTO bench_events (what, batch_id) VALUES ('summary', NEW.batch_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER bench_stored AFTER INSERT ON reading_arrivals
    FOR EACH ROW EXECUTE FUNCTION bench_log();
CREATE TRIGGER bench_alarm AFTER INSERT ON alarms FOR EACH ROW EXECUTE FUNCTION bench_log();
CREATE TRIGGER bench_summary AFTER UPDATE ON batch_summaries
    FOR EACH ROW EXECUTE FUNCTION bench_log();
"""


@dataclass(frozen=True)
class Device:
    device_id: str
    location: str
    location_kind: str
    profile: TruckProfile | RoomProfile

    def model(self, seed: int, origin: float) -> DeviceModel:
        if isinstance(self.profile, TruckProfile):
            return TruckModel(self.profile, seed, origin)
        return RoomModel(self.profile, seed, origin)


def fleet(devices: int, gateways: int) -> tuple[list[Device], list[Device]]:
    """The live fleet in the shares above, and the trucks that flush a tunnel's spool."""
    live: list[Device] = []
    for kind, share in SHARES:
        wanted = round(devices * share) if kind != "truck" else devices - len(live)
        for n in range(wanted):
            live.append(_device(kind, n))
    burst = [_device("truck", n, prefix="GW") for n in range(gateways)]
    return live, burst


def _device(kind: str, n: int, prefix: str = "") -> Device:
    code = f"{prefix}{kind.upper()}-{n:05d}"
    device_id = f"{code.lower()}-t1"
    if kind == "truck":
        truck = TRUCKS[n % len(TRUCKS)]
        if prefix and truck.compressor_fails_after_min is not None:
            truck = replace(
                truck, cargo=FROZEN_TRUCK.cargo, set_point=FROZEN_TRUCK.set_point,
                band=FROZEN_TRUCK.band, pull_down_min=FROZEN_TRUCK.pull_down_min,
            )  # fmt: skip
        return Device(device_id, code, "truck", replace(truck, device_id=device_id, truck=code))
    bases = STORE_BASES if kind == "store" else ROOM_BASES
    room = bases[n % len(bases)]
    location_kind = room.kind if room.kind in ("cold_store", "warehouse") else "processing_room"
    return Device(device_id, code, location_kind, replace(room, device_id=device_id, location=code))


def _band(device: Device) -> tuple[float, float]:
    return (device.profile.band.low, device.profile.band.high)


def seed(url: str, devices: list[Device], since: datetime) -> dict[str, int]:
    """Places, devices installed there, a batch held wherever a product fits the band;
    returns batch ids by device."""
    with psycopg.connect(url) as conn:
        cur = conn.cursor()
        cur.executemany(
            "INSERT INTO products (code, name_zh, name_en, category, temp_min, temp_max)"
            " VALUES (%s, %s, %s, 'bench', %s, %s)",
            [(code, zh, en, low, high) for (low, high), (code, zh, en) in PRODUCTS.items()],
        )
        cur.executemany(
            "INSERT INTO locations (code, name, kind) VALUES (%s, %s, %s)",
            [(d.location, d.location, d.location_kind) for d in devices],
        )
        cur.executemany(
            "INSERT INTO devices (device_id, kind, mqtt_password_hash, reporting_interval_s)"
            " VALUES (%s, 'probe', 'x', %s)",
            [(d.device_id, int(INTERVAL_S)) for d in devices],
        )
        cur.executemany(
            "INSERT INTO device_installations (device_id, location, during)"
            " VALUES (%s, %s, tstzrange(%s, NULL))",
            [(d.device_id, d.location, since - timedelta(days=1)) for d in devices],
        )
        batches: dict[str, int] = {}
        for device in devices:
            product = PRODUCTS.get(_band(device))
            if product is None:
                continue
            row = cur.execute(
                "INSERT INTO batches (lot_code, product, quantity, unit, received_at)"
                " VALUES (%s, %s, 100, 'kg', %s) RETURNING id",
                (lot_code_for(product[0][:2], since), product[0], since),
            ).fetchone()
            assert row is not None
            cur.execute(
                "INSERT INTO custody (batch_id, location, during) VALUES (%s, %s, tstzrange(%s,"
                " NULL))",
                (row[0], device.location, since),
            )
            batches[device.device_id] = row[0]
        conn.execute(EVENT_LOG_SQL)
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        rebuild_summaries(conn)
        conn.execute("VACUUM ANALYZE")
    return batches


def reporting_until_now(url: str, live: list[Device]) -> None:
    """The live fleet was reporting until the run starts (else, after a long seed, every
    device would start in a silence alarm); the gateways last reported before their tunnel."""
    with psycopg.connect(url) as conn:
        conn.cursor().executemany(
            "INSERT INTO device_last_readings (device_id, last_time) VALUES (%s, now())"
            " ON CONFLICT (device_id) DO UPDATE SET last_time = excluded.last_time",
            [(d.device_id,) for d in live],
        )


def records(model: DeviceModel, when: float, first_id: int) -> list[SpooledRecord]:
    reading = model.reading(when)
    return [
        SpooledRecord(first_id + i, when, name, value)
        for i, (name, value) in enumerate(reading.items())
    ]


def drive(port: int, devices: list[Device], start: float, end: float, seed_: int) -> None:
    """One publisher process: each device samples every INTERVAL_S (phases spread over the
    interval), publishes at once when connected and spools while in a dead zone."""
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=f"bench-live-{os.getpid()}",
        protocol=MQTTProtocolVersion.MQTTv5,
    )
    client.max_inflight_messages_set(1_000)
    client.connect("127.0.0.1", port)
    client.loop_start()
    models = [device.model(seed_, start) for device in devices]
    spooled: list[list[SpooledRecord]] = [[] for _ in devices]
    due = [(start + INTERVAL_S * i / len(devices), i) for i in range(len(devices))]
    heapq.heapify(due)
    ids = 0
    while due and due[0][0] < end:
        when, i = heapq.heappop(due)
        wait = when - time.time()
        if wait > 0:
            time.sleep(wait)
        taken = records(models[i], when, ids)
        ids += len(taken)
        spooled[i] += taken
        if models[i].connected(when):
            for first in range(0, len(spooled[i]), MAX_RECORDS_PER_MESSAGE):
                part = spooled[i][first : first + MAX_RECORDS_PER_MESSAGE]
                payload = encode(senml_pack(devices[i].device_id, part))
                client.publish(telemetry_topic(devices[i].device_id), payload, qos=1)
            spooled[i] = []
        heapq.heappush(due, (when + INTERVAL_S, i))
    time.sleep(1.0)  # the last acknowledgements
    client.loop_stop()
    client.disconnect()


def spooled_payloads(gateways: list[Device], until: float, seed_: int) -> list[tuple[str, bytes]]:
    """Two hours of samples per gateway, in the packs its agent would send them in."""
    payloads = []
    origin = until - SPOOLED_S - TRIP_BEFORE_TUNNEL_S
    for device in gateways:
        model = device.model(seed_, origin)
        for step in range(int(TRIP_BEFORE_TUNNEL_S / INTERVAL_S)):
            model.reading(origin + step * INTERVAL_S)  # delivered before the tunnel
        held: list[SpooledRecord] = []
        for step in range(int(SPOOLED_S / INTERVAL_S)):
            when = until - SPOOLED_S + step * INTERVAL_S
            held += records(model, when, len(held))
        for first in range(0, len(held), MAX_RECORDS_PER_MESSAGE):
            part = held[first : first + MAX_RECORDS_PER_MESSAGE]
            payloads.append(
                (telemetry_topic(device.device_id), encode(senml_pack(device.device_id, part)))
            )
    return payloads


class Watcher:
    """``farmtrace watch`` at its production interval, logging to a file."""

    def __init__(self, url: str, log: Path) -> None:
        env = {**os.environ, "FARMTRACE_DATABASE_URL": url}
        self.heartbeat = log.with_suffix(".beat")
        with log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "farmtrace", "watch", "--heartbeat", str(self.heartbeat)],
                cwd=REPO_ROOT, env=env, stdout=sink, stderr=sink,
            )  # fmt: skip


def cpu_seconds(roots: list[int]) -> float:
    """CPU time used so far by these processes and every descendant alive (Linux /proc)."""
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    total, todo = 0, list(roots)
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def settle(watcher: Watcher, pids: list[int]) -> float:
    """Wait until the watcher has run a round and the processes started are idle (imports,
    spawned workers and first rounds done), so the lags time the fleet, not start-up;
    returns the seconds waited."""
    began = time.time()
    used = cpu_seconds(pids)
    while time.time() - began < SETTLE_LIMIT_S:
        time.sleep(1.0)
        now = cpu_seconds(pids)
        if watcher.heartbeat.exists() and now - used < IDLE_CPU_S:
            break
        used = now
    return time.time() - began


@dataclass
class Figures:
    stored: list[float]
    # The live lags of arrivals stored while the burst drained (first flush → last stored).
    stored_in_burst: list[float]
    drain_s: float | None
    burst_stored: int
    burst_expected: int
    alarms: list[float]
    summaries: list[float]
    unsummarised: int
    silences: int
    page: dict[str, float] | None


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def analyse(
    url: str, live: list[Device], burst: list[Device], batches: dict[str, int],
    burst_at: float, last_reading: float,
) -> tuple[list[float], list[float], float | None, list[float], list[float], int, int]:  # fmt: skip
    gateway_ids = {d.device_id for d in burst}
    with psycopg.connect(url) as conn:
        events = conn.execute(
            "SELECT what, device_id, batch_id, extract(epoch FROM reading_time)::float8,"
            " extract(epoch FROM at)::float8 FROM bench_events ORDER BY at"
        ).fetchall()
    live_stored = [(at, at - reading) for what, dev, _, reading, at in events
                   if what == "stored" and dev not in gateway_ids]  # fmt: skip
    burst_times = [at for what, dev, _, _, at in events if what == "stored" and dev in gateway_ids]
    drain = max(burst_times) - burst_at if burst_times else None
    drained_at = max(burst_times, default=burst_at)
    stored = [lag for _, lag in live_stored]
    in_burst = [lag for at, lag in live_stored if burst_at <= at <= drained_at]
    last_stored: dict[str, list[float]] = {}
    summaries_at: dict[int, list[float]] = {}
    alarm_lags: list[float] = []
    for what, dev, batch, _, at in events:
        if what == "stored":
            last_stored.setdefault(dev, []).append(at)
        elif what == "alarm_excursion" and last_stored.get(dev):
            alarm_lags.append(at - last_stored[dev][-1])
        elif what == "summary":
            summaries_at.setdefault(batch, []).append(at)
    summary_lags: list[float] = []
    unsummarised = 0
    for what, dev, _, _, at in events:
        if what != "stored" or dev not in batches or at > last_reading:
            continue
        later = [s for s in summaries_at.get(batches[dev], []) if s >= at]
        if later:
            summary_lags.append(later[0] - at)
        else:
            unsummarised += 1
    silences = sum(1 for event in events if event[0] == "alarm_silence")
    return stored, in_burst, drain, alarm_lags, summary_lags, unsummarised, silences


def burst_count(url: str, burst: list[Device]) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM readings WHERE device_id = ANY(%s)",
            ([d.device_id for d in burst],),
        ).fetchone()
    assert row is not None
    return int(row[0])


def _kill(process: "subprocess.Popen[bytes] | multiprocessing.process.BaseProcess") -> None:
    """SIGKILL by PID whatever is still running, and reap it."""
    if isinstance(process, subprocess.Popen):
        if process.poll() is None:
            process.kill()
            process.wait(10)
    elif process.is_alive():
        process.kill()
        process.join(10)


def run(options: argparse.Namespace, url: str, folder: Path) -> Figures:
    live, burst = fleet(options.devices, options.gateways)
    began = time.time()
    batches = seed(url, live + burst, datetime.now(UTC) - timedelta(days=3))
    print(f"seeded {len(live)} live devices, {len(burst)} gateways, {len(batches)} batches in"
          f" {time.time() - began:.1f} s", flush=True)  # fmt: skip
    reporting_until_now(url, live)
    broker = PrivateMosquitto(port=options.broker_port)
    broker.start()
    started: list[subprocess.Popen[bytes] | multiprocessing.process.BaseProcess] = []
    api: Server | None = None
    try:
        collector = FarmtraceCollector(broker, url, folder / "collector.log")
        collector.start()
        started += FarmtraceCollector.started
        watcher = Watcher(url, folder / "watcher.log")
        started.append(watcher.process)
        if shutil.which("wrk") is not None:
            api = Server(url, free_port(), default_workers())
            started.append(api.process)
        waited = settle(watcher, [p.pid for p in started if p.pid is not None])
        print(f"started the collectors, the watcher and the API; idle after {waited:.1f} s",
              flush=True)  # fmt: skip
        # The gateways' spools are made before the clock starts (it takes seconds, and the
        # live publishers would start late): they end a little before the flush instead.
        payloads = spooled_payloads(burst, time.time() + 2.0 + options.duration / 3,
                                    options.seed)  # fmt: skip
        start = time.time() + 2.0
        end = start + options.duration
        burst_at = start + options.duration / 3
        context = multiprocessing.get_context("fork")
        for share in range(LIVE_PUBLISHERS):
            worker = context.Process(
                target=drive,
                args=(broker.port, live[share::LIVE_PUBLISHERS], start, end, options.seed),
            )
            worker.start()
            started.append(worker)
        page: dict[str, float] | None = None
        page_thread: threading.Thread | None = None
        time.sleep(max(0.0, burst_at - time.time() - 2.0))  # wrk warms up for 2 s
        if api is not None:
            paths = [f"/batch/{lot}" for lot in _lots(url, 50)]

            def drive_page(origin: str = api.origin) -> None:
                nonlocal page
                measured = wrk("page during the burst", origin, paths, WRK_DURATION_S,
                               PAGE_HEADERS)  # fmt: skip
                page = {"p50_ms": measured.p50_ms, "p99_ms": measured.p99_ms,
                        "requests_per_s": measured.requests_per_s}  # fmt: skip

            page_thread = threading.Thread(target=drive_page, daemon=True)
            page_thread.start()
        time.sleep(max(0.0, burst_at - time.time()))
        flushed_at = publish_as_fleet(broker, payloads, "burst", BURST_PUBLISHERS)
        for publisher in started:
            if isinstance(publisher, multiprocessing.process.BaseProcess):
                publisher.join(max(1.0, end - time.time() + 30))
        if page_thread is not None:
            page_thread.join(WRK_DURATION_S + 30)
        time.sleep(SETTLE_S)
        stored, in_burst, drain, alarm_lags, summary_lags, unsummarised, silences = analyse(
            url, live, burst, batches, flushed_at, end
        )
        expected = sum(len(json.loads(p)) for _, p in payloads)
        return Figures(stored, in_burst, drain, burst_count(url, burst), expected,
                       alarm_lags, summary_lags, unsummarised, silences, page)  # fmt: skip
    finally:
        if api is not None:
            api.stop()  # SIGTERM first: its workers exit with it
        for process in started + multiprocessing.active_children():
            _kill(process)
        broker.destroy()


def _lots(url: str, limit: int) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT lot_code FROM batches ORDER BY id LIMIT %s", (limit,))
        return [row[0] for row in rows]


def _lag_cells(values: list[float]) -> tuple[str, float | None]:
    if not values:
        return "none measured", None
    p99 = _pct(values, 0.99)
    return f"p50 {_pct(values, 0.5):.2f} s · p99 {p99:.2f} s ({len(values):,})", p99


def _ratio(full: float | None, baseline: float | None) -> str:
    if full is None or not baseline:
        return ""
    return f"{full / baseline:.2f}"


def report(runs: list[tuple[argparse.Namespace, Figures]]) -> None:
    """One table: the baseline's figures, the full fleet's, their ratio, the target."""
    (small, baseline), (options, full) = runs
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nprovince benchmark on {os.cpu_count()} cores, {INTERVAL_S:.0f} s cadence, bursts"
        f" of 2 h spooled; load average at the end: {load}"
    )
    for label, scale in (("baseline", small), ("full", options)):
        print(f"- {label}: {scale.devices:,} devices, a burst of {scale.gateways:,} gateways,"
              f" {scale.duration:.0f} s")  # fmt: skip
    print("\n| what | baseline | full | full ÷ baseline (p99) | target | met |")
    print("|---|---|---|---|---|---|")

    Cell = tuple[str, float | None]

    def row(label: str, cells: list[Cell], target: str, met: bool | None) -> None:
        verdict = "" if met is None else ("yes" if met else "NO")
        (small_text, small_value), (full_text, full_value) = cells
        ratio = _ratio(full_value, small_value)
        print(f"| {label} | {small_text} | {full_text} | {ratio} | {target} | {verdict} |")

    for label, key, attribute in (
        ("reading → stored (live fleet)", "stored_p99_s", "stored"),
        ("stored → alarm", "alarm_p99_s", "alarms"),
        ("stored → page summary", "summary_p99_s", "summaries"),
    ):
        cells = [_lag_cells(getattr(figures, attribute)) for figures in (baseline, full)]
        p99 = cells[1][1]
        met = None if p99 is None else p99 < TARGETS[key]
        row(label, cells, f"p99 < {TARGETS[key]:.0f} s", met)
        if attribute == "stored":
            row("… of those, stored while the burst drained",
                [_lag_cells(figures.stored_in_burst) for figures in (baseline, full)], "", None)

    def drained(figures: Figures) -> tuple[str, float | None]:
        if figures.drain_s is None:
            return "nothing stored", None
        text = f"{figures.drain_s:.1f} s, {figures.burst_stored:,} of {figures.burst_expected:,}"
        return text, figures.drain_s

    drain_met = full.drain_s is not None and full.drain_s < TARGETS["drain_s"]
    drain_met = drain_met and full.burst_stored == full.burst_expected
    row("burst drained (first flush → last stored)", [drained(baseline), drained(full)],
        f"< {TARGETS['drain_s']:.0f} s", drain_met)  # fmt: skip
    row("arrivals whose summary was not rebuilt",
        [(f"{f.unsummarised:,}", float(f.unsummarised)) for f in (baseline, full)], "0",
        full.unsummarised == 0)  # fmt: skip

    def page(figures: Figures) -> tuple[str, float | None]:
        if figures.page is None:
            return "wrk not installed", None
        measured = figures.page
        text = (f"p50 {measured['p50_ms']:.0f} ms · p99 {measured['p99_ms']:.0f} ms,"
                f" {measured['requests_per_s']:,.0f}/s")  # fmt: skip
        return text, measured["p99_ms"]

    row("provenance page during the burst (wrk, 64 connections)",
        [page(baseline), page(full)], "", None)  # fmt: skip
    for label, figures in (("baseline", baseline), ("full", full)):
        if figures.silences:
            print(f"\n{label}: {figures.silences:,} silence alarms opened (not timed: nothing"
                  " was stored)")  # fmt: skip


def measure(options: argparse.Namespace) -> Figures:
    """One run at ``options``' scale in a database and folder of its own, dropped after."""
    dbname = f"farmtrace_bench_province_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(options.server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"'.encode())
    url = database_url_on(options.server, dbname)
    folder = Path(tempfile.mkdtemp(prefix="farmtrace-province-"))
    try:
        migrate(url)
        return run(options, url, folder)
    finally:
        with psycopg.connect(options.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'.encode())
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="libpq URL of a PostgreSQL server to create the bench database on",
    )
    parser.add_argument("--devices", type=int, default=10_000, help="live devices")
    parser.add_argument("--gateways", type=int, default=1_000, help="gateways in the burst")
    parser.add_argument("--duration", type=float, default=300.0, help="seconds of live traffic")
    parser.add_argument(
        "--baseline-scale", type=float, default=0.1,
        help="the baseline run's fleet and burst as a share of the full run's (run first)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, help="the simulator's seed")
    parser.add_argument("--broker-port", type=int, help="loopback port for the private broker")
    options = parser.parse_args()
    if options.devices < 1 or options.gateways < 0 or not 0 < options.duration <= 3600:
        parser.error("--devices ≥ 1, --gateways ≥ 0, 0 < --duration ≤ 3600")
    if not 0 < options.baseline_scale <= 1:
        parser.error("0 < --baseline-scale ≤ 1")
    small = argparse.Namespace(**vars(options))
    small.devices = max(1, round(options.devices * options.baseline_scale))
    small.gateways = round(options.gateways * options.baseline_scale)
    small.duration = min(options.duration, BASELINE_DURATION_S)
    runs = []
    for scale in (small, options):
        print(f"running {scale.devices:,} devices for {scale.duration:.0f} s", flush=True)
        runs.append((scale, measure(scale)))
    report(runs)


if __name__ == "__main__":
    main()
