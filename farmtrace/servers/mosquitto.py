"""Mosquitto brokers run from the machine's binary with a configuration of our own."""

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from farmtrace.servers.network import SERVER_START_TIMEOUT_S, wait_for_port


def mosquitto_binary() -> str | None:
    """The machine's mosquitto (Debian installs it outside an ordinary user's PATH)."""
    found = shutil.which("mosquitto")
    if found:
        return found
    return "/usr/sbin/mosquitto" if Path("/usr/sbin/mosquitto").exists() else None


class MosquittoBroker:
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
