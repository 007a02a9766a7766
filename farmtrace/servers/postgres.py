"""PostgreSQL clusters run from the machine's binaries in folders of our own.

The demo keeps its cluster in its home folder between runs; the test suite starts throwaway
ones. When run as root, PostgreSQL runs as the ``postgres`` user (initdb refuses root), so its
binaries and its folder must be ones that user can reach.
"""

import contextlib
import os
import pwd
import shutil
import subprocess
from pathlib import Path

from farmtrace.servers.network import wait_for_port


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


class PostgresCluster:
    """A cluster in ``folder`` listening on 127.0.0.1:``port``; the machine's by default."""

    def __init__(
        self,
        folder: Path,
        port: int,
        timescaledb: bool = False,
        durable: bool = True,
        scheduled_jobs: bool = True,
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
        # TimescaleDB's policy jobs (compression, retention, aggregate refreshes) run on their
        # own schedule; a test cluster runs them only when a test calls run_job.
        self.scheduled_jobs = scheduled_jobs
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
            if not self.scheduled_jobs:
                options += " -c timescaledb.max_background_workers=0"
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
