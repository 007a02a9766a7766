"""Test tools around a real broker: a subscriber that survives broker restarts, and a TCP
proxy that holds the broker's replies back so PUBACKs arrive late."""

import contextlib
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from schemas.senml import resolve_pack
from schemas.settings import parse_mqtt_url


@dataclass(frozen=True)
class Received:
    topic: str
    payload: bytes
    retained: bool
    duplicate: bool


class Subscriber:
    """Collects everything under ``farmtrace/devices/#`` with a persistent session, so that
    messages published while it reconnects after a broker restart are queued for it."""

    def __init__(self, url: str, topic: str = "farmtrace/devices/#") -> None:
        address = parse_mqtt_url(url)
        self.topic = topic
        self.messages: list[Received] = []
        self.redelivered = 0
        self._seen: set[tuple[str, bytes]] = set()
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self._client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"test-subscriber-{uuid.uuid4().hex[:8]}",
            protocol=mqtt.MQTTv5,
        )
        self._client.reconnect_delay_set(1, 1)
        if address.username:
            self._client.username_pw_set(address.username, address.password)
        self._client.on_connect = self._on_connect
        self._client.on_subscribe = lambda *args: self._subscribed.set()
        self._client.on_message = self._on_message
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = 3600
        self._client.connect_async(
            address.host, address.port, clean_start=False, properties=properties
        )
        self._client.loop_start()
        if not self._subscribed.wait(10):
            raise TimeoutError("subscriber did not subscribe")

    def _on_connect(self, client: mqtt.Client, *args: Any) -> None:
        client.subscribe(self.topic, qos=1)

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        with self._lock:
            key = (message.topic, message.payload)
            if message.dup and key in self._seen:
                # The broker redelivering to us (our PUBACK was lost when it stopped): a
                # duplicate between broker and subscriber, not one the device sent.
                self.redelivered += 1
                return
            self._seen.add(key)
            self.messages.append(
                Received(message.topic, message.payload, message.retain, bool(message.dup))
            )

    def close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.messages)

    def readings(self, device_id: str) -> list[tuple[float, str, float]]:
        """(time, metric, value) of the device's telemetry, in the order it arrived."""
        found: list[tuple[float, str, float]] = []
        topic = f"farmtrace/devices/{device_id}/telemetry"
        for message in self.snapshot():
            if message.topic != topic:
                continue
            readings, refused = resolve_pack(
                json.loads(message.payload), device_id, time.time(), 20_000
            )
            assert not refused, refused
            found.extend(
                (reading.time.timestamp(), reading.metric, reading.value) for reading in readings
            )
        return found

    def statuses(self, device_id: str) -> list[dict[str, Any]]:
        topic = f"farmtrace/devices/{device_id}/status"
        return [json.loads(m.payload) for m in self.snapshot() if m.topic == topic]

    def wait_for(self, condition: Callable[[], bool], timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return condition()


class DelayingProxy:
    """Forwards client → broker at once and broker → client after ``delay_s``: a slow link on
    which PUBACKs arrive long after the broker took the message."""

    def __init__(self, broker_port: int, delay_s: float) -> None:
        self.broker_port = broker_port
        self.delay_s = delay_s
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._closed = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.broker_port))
            threading.Thread(target=self._pipe, args=(client, upstream, 0.0), daemon=True).start()
            threading.Thread(
                target=self._pipe, args=(upstream, client, self.delay_s), daemon=True
            ).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket, delay_s: float) -> None:
        try:
            while chunk := source.recv(65536):
                if delay_s:
                    time.sleep(delay_s)
                target.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, target):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
