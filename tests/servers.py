"""Private PostgreSQL clusters and Mosquitto brokers that tests start, stop and restart.

They live in folders made outside pytest's temporary tree, because when the suite runs as
root the servers run as the ``postgres`` user, who cannot enter pytest's private folders.
"""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SERVER_START_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, timeout: float = SERVER_START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(host, port):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


def _postgres_bindir() -> Path:
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
        if (found / "initdb").exists():
            return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")


def timescaledb_installed() -> bool:
    bindir = _postgres_bindir()
    pg_config = bindir / "pg_config"
    if not pg_config.exists():
        pg_config = Path(shutil.which("pg_config") or "pg_config")
    try:
        libdir = subprocess.check_output([str(pg_config), "--pkglibdir"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return any(Path(libdir).glob("timescaledb*.so"))


class PrivatePostgres:
    """A throwaway cluster on a free port; run as ``postgres`` when the suite runs as root."""

    def __init__(self, timescaledb: bool = False) -> None:
        self.bindir = _postgres_bindir()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="farmtrace-pg-"))
        self.data = self.folder / "data"
        self.timescaledb = timescaledb
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            self._as_user = ["runuser", "-u", "postgres", "--"]
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
        )

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as_user, str(self.bindir / tool), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        if self.timescaledb:
            options += " -c shared_preload_libraries=timescaledb -c timescaledb.telemetry_level=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "log"),
            "-o",
            options,
            "-w",
            "start",
        )
        wait_for_port("127.0.0.1", self.port)

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateMosquitto:
    """A broker of the test's own, with whatever extra configuration the test needs."""

    def __init__(
        self, extra_config: str = "", anonymous: bool = True, port: int | None = None
    ) -> None:
        self.port = port or free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="farmtrace-mqtt-"))
        # The broker may drop privileges; it must still read its own folder.
        os.chmod(self.folder, 0o755)  # noqa: S103
        self.config = self.folder / "mosquitto.conf"
        user = pwd.getpwuid(os.geteuid()).pw_name
        self.config.write_text(
            f"user {user}\n"
            f"listener {self.port} 127.0.0.1\n"
            f"allow_anonymous {'true' if anonymous else 'false'}\n"
            f"persistence true\npersistence_location {self.folder}/\n"
            "log_dest stderr\nmax_queued_messages 0\nmax_inflight_messages 0\n"
            f"{extra_config}\n"
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.folder / "broker.log"

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [mosquitto, "-c", str(self.config)], stdout=log, stderr=log
            )
        wait_for_port("127.0.0.1", self.port)

    def stop(self) -> None:
        """Stop cleanly (SIGTERM), so that persistence is written."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=SERVER_START_TIMEOUT_S)
        self.process = None

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
