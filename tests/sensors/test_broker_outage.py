"""A broker stopped for a while and restarted: every reading taken meanwhile arrives once,
in order, with the time it was taken."""

import time
from collections.abc import Callable
from pathlib import Path

from tests.sensors.agents import (
    AgentThread,
    counter_csv,
    load_agent,
    replay_source,
    temp_for_row,
    write_config,
)
from tests.sensors.mqtt_tools import Subscriber
from tests.servers import PrivateMosquitto

OUTAGE_S = 3.0


def test_readings_taken_while_the_broker_is_down_arrive_once_in_order_with_their_time(
    tmp_path: Path, mosquitto_factory: Callable[..., PrivateMosquitto]
) -> None:
    broker = mosquitto_factory()
    subscriber = Subscriber(broker.url)
    csv_path = counter_csv(tmp_path / "export.csv", 100_000)
    config = write_config(
        tmp_path, "outage-1", broker.url, replay_source(csv_path), spool_max_records_per_message=25
    )
    runner = AgentThread(load_agent(config))
    try:
        assert subscriber.wait_for(lambda: len(subscriber.readings("outage-1")) >= 10, 10)
        broker.stop()
        outage_start = time.time()
        time.sleep(OUTAGE_S)
        outage_end = time.time()
        broker.start()
        assert subscriber.wait_for(
            lambda: any(t > outage_end for t, _, _ in subscriber.readings("outage-1")), 15
        )
    finally:
        runner.join()
    taken = runner.agent.sources[0].position()["row"]  # type: ignore[index]
    assert subscriber.wait_for(lambda: len(subscriber.readings("outage-1")) >= taken, 10)
    subscriber.close()

    readings = subscriber.readings("outage-1")
    assert [value for _, _, value in readings] == [temp_for_row(row) for row in range(taken)]
    times = [when for when, _, _ in readings]
    assert times == sorted(times) and len(set(times)) == len(times)
    during_outage = [when for when in times if outage_start + 0.1 < when < outage_end - 0.1]
    # One sample every 50 ms was taken and kept while nothing could be sent.
    assert len(during_outage) >= (OUTAGE_S - 0.2) / 0.05 * 0.8
    assert runner.agent.spool.depth == 0
