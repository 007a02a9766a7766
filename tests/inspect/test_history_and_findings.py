"""A batch's history across custody and its findings, from the store and through the API."""

import uuid
from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
from fastapi.testclient import TestClient

from schemas.settings import Settings
from store.arrivals import take_arrivals
from store.db import database_url_on
from store.devices import add_device
from store.findings import batch_findings, verdict
from store.history import temperature_history
from store.migrations import migrate
from store.rollups import refresh_hours
from tests.fix_api import bearer
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    TRUCK_DEVICE,
    add_readings,
    every_minute,
    minutes,
    move,
    new_batch,
    seed_district,
)
from watch.rounds import watch_once

NOW = T0 + timedelta(hours=7)


def cold_value(i: int) -> float:
    """Minute i from T0 - 1 h: in band, except 40 minutes at 8–9 °C from T0 + 1 h."""
    return 9.0 if i == 140 else 8.0 if 120 <= i < 160 else 3.0


def truck_value(i: int) -> float:
    return 4.0


@pytest.fixture
def chain(db: psycopg.Connection) -> str:
    return build_chain(db)


@pytest.fixture
def own_db(
    db: psycopg.Connection, timescale: bool, postgres_server: str
) -> Iterator[psycopg.Connection]:
    """The test database, or on TimescaleDB one of the test's own: refreshing a continuous
    aggregate moves its watermark for good, which would hide later tests' older rows."""
    if not timescale:
        yield db
        return
    name = f"farmtrace_refresh_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    url = database_url_on(postgres_server, name)
    try:
        migrate(url)
        with psycopg.connect(url) as conn:
            yield conn
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


@pytest.fixture
def own_chain(own_db: psycopg.Connection) -> str:
    return build_chain(own_db)


def build_chain(db: psycopg.Connection) -> str:
    """Cold store T0–T0+3 h, truck to T0+6 h (silent for 20 min at T0+4 h), then a
    warehouse without any device."""
    seed_district(db)
    lot = new_batch(db)
    move(db, lot, "TRUCK-01", T0 + timedelta(hours=3))
    move(db, lot, "WH-1", T0 + timedelta(hours=6))
    add_readings(db, COLD_DEVICE, every_minute(T0 - timedelta(hours=1), 300, cold_value))
    truck = every_minute(T0 + timedelta(hours=2), 300, truck_value)
    silent = (T0 + timedelta(hours=4), T0 + timedelta(hours=4, minutes=20))
    add_readings(db, TRUCK_DEVICE, [p for p in truck if not silent[0] < p[0] < silent[1]])
    return lot


def test_findings_name_the_excursion_and_every_gap_with_location_and_device(
    db: psycopg.Connection, chain: str
) -> None:
    found, any_data = batch_findings(db, chain, now=NOW)
    assert any_data
    summary = [(f.kind, f.location, f.device_id, f.start - T0, f.end - T0) for f in found]
    assert summary == [
        ("excursion", "PC-COLD", COLD_DEVICE, minutes(60), minutes(100)),
        ("gap", "TRUCK-01", TRUCK_DEVICE, minutes(240), minutes(260)),
        ("gap", "WH-1", None, minutes(360), minutes(420)),
    ]
    assert found[0].peak == 9.0 and found[0].deviation == 4.0
    assert found[0].duration_s == 40 * 60
    assert verdict(found, any_data) == "excursions"


def test_history_keeps_to_the_points_asked_for_and_shows_silence_as_a_gap(
    db: psycopg.Connection, chain: str
) -> None:
    history = temperature_history(db, chain, points=50, now=NOW)
    assert history.bucket_seconds == 600
    points = [p for s in history.series for p in s.points]
    assert len(points) <= 50
    [cold, truck] = history.series
    assert (cold.location, cold.device_id, truck.location) == ("PC-COLD", COLD_DEVICE, "TRUCK-01")
    assert max(p.max for p in cold.points if p.max is not None) == 9.0
    assert cold.calibration_overdue is False and truck.calibration_overdue is True
    # The 10-minute bucket T0+4h10 lies wholly in the truck's silence.
    silent = [p for p in truck.points if p.count == 0]
    assert [p.time - T0 for p in silent] == [minutes(250)]
    assert [c.location for c in history.custody] == ["PC-COLD", "TRUCK-01", "WH-1"]


def test_hourly_buckets_agree_before_and_after_the_rollup_is_refreshed(
    own_db: psycopg.Connection, own_chain: str, timescale: bool
) -> None:
    db, chain = own_db, own_chain

    def hourly() -> list[tuple]:
        history = temperature_history(db, chain, points=10, now=NOW)
        assert history.bucket_seconds == 3600
        return [
            (s.device_id, p.time, p.min, p.max, round(p.mean or 0, 6), p.count)
            for s in history.series
            for p in s.points
        ]

    pending = hourly()
    refresh_hours(db, take_arrivals(db))
    db.commit()
    if timescale:
        refresh_aggregates(db)
    assert hourly() == pending
    cold_hour = [row for row in pending if row[0] == COLD_DEVICE and row[1] == T0 + minutes(60)]
    # That hour: 39 minutes at 8 °C, one at 9 °C, twenty back at 3 °C.
    mean = round((39 * 8.0 + 9.0 + 20 * 3.0) / 60, 6)
    assert cold_hour == [(COLD_DEVICE, T0 + minutes(60), 3.0, 9.0, mean, 60)]


def test_a_late_reading_into_a_refreshed_hour_shows_in_the_history(
    own_db: psycopg.Connection, own_chain: str
) -> None:
    db, chain = own_db, own_chain

    refresh_hours(db, take_arrivals(db))
    db.commit()
    add_readings(db, COLD_DEVICE, [(T0 + minutes(30) + timedelta(seconds=30), -4.0)])
    history = temperature_history(db, chain, points=10, now=NOW)
    [hour] = [p for p in history.series[0].points if p.time == T0]
    assert hour.min == -4.0 and hour.count == 61


def test_a_reading_later_than_the_aggregates_reach_shows_everywhere_after_a_round(
    own_db: psycopg.Connection, own_chain: str, timescale: bool
) -> None:
    """Months after its hour was materialised (beyond every refresh policy's start offset),
    a flushed reading reaches the history and both rollups after one watcher round."""
    db, chain = own_db, own_chain
    settings = Settings(database_url=db.info.dsn)
    with psycopg.connect(db.info.dsn, autocommit=True) as watcher:
        watch_once(watcher, settings)
        if timescale:
            refresh_aggregates(db)  # as the policies did while these hours were recent
        late = T0 + minutes(30) + timedelta(seconds=30)
        add_readings(db, COLD_DEVICE, [(late, -4.0)])
        watch_once(watcher, settings)
        if timescale:
            run_refresh_policies(watcher)
    assert db.execute("SELECT count(*) FROM reading_arrivals").fetchone() == (0,)
    history = temperature_history(db, chain, points=10, now=NOW)
    [hour] = [p for p in history.series[0].points if p.time == T0]
    assert (hour.min, hour.count) == (-4.0, 61)
    five = db.execute(
        "SELECT min, count FROM readings_5m WHERE device_id = %s AND bucket = %s",
        (COLD_DEVICE, T0 + minutes(30)),
    ).fetchone()
    hourly = db.execute(
        "SELECT min, count FROM readings_1h WHERE device_id = %s AND bucket = %s",
        (COLD_DEVICE, T0),
    ).fetchone()
    assert (five, hourly) == ((-4.0, 6), (-4.0, 61))


def run_refresh_policies(conn: psycopg.Connection) -> None:
    """What TimescaleDB's scheduler would do next: each aggregate's policy, once."""
    jobs = conn.execute(
        "SELECT job_id FROM timescaledb_information.jobs"
        " WHERE proc_name = 'policy_refresh_continuous_aggregate' ORDER BY job_id"
    ).fetchall()
    assert len(jobs) == 2
    for (job_id,) in jobs:
        conn.execute("CALL run_job(%s)", (job_id,))


def refresh_aggregates(db: psycopg.Connection) -> None:
    """TimescaleDB's real-time aggregates miss late rows in materialised ranges until this."""
    with psycopg.connect(db.info.dsn, autocommit=True) as conn:
        for view in ("readings_5m", "readings_1h"):
            conn.execute(f"CALL refresh_continuous_aggregate('{view}', NULL, NULL)".encode())


def test_the_api_serves_history_and_findings_to_readers_only(
    client: TestClient, db: psycopg.Connection, chain: str, inspector_token: str
) -> None:
    assert client.get(f"/api/v1/batches/{chain}/findings").status_code == 401
    answer = client.get(f"/api/v1/batches/{chain}/findings", headers=bearer(inspector_token))
    assert answer.status_code == 200
    first = answer.json()[0]
    assert set(first) >= {"kind", "start", "end", "duration_s", "peak", "location", "device_id"}
    assert first["kind"] == "excursion" and first["peak"] == 9.0
    history = client.get(
        f"/api/v1/batches/{chain}/temperature?points=100", headers=bearer(inspector_token)
    ).json()
    assert sum(len(s["points"]) for s in history["series"]) <= 100
    assert history["storage_profile"]["temp_max"] == 5.0
    raw = client.get(
        f"/api/v1/batches/{chain}/temperature?raw=true", headers=bearer(inspector_token)
    ).json()
    assert raw["bucket_seconds"] is None
    truck = raw["series"][1]["points"]
    assert any(p["mean"] is None for p in truck)


def test_a_processing_room_is_history_but_not_judged_against_the_storage_band(
    db: psycopg.Connection,
) -> None:
    seed_district(db)
    db.execute(
        "INSERT INTO locations (code, name, kind) VALUES ('PC-WASH', '清洗间', 'processing_room')"
    )
    db.commit()
    add_device(db, "WASH-T1", "probe", "PC-WASH", T0 - timedelta(days=1), 60)
    db.commit()
    lot = new_batch(db, location="PC-WASH", at=T0)
    # Two hours of washing at 15 °C: far above gastrodia's 2–5 °C, and meant to be.
    add_readings(db, "WASH-T1", every_minute(T0, 120, lambda i: 15.0))
    move(db, lot, "PC-COLD", T0 + timedelta(hours=2))
    add_readings(db, COLD_DEVICE, every_minute(T0 + timedelta(hours=2), 60, lambda i: 3.0))
    found, any_data = batch_findings(db, lot, now=T0 + timedelta(hours=3))
    assert found == []
    assert verdict(found, any_data) == "held"
    history = temperature_history(db, lot, points=100, now=T0 + timedelta(hours=3))
    assert {series.device_id for series in history.series} == {"WASH-T1", COLD_DEVICE}
