"""Conflicting duplicates: a reading whose device, metric and time are stored with another value.

The stored value stays (the first word counts, as for any redelivery); the newcomer is
kept as a dead letter naming both values, a one-record SenML pack that a replay reads again.
"""

import json
from datetime import UTC, datetime

from ingest.dead_letters import DeadLetter, fingerprint, safe_text
from schemas.senml import base_name, telemetry_topic
from schemas.sensor_metrics import METRICS

Conflict = tuple[str, str, float, float, float]  # device, metric, UNIX time, value, stored


def conflict_letters(rows: list[Conflict], cap: int) -> list[DeadLetter]:
    return [_letter(*row, cap=cap) for row in rows]


def _letter(
    device_id: str, metric: str, when: float, value: float, stored: float, cap: int
) -> DeadLetter:
    record: dict[str, object] = {"bn": base_name(device_id), "n": metric, "t": when}
    known = METRICS.get(metric)
    if known is not None and known.boolean:
        record["vb"] = bool(value)
    else:
        record["u"] = known.unit if known is not None else None
        record["v"] = value
    payload = json.dumps([record]).encode()
    topic = telemetry_topic(device_id)
    at = datetime.fromtimestamp(when, UTC).isoformat()
    reason = f"conflicts with the stored reading: {metric} at {at} is {value}, stored {stored}"
    return DeadLetter(
        topic,
        device_id,
        None,
        safe_text(reason),
        payload[:cap],
        len(payload),
        fingerprint(topic, payload, None),
    )
