"""Trips to the centre: deliveries gathered at a station, carried, received into batches.

A delivery travels on one trip; at the centre, a batch received from deliveries takes their
harvest lots as they were recorded at the village point, so nothing is typed twice.
"""

import hashlib
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import psycopg

from schemas.trips import TripCreate, TripPublic
from store import audit
from store.db import rows
from store.errors import ConflictError, InvalidReferenceError, NotFoundError
from store.farm_deliveries import list_deliveries_by_id


def _points_served(conn: psycopg.Connection, origin: str) -> set[str]:
    """The origin and the village points under it (a station gathers for its villages)."""
    found = rows(
        conn,
        "SELECT code FROM locations WHERE code = %(o)s OR parent = %(o)s",
        {"o": origin},
    )
    return {row["code"] for row in found}


def fingerprint(trip: TripCreate, origin: str) -> str:
    """What makes two sends the same trip: every field (deliveries in any order), its origin."""
    body = trip.model_copy(update={"origin": origin, "deliveries": sorted(set(trip.deliveries))})
    return hashlib.sha256(body.model_dump_json().encode()).hexdigest()


def record_trip(
    conn: psycopg.Connection, trip: TripCreate, origin: str, code: str, user_id: int | None
) -> tuple[TripPublic, bool]:
    """Store the trip (``code`` names a new one); returns it and whether this call stored it.
    A resend under the phone's id answers with the first send's trip."""
    digest = fingerprint(trip, origin)
    with conn.transaction():
        # Two sends of one id at once: the second waits here, then finds the first's row.
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 16))", (str(trip.id),))
        stored = rows(conn, "SELECT code, body_sha256 FROM trips WHERE phone_id = %s", (trip.id,))
        if stored:
            if stored[0]["body_sha256"] != digest:
                raise ConflictError(
                    f"trip {trip.id} was recorded already with other details;"
                    " a new trip needs a new id",
                    "此编号的运输记录已存在且内容不同；新的运输需要新的编号",
                )
            return get_trip(conn, stored[0]["code"]), False
        place = rows(conn, "SELECT kind FROM locations WHERE code = %s", (origin,))
        if not place or place[0]["kind"] not in ("village_point", "township_station"):
            raise InvalidReferenceError(
                f"trip: {origin!r} is not a village point or township station",
                f"运输：{origin} 不是村级服务点或乡镇站",
            )
        ids = sorted(set(trip.deliveries))
        found = rows(
            conn,
            "SELECT d.id, d.village_point, td.trip_id FROM farm_deliveries d"
            " LEFT JOIN trip_deliveries td ON td.delivery_id = d.id"
            " WHERE d.id = ANY(%s) FOR UPDATE OF d",
            (ids,),
        )
        if missing := sorted(set(ids) - {row["id"] for row in found}):
            raise InvalidReferenceError(
                f"trip: unknown delivery {missing[0]}", f"运输：找不到交售记录 {missing[0]}"
            )
        served = _points_served(conn, origin)
        if stray := [row["id"] for row in found if row["village_point"] not in served]:
            raise InvalidReferenceError(
                f"trip: delivery {stray[0]} was recorded at a point {origin} does not serve",
                f"运输：交售 {stray[0]} 不属于 {origin} 所辖服务点",
            )
        if carried := [row["id"] for row in found if row["trip_id"] is not None]:
            raise ConflictError(
                f"trip: delivery {carried[0]} travels on another trip already",
                f"运输：交售 {carried[0]} 已在其他运输中",
            )
        trip_id = rows(
            conn,
            "INSERT INTO trips (phone_id, body_sha256, code, origin, vehicle, departed_at,"
            " recorded_by) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
            (trip.id, digest, code, origin, trip.vehicle, trip.departed_at, user_id),
        )[0]["id"]
        conn.cursor().executemany(
            "INSERT INTO trip_deliveries (trip_id, delivery_id) VALUES (%s, %s)",
            [(trip_id, delivery_id) for delivery_id in ids],
        )
        audit.record(conn, user_id, "record_trip", f"trip {code}", trip.model_dump(mode="json"))
    return get_trip(conn, code), True


_TRIP_SELECT = """
SELECT t.id, t.phone_id, t.code, t.origin, l.name AS origin_name, t.vehicle, t.departed_at,
       u.username AS recorded_by
FROM trips t JOIN locations l ON l.code = t.origin LEFT JOIN users u ON u.id = t.recorded_by
"""


def _with_deliveries(conn: psycopg.Connection, found: list[dict[str, Any]]) -> list[TripPublic]:
    carried = rows(
        conn,
        "SELECT trip_id, delivery_id FROM trip_deliveries WHERE trip_id = ANY(%s)",
        ([row["id"] for row in found],),
    )
    deliveries = {
        delivery.id: delivery
        for delivery in list_deliveries_by_id(conn, [row["delivery_id"] for row in carried])
    }
    trips = []
    for row in found:
        mine = [deliveries[c["delivery_id"]] for c in carried if c["trip_id"] == row["id"]]
        trips.append(TripPublic(
            **{k: v for k, v in row.items() if k not in ("id", "phone_id")}, id=row["phone_id"],
            deliveries=mine,
        ))  # fmt: skip
    return trips


def get_trip(conn: psycopg.Connection, code: str) -> TripPublic:
    found = rows(conn, _TRIP_SELECT + " WHERE t.code = %s", (code,))
    if not found:
        raise NotFoundError(f"no trip {code!r}", f"找不到运输 {code}")
    return _with_deliveries(conn, found)[0]


def list_trips(conn: psycopg.Connection, origins: set[str] | None = None) -> list[TripPublic]:
    """Trips, latest first, with a delivery not yet received (or of the origins given)."""
    found = rows(
        conn,
        _TRIP_SELECT + " WHERE (%(origins)s::text[] IS NULL OR t.origin = ANY(%(origins)s))"
        " AND EXISTS (SELECT 1 FROM trip_deliveries td"
        "   JOIN farm_deliveries d ON d.id = td.delivery_id WHERE td.trip_id = t.id"
        "   AND NOT EXISTS (SELECT 1 FROM batch_harvest_lots bh"
        "     WHERE bh.harvest_lot_id = d.harvest_lot_id))"
        " ORDER BY t.departed_at DESC LIMIT 200",
        {"origins": sorted(origins) if origins is not None else None},
    )
    return _with_deliveries(conn, found)


def delivered_harvest_lots(
    conn: psycopg.Connection, product: str, delivery_ids: Sequence[UUID]
) -> list[int]:
    """The harvest lots of deliveries a batch is received from (in the caller's transaction):
    each of the batch's product and not yet in another batch."""
    if not delivery_ids:
        return []
    found = rows(
        conn,
        "SELECT d.id, d.product, d.harvest_lot_id,"
        " EXISTS (SELECT 1 FROM batch_harvest_lots bh WHERE bh.harvest_lot_id = d.harvest_lot_id)"
        "   AS received"
        " FROM farm_deliveries d WHERE d.id = ANY(%s) FOR UPDATE",
        (sorted(set(delivery_ids)),),
    )
    if missing := sorted(set(delivery_ids) - {row["id"] for row in found}):
        raise InvalidReferenceError(
            f"unknown delivery {missing[0]}", f"找不到交售记录 {missing[0]}"
        )
    for row in found:
        if row["product"] != product:
            raise InvalidReferenceError(
                f"delivery {row['id']} is of {row['product']}, not {product}",
                f"交售 {row['id']} 的产品是 {row['product']}，不是 {product}",
            )
        if row["received"]:
            raise ConflictError(
                f"delivery {row['id']} was received into a batch already",
                f"交售 {row['id']} 已收入其他批次",
            )
    return [row["harvest_lot_id"] for row in found]
