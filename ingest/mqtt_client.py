"""paho's client with buffered reads, for a subscriber that receives thousands of messages/s.

paho 2.x reads one packet per select() and two or three recv() calls per packet, and
sends each acknowledgement with its own write and wake-up; at one reading per message that,
not the database, bounds the collector. This client reads the socket in large chunks and
handles every whole packet buffered before waiting again, decodes PUBLISH packets without
building paho's Properties object (the collector reads none), and queues a batch's PUBACKs
as one write. It overrides internal methods of paho 2.x (pinned below 3 in pyproject.toml);
the collector's tests exercise it end to end.
"""

import struct
import time

import paho.mqtt.client as mqtt
from paho.mqtt.enums import MQTTErrorCode, MQTTProtocolVersion

_PUBACK = 0x40

READ_CHUNK_BYTES = 256 * 1024
# A read streak ends by itself once the broker's window (our receive maximum) is used up;
# this cap only guarantees that writes and keepalives get their turn.
MAX_PACKETS_PER_READ = 10_000


class BufferedClient(mqtt.Client):
    _read_buffer: bytes = b""
    _read_position: int = 0
    _buffered_socket: object = None

    def _sock_recv(self, bufsize: int) -> bytes:
        if self._buffered_socket is not self._sock:  # a new connection: old bytes are void
            self._buffered_socket = self._sock
            self._read_buffer = b""
            self._read_position = 0
        position = self._read_position
        if position >= len(self._read_buffer):
            data = super()._sock_recv(READ_CHUNK_BYTES)  # BlockingIOError when nothing waits
            if not data:
                return data  # connection closed
            self._read_buffer = data
            position = 0
        end = position + bufsize
        self._read_position = end
        return self._read_buffer[position:end]

    def loop_read(self, max_packets: int = 1) -> MQTTErrorCode:
        for _ in range(MAX_PACKETS_PER_READ):
            if self._sock is None:
                return MQTTErrorCode.MQTT_ERR_NO_CONN
            rc = self._packet_read()
            if rc > 0:
                return self._loop_rc_handle(rc)
            if rc == MQTTErrorCode.MQTT_ERR_AGAIN:
                return MQTTErrorCode.MQTT_ERR_SUCCESS
        return MQTTErrorCode.MQTT_ERR_SUCCESS

    def ack_many(self, mids: list[int]) -> None:
        """Acknowledge QoS 1 messages (manual_ack) with one queued write and one wake-up.

        Thread-safe as paho's own ack() is: the packet joins paho's outgoing deque and the
        network thread writes it. The broker reads the PUBACKs one after another.
        """
        if mids:
            packet = b"".join([struct.pack("!BBH", _PUBACK, 2, mid) for mid in mids])
            self._packet_queue(_PUBACK, packet, 0, 1)

    def _handle_on_message(self, message: mqtt.MQTTMessage) -> None:
        """Call on_message directly: the collector registers no per-topic callbacks."""
        on_message = self.on_message
        if on_message is not None:
            with self._in_callback_mutex:
                on_message(self, self._userdata, message)

    def _handle_publish(self) -> MQTTErrorCode:
        """Decode QoS 0/1 MQTT 5 PUBLISH packets directly; anything else goes to paho."""
        header = self._in_packet["command"]
        packet = self._in_packet["packet"]
        qos = (header & 0x06) >> 1
        if qos == 2 or self._protocol != MQTTProtocolVersion.MQTTv5 or len(packet) < 3:
            return super()._handle_publish()
        position = 2 + int.from_bytes(packet[0:2], "big")
        topic = bytes(packet[2:position])
        mid = 0
        if qos:
            mid = int.from_bytes(packet[position : position + 2], "big")
            position += 2
        # Skip the properties: a variable byte integer length, then that many bytes.
        length = 0
        for shift in (0, 7, 14, 21):
            if position >= len(packet):
                return super()._handle_publish()  # malformed: let paho say so
            byte = packet[position]
            position += 1
            length |= (byte & 0x7F) << shift
            if not byte & 0x80:
                break
        position += length
        if position > len(packet):
            return super()._handle_publish()
        message = mqtt.MQTTMessage(mid=mid, topic=topic)
        message.dup = bool(header & 0x08)
        message.qos = qos
        message.retain = bool(header & 0x01)
        message.payload = bytes(packet[position:])
        message.timestamp = time.monotonic()
        self._handle_on_message(message)
        if qos == 1 and not self._manual_ack:
            return self._send_puback(mid)
        return MQTTErrorCode.MQTT_ERR_SUCCESS
