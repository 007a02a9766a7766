"""Builders for cold-chain tests: a small district written straight into the store."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import psycopg

from labels.lot_codes import lot_code_for
from schemas.arrivals import Arrival
from schemas.batches import BatchCreate, HarvestLotCreate, MoveCreate
from store.arrivals import record_arrivals
from store.batches import receive_batch
from store.custody import move_batch
from store.devices import add_device

T0 = datetime(2026, 5, 6, 0, 0, tzinfo=UTC)
COLD_DEVICE = "COLD-T1"
TRUCK_DEVICE = "TRUCK01-T1"


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def seed_district(conn: psycopg.Connection) -> None:
    """A village, the cold store, a truck and a warehouse; fresh gastrodia (2–5 °C, 30 min
    excursion, 10 min gap) and walnuts (≤ 10 °C, ≤ 70 %RH); one probe in the cold store and
    one in the truck, both reporting every minute and installed a day before T0."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO locations (code, name, kind) VALUES"
            " ('VP-PUTI', '蒲梯村服务点', 'village_point'),"
            " ('PC-COLD', '加工中心冷库', 'cold_store'),"
            " ('TRUCK-01', '冷藏车 川L·J0101', 'truck'), ('WH-1', '区仓库', 'warehouse')"
        )
        conn.execute(
            "INSERT INTO producers (code, name, village) VALUES ('P-ABU', '阿布惹', 'VP-PUTI')"
        )
        conn.execute(
            "INSERT INTO products (code, name_zh, name_en, category, temp_min, temp_max,"
            " max_excursion_minutes, max_gap_minutes, gtin) VALUES ('TIANMA-FRESH',"
            " '金口河乌天麻（鲜）', 'Jinkouhe gastrodia, fresh', 'herb', 2, 5, 30, 10,"
            " '06901234567892')"
        )
        conn.execute(
            "INSERT INTO products (code, name_zh, name_en, category, temp_max, humidity_max)"
            " VALUES ('WALNUT', '核桃', 'Walnuts', 'nuts', 10, 70)"
        )
        since = T0 - timedelta(days=1)
        add_device(conn, COLD_DEVICE, "probe", "PC-COLD", since, 60, T0.date())
        add_device(conn, TRUCK_DEVICE, "probe", "TRUCK-01", since, 60)
    conn.commit()


def new_batch(
    conn: psycopg.Connection,
    product: str = "TIANMA-FRESH",
    location: str = "PC-COLD",
    at: datetime = T0,
    quantity: float = 100,
) -> str:
    batch = receive_batch(
        conn,
        BatchCreate(
            product=product,
            harvest_lots=[
                HarvestLotCreate(
                    producer="P-ABU", village="VP-PUTI", harvest_date=at.date(),
                    quantity=quantity, unit="kg",
                )
            ],
            quantity=quantity, unit="kg", location=location, received_at=at,
        ),
        None,
        lot_code_for,
    )  # fmt: skip
    conn.commit()
    return batch.lot_code


def move(conn: psycopg.Connection, lot: str, location: str, at: datetime) -> None:
    move_batch(conn, lot, MoveCreate(location=location, time=at), None)
    conn.commit()


def add_readings(
    conn: psycopg.Connection,
    device_id: str,
    points: list[tuple[datetime, float]],
    metric: str = "temp",
) -> None:
    """Store readings as the collector does: with their arrival in the same transaction."""
    with conn.transaction():
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO readings (time, device_id, metric, value) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                [(time, device_id, metric, value) for time, value in points],
            )
        times = [time for time, _ in points]
        record_arrivals(conn, [Arrival(device_id, min(times), max(times), len(points))])
    conn.commit()


def every_minute(
    start: datetime, count: int, value: Callable[[int], float]
) -> list[tuple[datetime, float]]:
    """``count`` one-minute readings from ``start``; ``value(i)`` gives the i-th."""
    return [(start + minutes(i), value(i)) for i in range(count)]
