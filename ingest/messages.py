"""One MQTT message in, COPY lines and dead letters out: the collector's validation step."""

import json
import logging
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from ingest.dead_letters import DeadLetter, refused_message, refused_record, safe_text
from schemas.arrivals import Arrival
from schemas.senml import PackRefused, device_id_from_topic, resolve_pack_values

log = logging.getLogger(__name__)


@dataclass(slots=True)  # not frozen: one is built per message, and frozen init costs more
class Received:
    """A message as it left paho's network thread; acknowledged only after its commit."""

    mid: int
    qos: int
    topic: str
    payload: bytes
    # Which broker connection delivered it: an ack on a later connection could hit a reused mid.
    connection: int
    # Sent again by the broker (MQTT DUP): perhaps the message a collector died on.
    redelivered: bool = False
    # Validated on arrival when the device list was loaded; otherwise by the writer.
    resolution: "Resolution | None" = None


@dataclass(frozen=True, slots=True)
class Limits:
    max_payload_bytes: int
    max_records: int
    dead_letter_payload_cap: int


# PostgreSQL's binary COPY: a row of 4 fields, the first (time) 8 bytes long; times count
# microseconds from 2000-01-01. Encoding here is cheaper than a datetime per reading.
_ROW_START = struct.Struct(">hiq").pack
_VALUE = struct.Struct(">id").pack
_POSTGRES_EPOCH_US = 946_684_800_000_000
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # no flags, no header extension
COPY_TRAILER = b"\xff\xff"


@lru_cache(maxsize=65_536)
def _text_fields(device_id: str, metric: str) -> bytes:
    """The (device_id, metric) fields of a binary COPY row, as they repeat for a device."""
    device = device_id.encode()
    name = metric.encode()
    return len(device).to_bytes(4, "big") + device + len(name).to_bytes(4, "big") + name


def copy_row(device_id: str, metric: str, when: float, value: float) -> bytes:
    """One readings row (time, device_id, metric, value) in binary COPY format."""
    micros = round(when * 1_000_000) - _POSTGRES_EPOCH_US
    return _ROW_START(4, 8, micros) + _text_fields(device_id, metric) + _VALUE(8, value)


@dataclass(slots=True)
class Resolution:
    """Readings as binary COPY rows, and what was refused."""

    copy_rows: bytes = b""
    rows: int = 0
    newest: float | None = None
    arrival: Arrival | None = None
    dead_letters: list[DeadLetter] = field(default_factory=list)
    # Set when the device was not in the cached list: the registry may know it by now.
    unknown_device: str | None = None


def _arrival(device_id: str, times: list[float], newest: float | None) -> Arrival | None:
    if newest is None:
        return None
    return Arrival(
        device_id, datetime.fromtimestamp(min(times), UTC), datetime.fromtimestamp(newest, UTC),
        len(times),
    )  # fmt: skip


def resolve_message(
    topic: str, payload: bytes, known_devices: set[str], now: float, limits: Limits
) -> Resolution:
    """Validate a message; never raises (one bad message must not stop the loop)."""
    try:
        return _resolve(topic, payload, known_devices, now, limits)
    except Exception as error:  # a case no rule foresaw is refused input, not a crash
        log.exception("message could not be read", extra={"topic": topic})
        device_id = device_id_from_topic(topic)
        reason = f"could not be read: {type(error).__name__}"
        letter = refused_message(topic, device_id, payload, reason, limits.dead_letter_payload_cap)
        return Resolution(dead_letters=[letter])


def _resolve(
    topic: str, payload: bytes, known_devices: set[str], now: float, limits: Limits
) -> Resolution:
    device_id = device_id_from_topic(topic)
    cap = limits.dead_letter_payload_cap

    def refuse(reason: str) -> Resolution:
        return Resolution(dead_letters=[refused_message(topic, device_id, payload, reason, cap)])

    if device_id is None:
        return refuse("topic does not name a device")
    if len(payload) > limits.max_payload_bytes:
        return refuse(f"payload of {len(payload)} bytes exceeds {limits.max_payload_bytes}")
    if device_id not in known_devices:
        refused = refuse(f"unknown or revoked device {device_id!r}")
        refused.unknown_device = device_id
        return refused
    try:
        # SenML JSON is UTF-8 (RFC 8259 §8.1): decoding it first spares json its encoding guess.
        pack = json.loads(payload.decode())
    except ValueError as error:  # also bad UTF-8, and integers of more than 4,300 digits
        return refuse(f"not JSON: {safe_text(str(error), 200)}")
    except RecursionError:
        return refuse("not JSON this collector reads: nested too deeply")
    try:
        # No field name ends in "_" unless the text holds `_"`, so most packs skip that check.
        resolved, refused_records = resolve_pack_values(
            pack, device_id, now, limits.max_records, field_names_checked=b'_"' not in payload
        )
    except PackRefused as error:
        return refuse(str(error))
    times = [when for when, _, _ in resolved]
    newest = max(times) if times else None
    resolution = Resolution(
        copy_rows=b"".join([copy_row(device_id, m, when, v) for when, m, v in resolved]),
        rows=len(resolved),
        newest=newest,
        arrival=_arrival(device_id, times, newest),
    )
    for record in refused_records:
        resolution.dead_letters.append(
            refused_record(
                topic, device_id, payload, record.index, record.record, record.reason, cap
            )
        )
    return resolution
