"""Farmers' deliveries at village points: each is a harvest lot, stored once per phone id.

A phone may send the same delivery many times (its answer lost in a valley): the id it made
finds the row of the first send, and the body's fingerprint tells a resend (nothing new,
the stored delivery is the answer) from a different delivery under a used id (refused).
"""

import hashlib
from datetime import date
from typing import Any
from uuid import UUID

import psycopg

from schemas.deliveries import DeliveryCreate, DeliveryPublic, ReceivedCertificatePublic
from schemas.district_time import DISTRICT_TIME_ZONE
from store import audit
from store.db import rows
from store.errors import ConflictError, InvalidReferenceError, NotFoundError
from store.media import Prepared
from store.media_storage import MediaStorage, digest_of

_SELECT = """
SELECT d.id, h.code AS harvest_lot_code, d.village_point, v.name AS village_point_name,
       d.farmer, f.name AS farmer_name, d.product, p.name_zh AS product_name_zh,
       p.name_en AS product_name_en, p.certificate_category, d.variety, d.plot,
       pl.name AS plot_name, h.harvest_date, h.quantity::float8 AS quantity, h.unit,
       d.certificate_number, coalesce(d.certificate_issuer, f.name) AS certificate_issuer,
       d.certificate_basis, d.certificate_photo, d.recorded_at, u.username AS recorded_by,
       (SELECT t.code FROM trip_deliveries td JOIN trips t ON t.id = td.trip_id
         WHERE td.delivery_id = d.id) AS trip,
       (SELECT min(b.lot_code) FROM batch_harvest_lots bh JOIN batches b ON b.id = bh.batch_id
         WHERE bh.harvest_lot_id = d.harvest_lot_id) AS batch
FROM farm_deliveries d
JOIN harvest_lots h ON h.id = d.harvest_lot_id
JOIN locations v ON v.code = d.village_point
JOIN producers f ON f.code = d.farmer
JOIN products p ON p.code = d.product
LEFT JOIN producer_plots pl ON pl.producer = d.farmer AND pl.code = d.plot
LEFT JOIN users u ON u.id = d.recorded_by
"""


def photo_url(sha256: str) -> str:
    return f"/api/v1/delivery-photos/{sha256}"


def _public(row: dict[str, Any]) -> DeliveryPublic:
    number = row.pop("certificate_number")
    issuer, basis, photo = (
        row.pop("certificate_issuer"),
        row.pop("certificate_basis"),
        row.pop("certificate_photo"),
    )
    certificate = (
        ReceivedCertificatePublic(
            number=number, basis=basis, issuer=issuer, photo=photo_url(photo) if photo else None
        )
        if number
        else None
    )
    missing = certificate is None and row["certificate_category"] != "none"
    return DeliveryPublic(**row, certificate=certificate, certificate_missing=missing)


def fingerprint(delivery: DeliveryCreate, village_point: str) -> str:
    """What makes two sends the same delivery: every field, at the point it is recorded for."""
    body = delivery.model_copy(update={"village_point": village_point})
    return hashlib.sha256(body.model_dump_json().encode()).hexdigest()


def _check_references(conn: psycopg.Connection, delivery: DeliveryCreate, point: str) -> None:
    place = rows(conn, "SELECT kind FROM locations WHERE code = %s", (point,))
    if not place or place[0]["kind"] not in ("village_point", "township_station"):
        raise InvalidReferenceError(
            f"unknown village point {point!r}", f"找不到村级服务点：{point}"
        )
    farmer = rows(
        conn,
        "SELECT f.village, v.parent FROM producers f LEFT JOIN locations v ON v.code = f.village"
        " WHERE f.code = %s",
        (delivery.farmer,),
    )
    if not farmer:
        raise InvalidReferenceError(
            f"unknown farmer {delivery.farmer!r}", f"找不到农户：{delivery.farmer}"
        )
    if point not in (farmer[0]["village"], farmer[0]["parent"]):
        raise InvalidReferenceError(
            f"farmer {delivery.farmer!r} is registered at another village point",
            f"农户 {delivery.farmer} 登记在其他服务点",
        )
    if not rows(conn, "SELECT 1 FROM products WHERE code = %s", (delivery.product,)):
        raise InvalidReferenceError(
            f"unknown product {delivery.product!r}", f"找不到产品：{delivery.product}"
        )
    if delivery.plot is not None and not rows(
        conn,
        "SELECT 1 FROM producer_plots WHERE producer = %s AND code = %s",
        (delivery.farmer, delivery.plot),
    ):
        raise InvalidReferenceError(
            f"farmer {delivery.farmer!r} has no plot {delivery.plot!r}",
            f"农户 {delivery.farmer} 没有地块 {delivery.plot}",
        )


def record_delivery(
    conn: psycopg.Connection,
    delivery: DeliveryCreate,
    village_point: str,
    harvest_lot_code: str,
    user_id: int | None,
) -> tuple[DeliveryPublic, bool]:
    """Store the delivery and its harvest lot; returns it and whether this call stored it."""
    digest = fingerprint(delivery, village_point)
    with conn.transaction():
        # Two sends of one id at once: the second waits here, then finds the first's row.
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 15))", (str(delivery.id),))
        stored = rows(conn, "SELECT body_sha256 FROM farm_deliveries WHERE id = %s", (delivery.id,))
        if stored:
            if stored[0]["body_sha256"] != digest:
                raise ConflictError(
                    f"delivery {delivery.id} was recorded already with other details;"
                    " a new delivery needs a new id",
                    "此编号的交售记录已存在且内容不同；新的交售需要新的编号",
                )
            return get_delivery(conn, delivery.id), False
        _check_references(conn, delivery, village_point)
        harvest_lot_id = rows(
            conn,
            "INSERT INTO harvest_lots (producer, village, harvest_date, quantity, unit, code)"
            " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (
                delivery.farmer, village_point, delivery.harvest_date, delivery.quantity,
                delivery.unit, harvest_lot_code,
            ),
        )[0]["id"]  # fmt: skip
        certificate = delivery.certificate
        conn.execute(
            "INSERT INTO farm_deliveries (id, body_sha256, village_point, farmer, product,"
            " variety, plot, harvest_lot_id, certificate_number, certificate_issuer,"
            " certificate_basis, recorded_at, recorded_by)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                delivery.id, digest, village_point, delivery.farmer, delivery.product,
                delivery.variety, delivery.plot, harvest_lot_id,
                certificate.number if certificate else None,
                certificate.issuer if certificate else None,
                certificate.basis if certificate else None,
                delivery.recorded_at, user_id,
            ),
        )  # fmt: skip
        audit.record(
            conn, user_id, "record_delivery", f"harvest lot {harvest_lot_code}",
            delivery.model_dump(mode="json"),
        )  # fmt: skip
    return get_delivery(conn, delivery.id), True


def get_delivery(conn: psycopg.Connection, delivery_id: UUID) -> DeliveryPublic:
    found = rows(conn, _SELECT + " WHERE d.id = %s", (delivery_id,))
    if not found:
        raise NotFoundError(f"no delivery {delivery_id}", f"找不到交售记录 {delivery_id}")
    return _public(found[0])


def list_deliveries(
    conn: psycopg.Connection,
    village_point: str | None = None,
    day: date | None = None,
    waiting: bool = False,
    limit: int = 500,
    served_by: str | None = None,
    on_trip: bool | None = None,
) -> list[DeliveryPublic]:
    """Deliveries newest first: of one point, of the points a station serves (itself and
    those under it), of one district day, not yet in a batch, on a trip or not."""
    found = rows(
        conn,
        _SELECT
        + " WHERE (%(point)s::text IS NULL OR d.village_point = %(point)s)"
        " AND (%(served)s::text IS NULL OR d.village_point = %(served)s OR v.parent = %(served)s)"
        " AND (%(day)s::date IS NULL OR (d.recorded_at AT TIME ZONE %(zone)s)::date = %(day)s)"
        " AND (NOT %(waiting)s OR NOT EXISTS (SELECT 1 FROM batch_harvest_lots bh"
        "      WHERE bh.harvest_lot_id = d.harvest_lot_id))"
        " AND (%(on_trip)s::boolean IS NULL OR %(on_trip)s = EXISTS (SELECT 1"
        "      FROM trip_deliveries td WHERE td.delivery_id = d.id))"
        " ORDER BY d.recorded_at DESC, d.id LIMIT %(limit)s",
        {"point": village_point, "served": served_by, "day": day, "zone": DISTRICT_TIME_ZONE,
         "waiting": waiting, "on_trip": on_trip, "limit": limit},
    )  # fmt: skip
    return [_public(row) for row in found]


def station_of(conn: psycopg.Connection, point: str) -> str | None:
    """The station a village point is under (its parent), if any."""
    found = rows(conn, "SELECT parent FROM locations WHERE code = %s", (point,))
    return found[0]["parent"] if found else None


def attach_photo(
    conn: psycopg.Connection, storage: MediaStorage, delivery_id: UUID, photo: Prepared
) -> None:
    """Keep the certificate's cleaned photo by its content hash, beside the pages' media; the
    same photo again changes nothing, another is refused, and a refused one is not kept."""
    with conn.transaction():
        found = rows(
            conn,
            "SELECT certificate_number, certificate_photo FROM farm_deliveries"
            " WHERE id = %s FOR UPDATE",
            (delivery_id,),
        )
        if not found:
            raise NotFoundError(f"no delivery {delivery_id}", f"找不到交售记录 {delivery_id}")
        if found[0]["certificate_number"] is None:
            raise InvalidReferenceError(
                "the delivery records no certificate to photograph", "此交售未登记合格证"
            )
        if found[0]["certificate_photo"] not in (None, digest_of(photo.data)):
            raise ConflictError(
                "the certificate's photo is stored already; a different one is refused",
                "合格证照片已保存，不能替换",
            )
        digest = storage.put(photo.data)
        conn.execute(
            "UPDATE farm_deliveries SET certificate_photo = %s WHERE id = %s",
            (digest, delivery_id),
        )


def is_certificate_photo(conn: psycopg.Connection, digest: str) -> bool:
    """Whether a delivery keeps this photo: the route serving them serves no other file."""
    return bool(
        rows(conn, "SELECT 1 FROM farm_deliveries WHERE certificate_photo = %s LIMIT 1", (digest,))
    )


def point_choices(conn: psycopg.Connection, point: str) -> dict[str, Any]:
    """What an agent's phone needs offline: its point, the farmers there with their plots,
    and the products (with whether each needs a 合格证)."""
    place = rows(conn, "SELECT code, name, kind FROM locations WHERE code = %s", (point,))
    farmers = rows(
        conn,
        "SELECT f.code, f.name, coalesce(json_agg(json_build_object('code', pl.code,"
        " 'name', pl.name) ORDER BY pl.code) FILTER (WHERE pl.code IS NOT NULL), '[]') AS plots"
        " FROM producers f LEFT JOIN locations v ON v.code = f.village"
        " LEFT JOIN producer_plots pl ON pl.producer = f.code"
        " WHERE f.village = %(point)s OR v.parent = %(point)s"
        " GROUP BY f.code, f.name ORDER BY f.name, f.code",
        {"point": point},
    )
    products = rows(
        conn,
        "SELECT code, name_zh, name_en, certificate_category FROM products ORDER BY name_zh, code",
    )
    return {"point": place[0] if place else None, "farmers": farmers, "products": products}


def list_deliveries_by_id(
    conn: psycopg.Connection, delivery_ids: list[UUID]
) -> list[DeliveryPublic]:
    found = rows(
        conn, _SELECT + " WHERE d.id = ANY(%s) ORDER BY d.recorded_at, d.id", (delivery_ids,)
    )
    return [_public(row) for row in found]
