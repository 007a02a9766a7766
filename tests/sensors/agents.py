"""Building agents for tests: a TOML file as an operator would write it."""

import threading
import time
from pathlib import Path

from sensors.agent import GatewayAgent
from sensors.config import AgentConfig, load_config
from sensors.sources import build_source


def write_config(
    folder: Path, device_id: str, broker_url: str, sources: str, **settings: object
) -> Path:
    """A gateway TOML file; ``settings`` are top-level keys or ``spool_*`` keys."""
    top = {
        "interval_s": 0.05,
        "reconnect_min_s": 0.2,
        "reconnect_max_s": 0.5,
        "status_interval_s": 0.5,
    }
    spool: dict[str, object] = {"path": f"{device_id}.spool.db"}
    for key, value in settings.items():
        if key.startswith("spool_"):
            spool[key.removeprefix("spool_")] = value
        else:
            top[key] = value
    lines = [f'device_id = "{device_id}"', f'broker_url = "{broker_url}"']
    lines += [f"{key} = {_toml(value)}" for key, value in top.items()]
    lines.append("[spool]")
    lines += [f"{key} = {_toml(value)}" for key, value in spool.items()]
    path = folder / f"{device_id}.toml"
    path.write_text("\n".join(lines) + "\n" + sources, encoding="utf-8")
    return path


def _toml(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower()


def counter_csv(path: Path, rows: int, with_time: bool = False, start: float = 0.0) -> Path:
    """A logger export whose ``temp`` column counts up, so a lost or repeated row shows."""
    header = "time,temp\n" if with_time else "temp\n"
    body = "".join(
        (f"{start + row:.3f},{temp_for_row(row)}\n" if with_time else f"{temp_for_row(row)}\n")
        for row in range(rows)
    )
    path.write_text(header + body, encoding="utf-8")
    return path


def temp_for_row(row: int) -> float:
    return round(-50 + row * 0.001, 3)


def replay_source(csv_path: Path, rows_per_sample: int = 1) -> str:
    return (
        f'[[sources]]\nkind = "replay"\npath = "{csv_path}"\nrows_per_sample = {rows_per_sample}\n'
    )


def load_agent(config_path: Path, **clocks: object) -> GatewayAgent:
    config: AgentConfig = load_config(config_path)
    sources = [build_source(spec, config.device_id) for spec in config.sources]
    return GatewayAgent(config, sources, **clocks)  # type: ignore[arg-type]


def pump_until(agent: GatewayAgent, condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        agent.pump()
        if condition():  # type: ignore[operator]
            return True
        agent.wait(0.05)
    return False


class AgentThread:
    """``run_agent`` in a thread, as the command runs it, stoppable from the test."""

    def __init__(self, agent: GatewayAgent) -> None:
        from sensors.agent import run_agent

        self.agent = agent
        self.stop = threading.Event()
        self.thread = threading.Thread(target=run_agent, args=(agent, self.stop), daemon=True)
        self.thread.start()

    def join(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
