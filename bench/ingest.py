"""Ingest benchmark, run on demand (never by the test suite): `python bench/ingest.py`.

Measures on one readings table, in one run, with 1 and with 50 readings per message:
(a) raw COPY of the rows; (b) the tutorial collector (json.loads, one autocommitted INSERT
per reading); (c) `farmtrace ingest` draining a backlog queued while it was stopped; (d)
`farmtrace ingest` live, from the first publish to the last commit. It uses a fresh database
on the given server and a private Mosquitto on loopback, and drops both afterwards.
"""

import argparse
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from schemas.senml import base_name, telemetry_topic  # noqa: E402
from store.db import database_url_on  # noqa: E402
from store.devices import add_device  # noqa: E402
from store.migrations import migrate  # noqa: E402
from tests.servers import PrivateMosquitto, free_port  # noqa: E402

DEVICES = 100
# Readings start two days ago, one second apart per device: all valid, none repeated.
START = float(int(time.time()) - 2 * 86_400)
DONE_TIMEOUT_S = 600.0
# Publisher processes in the live run (--live-publishers).
LIVE_PUBLISHERS = 1
COLLECTOR_CLIENT_ID = f"bench-collector-{uuid.uuid4().hex[:6]}"


@dataclass
class Workload:
    per_message: int
    readings: int

    @property
    def messages(self) -> int:
        return self.readings // self.per_message

    def payloads(self) -> list[tuple[str, bytes]]:
        out = []
        for index in range(self.messages):
            device_id = f"bench-{index % DEVICES:03d}"
            first = (index // DEVICES) * self.per_message
            records: list[dict[str, Any]] = [
                {
                    "bn": base_name(device_id),
                    "bt": START + first,
                    "bu": "Cel",
                    "n": "temp",
                    "v": 3.5,
                }
            ]
            records += [
                {"n": "temp", "t": offset, "v": round(2 + offset % 30 / 10, 1)}
                for offset in range(1, self.per_message)
            ]
            out.append((telemetry_topic(device_id), json.dumps(records).encode()))
        return out

    def copy_rows(self) -> str:
        lines = []
        for index in range(self.messages):
            device_id = f"bench-{index % DEVICES:03d}"
            first = (index // DEVICES) * self.per_message
            for offset in range(self.per_message):
                when = datetime.fromtimestamp(START + first + offset).astimezone().isoformat()
                lines.append(f"{when}\t{device_id}\ttemp\t{2 + offset % 30 / 10}\n")
        return "".join(lines)


def count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM readings").fetchone()
        assert row is not None
        return int(row[0])


def truncate(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE readings, dead_letters")
        conn.execute("VACUUM ANALYZE readings")


def wait_count(url: str, expected: int) -> None:
    deadline = time.monotonic() + DONE_TIMEOUT_S
    while count(url) < expected:
        if time.monotonic() > deadline:
            raise TimeoutError(f"only {count(url)} of {expected} readings stored")
        time.sleep(0.25)


class FleetPublisher:
    """A paho client driven from the calling thread, as fast as Python paho publishes.

    Without a network thread, publish() writes straight to the socket; PUBACKs are read
    whenever the window of unacknowledged messages is full (paho silently refuses more
    than 65,535 outstanding).
    """

    WINDOW = 1_000

    def __init__(self, broker: PrivateMosquitto, client_id: str) -> None:
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTProtocolVersion.MQTTv5
        )
        self.client.max_inflight_messages_set(self.WINDOW)
        self.acknowledged = 0
        self.client.on_publish = self._on_publish
        self.client.connect("127.0.0.1", broker.port)
        while not self.client.is_connected():
            self.client.loop(0.1)

    def _on_publish(self, *args: Any) -> None:
        self.acknowledged += 1

    def publish(self, payloads: list[tuple[str, bytes]]) -> None:
        deadline = time.monotonic() + DONE_TIMEOUT_S
        for sent, (topic, payload) in enumerate(payloads, 1):
            info = self.client.publish(topic, payload, qos=1)
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                raise RuntimeError(mqtt.error_string(info.rc))
            while sent - self.acknowledged >= self.WINDOW:
                self.client.loop(0.01)
        while self.acknowledged < len(payloads):
            if time.monotonic() > deadline:
                raise TimeoutError("the broker stopped acknowledging")
            self.client.loop(0.01)
        self.client.disconnect()


def publish_all(broker: PrivateMosquitto, payloads: list[tuple[str, bytes]], name: str) -> float:
    """Publish at full speed; return the time of the first publish."""
    publisher = FleetPublisher(broker, f"bench-publisher-{name}")
    started = time.time()
    publisher.publish(payloads)
    return started


def _publish_share(
    broker: PrivateMosquitto, payloads: list[tuple[str, bytes]], name: str, go: Any
) -> None:
    publisher = FleetPublisher(broker, name)
    go.wait()
    publisher.publish(payloads)


def publish_as_fleet(
    broker: PrivateMosquitto, payloads: list[tuple[str, bytes]], name: str, processes: int
) -> float:
    """Publish from several processes, as a fleet of gateways does; return the start time.

    One Python publisher is slower than the collector at one reading per message, so the
    live figure would measure the publisher.
    """
    context = multiprocessing.get_context("fork")
    go = context.Event()
    workers = [
        context.Process(
            target=_publish_share,
            args=(broker, payloads[index::processes], f"bench-{name}-{index}", go),
        )
        for index in range(processes)
    ]
    for worker in workers:
        worker.start()
    time.sleep(1.0)  # every publisher connected
    started = time.time()
    go.set()
    for worker in workers:
        worker.join(DONE_TIMEOUT_S)
        if worker.exitcode != 0:
            raise RuntimeError(f"publisher {worker.name} failed")
    return started


# (a) ------------------------------------------------------------------------------------
def raw_copy(url: str, workload: Workload) -> float:
    text = workload.copy_rows()
    with psycopg.connect(url) as conn:
        began = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy("COPY readings (time, device_id, metric, value) FROM STDIN") as copy,
        ):
            copy.write(text)
        conn.commit()
        elapsed = time.perf_counter() - began
    return workload.readings / elapsed


# (b) ------------------------------------------------------------------------------------
class TutorialCollector:
    """The collector of a typical tutorial: parse, then one autocommitted INSERT per reading."""

    def __init__(self, broker: PrivateMosquitto, url: str) -> None:
        self.conn = psycopg.connect(url, autocommit=True)
        self.connected_at = 0.0
        self.last_insert = 0.0
        self.connected = threading.Event()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id="tutorial", protocol=MQTTProtocolVersion.MQTTv5
        )
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.broker = broker

    def start(self) -> None:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = 3600
        self.connected.clear()
        self.client.connect("127.0.0.1", self.broker.port, clean_start=False, properties=properties)
        self.client.loop_start()
        self.connected.wait(10)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def end_session(self) -> None:
        """Drop the session, or the broker would queue every later run's messages for it."""
        self.client.connect("127.0.0.1", self.broker.port, clean_start=True)
        self.client.on_connect = None
        self.client.loop_start()
        time.sleep(0.2)
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client: mqtt.Client, *args: Any) -> None:
        self.connected_at = time.time()
        client.subscribe("farmtrace/devices/+/telemetry", options=SubscribeOptions(qos=1))
        self.connected.set()

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        device_id = message.topic.split("/")[2]
        records = json.loads(message.payload)
        bt = 0.0
        for record in records:
            bt = record.get("bt", bt)
            self.conn.execute(
                "INSERT INTO readings (time, device_id, metric, value)"
                " VALUES (to_timestamp(%s), %s, %s, %s) ON CONFLICT DO NOTHING",
                (bt + record.get("t", 0), device_id, record["n"], record["v"]),
            )
        self.last_insert = time.time()


def tutorial_backlog(broker: PrivateMosquitto, url: str, workload: Workload) -> float:
    tutorial = TutorialCollector(broker, url)
    tutorial.start()  # creates its session and subscription
    tutorial.stop()
    publish_all(broker, workload.payloads(), f"b{workload.per_message}")
    tutorial.start()
    wait_count(url, workload.readings)
    tutorial.stop()
    tutorial.end_session()
    tutorial.conn.close()
    return workload.readings / (tutorial.last_insert - tutorial.connected_at)


# (c) and (d) ------------------------------------------------------------------------------
class FarmtraceCollector:
    # Set by --profile: record each collector with py-spy (collapsed stacks, for flame graphs).
    profile_dir: Path | None = None
    live_publishers = LIVE_PUBLISHERS
    # Every collector process started, so that a failed run leaves none behind.
    started: ClassVar[list[subprocess.Popen[bytes]]] = []

    def __init__(self, broker: PrivateMosquitto, url: str, log: Path) -> None:
        self.log = log
        self.env = {
            **os.environ,
            "FARMTRACE_DATABASE_URL": url,
            "FARMTRACE_MQTT_URL": broker.url,
            # One session for every run: a stopped member of a share group keeps its share.
            "FARMTRACE_INGEST_CLIENT_ID": COLLECTOR_CLIENT_ID,
            "FARMTRACE_LOG_LEVEL": "DEBUG",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log.write_bytes(b"")
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "farmtrace",
                    "ingest",
                    "--metrics-port",
                    str(free_port()),
                    "--metrics-host",
                    "127.0.0.1",
                ],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=sink,
                stderr=sink,
            )
        self.started.append(self.process)
        deadline = time.monotonic() + 30
        while self.connected_at() is None:
            if time.monotonic() > deadline:
                raise TimeoutError(self.log.read_text())
            time.sleep(0.05)
        self.profiler: subprocess.Popen[bytes] | None = None
        if self.profile_dir is not None:
            profile = self.profile_dir / f"collector-{time.time():.0f}.txt"
            self.profiler = subprocess.Popen(
                [
                    "py-spy",
                    "record",
                    "--format",
                    "raw",
                    "--threads",
                    "--nonblocking",
                    "-o",
                    str(profile),
                    "-p",
                    str(self.process.pid),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    def stop(self) -> None:
        assert self.process is not None
        if self.profiler is not None:
            self.profiler.send_signal(signal.SIGINT)
            self.profiler.wait(30)
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)

    def _times(self, message: str) -> list[float]:
        times = []
        for line in self.log.read_text().splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if entry.get("message") == message:
                times.append(datetime.fromisoformat(entry["time"]).timestamp())
        return times

    def connected_at(self) -> float | None:
        times = self._times("broker connected")
        return times[-1] if times else None

    def last_commit(self) -> float:
        return self._times("batch committed")[-1]


def farmtrace_backlog(broker: PrivateMosquitto, url: str, workload: Workload, log: Path) -> float:
    collector = FarmtraceCollector(broker, url, log)
    collector.start()  # creates its session and shared subscription
    collector.stop()
    publish_all(broker, workload.payloads(), f"c{workload.per_message}")
    collector.start()
    wait_count(url, workload.readings)
    collector.stop()
    connected = collector.connected_at()
    assert connected is not None
    return workload.readings / (collector.last_commit() - connected)


def farmtrace_live(broker: PrivateMosquitto, url: str, workload: Workload, log: Path) -> float:
    collector = FarmtraceCollector(broker, url, log)
    collector.start()
    payloads = workload.payloads()
    first_publish = publish_as_fleet(broker, payloads, f"d{workload.per_message}", LIVE_PUBLISHERS)
    wait_count(url, workload.readings)
    collector.stop()
    return workload.readings / (collector.last_commit() - first_publish)


# ----------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--server",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="libpq URL of a PostgreSQL server to create the bench database on",
    )
    parser.add_argument(
        "--readings",
        type=int,
        default=500_000,
        help="readings per farmtrace run with 50 per message",
    )
    parser.add_argument(
        "--messages-single",
        type=int,
        default=50_000,
        help="messages (= readings) per farmtrace run with 1 per message",
    )
    parser.add_argument(
        "--tutorial-readings",
        type=int,
        default=20_000,
        help="readings per tutorial run (it is slow)",
    )
    parser.add_argument(
        "--live-publishers", type=int, default=LIVE_PUBLISHERS, help="publisher processes in (d)"
    )
    parser.add_argument("--only", help="run only these steps, e.g. 'c1,c50' (no report)")
    parser.add_argument("--profile", type=Path, help="record collectors with py-spy into DIR")
    args = parser.parse_args()
    FarmtraceCollector.profile_dir = args.profile
    FarmtraceCollector.live_publishers = args.live_publishers

    dbname = f"farmtrace_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"'.encode())
    url = database_url_on(args.server, dbname)
    broker = PrivateMosquitto()
    broker.start()
    log = broker.folder / "collector.log"
    try:
        migrate(url)
        with psycopg.connect(url) as conn:
            for index in range(DEVICES):
                add_device(conn, f"bench-{index:03d}", "bench")
        results: dict[tuple[str, int], float] = {}
        for per_message, readings in ((1, args.messages_single), (50, args.readings)):
            steps = [
                ("a", lambda w: raw_copy(url, w), readings),
                ("b", lambda w: tutorial_backlog(broker, url, w), args.tutorial_readings),
                ("c", lambda w: farmtrace_backlog(broker, url, w, log), readings),
                ("d", lambda w: farmtrace_live(broker, url, w, log), readings),
            ]
            for name, step, size in steps:
                if args.only and f"{name}{per_message}" not in args.only.split(","):
                    continue
                truncate(url)
                workload = Workload(per_message, size - size % per_message)
                results[name, per_message] = step(workload)
                assert count(url) == workload.readings, (name, per_message)
                print(
                    f"  ({name}) {per_message:>2}/msg: {results[name, per_message]:>10,.0f}/s",
                    file=sys.stderr,
                    flush=True,
                )
        if not args.only:
            report(results, args)
    finally:
        for process in FarmtraceCollector.started:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        broker.destroy()
        with psycopg.connect(args.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'.encode())


LABELS = {
    "a": "(a) raw COPY",
    "b": "(b) tutorial collector (json.loads + INSERT per reading)",
    "c": "(c) farmtrace ingest, draining a backlog",
    "d": "(d) farmtrace ingest, live (first publish → last commit)",
}


def report(results: dict[tuple[str, int], float], args: argparse.Namespace) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\nload average at the end: {load} (other work on the machine skews every figure)")
    print(
        f"\nreadings/s on {os.cpu_count()} cores (python bench/ingest.py"
        f" --readings {args.readings} --messages-single {args.messages_single}"
        f" --tutorial-readings {args.tutorial_readings})\n"
    )
    print("| run | 1 reading/message | 50 readings/message |")
    print("|---|---:|---:|")
    for key, label in LABELS.items():
        print(f"| {label} | {results[key, 1]:,.0f} | {results[key, 50]:,.0f} |")
    checks = [
        (
            "(c) 50/msg ≥ 100,000 readings/s",
            results["c", 50] >= 100_000,
            f"{results['c', 50]:,.0f}",
        ),
        (
            "(c) 50/msg ≥ 1/3 of (a)",
            results["c", 50] >= results["a", 50] / 3,
            f"{results['c', 50] / results['a', 50]:.2f} × (a)",
        ),
        ("(c) 1/msg ≥ 10,000 readings/s", results["c", 1] >= 10_000, f"{results['c', 1]:,.0f}"),
        (
            "(c) 50/msg ≥ 40 × (b)",
            results["c", 50] >= 40 * results["b", 50],
            f"{results['c', 50] / results['b', 50]:.1f} × (b)",
        ),
    ]
    for key in ("c", "d"):
        for per_message in (1, 50):
            ratio = results[key, per_message] / results["b", per_message]
            checks.append(
                (f"({key}) {per_message}/msg ≥ 4 × (b)", ratio >= 4, f"{ratio:.1f} × (b)")
            )
    print("\n| target | measured | met |")
    print("|---|---:|---|")
    for target, met, measured in checks:
        print(f"| {target} | {measured} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    main()
