"""The audit log: who changed what, written in the same transaction as the change."""

from typing import Any

import psycopg
from psycopg.types.json import Jsonb


def record(
    conn: psycopg.Connection,
    user_id: int | None,
    action: str,
    object_ref: str,
    details: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        "INSERT INTO audit_log (user_id, action, object, details) VALUES (%s, %s, %s, %s)",
        (user_id, action, object_ref, Jsonb(details or {})),
    )
