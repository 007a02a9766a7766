"""Batches: receiving from harvest lots, reading one with its history, listing recent ones."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from schemas.batches import BatchCreate, BatchPublic, HarvestLotPublic
from schemas.cbv import bizstep_for
from schemas.codes import normalize_lot_code
from store import audit
from store.db import rows
from store.errors import ConflictError, InvalidReferenceError, NotFoundError
from store.trips import delivered_harvest_lots

# Makes a new lot code for a product received on a date; the API passes the label package's.
LotCodeFactory = Callable[[str, datetime], str]
# A fresh random lot code colliding with a stored one is rare; a few draws always suffice.
LOT_CODE_ATTEMPTS = 5

_BATCH_SELECT = """
SELECT b.id, b.lot_code, b.product, p.name_zh AS product_name_zh, p.name_en AS product_name_en,
       p.gtin, b.grade, b.quantity::float8 AS quantity, b.unit, b.status, b.received_at,
       b.packed_at, b.best_before, b.recalled_at,
       (SELECT c.location FROM custody c WHERE c.batch_id = b.id AND upper_inf(c.during))
           AS location
FROM batches b JOIN products p ON p.code = b.product
"""

HARVEST_LOT_SELECT = """
SELECT h.id, h.producer, pr.name AS producer_name,
       pr.public_name_consent AS producer_public_name_consent,
       h.village, v.name AS village_name, v.township, h.harvest_date,
       h.quantity::float8 AS quantity, h.unit
FROM harvest_lots h
JOIN producers pr ON pr.code = h.producer
JOIN locations v ON v.code = h.village
"""


def batch_row(conn: psycopg.Connection, lot_code: str, lock: bool = False) -> dict[str, Any]:
    """The batch's row (with ``id``); ``lock`` holds it until the transaction ends."""
    found = rows(
        conn,
        "SELECT id, lot_code, product, quantity::float8 AS quantity, unit, grade, received_at,"
        " packed_at, best_before FROM batches WHERE lot_code = %s"
        + (" FOR UPDATE" if lock else ""),
        (normalize_lot_code(lot_code),),
    )
    if not found:
        raise NotFoundError(f"no batch with lot code {lot_code!r}", f"找不到批次码 {lot_code}")
    return found[0]


def require_location(conn: psycopg.Connection, code: str) -> dict[str, Any]:
    found = rows(conn, "SELECT code, name, kind FROM locations WHERE code = %s", (code,))
    if not found:
        raise InvalidReferenceError(f"unknown location {code!r}", f"未知位置 {code}")
    return found[0]


def insert_batch(
    conn: psycopg.Connection,
    make_lot_code: LotCodeFactory,
    values: dict[str, Any],
) -> tuple[int, str]:
    """Insert a batch under a new lot code; returns (id, lot_code)."""
    for _ in range(LOT_CODE_ATTEMPTS):
        lot_code = make_lot_code(values["product"], values["received_at"])
        try:
            with conn.transaction():
                found = rows(
                    conn,
                    "INSERT INTO batches (lot_code, product, grade, quantity, unit, status,"
                    " received_at, packed_at, best_before, created_by) VALUES (%(lot_code)s,"
                    " %(product)s, %(grade)s, %(quantity)s, %(unit)s, %(status)s,"
                    " %(received_at)s, %(packed_at)s, %(best_before)s, %(created_by)s)"
                    " RETURNING id",
                    {
                        "packed_at": None,
                        "best_before": None,
                        "status": "in_processing",
                        **values,
                        "lot_code": lot_code,
                    },
                )
        except psycopg.errors.UniqueViolation:
            continue
        return found[0]["id"], lot_code
    raise ConflictError("could not draw a free lot code; try again", "批次码生成冲突，请重试")


def open_custody(
    conn: psycopg.Connection, batch_id: int, location: str, since: datetime, user_id: int | None
) -> None:
    conn.execute(
        "INSERT INTO custody (batch_id, location, during, moved_by)"
        " VALUES (%s, %s, tstzrange(%s, NULL), %s)",
        (batch_id, location, since, user_id),
    )


def insert_event(
    conn: psycopg.Connection,
    batch_id: int,
    event_type: str,
    time: datetime,
    location: str | None,
    data: dict[str, Any],
    user_id: int | None,
    corrects: int | None = None,
    business_step: str | None = None,
) -> dict[str, Any]:
    """Append an event; returns its ``id`` and ``event_id``."""
    return rows(
        conn,
        "INSERT INTO events (event_id, batch_id, type, business_step, time, location, data,"
        " corrects, recorded_by) VALUES (gen_random_uuid(), %s, %s, %s, %s, %s, %s, %s, %s)"
        " RETURNING id, event_id",
        (
            batch_id, event_type, business_step or bizstep_for(event_type), time, location,
            Jsonb(data), corrects, user_id,
        ),
    )[0]  # fmt: skip


def receive_batch(
    conn: psycopg.Connection,
    batch: BatchCreate,
    user_id: int | None,
    make_lot_code: LotCodeFactory,
) -> BatchPublic:
    """Receive a batch from its harvest lots: the batch, its harvests, custody, one event."""
    with conn.transaction():
        if not rows(conn, "SELECT 1 FROM products WHERE code = %s", (batch.product,)):
            raise InvalidReferenceError(
                f"unknown product {batch.product!r}", f"未知产品 {batch.product}"
            )
        require_location(conn, batch.location)
        _check_harvest_references(conn, batch)
        batch_id, lot_code = insert_batch(
            conn,
            make_lot_code,
            {
                "product": batch.product,
                "grade": batch.grade,
                "quantity": batch.quantity,
                "unit": batch.unit,
                "received_at": batch.received_at,
                "created_by": user_id,
            },
        )
        harvest_ids = []
        for lot in batch.harvest_lots:
            harvest_ids.append(
                rows(
                    conn,
                    "INSERT INTO harvest_lots (producer, village, harvest_date, quantity, unit)"
                    " VALUES (%s, %s, %s, %s, %s) RETURNING id",
                    (lot.producer, lot.village, lot.harvest_date, lot.quantity, lot.unit),
                )[0]["id"]
            )
        harvest_ids += delivered_harvest_lots(conn, batch.product, batch.deliveries)
        conn.cursor().executemany(
            "INSERT INTO batch_harvest_lots (batch_id, harvest_lot_id) VALUES (%s, %s)",
            [(batch_id, harvest_id) for harvest_id in harvest_ids],
        )
        open_custody(conn, batch_id, batch.location, batch.received_at, user_id)
        insert_event(
            conn, batch_id, "receiving", batch.received_at, batch.location,
            {"harvest_lots": harvest_ids}, user_id,
        )  # fmt: skip
        audit.record(conn, user_id, "receive", f"batch {lot_code}", batch.model_dump(mode="json"))
    return get_batch(conn, lot_code)


def _check_harvest_references(conn: psycopg.Connection, batch: BatchCreate) -> None:
    producers = {lot.producer for lot in batch.harvest_lots}
    villages = {lot.village for lot in batch.harvest_lots}
    known_producers = {
        row["code"]
        for row in rows(conn, "SELECT code FROM producers WHERE code = ANY(%s)", (list(producers),))
    }
    known_villages = {
        row["code"]
        for row in rows(conn, "SELECT code FROM locations WHERE code = ANY(%s)", (list(villages),))
    }
    if missing := sorted(producers - known_producers):
        names = ", ".join(missing)
        raise InvalidReferenceError(f"unknown producer {names}", f"未知生产者 {names}")
    if missing := sorted(villages - known_villages):
        names = ", ".join(missing)
        raise InvalidReferenceError(f"unknown village {names}", f"未知村服务点 {names}")


def get_batch(conn: psycopg.Connection, lot_code: str) -> BatchPublic:
    found = rows(conn, _BATCH_SELECT + " WHERE b.lot_code = %s", (normalize_lot_code(lot_code),))
    if not found:
        raise NotFoundError(f"no batch with lot code {lot_code!r}", f"找不到批次码 {lot_code}")
    return BatchPublic(**found[0])


def list_batches(conn: psycopg.Connection, limit: int = 50, offset: int = 0) -> list[BatchPublic]:
    found = rows(
        conn, _BATCH_SELECT + " ORDER BY b.received_at DESC, b.id DESC LIMIT %s OFFSET %s",
        (limit, offset),
    )  # fmt: skip
    return [BatchPublic(**row) for row in found]


def harvest_lots_of(conn: psycopg.Connection, batch_ids: Sequence[int]) -> list[HarvestLotPublic]:
    found = rows(
        conn,
        HARVEST_LOT_SELECT + " WHERE h.id IN (SELECT harvest_lot_id FROM batch_harvest_lots"
        " WHERE batch_id = ANY(%s)) ORDER BY h.harvest_date, h.id",
        (list(batch_ids),),
    )
    return [HarvestLotPublic(**row) for row in found]


def has_batches(conn: psycopg.Connection) -> bool:
    return bool(rows(conn, "SELECT 1 FROM batches LIMIT 1"))


def lot_codes(conn: psycopg.Connection, in_hand: bool = False) -> list[str]:
    """Every batch's lot code, in the order the batches were received; ``in_hand``: only
    those not consumed by a split or merge (no label is printed for a batch that is gone)."""
    found = rows(
        conn,
        "SELECT lot_code FROM batches WHERE NOT %s OR status <> 'consumed' ORDER BY received_at",
        (in_hand,),
    )
    return [row["lot_code"] for row in found]


def product_gtin(conn: psycopg.Connection, lot_code: str) -> str | None:
    """The GTIN of the batch's product, or None (no such batch, or a product without one)."""
    found = rows(
        conn,
        "SELECT p.gtin FROM batches b JOIN products p ON p.code = b.product WHERE b.lot_code = %s",
        (lot_code,),
    )
    return found[0]["gtin"] if found else None
