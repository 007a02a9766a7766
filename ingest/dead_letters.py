"""Refused input, kept with its reason so that nothing is dropped silently.

Everything in a dead letter came from a device: its text fields are made safe for a
PostgreSQL ``text`` column (valid UTF-8, no NUL) and capped, so writing one cannot fail.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

# A reason is one line for an operator; what it quotes of the device is already short.
REASON_CAP = 500


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
    """Identify a refusal, so that one arriving again counts on the same dead letter."""
    digest = hashlib.sha256(topic.encode(errors="backslashreplace"))
    digest.update(b"\0")
    digest.update(payload)
    digest.update(b"\0" + str(record_index).encode())
    return digest.hexdigest()


def safe_text(text: str, cap: int = REASON_CAP) -> str:
    """``text`` as PostgreSQL stores it: lone surrogates and NUL escaped, at most ``cap``."""
    if len(text) > cap:
        text = text[: cap - 3] + "..."
    if text.isascii() and "\0" not in text:
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8").replace("\0", "\\x00")


def refused_message(
    topic: str, device_id: str | None, payload: bytes, reason: str, cap: int
) -> DeadLetter:
    return DeadLetter(
        safe_text(topic, 1024),
        safe_text(device_id, 1024) if device_id is not None else None,
        None,
        safe_text(reason),
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
    """A refused record keeps the record with its base fields, not the whole message.

    The record as given (base fields folded in) is a pack of its own that resolves as it
    did in the message, so `farmtrace dead-letters replay` can put it through again.
    """
    try:
        encoded = json.dumps([record], allow_nan=True).encode()
    except (ValueError, RecursionError, TypeError):
        encoded = repr(record).encode(errors="backslashreplace")
    return DeadLetter(
        safe_text(topic, 1024),
        safe_text(device_id, 1024),
        index,
        safe_text(reason),
        encoded[:cap],
        len(encoded),
        fingerprint(topic, message_payload, index),
    )
