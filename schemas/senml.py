"""SenML JSON (RFC 8428) as devices publish it, and its resolution into readings.

Resolution is hand-written rather than a pydantic model per record because a gateway
flushing its spool sends tens of thousands of records in one message; the model below
documents the wire shape and is what devices use to build packs.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from schemas.sensor_metrics import METRICS

SENML_CONTENT_TYPE = "application/senml+json"
TELEMETRY_TOPIC = "farmtrace/devices/{device_id}/telemetry"
STATUS_TOPIC = "farmtrace/devices/{device_id}/status"
BASE_NAME_PREFIX = "urn:dev:farmtrace:"

# 2015-01-01T00:00:00Z: earlier times come from a gateway whose clock was never set.
EARLIEST_TIME = 1_420_070_400.0
# Clocks on gateways drift; beyond this a time is refused as being in the future.
MAX_FUTURE_SKEW_S = 300.0
# RFC 8428 §4.5.3: a resolved time below 2**28 s counts from now (0 is now, -60 a minute ago).
RELATIVE_TIME_LIMIT = 2.0**28
# The SenML version this resolver understands (§4.4: a newer pack MUST be refused).
SENML_VERSION = 10
# How much of a device's string a dead letter's reason quotes.
SHOWN_CHARS = 60


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
    pack: Any, device_id: str, now: float, max_records: int, field_names_checked: bool = False
) -> tuple[list[tuple[float, str, float]], list[RefusedRecord]]:
    """As ``resolve_pack``, but each reading is a bare (UNIX time, metric, value) tuple.

    The collector's hot path uses this: building a datetime per reading costs more than
    the rest of the resolution, and the database converts the time itself. It passes
    ``field_names_checked`` when the JSON text shows that no field name ends in "_".
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
    base = _Base()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            refused.append(RefusedRecord(index, record, "record is not a JSON object"))
            continue
        if not field_names_checked:
            _check_field_names(record)
        if (
            "bn" in record
            or "bt" in record
            or "bu" in record
            or "bv" in record
            or ("bver" in record)
        ):
            base.update(record, expected_bn)
        outcome = _check_record(record, base, expected_bn, now, latest)
        if type(outcome) is str:
            refused.append(RefusedRecord(index, base.context(record, now), outcome))
            continue
        resolved.append(outcome)  # type: ignore[arg-type]
    return resolved, refused


class _Base:
    """The base fields in force (RFC 8428 §4.1): they apply to their record and those after."""

    __slots__ = ("bn", "bt", "bu", "bv")

    def __init__(self) -> None:
        self.bn = ""
        self.bt = 0.0
        self.bu: str | None = None
        self.bv = 0.0

    def update(self, record: dict[str, Any], expected_bn: str) -> None:
        """Take the record's base fields; raise PackRefused for a fault of the whole pack."""
        if "bver" in record:
            _check_version(record["bver"])
        if "bn" in record:
            bn = record["bn"]
            # The device may name itself in full (bn), in part (bn then n), or not at all.
            if not isinstance(bn, str) or not (
                bn.startswith(expected_bn) or expected_bn.startswith(bn)
            ):
                device = shown(expected_bn[len(BASE_NAME_PREFIX) : -1])
                raise PackRefused(f"base name {shown(bn)} does not name device {device}")
            self.bn = bn
        if "bt" in record:
            bt = as_float(record["bt"])
            if bt is None or not math.isfinite(bt):
                raise PackRefused("base time is not a finite number")
            self.bt = bt
        if "bu" in record:
            self.bu = record["bu"]
        if "bv" in record:
            bv = as_float(record["bv"])
            if bv is None or not math.isfinite(bv):
                raise PackRefused("base value is not a finite number")
            self.bv = bv

    def context(self, record: dict[str, Any], now: float) -> dict[str, Any]:
        """The record with the base fields in force: a one-record pack that resolves alike.

        A time relative to now is pinned to the now it arrived at, so a later replay keeps it.
        """
        base: dict[str, Any] = {}
        if self.bn:
            base["bn"] = self.bn
        t = as_float(record.get("t", 0.0))
        bt = self.bt + now if t is not None and self.bt + t < RELATIVE_TIME_LIMIT else self.bt
        if bt:
            base["bt"] = bt
        if self.bu is not None:
            base["bu"] = self.bu
        if self.bv:
            base["bv"] = self.bv
        return {**record, **base}


def _check_field_names(record: dict[str, Any]) -> None:
    """§4.4: a field whose name ends in "_" must be understood, or the pack refused."""
    for key in record:
        if key.endswith("_"):
            raise PackRefused(f"must-understand field {shown(key)} is not supported")


def _check_version(bver: Any) -> None:
    if type(bver) is not int or bver < 1:
        raise PackRefused("base version is not a positive integer")
    if bver > SENML_VERSION:
        raise PackRefused(f"SenML version {bver} is newer than {SENML_VERSION}")


def as_float(value: Any) -> float | None:
    """A JSON number as a float; None for anything else, or an integer beyond a float."""
    # type() rather than isinstance(): bool is not a number here, and this runs per record.
    if type(value) is float:
        return value
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:
            return None
    return None


def shown(value: Any) -> str:
    """A device's value as a reason may quote it: short, ASCII, whatever it holds."""
    if isinstance(value, str):
        text = ascii(value[:SHOWN_CHARS])
        return text if len(value) <= SHOWN_CHARS else text + "..."
    return type(value).__name__


def _metric_name(name: Any, bn: str, expected_bn: str) -> str | None:
    """The metric that a record's resolved name (bn + n, §4.5.1) names; None if foreign."""
    if not isinstance(name, str):
        return ""
    full = bn + name
    if full.startswith(expected_bn):
        return full[len(expected_bn) :]
    if bn or full.startswith(BASE_NAME_PREFIX):
        return None
    return full


def _check_record(
    record: dict[str, Any], base: _Base, expected_bn: str, now: float, latest: float
) -> str | tuple[float, str, float]:
    """Return (time, metric, value) for a good record, or the reason it is refused."""
    name = record.get("n", "")
    if base.bn != expected_bn:  # the usual case needs no concatenation
        name = _metric_name(name, base.bn, expected_bn)
    if name is None:
        return f"name {shown(base.bn + record['n'])} is not of this device"
    if not name or type(name) is not str:
        # A record with base fields only carries no measurement; it is not a reading.
        return "record has no name"
    metric = METRICS.get(name)
    if metric is None:
        return f"unknown metric {shown(name)}"
    t = record.get("t", 0.0)
    if type(t) is not float and (t := as_float(t)) is None:
        return "time is not a number a float can hold"
    when = base.bt + t
    if when < RELATIVE_TIME_LIMIT:
        when += now  # §4.5.3: zero is now, small values are relative to now
    if not math.isfinite(when) or when < EARLIEST_TIME:
        return "time before 2015 (clock not set?)"
    if when > latest:
        return "time in the future"
    if metric.boolean:
        # Units, base unit included, apply to numeric values only: a door is not in Cel.
        vb = record.get("vb")
        if not isinstance(vb, bool):
            return f"metric {shown(name)} needs a boolean value (vb)"
        return when, name, 1.0 if vb else 0.0
    unit = record.get("u", base.bu)
    if unit != metric.unit:
        return f"unit {shown(unit)} is not {metric.unit!r} for metric {shown(name)}"
    raw = record.get("v")
    if type(raw) is not float and (raw := as_float(raw)) is None:
        return f"metric {shown(name)} needs a numeric value (v) a float can hold"
    value = base.bv + raw
    if not math.isfinite(value):
        return "value is NaN or infinite"
    if not metric.low <= value <= metric.high:
        return f"value {value} outside physical bounds [{metric.low}, {metric.high}]"
    return when, name, value
