"""The demo fleet's spooled history: what a gateway would have sampled while nothing listened."""

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import psycopg

from farmtrace.demo import data as demo_data
from farmtrace.demo.fleet import (
    FLEET_INTERVAL,
    fleet_groups,
    run_origins,
    spool_missed_readings,
    spool_path,
)
from farmtrace.demo.seed import seed_demo
from schemas.district_time import DISTRICT_TIME
from sensors.simulation.fleet import PROFILES, RoomProfile
from store.batch_detail import batch_detail

ANCHOR = datetime(2026, 11, 20, tzinfo=DISTRICT_TIME)


def _spooled(root: Path, group: str, device_id: str) -> list[tuple[float, str, float]]:
    with sqlite3.connect(spool_path(root, group, device_id)) as spool:
        return spool.execute("SELECT time, name, value FROM records ORDER BY id").fetchall()


def test_a_first_run_spools_every_minute_from_each_runs_origin(tmp_path: Path) -> None:
    until = ANCHOR + timedelta(days=2)
    spooled = spool_missed_readings(tmp_path, ANCHOR, until, {})
    assert set(spooled) == {device.device_id for device in demo_data.DEVICES}
    for group, origin in run_origins(ANCHOR).items():
        for device_id in fleet_groups()[group]:
            times = sorted({row[0] for row in _spooled(tmp_path, group, device_id)})
            assert times[0] == origin.timestamp()
            assert (
                times[-1] == (until - FLEET_INTERVAL).timestamp() == spooled[device_id].timestamp()
            )
            assert len(times) == (until - origin) / FLEET_INTERVAL, "one sample a minute, no hole"


def test_a_restart_spools_the_stopped_minutes_as_one_unbroken_run_would(tmp_path: Path) -> None:
    """Stopped at 14:00 on day 1, started again at 15:30: the minutes between are spooled, and
    their readings are those of a run that never stopped (the failing truck stays warm)."""
    stopped = ANCHOR + timedelta(days=1, hours=14)
    restarted = stopped + timedelta(minutes=90)
    unbroken = tmp_path / "unbroken"
    spool_missed_readings(unbroken, ANCHOR, restarted, {})
    resumed = tmp_path / "resumed"
    stored = {device.device_id: stopped - FLEET_INTERVAL for device in demo_data.DEVICES}
    spooled = spool_missed_readings(resumed, ANCHOR, restarted, stored)
    assert set(spooled) == set(stored)
    for group in ("rooms", "trucks"):
        for device_id in fleet_groups()[group]:
            resumed_rows = _spooled(resumed, group, device_id)
            assert min(row[0] for row in resumed_rows) == stopped.timestamp()
            expected = [row for row in _spooled(unbroken, group, device_id)
                        if row[0] >= stopped.timestamp()]  # fmt: skip
            assert resumed_rows == expected


def test_nothing_is_spooled_for_devices_already_up_to_date(tmp_path: Path) -> None:
    until = ANCHOR + timedelta(days=1)
    stored = {device.device_id: until - FLEET_INTERVAL for device in demo_data.DEVICES}
    assert spool_missed_readings(tmp_path, ANCHOR, until, stored) == {}


def test_every_demo_batch_is_stored_where_the_room_keeps_its_products_band(
    clean_database: str,
) -> None:
    """No fresh gastrodia (2–5 °C) or walnuts (≤ 10 °C) in a room set warmer than that."""
    rooms = {p.location: p for p in PROFILES.values() if isinstance(p, RoomProfile)}
    products = {product.code: product for product in demo_data.PRODUCTS}
    with psycopg.connect(clean_database) as conn:
        seeded = seed_demo(conn, True, ANCHOR)
        checked = 0
        for lot in seeded.lots:
            detail = batch_detail(conn, lot)
            product = products[detail.product]
            for interval in detail.custody:
                room = rooms.get(interval.location)
                if room is None or room.kind not in {"cold_store", "warehouse"}:
                    continue
                low = product.temp_min if product.temp_min is not None else -273.0
                high = product.temp_max if product.temp_max is not None else 100.0
                assert low <= room.band.low and room.band.high <= high, (lot, interval.location)
                checked += 1
    assert checked >= 5
