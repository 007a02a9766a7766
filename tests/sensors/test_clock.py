"""A gateway whose clock reads before 2015 holds its readings instead of sending wrong times,
says so in its status, and sends them with their true times once the clock is set."""

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sensors.clock import CLOCK_SET, CLOCK_UNSET
from sensors.samples import Sample
from sensors.spool import Spool
from tests.sensors.agents import counter_csv, load_agent, pump_until, replay_source, write_config
from tests.sensors.mqtt_tools import Subscriber
from tests.servers import PrivateMosquitto

Y2000 = 946_684_800.0


class FakeClocks:
    """The gateway's wall and monotonic clocks, moved by the test (the clocks are hardware
    this machine cannot unset; everything else is real)."""

    def __init__(self, wall: float, monotonic: float) -> None:
        self.wall_time = wall
        self.monotonic_time = monotonic

    def wall(self) -> float:
        return self.wall_time

    def monotonic(self) -> float:
        return self.monotonic_time


def test_readings_taken_with_an_unset_clock_are_held_then_sent_with_true_times(
    tmp_path: Path, mosquitto_factory: Callable[..., PrivateMosquitto]
) -> None:
    broker = mosquitto_factory()
    subscriber = Subscriber(broker.url)
    config = write_config(
        tmp_path, "unset-1", broker.url, replay_source(counter_csv(tmp_path / "c.csv", 10))
    )
    clocks = FakeClocks(wall=Y2000, monotonic=5_000.0)
    agent = load_agent(config, wall_clock=clocks.wall, monotonic=clocks.monotonic)
    agent.start()
    for _ in range(3):
        agent.sample()
        clocks.wall_time += 60
        clocks.monotonic_time += 60
    assert pump_until(agent, lambda: bool(subscriber.statuses("unset-1")), 10)
    assert subscriber.wait_for(lambda: bool(subscriber.statuses("unset-1")), 5)
    status = subscriber.statuses("unset-1")[-1]
    assert status["clock"] == CLOCK_UNSET and status["held"] == 3
    assert subscriber.readings("unset-1") == []

    now = time.time()
    clocks.wall_time = now  # NTP has set the clock, 180 s of monotonic time after the first
    agent.sample()
    assert pump_until(agent, lambda: agent.idle, 10)
    assert subscriber.wait_for(lambda: len(subscriber.readings("unset-1")) == 4, 5)
    times = [when for when, _, _ in subscriber.readings("unset-1")]
    assert times == pytest.approx([now - 180, now - 120, now - 60, now], abs=1e-3)
    agent.pump()
    assert subscriber.wait_for(lambda: subscriber.statuses("unset-1")[-1]["clock"] == CLOCK_SET, 5)
    agent.stop()
    subscriber.close()


def test_readings_held_across_a_reboot_are_dropped_and_counted(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.db", max_records=100)
    spool.hold([Sample(Y2000, {"temp": 3.0, "hum": 80.0})], 10.0, "boot-a")
    assert spool.release_held(1_800_000_000.0, 20.0, "boot-b") == 0
    assert (spool.held, spool.depth, spool.dropped) == (0, 0, 2)
