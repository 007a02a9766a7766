"""The demo's batches with the readings its simulated fleet records over their days.

The demo replays its fleet at speed over MQTT; here the same device models are sampled
directly (every reading a gateway would eventually deliver, tunnels included) and stored as
the collector stores them, so the pages' verdicts can be checked against the demo's story.
"""

from datetime import datetime, timedelta

import psycopg

from farmtrace.demo.batches import default_anchor
from farmtrace.demo.data import DEVICES
from farmtrace.demo.fleet import TRUCK_RUN_STARTS_AFTER
from farmtrace.demo.seed import seed_demo
from schemas.arrivals import Arrival
from sensors.simulation.models import build_model
from store.arrivals import record_arrivals, take_arrivals
from store.db import database_now
from store.rollups import refresh_hours

# The metrics the pages judge; doors, positions and batteries play no part in them.
JUDGED_METRICS = ("temp", "hum")
SAMPLE_EVERY = timedelta(minutes=1)


def seed_demo_with_readings(conn: psycopg.Connection) -> list[str]:
    """Seed the demo (master data and batches) and its fleet's readings up to now."""
    anchor = default_anchor()
    lots = seed_demo(conn, batches=True, anchor=anchor).lots
    conn.commit()
    now = database_now(conn)
    for device in DEVICES:
        truck = device.kind == "reefer_logger"
        origin = anchor + TRUCK_RUN_STARTS_AFTER if truck else anchor
        _store(conn, device.device_id, _sample(device.device_id, origin, now))
    with conn.transaction():
        refresh_hours(conn, take_arrivals(conn))
    conn.commit()
    return lots


def _sample(device_id: str, origin: datetime, now: datetime) -> list[tuple[datetime, str, float]]:
    model = build_model(device_id, 0, origin.timestamp())
    found: list[tuple[datetime, str, float]] = []
    moment = origin
    while moment < now:
        reading = model.reading(moment.timestamp())
        for metric in JUDGED_METRICS:
            value = reading.get(metric)
            if isinstance(value, float | int) and not isinstance(value, bool):
                found.append((moment, metric, float(value)))
        moment += SAMPLE_EVERY
    return found


def _store(
    conn: psycopg.Connection, device_id: str, readings: list[tuple[datetime, str, float]]
) -> None:
    if not readings:
        return
    with conn.transaction():
        with (
            conn.cursor() as cursor,
            cursor.copy("COPY readings (time, device_id, metric, value) FROM STDIN") as copy,
        ):
            for time, metric, value in readings:
                copy.write_row((time, device_id, metric, value))
        times = [time for time, _, _ in readings]
        record_arrivals(conn, [Arrival(device_id, min(times), max(times), len(readings))])
