"""SenML JSON (RFC 8428) as devices publish it, and its resolution into readings.

Resolution is hand-written rather than a pydantic model per record because a gateway
flushing its spool sends tens of thousands of records in one message; the model below
documents the wire shape and is what devices use to build packs.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

from schemas.sensor_metrics import METRICS

SENML_CONTENT_TYPE = "application/senml+json"
TELEMETRY_TOPIC = "farmtrace/devices/{device_id}/telemetry"
STATUS_TOPIC = "farmtrace/devices/{device_id}/status"
BASE_NAME_PREFIX = "urn:dev:farmtrace:"

# 2015-01-01T00:00:00Z: earlier times come from a gateway whose clock was never set.
EARLIEST_TIME = 1_420_070_400.0
# Clocks on gateways drift; beyond this a time is refused as being in the future.
MAX_FUTURE_SKEW_S = 300.0


def base_name(device_id: str) -> str:
    return f"{BASE_NAME_PREFIX}{device_id}:"


def telemetry_topic(device_id: str) -> str:
    return TELEMETRY_TOPIC.format(device_id=device_id)


def status_topic(device_id: str) -> str:
    return STATUS_TOPIC.format(device_id=device_id)


def device_id_from_topic(topic: str) -> str | None:
    parts = topic.split("/")
    if (
        len(parts) == 4
        and parts[0] == "farmtrace"
        and parts[1] == "devices"
        and parts[3] == "telemetry"
    ):
        return parts[2] or None
    return None


@dataclass(frozen=True, slots=True)
class Reading:
    time: datetime
    device_id: str
    metric: str
    value: float


@dataclass(frozen=True, slots=True)
class RefusedRecord:
    index: int
    record: Any
    reason: str


class PackRefused(ValueError):
    """The whole message is refused (its reason is the message)."""


def resolve_pack(
    pack: Any, device_id: str, now: float, max_records: int
) -> tuple[list[Reading], list[RefusedRecord]]:
    """Resolve a decoded SenML pack published on ``device_id``'s topic into readings.

    Raises PackRefused for faults of the whole message; faults of one record are returned.
    """
    resolved, refused = resolve_pack_values(pack, device_id, now, max_records)
    readings = [
        Reading(datetime.fromtimestamp(when, UTC), device_id, metric, value)
        for when, metric, value in resolved
    ]
    return readings, refused


def resolve_pack_values(
    pack: Any, device_id: str, now: float, max_records: int
) -> tuple[list[tuple[float, str, float]], list[RefusedRecord]]:
    """As ``resolve_pack``, but each reading is a bare (UNIX time, metric, value) tuple.

    The collector's hot path uses this: building a datetime per reading costs more than
    the rest of the resolution, and the database converts the time itself.
    """
    records = [pack] if isinstance(pack, dict) else pack
    if not isinstance(records, list):
        raise PackRefused("payload is not a SenML array or record")
    if len(records) > max_records:
        raise PackRefused(f"pack holds {len(records)} records, more than {max_records}")
    expected_bn = base_name(device_id)
    latest = now + MAX_FUTURE_SKEW_S
    resolved: list[tuple[float, str, float]] = []
    refused: list[RefusedRecord] = []
    bn = ""
    bt = 0.0
    bu: str | None = None
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            refused.append(RefusedRecord(index, record, "record is not a JSON object"))
            continue
        if "bn" in record:
            bn = record["bn"]
            if bn != expected_bn:
                raise PackRefused(f"base name {bn!r} does not name device {device_id!r}")
        if "bt" in record:
            if not _is_number(record["bt"]):
                raise PackRefused("base time is not a number")
            bt = float(record["bt"])
        if "bu" in record:
            bu = record["bu"]
        reason = _check_record(record, bt, bu, latest)
        if isinstance(reason, str):
            refused.append(RefusedRecord(index, record, reason))
            continue
        metric, when, value = reason
        resolved.append((when, metric, value))
    return resolved, refused


def _is_number(value: Any) -> TypeGuard[int | float]:
    # type() rather than isinstance(): bool is not a number here, and this runs per record.
    return type(value) is float or type(value) is int


def _check_record(
    record: dict[str, Any], bt: float, bu: str | None, latest: float
) -> str | tuple[str, float, float]:
    """Return (metric, time, value) for a good record, or the reason it is refused."""
    name = record.get("n")
    if not isinstance(name, str) or not name:
        # A record with base fields only carries no measurement; it is not a reading.
        return "record has no name"
    metric = METRICS.get(name)
    if metric is None:
        return f"unknown metric {name!r}"
    t = record.get("t", 0)
    if not _is_number(t):
        return "time is not a number"
    when = bt + float(t)
    if not math.isfinite(when) or when < EARLIEST_TIME:
        return "time before 2015 (clock not set?)"
    if when > latest:
        return "time in the future"
    if metric.boolean:
        vb = record.get("vb")
        if not isinstance(vb, bool):
            return f"metric {name!r} needs a boolean value (vb)"
        return name, when, 1.0 if vb else 0.0
    unit = record.get("u", bu)
    if unit != metric.unit:
        return f"unit {unit!r} is not {metric.unit!r} for metric {name!r}"
    raw = record.get("v")
    if not _is_number(raw):
        return f"metric {name!r} needs a numeric value (v)"
    value = float(raw)
    if not math.isfinite(value):
        return "value is NaN or infinite"
    if not metric.low <= value <= metric.high:
        return f"value {value} outside physical bounds [{metric.low}, {metric.high}]"
    return name, when, value
