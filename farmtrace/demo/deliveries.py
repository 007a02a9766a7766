"""Demo harvests told from the source end: deliveries at village points, trips from the
township stations, so every demo batch's origin, farmers and certificates come from them."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

import psycopg

from farmtrace.demo import data as demo_data
from labels.harvest_lot_codes import harvest_lot_code
from labels.lot_codes import generate_lot_code
from schemas.deliveries import DeliveryCreate, ReceivedCertificate
from schemas.district_time import DISTRICT_TIME
from schemas.trips import TripCreate
from store.farm_deliveries import record_delivery
from store.trips import record_trip

# Farmers bring produce to the point early; the station's vehicle leaves an hour later.
DELIVERED_BEFORE_RECEIVING = timedelta(hours=3)
TRIP_AFTER_DELIVERY = timedelta(hours=1)
_STATION_OF = {point.code: point.parent for point in demo_data.VILLAGE_POINTS}


def deliver(
    conn: psycopg.Connection,
    product: str,
    harvests: list[tuple[str, str, date, float]],
    received_at: datetime,
) -> list[UUID]:
    """Record each (producer, village, harvest date, kg) as a delivery and carry them to the
    centre from their stations; returns the deliveries' ids for the batch."""
    recorded_at = received_at - DELIVERED_BEFORE_RECEIVING
    by_station: dict[str, list[UUID]] = defaultdict(list)
    for producer, village, harvest_date, kg in harvests:
        delivery_id = uuid4()
        plots = demo_data.FARMER_PLOTS.get(producer)
        certificate = demo_data.RECEIVED_CERTIFICATES.get(producer)
        body = DeliveryCreate(
            id=delivery_id,
            farmer=producer,
            product=product,
            variety=demo_data.VARIETIES.get(product),
            plot=plots[0][0] if plots else None,
            harvest_date=harvest_date,
            quantity=kg,
            unit="kg",
            certificate=(
                ReceivedCertificate(number=certificate[0], basis=certificate[1])  # type: ignore[arg-type]
                if certificate
                else None
            ),
            recorded_at=recorded_at,
        )
        record_delivery(conn, body, village, harvest_lot_code(delivery_id), None)
        by_station[_STATION_OF.get(village) or village].append(delivery_id)
    departed_at = recorded_at + TRIP_AFTER_DELIVERY
    for station, ids in by_station.items():
        code = generate_lot_code("TR", departed_at.astimezone(DISTRICT_TIME).date())
        trip = TripCreate(id=uuid4(), deliveries=ids, departed_at=departed_at)
        record_trip(conn, trip, station, code, None)
    return [delivery_id for ids in by_station.values() for delivery_id in ids]
