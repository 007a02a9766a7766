"""Queries behind the inspector console: batch search and the audit trail."""

from datetime import date
from typing import Any

import psycopg

from schemas.codes import normalize_lot_code
from schemas.district_time import DISTRICT_TIME_ZONE
from store.db import rows

# A search shows at most this many batches; a verdict is computed for each one shown.
SEARCH_LIMIT = 50


def search_batches(
    conn: psycopg.Connection,
    lot: str | None = None,
    product: str | None = None,
    producer: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[dict[str, Any]]:
    """Batches matching every criterion given (lot code prefix, product or producer code or
    name fragment, received between dates), most recent first."""
    where = ["true"]
    params: dict[str, Any] = {"limit": limit}
    if lot:
        where.append("b.lot_code LIKE %(lot)s")
        params["lot"] = normalize_lot_code(lot).replace("%", "").replace("_", "") + "%"
    if product:
        where.append("(p.code ILIKE %(product)s OR p.name_zh ILIKE %(product)s"
                     " OR p.name_en ILIKE %(product)s)")  # fmt: skip
        params["product"] = f"%{product}%"
    if producer:
        where.append(
            "EXISTS (SELECT 1 FROM batch_harvest_lots bh JOIN harvest_lots h"
            " ON h.id = bh.harvest_lot_id JOIN producers pr ON pr.code = h.producer"
            " WHERE bh.batch_id = b.id AND (pr.code ILIKE %(producer)s"
            " OR pr.name ILIKE %(producer)s))"
        )
        params["producer"] = f"%{producer}%"
    if since:
        where.append("(b.received_at AT TIME ZONE %(zone)s)::date >= %(since)s")
        params["since"], params["zone"] = since, DISTRICT_TIME_ZONE
    if until:
        where.append("(b.received_at AT TIME ZONE %(zone)s)::date <= %(until)s")
        params["until"], params["zone"] = until, DISTRICT_TIME_ZONE
    return rows(
        conn,
        "SELECT b.lot_code, p.name_zh AS product_name_zh, p.name_en AS product_name_en,"
        " b.quantity::float8 AS quantity, b.unit, b.status, b.received_at, b.recalled_at,"
        " (SELECT l.name FROM custody c JOIN locations l ON l.code = c.location"
        "  WHERE c.batch_id = b.id AND upper_inf(c.during)) AS location_name"
        " FROM batches b JOIN products p ON p.code = b.product"
        f" WHERE {' AND '.join(where)} ORDER BY b.received_at DESC, b.id DESC LIMIT %(limit)s",
        params,
    )


def audit_trail(
    conn: psycopg.Connection, about: str | None = None, offset: int = 0, limit: int = 50
) -> list[dict[str, Any]]:
    """Who did what, when, newest first; ``about`` narrows to entries whose object, action,
    user or details contain the text. Asks for one entry more than ``limit``, so a page knows
    whether another follows."""
    return rows(
        conn,
        "SELECT a.id, a.at, coalesce(u.username, '—') AS username, u.role, a.action, a.object,"
        " a.details FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
        " WHERE %(about)s::text IS NULL OR a.object ILIKE %(pattern)s OR a.action ILIKE %(pattern)s"
        " OR u.username ILIKE %(pattern)s OR a.details::text ILIKE %(pattern)s"
        " ORDER BY a.at DESC, a.id DESC LIMIT %(limit)s OFFSET %(offset)s",
        {"about": about or None, "pattern": _contains(about), "limit": limit + 1,
         "offset": offset},
    )  # fmt: skip


def event_log(
    conn: psycopg.Connection, text: str | None = None, offset: int = 0, limit: int = 50
) -> list[dict[str, Any]]:
    """Every batch's recorded events, newest first; ``text`` narrows to a lot code, an event
    type, a place or anything the event's details hold. One more than ``limit``, as above."""
    return rows(
        conn,
        "SELECT e.id, e.event_id, e.type, e.time, e.data, e.corrects IS NOT NULL AS correction,"
        " b.lot_code, l.name AS location_name, l.name_en AS location_name_en,"
        " coalesce(u.username, '—') AS recorded_by, e.recorded_at"
        " FROM events e JOIN batches b ON b.id = e.batch_id"
        " LEFT JOIN locations l ON l.code = e.location LEFT JOIN users u ON u.id = e.recorded_by"
        " WHERE %(text)s::text IS NULL OR b.lot_code ILIKE %(pattern)s OR e.type ILIKE %(pattern)s"
        " OR l.name ILIKE %(pattern)s OR e.data::text ILIKE %(pattern)s"
        " ORDER BY e.time DESC, e.id DESC LIMIT %(limit)s OFFSET %(offset)s",
        {"text": text or None, "pattern": _contains(text), "limit": limit + 1,
         "offset": offset},
    )  # fmt: skip


def _contains(text: str | None) -> str:
    """An ILIKE pattern matching the text anywhere, its own wildcards taken literally."""
    escaped = (text or "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
