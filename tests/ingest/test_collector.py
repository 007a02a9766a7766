"""The collector end to end: real Mosquitto, real PostgreSQL, `farmtrace ingest` as a process."""

import time
from collections.abc import Callable

import psycopg
import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from schemas.senml import SENML_CONTENT_TYPE
from store.arrivals import take_arrivals
from tests.ingest.conftest import (
    CollectorProcess,
    count_rows,
    rounded,
    stored_readings,
    wait_for_rows,
)
from tests.ingest.streams import Publisher, expected_readings, senml_message, stream
from tests.servers import PrivateMosquitto


def test_published_readings_are_stored_exactly(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector = collector_factory(clean_database, broker.url)
    messages = stream(list(devices), 40, 1) + [
        senml_message(device_id, 1000, 50) for device_id in devices
    ]
    # Devices may label their payload; properties must not change what is stored.
    labelled = Properties(PacketTypes.PUBLISH)
    labelled.ContentType = SENML_CONTENT_TYPE
    labelled.UserProperty = [("firmware", "2.1.0" * 40)]
    messages.append(senml_message("truck-01", 5000, 3))
    publisher = Publisher(broker.url, "test-publisher")
    publisher.publish(messages[:-1])
    publisher.publish_raw(messages[-1].topic, messages[-1].payload, labelled)
    publisher.wait_acknowledged()
    expected = expected_readings(messages)

    assert wait_for_rows(clean_database, len(expected)) == len(expected)
    assert stored_readings(clean_database) == rounded(expected)
    assert collector.wait_metric("farmtrace_ingest_lag_seconds_count", len(messages)) == len(
        messages
    )
    assert collector.metric("farmtrace_ingest_rows_written_total") == len(expected)
    assert collector.metric('farmtrace_ingest_messages_total{outcome="stored"}') == len(messages)
    assert collector.metric("farmtrace_ingest_flush_seconds_count") >= 1
    assert count_rows(clean_database, "dead_letters") == 0
    publisher.close()
    assert collector.terminate() == 0


def test_replayed_message_adds_no_rows(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector = collector_factory(clean_database, broker.url)
    message = senml_message("truck-01", 0, 20)
    publisher = Publisher(broker.url, "test-publisher")
    publisher.publish([message])
    assert wait_for_rows(clean_database, 20) == 20

    publisher.publish([message, message])
    publisher.publish(
        [senml_message("truck-02", 0, 1)]
    )  # a marker: once stored, the replays were seen
    assert wait_for_rows(clean_database, 21) == 21
    publisher.wait_acknowledged()

    assert stored_readings(clean_database) == rounded(
        set(message.readings) | set(senml_message("truck-02", 0, 1).readings)
    )
    assert collector.wait_metric("farmtrace_ingest_duplicates_total", 40) == 40
    assert count_rows(clean_database, "dead_letters") == 0
    publisher.close()


def test_sigterm_flushes_and_acknowledges_before_exit(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    # A long flush deadline: the batch is still open when SIGTERM arrives.
    collector = collector_factory(clean_database, broker.url, ingest_flush_interval_s="30")
    messages = stream(list(devices), 20, 5)
    publisher = Publisher(broker.url, "test-publisher")
    publisher.publish(messages)
    publisher.wait_acknowledged()
    deadline = time.monotonic() + 10
    while collector.metric("farmtrace_ingest_pending_messages") < len(messages):
        assert time.monotonic() < deadline, "the collector did not receive the stream"
        time.sleep(0.05)
    assert count_rows(clean_database) == 0

    assert collector.terminate() == 0
    expected = expected_readings(messages)
    assert stored_readings(clean_database) == rounded(expected)

    # Had anything gone unacknowledged, the broker would now redeliver it as duplicates.
    successor = collector_factory(clean_database, broker.url)
    publisher.publish([senml_message("truck-01", 10_000, 1)])
    assert wait_for_rows(clean_database, len(expected) + 1) == len(expected) + 1
    assert successor.metric("farmtrace_ingest_duplicates_total") == 0
    publisher.close()


def test_stored_readings_are_announced_in_the_arrivals_outbox(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector = collector_factory(clean_database, broker.url)
    messages = [senml_message(device_id, 100, 30) for device_id in devices]
    publisher = Publisher(broker.url, "test-publisher")
    publisher.publish(messages)
    publisher.wait_acknowledged()
    expected = expected_readings(messages)
    assert wait_for_rows(clean_database, len(expected)) == len(expected)

    with psycopg.connect(clean_database) as conn:
        arrivals = {arrival.device_id: arrival for arrival in take_arrivals(conn)}
    assert set(arrivals) == set(devices)
    for device_id, arrival in arrivals.items():
        times = [time for device, _, time, _ in expected if device == device_id]
        assert arrival.row_count == len(times)
        assert arrival.first_time.timestamp() == pytest.approx(min(times))
        assert arrival.last_time.timestamp() == pytest.approx(max(times))
    publisher.close()
    assert collector.terminate() == 0
