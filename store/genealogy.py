"""Genealogy: splitting and merging batches, and tracing back to farms or forward to packs."""

from collections.abc import Sequence
from datetime import datetime

import psycopg

from schemas.batches import (
    BatchPublic,
    Genealogy,
    HarvestLotPublic,
    HarvestLotTrace,
    LineageLink,
    MergeCreate,
    SplitCreate,
)
from store import audit
from store.batches import (
    HARVEST_LOT_SELECT,
    LotCodeFactory,
    batch_row,
    get_batch,
    harvest_lots_of,
    insert_batch,
    insert_event,
    normalize_lot_code,
    open_custody,
    require_location,
)
from store.db import database_now, rows
from store.errors import InvalidReferenceError, NotFoundError
from store.events import location_at

# Ancestors and descendants, each with its distance; UNION (not ALL) ends the walk even if a
# cycle ever slipped in, and keeps one row per batch and distance.
_ANCESTORS = """
WITH RECURSIVE up(id, depth) AS (
    SELECT parent_id, 1 FROM batch_lineage WHERE child_id = ANY(%s)
    UNION
    SELECT l.parent_id, up.depth + 1 FROM batch_lineage l JOIN up ON l.child_id = up.id
    WHERE up.depth < 1000
)
SELECT b.id, b.lot_code, min(up.depth) AS depth FROM up JOIN batches b ON b.id = up.id
GROUP BY b.id, b.lot_code ORDER BY depth, b.lot_code
"""
_DESCENDANTS = """
WITH RECURSIVE down(id, depth) AS (
    SELECT child_id, 1 FROM batch_lineage WHERE parent_id = ANY(%s)
    UNION
    SELECT l.child_id, down.depth + 1 FROM batch_lineage l JOIN down ON l.parent_id = down.id
    WHERE down.depth < 1000
)
SELECT b.id, b.lot_code, min(down.depth) AS depth FROM down JOIN batches b ON b.id = down.id
GROUP BY b.id, b.lot_code ORDER BY depth, b.lot_code
"""


def ancestor_ids(conn: psycopg.Connection, batch_ids: Sequence[int]) -> list[int]:
    return [row["id"] for row in rows(conn, _ANCESTORS, (list(batch_ids),))]


def ancestor_lot_codes(conn: psycopg.Connection, batch_ids: Sequence[int]) -> list[str]:
    return [row["lot_code"] for row in rows(conn, _ANCESTORS, (list(batch_ids),))]


def descendant_ids(conn: psycopg.Connection, batch_ids: Sequence[int]) -> list[int]:
    return [row["id"] for row in rows(conn, _DESCENDANTS, (list(batch_ids),))]


def trace_back(conn: psycopg.Connection, batch_id: int) -> list[HarvestLotPublic]:
    """Every harvest lot behind a batch, through every generation of parents."""
    return harvest_lots_of(conn, [batch_id, *ancestor_ids(conn, [batch_id])])


def batches_from_harvest_lots(
    conn: psycopg.Connection, harvest_lot_ids: Sequence[int]
) -> list[int]:
    """Every batch holding produce of these harvests: those received from them and all their
    descendants (what a recall of a harvest, or of a producer's harvests, must reach)."""
    direct = [
        row["batch_id"]
        for row in rows(
            conn,
            "SELECT DISTINCT batch_id FROM batch_harvest_lots WHERE harvest_lot_id = ANY(%s)",
            (list(harvest_lot_ids),),
        )
    ]
    return sorted({*direct, *descendant_ids(conn, direct)}) if direct else []


def harvest_lot_trace(conn: psycopg.Connection, harvest_lot_id: int) -> HarvestLotTrace:
    found = rows(conn, HARVEST_LOT_SELECT + " WHERE h.id = %s", (harvest_lot_id,))
    if not found:
        raise NotFoundError(f"no harvest lot {harvest_lot_id}", f"找不到采收批 {harvest_lot_id}")
    batch_ids = batches_from_harvest_lots(conn, [harvest_lot_id])
    codes = rows(
        conn, "SELECT lot_code FROM batches WHERE id = ANY(%s) ORDER BY received_at, id",
        (batch_ids,),
    )  # fmt: skip
    return HarvestLotTrace(
        harvest_lot=HarvestLotPublic(**found[0]), batches=[row["lot_code"] for row in codes]
    )


def _links(conn: psycopg.Connection, sql: str, batch_id: int) -> list[LineageLink]:
    return [LineageLink(**row) for row in rows(conn, sql, (batch_id,))]


def genealogy_of(conn: psycopg.Connection, batch_id: int) -> Genealogy:
    return Genealogy(
        parents=_links(
            conn,
            "SELECT b.lot_code, l.quantity::float8 AS quantity, b.unit FROM batch_lineage l"
            " JOIN batches b ON b.id = l.parent_id WHERE l.child_id = %s ORDER BY b.lot_code",
            batch_id,
        ),
        children=_links(
            conn,
            "SELECT b.lot_code, l.quantity::float8 AS quantity, b.unit FROM batch_lineage l"
            " JOIN batches b ON b.id = l.child_id WHERE l.parent_id = %s ORDER BY b.id",
            batch_id,
        ),
        ancestors=ancestor_lot_codes(conn, [batch_id]),
        descendants=[row["lot_code"] for row in rows(conn, _DESCENDANTS, ([batch_id],))],
        harvest_lots=trace_back(conn, batch_id),
    )


def _remaining(conn: psycopg.Connection, batch: dict) -> float:
    """What is left of a batch after earlier splits and merges took from it."""
    taken = rows(
        conn,
        "SELECT coalesce(sum(quantity), 0)::float8 AS taken FROM batch_lineage"
        " WHERE parent_id = %s",
        (batch["id"],),
    )[0]["taken"]
    return float(batch["quantity"]) - float(taken)


def _close_if_used_up(conn: psycopg.Connection, batch: dict, time: datetime) -> None:
    """A batch wholly split or merged away leaves custody: no later readings are its own."""
    if _remaining(conn, batch) > 1e-9:
        return
    conn.execute(
        "UPDATE custody SET during = tstzrange(lower(during), %s)"
        " WHERE batch_id = %s AND upper_inf(during) AND lower(during) < %s",
        (time, batch["id"], time),
    )
    conn.execute("UPDATE batches SET status = 'consumed' WHERE id = %s", (batch["id"],))


def split_batch(
    conn: psycopg.Connection,
    lot_code: str,
    split: SplitCreate,
    user_id: int | None,
    make_lot_code: LotCodeFactory,
) -> list[BatchPublic]:
    """Split a batch into children (packs, shipments) that each carry a share of it."""
    with conn.transaction():
        parent = batch_row(conn, lot_code, lock=True)
        time = split.time or database_now(conn)
        location = split.location or location_at(conn, parent["id"], time)
        if location is None:
            raise InvalidReferenceError(
                f"batch {parent['lot_code']} has no custody at {time}",
                f"批次 {parent['lot_code']} 在 {time} 没有保管记录",
            )
        require_location(conn, location)
        wanted = sum(child.quantity for child in split.children)
        remaining = _remaining(conn, parent)
        # A little slack for decimal fractions typed at the scale.
        if wanted > remaining + 1e-9:
            raise InvalidReferenceError(
                f"the children take {wanted:g} {parent['unit']} but only {remaining:g} remain",
                f"子批共 {wanted:g} {parent['unit']}，但只剩 {remaining:g}",
            )
        split_event = insert_event(conn, parent["id"], "splitting", time, location, {}, user_id)
        children = []
        for child in split.children:
            child_id, child_lot = insert_batch(
                conn,
                make_lot_code,
                {
                    "product": parent["product"],
                    "grade": child.grade or parent["grade"],
                    "quantity": child.quantity,
                    "unit": parent["unit"],
                    "received_at": time,
                    "packed_at": parent["packed_at"],
                    "best_before": parent["best_before"],
                    # Packs split from a packed batch are ready to ship as they are.
                    "status": "ready" if parent["packed_at"] else "in_processing",
                    "created_by": user_id,
                },
            )
            conn.execute(
                "INSERT INTO batch_lineage (parent_id, child_id, quantity, event_id)"
                " VALUES (%s, %s, %s, %s)",
                (parent["id"], child_id, child.quantity, split_event["id"]),
            )
            open_custody(conn, child_id, location, time, user_id)
            insert_event(
                conn, child_id, "splitting", time, location,
                {"from": parent["lot_code"]}, user_id,
            )  # fmt: skip
            children.append(child_lot)
        _close_if_used_up(conn, parent, time)
        audit.record(
            conn, user_id, "split", f"batch {parent['lot_code']}",
            {"children": children, **split.model_dump(mode="json")},
        )  # fmt: skip
    return [get_batch(conn, child) for child in children]


def merge_batches(
    conn: psycopg.Connection,
    merge: MergeCreate,
    user_id: int | None,
    make_lot_code: LotCodeFactory,
) -> BatchPublic:
    """Make one batch of several of the same product; each parent gives what remains of it."""
    codes = list(dict.fromkeys(normalize_lot_code(code) for code in merge.parents))
    if len(codes) < 2:
        raise InvalidReferenceError(
            "a merge needs at least two different batches", "合批至少需要两个不同的批次"
        )
    with conn.transaction():
        # Lock in a fixed order so two merges sharing parents cannot deadlock.
        found = rows(
            conn,
            "SELECT id, lot_code, product, quantity::float8 AS quantity, unit, grade"
            " FROM batches WHERE lot_code = ANY(%s) ORDER BY id FOR UPDATE",
            (codes,),
        )
        if missing := sorted(set(codes) - {row["lot_code"] for row in found}):
            names = ", ".join(missing)
            raise InvalidReferenceError(f"no batch with lot code {names}", f"找不到批次码 {names}")
        parents = sorted(found, key=lambda row: codes.index(row["lot_code"]))
        if len({(row["product"], row["unit"]) for row in parents}) > 1:
            raise InvalidReferenceError(
                "only batches of one product and unit can be merged",
                "只能合并同一产品、同一单位的批次",
            )
        time = merge.time or database_now(conn)
        location = merge.location or location_at(conn, parents[0]["id"], time)
        if location is None:
            first = parents[0]["lot_code"]
            raise InvalidReferenceError(
                f"batch {first} has no custody at {time}", f"批次 {first} 在 {time} 没有保管记录"
            )
        require_location(conn, location)
        shares = [(parent, _remaining(conn, parent)) for parent in parents]
        if empty := [parent["lot_code"] for parent, share in shares if share <= 0]:
            names = ", ".join(empty)
            raise InvalidReferenceError(
                f"nothing remains of batch {names}", f"批次 {names} 已无剩余"
            )
        child_id, child_lot = insert_batch(
            conn,
            make_lot_code,
            {
                "product": parents[0]["product"],
                "grade": merge.grade or parents[0]["grade"],
                "quantity": sum(share for _, share in shares),
                "unit": parents[0]["unit"],
                "received_at": time,
                "created_by": user_id,
            },
        )
        merge_event = insert_event(
            conn, child_id, "merging", time, location, {"from": codes}, user_id
        )
        for parent, share in shares:
            conn.execute(
                "INSERT INTO batch_lineage (parent_id, child_id, quantity, event_id)"
                " VALUES (%s, %s, %s, %s)",
                (parent["id"], child_id, share, merge_event["id"]),
            )
            insert_event(
                conn, parent["id"], "merging", time, location, {"into": child_lot}, user_id
            )
            _close_if_used_up(conn, parent, time)
        open_custody(conn, child_id, location, time, user_id)
        audit.record(conn, user_id, "merge", f"batch {child_lot}", merge.model_dump(mode="json"))
    return get_batch(conn, child_lot)
