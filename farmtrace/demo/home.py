"""The demo's home folder: its servers' data, logs and the secrets it made for itself."""

import json
import os
import secrets
import shutil
from dataclasses import asdict, dataclass, field
from hashlib import sha256
from pathlib import Path

from farmtrace.servers.network import free_port, port_open

DEFAULT_HOME = Path.home() / ".farmtrace-demo"


@dataclass
class DemoState:
    """What a second run must find again: ports, generated secrets, demo users."""

    postgres_port: int = 0
    mqtt_port: int = 0
    api_port: int = 8000
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    collector_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    users: dict[str, dict[str, str]] = field(default_factory=dict)
    # Start of the demo batches' first day; set once, when the demo data is first loaded.
    anchor: str | None = None


class DemoHome:
    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()
        self.state_file = self.root / "state.json"
        self.logs = self.root / "logs"
        self.mqtt = self.root / "mqtt"
        self.credentials = self.root / "device-credentials.txt"
        self.labels = self.root / "labels"

    @property
    def postgres(self) -> Path:
        """Where the cluster lives; as root, somewhere the postgres user can reach."""
        if os.geteuid() != 0:
            return self.root / "postgres"
        tag = sha256(str(self.root).encode()).hexdigest()[:12]
        return Path("/var/tmp") / f"farmtrace-demo-{tag}" / "postgres"  # noqa: S108

    def prepare(self, reset: bool) -> DemoState:
        # A cluster left without its home (deleted by hand) holds devices and users whose
        # secrets are gone with it: start that one afresh too.
        if reset or not self.state_file.exists():
            shutil.rmtree(
                self.postgres.parent if os.geteuid() == 0 else self.postgres, ignore_errors=True
            )
            shutil.rmtree(self.root, ignore_errors=True)
        for folder in (self.root, self.logs, self.mqtt, self.labels, self.postgres.parent):
            folder.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o700)
        state = (
            DemoState(**json.loads(self.state_file.read_text()))
            if self.state_file.exists()
            else DemoState()
        )
        state.postgres_port = _reuse_or_pick(state.postgres_port)
        state.mqtt_port = _reuse_or_pick(state.mqtt_port)
        return state

    def save(self, state: DemoState) -> None:
        self.state_file.touch(mode=0o600, exist_ok=True)
        self.state_file.write_text(json.dumps(asdict(state), indent=2))


def _reuse_or_pick(port: int) -> int:
    return port if port and not port_open("127.0.0.1", port) else free_port()
