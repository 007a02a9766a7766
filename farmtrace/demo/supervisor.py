"""Child processes of the demo: started with their own process group, stopped cleanly."""

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# How long a child gets to flush and exit after SIGTERM before it is killed.
STOP_GRACE_S = 15.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class Supervisor:
    """Starts `python -m farmtrace ...` children and ends exactly those, newest first."""

    log_folder: Path
    environment: dict[str, str]
    children: list[Child] = field(default_factory=list)

    def start(self, name: str, *args: str) -> Child:
        log = self.log_folder / f"{name}.log"
        with log.open("ab") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "farmtrace", *args],
                stdout=out,
                stderr=out,
                env={**os.environ, **self.environment},
                start_new_session=True,  # Ctrl-C reaches us alone; we stop children in order
            )
        child = Child(name, process, log)
        self.children.append(child)
        return child

    def failed(self) -> list[Child]:
        return [child for child in self.children if child.process.poll() not in (None, 0)]

    def stop_all(self) -> None:
        for child in reversed(self.children):
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        for child in reversed(self.children):
            try:
                child.process.wait(timeout=STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
        self.children.clear()
