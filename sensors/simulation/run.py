"""Run the simulated fleet: one gateway agent per device, on a shared simulated clock.

Each device is a real ``GatewayAgent`` with its own spool and MQTT connection, so the
simulation exercises the code that runs on gateways. A truck in a dead zone drops its
connection (the broker publishes its will) and spools until it has signal again.
"""

import logging
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemas.settings import MqttAddress
from sensors.agent import GatewayAgent
from sensors.config import AgentConfig
from sensors.sources.simulated import SimulatedSource

log = logging.getLogger(__name__)

# Simulated tunnels last minutes; reconnect quickly after them.
SIM_RECONNECT_MAX_S = 5.0
# After the last sample, how long (real seconds) to wait for every spool to drain.
DRAIN_TIMEOUT_S = 60.0
# The loop's real-time step while waiting for the next simulated tick.
LOOP_STEP_S = 0.02
SIM_STATUS_INTERVAL_S = 10.0


class SimulationClock:
    """Simulated time runs ``speedup`` times faster than real time from ``start``.

    It never runs ahead of the real clock (a collector refuses readings from the future):
    history replayed fast catches up with the present and then runs in real time.
    """

    def __init__(self, start: float, speedup: float) -> None:
        self.start = start
        self.speedup = speedup
        self._real_start = time.monotonic()
        self._bounded = start <= time.time()

    def now(self) -> float:
        simulated = self.start + (time.monotonic() - self._real_start) * self.speedup
        return min(simulated, time.time()) if self._bounded else simulated


@dataclass(frozen=True, slots=True)
class FleetRun:
    broker: MqttAddress
    spool_dir: Path
    device_ids: Sequence[str]
    start: float
    seed: int = 0
    speedup: float = 1.0
    duration_s: float | None = None
    interval_s: float = 60.0
    credentials: dict[str, str] = field(default_factory=dict)
    ca_file: Path | None = None
    # The simulated day's origin (a truck's departure counts from it); default: ``start``.
    # A run that carries on from an earlier one passes that run's origin.
    origin: float | None = None


@dataclass(frozen=True, slots=True)
class DeviceSummary:
    device_id: str
    sampled: int
    delivered: int
    left_in_spool: int


def build_agents(
    run: FleetRun, clock: SimulationClock
) -> list[tuple[GatewayAgent, SimulatedSource]]:
    agents = []
    for device_id in run.device_ids:
        if run.credentials and device_id not in run.credentials:
            raise KeyError(f"no credentials for device {device_id!r}")
        broker = run.broker.model_copy(
            update={
                "username": device_id if run.credentials else run.broker.username,
                "password": run.credentials.get(device_id, run.broker.password),
            }
        )
        config = AgentConfig(
            device_id=device_id,
            broker=broker,
            spool_path=run.spool_dir / f"{device_id}.spool.db",
            interval_s=run.interval_s,
            ca_file=run.ca_file,
            reconnect_max_s=SIM_RECONNECT_MAX_S,
            status_interval_s=SIM_STATUS_INTERVAL_S,
        )
        source = SimulatedSource(
            device_id, run.seed, run.start if run.origin is None else run.origin
        )
        source.advance_to(run.start, run.interval_s)
        agents.append((GatewayAgent(config, [source], wall_clock=clock.now), source))
    return agents


def run_fleet(run: FleetRun, stop: threading.Event) -> list[DeviceSummary]:
    """Sample every device each simulated interval until ``duration_s`` or ``stop``."""
    clock = SimulationClock(run.start, run.speedup)
    agents = build_agents(run, clock)
    sampled = {agent.device_id: 0 for agent, _ in agents}
    end = run.start + run.duration_s if run.duration_s is not None else math.inf
    for agent, _ in agents:
        agent.start()
    try:
        tick = 0
        while not stop.is_set():
            when = run.start + tick * run.interval_s
            if when > end:
                break
            while clock.now() < when and not stop.is_set():
                _pump(agents)
                time.sleep(LOOP_STEP_S)
            for agent, source in agents:
                if source.model(when).connected(when):
                    agent.link.resume()
                else:
                    agent.link.drop()
                sampled[agent.device_id] += agent.sample(when)
            _pump(agents)
            tick += 1
        _drain(agents, stop)
    finally:
        for agent, _ in agents:
            agent.stop()
    return [
        DeviceSummary(agent.device_id, sampled[agent.device_id], agent.delivered, agent.spool.depth)
        for agent, _ in agents
    ]


def _pump(agents: list[tuple[GatewayAgent, SimulatedSource]]) -> None:
    for agent, _ in agents:
        agent.pump()


def _drain(agents: list[tuple[GatewayAgent, SimulatedSource]], stop: threading.Event) -> None:
    """Bring every truck back into signal and wait for the spools to empty."""
    for agent, _ in agents:
        agent.link.resume()
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while time.monotonic() < deadline and not stop.is_set():
        _pump(agents)
        if all(agent.idle for agent, _ in agents):
            return
        time.sleep(LOOP_STEP_S)
    log.warning(
        "spools not drained",
        extra={"devices": [agent.device_id for agent, _ in agents if not agent.idle]},
    )
