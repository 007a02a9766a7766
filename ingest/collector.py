"""The MQTT side of the collector: a persistent MQTT 5 session, acknowledged after commit.

Messages are acknowledged by hand, after the writer has committed them, so a crash at any
moment means redelivery, never loss. By default the subscription is plain, which Mosquitto
restores after a restart, and only the collector holding the session lock connects (see
``active_session``); with a share group set, collectors split the stream on a broker that
keeps shared subscriptions (EMQX, HiveMQ). Against an MQTT 3.1.1 broker the session is
persistent too (clean session off), but nothing asks the broker to bound messages in flight.
"""

import logging
import ssl
import threading
import time
from typing import Any, cast

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from ingest import metrics
from ingest.active_session import ActiveSession
from ingest.messages import Limits, Received
from ingest.mqtt_client import BufferedClient
from ingest.writer import BatchPolicy, Writer
from schemas.settings import Settings

log = logging.getLogger(__name__)

TELEMETRY_FILTER = "farmtrace/devices/+/telemetry"
KEEPALIVE_S = 30
# MQTT 5 DISCONNECT reason: another connection took this client id's session.
SESSION_TAKEN_OVER = 142
# Reconnect back-off to the broker (paho's own): first wait and ceiling, in seconds.
BROKER_RETRY_FIRST_S = 1
# Short, because after a broker restart a shared subscription exists only once we are back.
BROKER_RETRY_MAX_S = 5
# How often the active collector checks that it still holds the session lock.
SESSION_CHECK_S = 2.0
# The exit status when another collector took the session over: a supervisor that restarts
# the process makes it a standby.
EXIT_SESSION_LOST = 3
# A revoked device's messages are refused at most this long after `devices revoke`.
DEVICE_REFRESH_S = 2.0


def telemetry_subscription(share_group: str) -> str:
    """The plain subscription; a shared one when a group is set.

    Mosquitto restores plain subscriptions from its persistence file after a restart but
    not shared ones, so a group suits only brokers that persist them.
    """
    return f"$share/{share_group}/{TELEMETRY_FILTER}" if share_group else TELEMETRY_FILTER


class Collector:
    def __init__(self, settings: Settings) -> None:
        if settings.mqtt.protocol != "5" and settings.ingest_share_group:
            raise ValueError(
                "shared subscriptions need MQTT 5; with FARMTRACE_MQTT_PROTOCOL=3.1.1 run one "
                "collector and set FARMTRACE_INGEST_SHARE_GROUP= (empty)"
            )
        self._settings = settings
        self._connection = 0
        self._session_lost = threading.Event()
        # Collectors on one plain subscription take turns; a share group needs none.
        self._session = (
            None
            if settings.ingest_share_group
            else ActiveSession(settings.database_url, settings.ingest_client_id)
        )
        # Plain counters, each written by one thread only; the gauge reads their difference.
        self._received = 0
        self._acknowledged = 0
        metrics.PENDING_MESSAGES.set_function(lambda: self._received - self._acknowledged)
        self._client = self._make_client()
        self.writer = Writer(
            settings.database_url,
            Limits(
                settings.ingest_max_payload_bytes,
                settings.ingest_max_records_per_message,
                settings.dead_letter_payload_cap,
            ),
            BatchPolicy(
                max_rows=settings.ingest_batch_rows,
                max_messages=max(1, settings.ingest_receive_maximum // 2),
                max_wait_s=settings.ingest_flush_interval_s,
            ),
            self._acknowledge,
            DEVICE_REFRESH_S,
        )

    def _make_client(self) -> BufferedClient:
        settings = self._settings
        address = settings.mqtt
        v5 = address.protocol == "5"
        client = BufferedClient(
            CallbackAPIVersion.VERSION2,
            client_id=settings.ingest_client_id,
            protocol=MQTTProtocolVersion.MQTTv5 if v5 else MQTTProtocolVersion.MQTTv311,
            clean_session=None if v5 else False,
            manual_ack=True,
        )
        if address.username is not None:
            client.username_pw_set(address.username, address.password)
        if address.tls:
            client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
        client.reconnect_delay_set(BROKER_RETRY_FIRST_S, BROKER_RETRY_MAX_S)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        return client

    def _connect_properties(self) -> Properties:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self._settings.ingest_session_expiry_s
        # The memory bound: the broker stops sending while this many messages await our ack.
        properties.ReceiveMaximum = self._settings.ingest_receive_maximum
        return properties

    def run(self, stop: threading.Event) -> int:
        """Collect until ``stop`` is set; then flush, acknowledge and disconnect."""
        if self._session is not None and not self._session.wait_for_turn(stop):
            return 0
        try:
            return self._collect(stop)
        finally:
            if self._session is not None:
                self._session.release()

    def _collect(self, stop: threading.Event) -> int:
        address = self._settings.mqtt
        self.writer.start()
        if address.protocol == "5":
            self._client.connect_async(
                address.host,
                address.port,
                keepalive=KEEPALIVE_S,
                clean_start=False,
                properties=self._connect_properties(),
            )
        else:
            self._client.connect_async(address.host, address.port, keepalive=KEEPALIVE_S)
        self._client.loop_start()
        checked = time.monotonic()
        while not stop.wait(0.5):
            if not self.writer.is_alive() or self._session_lost.is_set():
                break
            if self._session is not None and time.monotonic() - checked > SESSION_CHECK_S:
                checked = time.monotonic()
                if not self._session.still_ours():
                    log.warning("another collector holds the session lock; stopping")
                    self._session_lost.set()
                    break
        self.writer.stop()
        self.writer.join()
        self._client.disconnect()
        self._client.loop_stop()
        log.info("collector stopped")
        if self.writer.failed:
            return 1
        return EXIT_SESSION_LOST if self._session_lost.is_set() else 0

    def _acknowledge(self, messages: list[Received]) -> None:
        """Called by the writer after commit; the acks are queued for paho's network thread."""
        self._acknowledged += len(messages)
        current = self._connection
        # After a reconnect the broker redelivers those messages itself; ours are stale.
        # QoS 0 messages carry no acknowledgement; the subscription grants at most QoS 1.
        self._client.ack_many([m.mid for m in messages if m.connection == current and m.qos == 1])

    def _on_connect(
        self,
        client: mqtt.Client,
        userdata: Any,
        flags: mqtt.ConnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        if reason_code.is_failure:
            log.error("broker refused connection", extra={"reason": str(reason_code)})
            return
        self._connection += 1
        log.info(
            "broker connected",
            extra={"session_present": flags.session_present, "connection": self._connection},
        )
        # At most QoS 1 is granted; a message above it is delivered at QoS 1.
        client.subscribe(telemetry_subscription(self._settings.ingest_share_group), qos=1)

    def _on_subscribe(
        self,
        client: mqtt.Client,
        userdata: Any,
        mid: int,
        reason_codes: list[ReasonCode],
        properties: Properties | None,
    ) -> None:
        for code in reason_codes:
            if code.is_failure:
                log.error("subscription refused", extra={"reason": str(code)})
            else:
                log.info("subscribed", extra={"granted_qos": code.value})

    def _on_disconnect(
        self,
        client: mqtt.Client,
        userdata: Any,
        flags: mqtt.DisconnectFlags,
        reason_code: ReasonCode,
        properties: Properties | None,
    ) -> None:
        log.warning("broker disconnected", extra={"reason": str(reason_code)})
        if reason_code == SESSION_TAKEN_OVER:
            # Reconnecting would take it back in turn; the newer holder keeps it.
            self._session_lost.set()
            client.disconnect()

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        self._received += 1
        received = Received(
            message.mid,
            message.qos,
            message.topic,
            cast(bytes, message.payload),  # paho hands bytes on receipt
            self._connection,
            message.dup,
        )
        self.writer.receive(received)
