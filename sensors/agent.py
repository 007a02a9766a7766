"""The gateway agent: sample into the spool, publish the oldest records, delete on PUBACK.

Delivery guarantee: a record is deleted only after the broker acknowledged the message that
carried it (QoS 1), so a crash or power cut at any point loses nothing; after a restart the
agent resends every record still spooled, which is exactly what was never acknowledged (plus,
at worst, the messages whose PUBACK arrived in the instant before the crash). The collector
stores readings idempotently, so such a repeat changes nothing.
"""

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from schemas.sensor_metrics import METRICS
from sensors.clock import CLOCK_SET, boot_id, clock_state
from sensors.config import AgentConfig
from sensors.link import Acknowledged, BrokerLink
from sensors.packs import encode, senml_pack
from sensors.samples import Sample
from sensors.sources import Source
from sensors.spool import Spool

log = logging.getLogger(__name__)

# How long to wait before sending again after the broker refused a message (an ACL or
# quota fault an operator must fix): retrying at once would only fill the log.
REFUSED_PAUSE_S = 30.0
# On a clean stop, how long to wait for PUBACKs of messages already sent.
STOP_SETTLE_S = 2.0
# The longest the agent's loop sleeps when nothing wakes it.
IDLE_WAIT_S = 0.5


class GatewayAgent:
    """One device's agent. ``sample`` and ``pump`` are called from one thread only."""

    def __init__(
        self,
        config: AgentConfig,
        sources: Sequence[Source],
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.sources = list(sources)
        self.spool = Spool(config.spool_path, config.spool_max_records)
        self.link = BrokerLink(
            config.device_id,
            config.broker,
            config.ca_file,
            config.inflight_window,
            config.reconnect_min_s,
            config.reconnect_max_s,
        )
        self._wall_clock = wall_clock
        self._monotonic = monotonic
        self._boot_id = boot_id()
        self.clock = clock_state(wall_clock())
        # Message id → the inclusive range of spool ids the message carries.
        self._inflight: dict[int, tuple[int, int]] = {}
        # The last spool id handed to the broker in this process; a new process starts at 0.
        self._cursor = 0
        self._rewind = False
        self._paused_until = 0.0
        self._status_due = True
        self._last_status = -math.inf
        self.delivered = 0
        for source in self.sources:
            position = self.spool.source_state(source.name)
            if position is not None:
                source.resume(position)

    @property
    def device_id(self) -> str:
        return self.config.device_id

    @property
    def idle(self) -> bool:
        """Nothing spooled, held or awaiting acknowledgement."""
        return self.spool.depth == 0 and self.spool.held == 0 and not self._inflight

    def start(self) -> None:
        self.link.start()

    def stop(self, now: float | None = None) -> None:
        """Wait briefly for outstanding PUBACKs (so they are not resent), then go offline."""
        deadline = self._monotonic() + STOP_SETTLE_S
        while self._inflight and self.link.connected and self._monotonic() < deadline:
            self.wait(0.05)
            self._take_events()
        self.link.stop(self._status_payload("offline", now))
        self.spool.close()

    def sample(self, now: float | None = None) -> int:
        """Read every source and spool what it gave; returns the number of records."""
        wall = self._wall_clock() if now is None else now
        samples = [_registered(sample) for source in self.sources for sample in _read(source, wall)]
        positions = {
            source.name: position
            for source in self.sources
            if (position := source.position()) is not None
        }
        state = clock_state(wall)
        if state != self.clock:
            log.warning("clock state changed", extra={"clock": state, "device_id": self.device_id})
            self.clock = state
            self._status_due = True
        if state == CLOCK_SET:
            if self.spool.held:
                self.spool.release_held(wall, self._monotonic(), self._boot_id)
            return self.spool.append(samples, positions)
        self.spool.hold(samples, self._monotonic(), self._boot_id, positions)
        return sum(len(sample.values) for sample in samples)

    def pump(self, now: float | None = None) -> None:
        """Act on acknowledgements and connection changes, then fill the in-flight window."""
        self._take_events()
        if self._rewind and not self._inflight:
            # Resend what the broker refused, now that nothing after it is in flight.
            self._cursor = 0
            self._rewind = False
        if self._monotonic() >= self._paused_until:
            self._publish_backlog()
        if self._status_due or self._monotonic() - self._last_status >= (
            self.config.status_interval_s
        ):
            self._send_status(now)

    def wait(self, timeout: float) -> None:
        """Sleep until an acknowledgement or a connection change, or ``timeout`` passes."""
        self.link.wake.wait(timeout)
        self.link.wake.clear()

    def status(self, now: float | None = None) -> dict[str, Any]:
        return json.loads(self._status_payload("online", now))

    def _take_events(self) -> None:
        acknowledged: list[tuple[int, int]] = []
        while not self.link.events.empty():
            event = self.link.events.get_nowait()
            if isinstance(event, Acknowledged):
                id_range = self._inflight.pop(event.mid, None)
                if id_range is None:
                    continue  # a status message
                if event.refused:
                    log.error(
                        "broker refused telemetry",
                        extra={"device_id": self.device_id, "reason": event.reason},
                    )
                    self._rewind = True
                    self._paused_until = self._monotonic() + REFUSED_PAUSE_S
                else:
                    acknowledged.append(id_range)
            elif event == "connected":
                log.info("connected", extra={"device_id": self.device_id})
                self._status_due = True
        if acknowledged:
            self.delivered += self.spool.acknowledge(acknowledged)

    def _publish_backlog(self) -> None:
        while self.link.connected and len(self._inflight) < self.config.inflight_window:
            records = self.spool.oldest(self._cursor, self.config.max_records_per_message)
            if not records:
                return
            mid = self.link.publish_telemetry(encode(senml_pack(self.device_id, records)))
            if mid is None:
                return
            self._inflight[mid] = (records[0].id, records[-1].id)
            self._cursor = records[-1].id

    def _send_status(self, now: float | None) -> None:
        if not self.link.connected:
            return
        self.link.publish_status(self._status_payload("online", now))
        self._status_due = False
        self._last_status = self._monotonic()

    def _status_payload(self, state: str, now: float | None) -> bytes:
        wall = self._wall_clock() if now is None else now
        status = {
            "state": state,
            "time": round(wall, 3),
            "clock": self.clock,
            "spool_depth": self.spool.depth,
            "held": self.spool.held,
            "dropped": self.spool.dropped,
            "in_flight": len(self._inflight),
        }
        return json.dumps(status).encode()


def _read(source: Source, now: float) -> list[Sample]:
    """A failing source costs its own sample, never the loop (or the other sources)."""
    try:
        return source.read(now)
    except (OSError, ValueError) as error:
        log.warning("source failed", extra={"source": source.name, "error": str(error)})
        return []


def _registered(sample: Sample) -> Sample:
    """Leave out metrics the collector does not know; it would refuse them anyway."""
    unknown = [name for name in sample.values if name not in METRICS]
    if not unknown:
        return sample
    log.warning("dropping unregistered metrics", extra={"metrics": unknown})
    return Sample(sample.time, {k: v for k, v in sample.values.items() if k in METRICS})


def run_agent(agent: GatewayAgent, stop: threading.Event) -> None:
    """Sample every ``interval_s`` (scheduled on the monotonic clock) until ``stop`` is set."""
    agent.start()
    interval = agent.config.interval_s
    next_sample = time.monotonic()
    try:
        while not stop.is_set():
            if time.monotonic() >= next_sample:
                agent.sample()
                # Skip missed ticks rather than bursting after a stall.
                next_sample += interval * max(
                    1, math.ceil((time.monotonic() - next_sample) / interval)
                )
            agent.pump()
            agent.wait(min(IDLE_WAIT_S, max(0.0, next_sample - time.monotonic())))
    finally:
        agent.stop()
