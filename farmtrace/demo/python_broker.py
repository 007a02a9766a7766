"""The demo's broker where Mosquitto is not installed: amqtt, which pip installs.

It keeps Mosquitto's rules (``broker_files``): a password per device and for the collector,
anonymous clients refused, each device publishing only to its own topics, only the collector
subscribing to theirs. amqtt speaks MQTT 3.1.1 alone, so its clients run with
``FARMTRACE_MQTT_PROTOCOL=3.1.1``, and it keeps sessions in memory: messages queued for the
collector do not outlive the broker (the gateways' spools keep what was never acknowledged).
"""

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from farmtrace.servers.network import SERVER_START_TIMEOUT_S, wait_for_port
from schemas.senml import STATUS_TOPIC, TELEMETRY_TOPIC

CONFIG_FILE = "amqtt.yaml"
PASSWORD_FILE = "passwd"  # noqa: S105 (a file name)
LOG_FILE = "broker.log"
_PLUGINS = "amqtt.plugins"


def broker_config(
    port: int, password_file: Path, devices: list[str], collector: str
) -> dict[str, Any]:
    every = "+"
    return {
        "listeners": {"default": {"type": "tcp", "bind": f"127.0.0.1:{port}"}},
        "plugins": {
            # Both are needed: the file plugin abstains when a client gives no username.
            f"{_PLUGINS}.authentication.AnonymousAuthPlugin": {"allow_anonymous": False},
            f"{_PLUGINS}.authentication.FileAuthPlugin": {"password_file": str(password_file)},
            f"{_PLUGINS}.topic_checking.TopicAccessControlListPlugin": {
                "publish_acl": {
                    device: [
                        TELEMETRY_TOPIC.format(device_id=device),
                        STATUS_TOPIC.format(device_id=device),
                    ]
                    for device in devices
                },
                # amqtt 0.12 reads subscription rules from "acl".
                "acl": {
                    collector: [
                        TELEMETRY_TOPIC.format(device_id=every),
                        STATUS_TOPIC.format(device_id=every),
                    ]
                },
            },
        },
    }


class PythonBroker:
    """amqtt in its own process, configured and logging in ``folder``."""

    def __init__(self, folder: Path, port: int, passwords: dict[str, str], collector: str) -> None:
        if collector not in passwords:
            raise ValueError(f"no password for the collector {collector!r}")
        self.folder = folder
        self.port = port
        self.passwords = passwords
        self.collector = collector
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def _write_files(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        hasher = PasswordHasher()  # argon2id, which amqtt's file plugin verifies
        password_file = self.folder / PASSWORD_FILE
        password_file.touch(mode=0o600, exist_ok=True)
        password_file.write_text(
            "".join(f"{user}:{hasher.hash(secret)}\n" for user, secret in self.passwords.items())
        )
        devices = sorted(user for user in self.passwords if user != self.collector)
        config = self.folder / CONFIG_FILE
        # JSON is YAML, which amqtt reads.
        config.write_text(
            json.dumps(broker_config(self.port, password_file, devices, self.collector), indent=2)
        )
        return config

    def start(self) -> None:
        config = self._write_files()
        with (self.folder / LOG_FILE).open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "amqtt.scripts.broker_script", "-c", str(config)],
                stdout=log,
                stderr=log,
            )
        wait_for_port("127.0.0.1", self.port)

    def stop(self) -> None:
        """SIGINT: amqtt's own command shuts down cleanly on it."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=SERVER_START_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
