"""Refused input, kept with its reason so that nothing is dropped silently."""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import psycopg


@dataclass(frozen=True, slots=True)
class DeadLetter:
    topic: str
    device_id: str | None
    record_index: int | None  # None when the whole message was refused
    reason: str
    payload: bytes  # capped
    payload_size: int  # before the cap
    fingerprint: str


def fingerprint(topic: str, payload: bytes, record_index: int | None) -> str:
    """Identify a refusal so that a redelivered message does not add its dead letters twice."""
    digest = hashlib.sha256(topic.encode())
    digest.update(b"\0")
    digest.update(payload)
    digest.update(b"\0" + str(record_index).encode())
    return digest.hexdigest()


def refused_message(
    topic: str, device_id: str | None, payload: bytes, reason: str, cap: int
) -> DeadLetter:
    return DeadLetter(
        topic,
        device_id,
        None,
        reason,
        payload[:cap],
        len(payload),
        fingerprint(topic, payload, None),
    )


def refused_record(
    topic: str,
    device_id: str,
    message_payload: bytes,
    index: int,
    record: Any,
    reason: str,
    cap: int,
) -> DeadLetter:
    """A refused record keeps the record itself, not the whole (possibly huge) message."""
    encoded = json.dumps(record, ensure_ascii=False, allow_nan=True, default=str).encode()
    return DeadLetter(
        topic,
        device_id,
        index,
        reason,
        encoded[:cap],
        len(encoded),
        fingerprint(topic, message_payload, index),
    )


def write_dead_letters(cur: psycopg.Cursor[Any], letters: list[DeadLetter]) -> int:
    """Insert in the caller's transaction; return how many were new (not redeliveries)."""
    if not letters:
        return 0
    cur.execute(
        "CREATE TEMP TABLE IF NOT EXISTS dead_letters_staging (topic text, device_id text,"
        " record_index integer, reason text, payload bytea, payload_size integer,"
        " fingerprint text) ON COMMIT DELETE ROWS"
    )
    with cur.copy(
        "COPY dead_letters_staging (topic, device_id, record_index, reason, payload,"
        " payload_size, fingerprint) FROM STDIN"
    ) as copy:
        for letter in letters:
            copy.write_row(
                (
                    letter.topic,
                    letter.device_id,
                    letter.record_index,
                    letter.reason,
                    letter.payload,
                    letter.payload_size,
                    letter.fingerprint,
                )
            )
    cur.execute(
        "INSERT INTO dead_letters (topic, device_id, record_index, reason, payload,"
        " payload_size, fingerprint)"
        " SELECT topic, device_id, record_index, reason, payload, payload_size, fingerprint"
        " FROM dead_letters_staging ORDER BY fingerprint"
        " ON CONFLICT (fingerprint) DO NOTHING"
    )
    return cur.rowcount
