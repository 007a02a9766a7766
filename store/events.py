"""Processing steps and test results: append-only events, corrected by later events."""

from datetime import datetime
from typing import Any

import psycopg

from schemas.batches import EventCreate, EventPublic
from schemas.district_time import DISTRICT_TIME_ZONE
from store import audit
from store.batches import batch_row, insert_event, require_location
from store.certificates import issue_at_packing
from store.db import rows
from store.errors import InvalidReferenceError
from store.packs import make_packs


def location_at(conn: psycopg.Connection, batch_id: int, time: datetime) -> str | None:
    """Where the batch was at a time, from its custody."""
    found = rows(
        conn,
        "SELECT location FROM custody WHERE batch_id = %s AND during @> %s::timestamptz",
        (batch_id, time),
    )
    return found[0]["location"] if found else None


def record_event(
    conn: psycopg.Connection, lot_code: str, event: EventCreate, user_id: int | None
) -> EventPublic:
    with conn.transaction():
        batch = batch_row(conn, lot_code, lock=True)
        location = event.location or location_at(conn, batch["id"], event.time)
        if location is not None:
            require_location(conn, location)
        corrects = _corrected_event_id(conn, batch["id"], event) if event.corrects else None
        inserted = insert_event(
            conn, batch["id"], event.type, event.time, location, event.data, user_id, corrects
        )
        if event.type == "packing" and corrects is None:
            _mark_packed(conn, batch["id"], event.time)
            if event.data.get("packs"):
                make_packs(conn, batch, inserted["id"], int(event.data["packs"]))
            # Packing mixes or repacks for sale: covered produce gets the centre's 合格证.
            issue_at_packing(conn, batch["id"], event.time, location, user_id)
        audit.record(
            conn, user_id, "record_event", f"batch {batch['lot_code']}",
            {"event_id": str(inserted["event_id"]), **event.model_dump(mode="json")},
        )  # fmt: skip
    return _public(rows(conn, _EVENT_SELECT + " WHERE e.id = %s", (inserted["id"],))[0])


def _corrected_event_id(conn: psycopg.Connection, batch_id: int, event: EventCreate) -> int:
    found = rows(conn, "SELECT id, batch_id FROM events WHERE event_id = %s", (event.corrects,))
    if not found or found[0]["batch_id"] != batch_id:
        raise InvalidReferenceError(
            f"event {event.corrects} is not an event of this batch", "被更正的事件不属于本批次"
        )
    return int(found[0]["id"])


def _mark_packed(conn: psycopg.Connection, batch_id: int, packed_at: datetime) -> None:
    """Packing dates the batch: the label's pack date and best-before come from here."""
    conn.execute(
        "UPDATE batches b SET packed_at = %s, status = 'ready',"
        " best_before = (%s::timestamptz AT TIME ZONE %s)::date + p.shelf_life_days"
        " FROM products p WHERE p.code = b.product AND b.id = %s",
        (packed_at, packed_at, DISTRICT_TIME_ZONE, batch_id),
    )


_EVENT_SELECT = """
SELECT e.id, e.event_id, e.type, e.business_step, e.time, e.location, e.data,
       c.event_id AS corrects, e.corrects AS corrects_id, u.username AS recorded_by, e.recorded_at
FROM events e
LEFT JOIN events c ON c.id = e.corrects
LEFT JOIN users u ON u.id = e.recorded_by
"""


def _public(row: dict[str, Any]) -> EventPublic:
    return EventPublic(**{k: v for k, v in row.items() if k not in ("id", "corrects_id")})


def events_of(conn: psycopg.Connection, batch_id: int) -> list[EventPublic]:
    """The batch's events in time order; each correction sits beside the event it corrects.

    A correction of a correction is listed under the original too, so the history reads as
    the original followed by every amendment, oldest first.
    """
    found = rows(conn, _EVENT_SELECT + " WHERE e.batch_id = %s ORDER BY e.time, e.id", (batch_id,))
    by_id = {row["id"]: row for row in found}

    def original_of(row: dict[str, Any]) -> int:
        while row["corrects_id"] is not None and row["corrects_id"] in by_id:
            row = by_id[row["corrects_id"]]
        return int(row["id"])

    originals: dict[int, EventPublic] = {}
    corrections: dict[int, list[dict[str, Any]]] = {}
    for row in found:
        if row["corrects_id"] is None:
            originals[row["id"]] = _public(row)
        else:
            corrections.setdefault(original_of(row), []).append(row)
    for original_id, amendments in corrections.items():
        amendments.sort(key=lambda row: (row["recorded_at"], row["id"]))
        originals[original_id].corrections = [_public(row) for row in amendments]
    return list(originals.values())
