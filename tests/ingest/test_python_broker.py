"""The demo's pure-Python broker (amqtt, MQTT 3.1.1): Mosquitto's rules, and the collector
storing each reading once over it."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion

from farmtrace.demo.python_broker import PythonBroker
from schemas.senml import telemetry_topic
from tests.ingest.conftest import CollectorProcess, rounded, stored_readings, wait_for_rows
from tests.ingest.streams import Message, Publisher, expected_readings, stream
from tests.servers import free_port

COLLECTOR = "collector"
COLLECTOR_PASSWORD = "collector-secret"


@pytest.fixture
def python_broker(tmp_path: Path, devices: dict[str, str]) -> Iterator[PythonBroker]:
    broker = PythonBroker(
        tmp_path / "amqtt", free_port(), {**devices, COLLECTOR: COLLECTOR_PASSWORD}, COLLECTOR
    )
    broker.start()
    yield broker
    broker.stop()


def _collector_url(broker: PythonBroker) -> str:
    return f"mqtt://{COLLECTOR}:{COLLECTOR_PASSWORD}@127.0.0.1:{broker.port}"


def _publish_as_devices(
    broker: PythonBroker, devices: dict[str, str], messages: list[Message]
) -> list[Publisher]:
    """Each device publishes its own messages with its own password, as the ACL requires.

    The publishers stay connected, as gateways do: amqtt 0.12 acknowledges a PUBLISH before
    routing it and forgets what it had not routed when the publisher leaves.
    """
    publishers = []
    for device_id, password in devices.items():
        publisher = Publisher(broker.url, f"pub-{device_id}", device_id, password, protocol="3.1.1")
        publisher.publish([m for m in messages if m.topic == telemetry_topic(device_id)])
        publishers.append(publisher)
    for publisher in publishers:
        publisher.wait_acknowledged()
    return publishers


def _connect(
    broker: PythonBroker, client_id: str, username: str | None, password: str | None
) -> tuple[mqtt.Client, str]:
    """A plain 3.1.1 client and the broker's answer to its CONNECT."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
    if username is not None:
        client.username_pw_set(username, password)
    answered = threading.Event()
    outcome: list[str] = []

    def on_connect(*args: object) -> None:
        outcome.append(str(args[3]))
        answered.set()

    client.on_connect = on_connect
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    assert answered.wait(10), "the broker did not answer CONNECT"
    return client, outcome[0]


def test_collector_stores_each_reading_once(
    devices: dict[str, str],
    clean_database: str,
    python_broker: PythonBroker,
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    collector = collector_factory(
        clean_database,
        _collector_url(python_broker),
        mqtt_protocol="3.1.1",
        ingest_share_group="",
    )
    assert '"granted_qos": 1' in collector.log.read_text()
    messages = stream(list(devices), 30, 2)
    publishers = _publish_as_devices(python_broker, devices, messages)
    expected = expected_readings(messages)
    assert wait_for_rows(clean_database, len(expected)) == len(expected)
    assert stored_readings(clean_database) == rounded(expected)
    assert collector.terminate() == 0
    for publisher in publishers:
        publisher.close()


def test_a_collector_refuses_a_share_group_without_mqtt_5(
    clean_database: str, python_broker: PythonBroker
) -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "farmtrace", "ingest", "--metrics-port", "0"],
        env={
            **os.environ,
            "FARMTRACE_DATABASE_URL": clean_database,
            "FARMTRACE_MQTT_URL": _collector_url(python_broker),
            "FARMTRACE_MQTT_PROTOCOL": "3.1.1",
            "FARMTRACE_INGEST_SHARE_GROUP": "farmtrace",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode != 0
    assert "shared subscriptions need MQTT 5" in refused.stderr


def test_the_python_broker_keeps_mosquittos_rules(
    devices: dict[str, str], python_broker: PythonBroker
) -> None:
    device_a, device_b = list(devices)[:2]
    assert _connect(python_broker, "anonymous", None, None)[1] == "Not authorized"
    assert _connect(python_broker, "guess", device_a, "wrong")[1] == "Not authorized"

    collector, outcome = _connect(python_broker, COLLECTOR, COLLECTOR, COLLECTOR_PASSWORD)
    assert outcome == "Success"
    received: list[str] = []
    collector.on_message = lambda client, userdata, message: received.append(message.topic)
    collector.subscribe(telemetry_topic("+"), qos=1)
    snoop, outcome = _connect(python_broker, "snoop", device_b, devices[device_b])
    assert outcome == "Success"
    snooped: list[str] = []
    snoop.on_message = lambda client, userdata, message: snooped.append(message.topic)
    snoop.subscribe(telemetry_topic("+"), qos=1)
    time.sleep(0.5)

    device, outcome = _connect(python_broker, device_a, device_a, devices[device_a])
    assert outcome == "Success"
    device.publish(telemetry_topic(device_b), b"[]", qos=1).wait_for_publish(5)  # forged
    device.publish(telemetry_topic(device_a), b"[]", qos=1).wait_for_publish(5)
    deadline = time.monotonic() + 5
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    assert received == [telemetry_topic(device_a)]
    assert snooped == []
    for client in (collector, snoop, device):
        client.disconnect()
        client.loop_stop()
