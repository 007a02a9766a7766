"""The spool's size cap: when it must drop, it drops the oldest and counts them, and the
count reaches the broker in the device's status."""

import time
from collections.abc import Callable
from pathlib import Path

from sensors.samples import Sample
from sensors.spool import Spool
from tests.sensors.agents import (
    counter_csv,
    load_agent,
    pump_until,
    replay_source,
    temp_for_row,
    write_config,
)
from tests.sensors.mqtt_tools import Subscriber
from tests.servers import PrivateMosquitto, free_port


def test_full_spool_drops_the_oldest_and_counts_them(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool.db", max_records=5)
    for second in range(8):
        spool.append([Sample(1_700_000_000.0 + second, {"temp": float(second)})])
    assert spool.depth == 5 and spool.dropped == 3
    assert [record.value for record in spool.oldest(0, 100)] == [3.0, 4.0, 5.0, 6.0, 7.0]
    spool.close()
    reopened = Spool(tmp_path / "spool.db", max_records=5)
    assert (reopened.depth, reopened.dropped) == (5, 3)


def test_capped_agent_delivers_the_newest_and_reports_what_it_dropped(
    tmp_path: Path, mosquitto_factory: Callable[..., PrivateMosquitto]
) -> None:
    port = free_port()
    csv_path = counter_csv(tmp_path / "export.csv", 50)
    config = write_config(
        tmp_path,
        "capped-1",
        f"mqtt://127.0.0.1:{port}",
        replay_source(csv_path),
        spool_max_records=20,
    )
    agent = load_agent(config)
    agent.start()  # nothing listens yet: the agent keeps sampling into its spool
    for _ in range(50):
        agent.sample()
        agent.pump()
    assert (agent.spool.depth, agent.spool.dropped) == (20, 30)

    broker = PrivateMosquitto(port=port)
    broker.start()
    try:
        subscriber = Subscriber(broker.url)
        assert pump_until(agent, lambda: agent.idle, 15)
        assert subscriber.wait_for(lambda: len(subscriber.readings("capped-1")) >= 20, 5)
        values = [value for _, _, value in subscriber.readings("capped-1")]
        assert values == [temp_for_row(row) for row in range(30, 50)]
        agent.pump(time.time())
        assert subscriber.wait_for(
            lambda: any(s.get("dropped") == 30 for s in subscriber.statuses("capped-1")), 5
        )
        agent.stop()
        subscriber.close()
    finally:
        broker.destroy()
