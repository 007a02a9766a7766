"""The gateway's MQTT connection: last will, TLS, back-off, and acknowledgements as events.

paho's network thread only records what happened (connected, PUBACK for a message id);
the agent's own thread acts on it, so the spool is touched by one thread only and an
acknowledgement can never be processed before the agent noted which records it covers.
"""

import json
import logging
import queue
import socket
import ssl
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from schemas.senml import SENML_CONTENT_TYPE, status_topic, telemetry_topic
from schemas.settings import MqttAddress

log = logging.getLogger(__name__)

QOS = 1
# The broker declares a gateway gone (and publishes its will) after 1.5 × keepalive.
KEEPALIVE_S = 30


@dataclass(frozen=True, slots=True)
class Acknowledged:
    mid: int
    refused: bool
    reason: str


class BrokerLink:
    """One paho client per device; the client id and username are the device id."""

    def __init__(
        self,
        device_id: str,
        broker: MqttAddress,
        ca_file: Path | None,
        inflight_window: int,
        reconnect_min_s: float,
        reconnect_max_s: float,
    ) -> None:
        self.device_id = device_id
        self.broker = broker
        self.events: queue.SimpleQueue[Acknowledged | str] = queue.SimpleQueue()
        self.wake = threading.Event()
        self.connected = False
        self._v5 = broker.protocol == "5"
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=device_id,
            protocol=mqtt.MQTTv5 if self._v5 else mqtt.MQTTv311,
        )
        if broker.username is not None:
            client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            client.tls_set(
                ca_certs=str(ca_file) if ca_file else None, tls_version=ssl.PROTOCOL_TLS_CLIENT
            )
        client.will_set(status_topic(device_id), offline_status(), qos=QOS, retain=True)
        client.reconnect_delay_set(reconnect_min_s, reconnect_max_s)  # type: ignore[arg-type]
        # Our own window keeps paho from queueing: everything handed over goes on the wire.
        client.max_inflight_messages_set(inflight_window)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        self._client = client
        self._started = False

    def start(self) -> None:
        """Connect in the background; paho retries with back-off until the broker answers."""
        self._client.connect_async(self.broker.host, self.broker.port, KEEPALIVE_S)
        self._client.loop_start()
        self._started = True

    def drop(self) -> None:
        """Lose the connection as a tunnel would: the broker publishes the will."""
        if not self._started:
            return
        link = self._client.socket()
        if isinstance(link, socket.socket):
            # Cut before paho's DISCONNECT can go out: the broker sees the link die.
            link.shutdown(socket.SHUT_RDWR)
        self._client.disconnect()
        self._client.loop_stop()
        self._started = False
        self.connected = False

    def resume(self) -> None:
        if self._started:
            return
        # connect_async first: a loop started on a disconnected client ends at once.
        self._client.connect_async(self.broker.host, self.broker.port, KEEPALIVE_S)
        self._client.loop_start()
        self._started = True

    def stop(self, status: bytes) -> None:
        """Say goodbye: the offline status, then a clean disconnect (no will)."""
        if self._started and self.connected:
            info = self._client.publish(status_topic(self.device_id), status, qos=QOS, retain=True)
            try:
                info.wait_for_publish(timeout=2.0)
            except (RuntimeError, ValueError):
                log.warning("offline status not delivered", extra={"device_id": self.device_id})
        self._client.disconnect()
        self._client.loop_stop()
        self._started = False

    def publish_telemetry(self, payload: bytes) -> int | None:
        """Hand a SenML message to paho; its message id, or None if paho refused it."""
        properties = None
        if self._v5:
            properties = Properties(PacketTypes.PUBLISH)
            properties.ContentType = SENML_CONTENT_TYPE
        info = self._client.publish(
            telemetry_topic(self.device_id), payload, qos=QOS, properties=properties
        )
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            # MQTT_ERR_QUEUE_SIZE and the like: nothing was queued, the records stay spooled.
            log.warning("publish refused by client", extra={"rc": int(info.rc)})
            return None
        return int(info.mid)

    def publish_status(self, status: bytes) -> None:
        if self.connected:
            self._client.publish(status_topic(self.device_id), status, qos=QOS, retain=True)

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: ReasonCode, props: Any
    ) -> None:
        if reason.is_failure:
            log.warning("broker refused connection", extra={"reason": str(reason)})
            return
        self.connected = True
        # Back-off restarts from its minimum after every successful connection.
        self.events.put("connected")
        self.wake.set()

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: ReasonCode, props: Any
    ) -> None:
        self.connected = False
        self.events.put("disconnected")
        self.wake.set()

    def _on_publish(
        self, client: mqtt.Client, userdata: Any, mid: int, reason: ReasonCode, props: Any
    ) -> None:
        # MQTT 5 PUBACK codes below 0x80 are successes ("no matching subscribers" included).
        self.events.put(Acknowledged(mid, reason.is_failure, str(reason)))
        self.wake.set()


def offline_status() -> bytes:
    return json.dumps({"state": "offline"}).encode()
