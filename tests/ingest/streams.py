"""Test streams: SenML messages with known readings, and a publisher with a bounded window."""

import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from schemas.senml import base_name, telemetry_topic
from schemas.settings import MqttProtocol, parse_mqtt_url

# paho refuses (quietly) more than 65,535 messages awaiting acknowledgement; stay well below.
PUBLISH_WINDOW = 1_000
PUBLISH_TIMEOUT_S = 120.0
# Readings start a day ago in whole seconds: none is "in the future", all compare exactly.
STREAM_START = float(int(time.time()) - 86_400)


@dataclass(frozen=True)
class Message:
    topic: str
    payload: bytes
    # (device_id, metric, UNIX time, value) of each reading the message carries
    readings: tuple[tuple[str, str, float, float], ...]


def senml_message(device_id: str, first: int, count: int, step_s: float = 1.0) -> Message:
    """``count`` temperature readings, the ``first``-th onwards of the device's stream."""
    bt = STREAM_START + first * step_s
    records: list[dict[str, object]] = [
        {"bn": base_name(device_id), "bt": bt, "bu": "Cel", "n": "temp", "v": 2.0}
    ]
    readings = [(device_id, "temp", bt, 2.0)]
    for offset in range(1, count):
        value = round(2.0 + (first + offset) % 40 / 10, 1)
        records.append({"n": "temp", "t": offset * step_s, "v": value})
        readings.append((device_id, "temp", bt + offset * step_s, value))
    return Message(telemetry_topic(device_id), json.dumps(records).encode(), tuple(readings))


def stream(
    device_ids: list[str], messages_per_device: int, readings_per_message: int
) -> list[Message]:
    """Messages interleaved across devices, as a fleet publishes them."""
    return [
        senml_message(device_id, index * readings_per_message, readings_per_message)
        for index in range(messages_per_device)
        for device_id in device_ids
    ]


def expected_readings(messages: Iterable[Message]) -> set[tuple[str, str, float, float]]:
    return {reading for message in messages for reading in message.readings}


class Publisher:
    """A QoS 1 publisher keeping at most PUBLISH_WINDOW messages unacknowledged.

    Its session is persistent, so messages in flight when the broker restarts are resent.
    """

    def __init__(
        self,
        mqtt_url: str,
        client_id: str,
        username: str | None = None,
        password: str | None = None,
        window: int = PUBLISH_WINDOW,
        protocol: MqttProtocol = "5",
    ) -> None:
        address = parse_mqtt_url(mqtt_url)
        v5 = protocol == "5"
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=MQTTProtocolVersion.MQTTv5 if v5 else MQTTProtocolVersion.MQTTv311,
            clean_session=None if v5 else False,
        )
        if username is not None or address.username is not None:
            self.client.username_pw_set(username or address.username, password or address.password)
        self.client.max_inflight_messages_set(window)
        self.client.reconnect_delay_set(0.1, 1)
        self._window = threading.BoundedSemaphore(window)
        self.refused: list[str] = []
        self._done = threading.Condition()
        self._outstanding = 0
        self.client.on_publish = self._on_publish
        connected = threading.Event()
        self.client.on_connect = lambda *args: connected.set()
        if v5:
            properties = Properties(PacketTypes.CONNECT)
            properties.SessionExpiryInterval = 3600
            self.client.connect(
                address.host, address.port, clean_start=False, properties=properties
            )
        else:
            self.client.connect(address.host, address.port)
        self.client.loop_start()
        if not connected.wait(10):
            raise TimeoutError("publisher could not connect")

    def _on_publish(
        self,
        client: mqtt.Client,
        userdata: object,
        mid: int,
        reason_code: mqtt.ReasonCode,
        properties: Properties,
    ) -> None:
        if reason_code.is_failure:
            self.refused.append(str(reason_code))
        self._window.release()
        with self._done:
            self._outstanding -= 1
            self._done.notify_all()

    def publish(self, messages: Iterable[Message]) -> None:
        for message in messages:
            self.publish_raw(message.topic, message.payload)

    def publish_raw(
        self,
        topic: str,
        payload: bytes,
        properties: Properties | None = None,
        retain: bool = False,
    ) -> None:
        if not self._window.acquire(timeout=PUBLISH_TIMEOUT_S):
            raise TimeoutError("broker stopped acknowledging")
        with self._done:
            self._outstanding += 1
        info = self.client.publish(topic, payload, qos=1, retain=retain, properties=properties)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            raise RuntimeError(f"publish failed: {mqtt.error_string(info.rc)}")

    def wait_acknowledged(self, timeout: float = PUBLISH_TIMEOUT_S) -> None:
        with self._done:
            if not self._done.wait_for(lambda: self._outstanding == 0, timeout):
                raise TimeoutError(f"{self._outstanding} messages unacknowledged")

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class BackgroundPublish:
    """Publish a stream from a thread at a bounded pace, so a test can act mid-stream."""

    CHUNK = 50

    def __init__(self, publisher: Publisher, messages: list[Message], per_second: float) -> None:
        self.error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._run, args=(publisher, messages, per_second), daemon=True
        )
        self._thread.start()

    def _run(self, publisher: Publisher, messages: list[Message], per_second: float) -> None:
        try:
            started = time.monotonic()
            for start in range(0, len(messages), self.CHUNK):
                publisher.publish(messages[start : start + self.CHUNK])
                ahead = started + (start + self.CHUNK) / per_second - time.monotonic()
                if ahead > 0:
                    time.sleep(ahead)
            publisher.wait_acknowledged()
        except BaseException as error:
            self.error = error

    def join(self, timeout: float = PUBLISH_TIMEOUT_S) -> None:
        self._thread.join(timeout)
        assert not self._thread.is_alive(), "publishing did not finish"
        assert self.error is None, self.error
