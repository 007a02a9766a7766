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
    conn: psycopg.Connection, about: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Who did what, when, newest first; ``about`` narrows to objects containing the text."""
    return rows(
        conn,
        "SELECT a.at, coalesce(u.username, '—') AS username, u.role, a.action, a.object,"
        " a.details FROM audit_log a LEFT JOIN users u ON u.id = a.user_id"
        " WHERE %(about)s::text IS NULL OR a.object ILIKE '%%' || %(about)s || '%%'"
        " ORDER BY a.at DESC, a.id DESC LIMIT %(limit)s",
        {"about": about or None, "limit": limit},
    )
