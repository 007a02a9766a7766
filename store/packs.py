"""Serialised packs (GS1 AI 21, 一物一码): a packing event makes them, one QR code each.

A pack's serial is random, so the code on one pack says nothing of its neighbours' and a
copied code can be told from a lot that sold well: scans are counted per serial.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from store.db import rows
from store.errors import ConflictError

# Digits and capitals without I and O, which read as 1 and 0 on a smudged label.
SERIAL_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# 34^10 ≈ 2·10^15 serials per batch: guessing a real one is hopeless.
SERIAL_LENGTH = 10
# Units a pack's net content may be compared in against the batch's quantity.
GRAMS_PER_UNIT = {"g": 1.0, "克": 1.0, "kg": 1000.0, "公斤": 1000.0, "千克": 1000.0, "斤": 500.0}


@dataclass(frozen=True)
class Pack:
    serial: str
    quantity: float
    unit: str
    packed_at: datetime


def new_serial() -> str:
    return "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_LENGTH))


def _in_batch_units(quantity: float, unit: str, batch_unit: str) -> float | None:
    """A pack's content in the batch's unit, or None where the two cannot be compared."""
    if unit == batch_unit:
        return quantity
    if unit in GRAMS_PER_UNIT and batch_unit in GRAMS_PER_UNIT:
        return quantity * GRAMS_PER_UNIT[unit] / GRAMS_PER_UNIT[batch_unit]
    return None


def make_packs(conn: psycopg.Connection, batch: dict[str, Any], event_id: int, count: int) -> int:
    """Serialise ``count`` packs of the product's pack size for a packing event (inside the
    caller's transaction); refused where the product has no pack size or GTIN (a serial is
    carried only by a GTIN's Digital Link) or the packs would hold more than the batch."""
    product = rows(
        conn,
        "SELECT gtin, pack_quantity::float8 AS quantity, pack_unit AS unit FROM products"
        " WHERE code = %s",
        (batch["product"],),
    )[0]
    if product["quantity"] is None:
        raise ConflictError(
            f"product {batch['product']} has no pack_size: set it before packing into packs",
            f"产品 {batch['product']} 未设置包装规格（pack_size），无法按包赋码",
        )
    if product["gtin"] is None:
        raise ConflictError(
            f"product {batch['product']} has no GTIN: a pack's serial (AI 21) needs one",
            f"产品 {batch['product']} 没有 GTIN，无法为每包赋序列号",
        )
    packed = rows(conn, "SELECT count(*) AS n FROM packs WHERE batch_id = %s", (batch["id"],))
    each = _in_batch_units(product["quantity"], product["unit"], batch["unit"])
    # A little slack for rounding: 360 packs of 500 g do fill a batch of 180 kg.
    if each is not None and (packed[0]["n"] + count) * each > batch["quantity"] * (1 + 1e-9):
        raise ConflictError(
            f"{count} packs of {product['quantity']:g} {product['unit']} hold more than the"
            f" batch's {batch['quantity']:g} {batch['unit']}",
            f"{count} 包 × {product['quantity']:g} {product['unit']} 超过批次数量"
            f" {batch['quantity']:g} {batch['unit']}",
        )
    made = 0
    while made < count:
        serials = [new_serial() for _ in range(count - made)]
        inserted = rows(
            conn,
            "INSERT INTO packs (batch_id, serial, quantity, unit, event_id)"
            " SELECT %s, serial, %s, %s, %s FROM unnest(%s::text[]) AS serial"
            " ON CONFLICT (batch_id, serial) DO NOTHING RETURNING serial",
            (batch["id"], product["quantity"], product["unit"], event_id, serials),
        )
        made += len(inserted)
    return made


def packs_of(conn: psycopg.Connection, batch_id: int) -> list[Pack]:
    found = rows(
        conn,
        "SELECT p.serial, p.quantity::float8 AS quantity, p.unit, e.time AS packed_at"
        " FROM packs p JOIN events e ON e.id = p.event_id WHERE p.batch_id = %s ORDER BY p.id",
        (batch_id,),
    )
    return [Pack(**row) for row in found]
