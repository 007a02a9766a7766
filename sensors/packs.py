"""Spooled records as one SenML pack (RFC 8428), the shape the collector resolves."""

import json
from collections.abc import Sequence
from typing import Any

from schemas.senml import base_name
from schemas.sensor_metrics import METRICS
from sensors.spool import SpooledRecord

# Most records a gateway sends are temperatures; naming their unit once saves bytes.
BASE_UNIT = "Cel"
# Times go out with millisecond precision: finer than any sensor here, and exact in JSON.
TIME_DECIMALS = 3


def senml_pack(device_id: str, records: Sequence[SpooledRecord]) -> list[dict[str, Any]]:
    """Records oldest first; the first carries ``bn`` and ``bt``, the rest offsets.

    ``bu`` is used only in a pack without boolean records: a base unit applies to every
    record that names none (RFC 8428 §4.6), and a door is not in degrees Celsius.
    """
    if not records:
        return []
    base_time = round(records[0].time, TIME_DECIMALS)
    base_unit = None if any(METRICS[r.name].boolean for r in records) else BASE_UNIT
    pack: list[dict[str, Any]] = []
    for record in records:
        entry: dict[str, Any] = {"n": record.name}
        offset = round(record.time - base_time, TIME_DECIMALS)
        if offset:
            entry["t"] = offset
        metric = METRICS[record.name]
        if metric.boolean:
            entry["vb"] = bool(record.value)
        else:
            if metric.unit != base_unit:
                entry["u"] = metric.unit
            entry["v"] = record.value
        pack.append(entry)
    base: dict[str, Any] = {"bn": base_name(device_id), "bt": base_time}
    if base_unit is not None:
        base["bu"] = base_unit
    pack[0] = {**base, **pack[0]}
    return pack


def encode(pack: list[dict[str, Any]]) -> bytes:
    return json.dumps(pack, separators=(",", ":"), allow_nan=False).encode()
