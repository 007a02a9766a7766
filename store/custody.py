"""Custody: where a batch was and when, as non-overlapping intervals per batch."""

from collections.abc import Sequence
from datetime import datetime

import psycopg

from schemas.batches import CustodyPublic, MoveCreate
from schemas.cbv import bizstep_for
from store import audit
from store.batches import batch_row, insert_event, require_location
from store.db import database_now, rows
from store.errors import ConflictError


def custody_of(conn: psycopg.Connection, batch_id: int) -> list[CustodyPublic]:
    return custody_of_batches(conn, [batch_id]).get(batch_id, [])


def custody_of_batches(
    conn: psycopg.Connection, batch_ids: Sequence[int]
) -> dict[int, list[CustodyPublic]]:
    """Several batches' custody in one read, each in time order."""
    found = rows(
        conn,
        "SELECT c.batch_id, c.location, l.name AS location_name, l.kind,"
        " lower(c.during) AS start, upper(c.during) AS end"
        " FROM custody c JOIN locations l ON l.code = c.location"
        " WHERE c.batch_id = ANY(%s) ORDER BY c.batch_id, lower(c.during)",
        (list(batch_ids),),
    )
    custody: dict[int, list[CustodyPublic]] = {}
    for row in found:
        custody.setdefault(row.pop("batch_id"), []).append(CustodyPublic(**row))
    return custody


def move_batch(
    conn: psycopg.Connection, lot_code: str, move: MoveCreate, user_id: int | None
) -> list[CustodyPublic]:
    """Close the batch's open interval at the move's time and open the next, atomically.

    A move that would overlap recorded custody (a back-dated move before the current
    interval began) is refused by the database's exclusion constraint.
    """
    with conn.transaction():
        batch = batch_row(conn, lot_code, lock=True)
        destination = require_location(conn, move.location)
        time = move.time or database_now(conn)
        current = rows(
            conn,
            "SELECT location, lower(during) AS start FROM custody"
            " WHERE batch_id = %s AND upper_inf(during)",
            (batch["id"],),
        )
        if current and current[0]["location"] == move.location and current[0]["start"] < time:
            raise ConflictError(
                f"batch {batch['lot_code']} is already at {move.location}",
                f"批次 {batch['lot_code']} 已在 {move.location}",
            )
        conn.execute(
            "UPDATE custody SET during = tstzrange(lower(during), %s)"
            " WHERE batch_id = %s AND upper_inf(during) AND lower(during) < %s",
            (time, batch["id"], time),
        )
        _open_interval(conn, batch["id"], batch["lot_code"], move.location, time, user_id)
        insert_event(
            conn, batch["id"], "moving", time, move.location, {"to": move.location}, user_id,
            business_step=bizstep_for("moving", destination["kind"]),
        )  # fmt: skip
        if destination["kind"] == "truck":
            conn.execute("UPDATE batches SET status = 'shipped' WHERE id = %s", (batch["id"],))
        audit.record(
            conn, user_id, "move", f"batch {batch['lot_code']}", move.model_dump(mode="json")
        )
    return custody_of(conn, batch["id"])


def _open_interval(
    conn: psycopg.Connection,
    batch_id: int,
    lot_code: str,
    location: str,
    since: datetime,
    user_id: int | None,
) -> None:
    try:
        with conn.transaction():
            conn.execute(
                "INSERT INTO custody (batch_id, location, during, moved_by)"
                " VALUES (%s, %s, tstzrange(%s, NULL), %s)",
                (batch_id, location, since, user_id),
            )
    except psycopg.errors.ExclusionViolation as error:
        clash = rows(
            conn,
            "SELECT location, lower(during) AS start, upper(during) AS end FROM custody"
            " WHERE batch_id = %s AND during && tstzrange(%s, NULL) ORDER BY lower(during)",
            (batch_id, since),
        )
        held = clash[0] if clash else None
        where = where_zh = ""
        if held:
            start = held["start"].isoformat()
            end = held["end"].isoformat() if held["end"] else None
            where = f" it was at {held['location']} from {start}" + (f" to {end}" if end else " on")
            where_zh = (
                f"该批次自 {start} " + (f"至 {end} " if end else "起") + f"在 {held['location']}"
            )
        raise ConflictError(
            f"custody of batch {lot_code} cannot start at {location} at {since.isoformat()}:"
            f"{where}; custody intervals of one batch may not overlap",
            f"批次 {lot_code} 不能在 {since.isoformat()} 转至 {location}：{where_zh}；"
            "同一批次的保管时段不能重叠",
        ) from error
