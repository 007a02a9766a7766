from datetime import UTC, datetime

import psycopg
import pytest

from schemas.mqtt_passwords import verify_mosquitto_hash
from store.devices import add_device, install_device, list_devices, revoke_device
from store.errors import DeviceError
from store.locations import upsert_location


@pytest.fixture
def rooms(db: psycopg.Connection) -> psycopg.Connection:
    upsert_location(db, "PC-COLD", "冷库", "cold_store")
    upsert_location(db, "TRUCK-01", "冷藏车", "truck")
    db.commit()
    return db


def test_added_device_gets_a_password_that_matches_its_hash(rooms: psycopg.Connection) -> None:
    password = add_device(rooms, "cold-1", "probe", "PC-COLD")
    [row] = list_devices(rooms)
    assert row.location == "PC-COLD"
    assert verify_mosquitto_hash(password, row.mqtt_password_hash)
    assert not verify_mosquitto_hash(password + "x", row.mqtt_password_hash)


def test_a_device_id_registers_once(rooms: psycopg.Connection) -> None:
    add_device(rooms, "cold-1", "probe")
    with pytest.raises(DeviceError, match="already registered"):
        add_device(rooms, "cold-1", "probe")


def test_moving_a_device_closes_its_installation(rooms: psycopg.Connection) -> None:
    add_device(rooms, "mobile-1", "logger", "PC-COLD", datetime(2026, 1, 1, tzinfo=UTC))
    install_device(rooms, "mobile-1", "TRUCK-01", datetime(2026, 2, 1, tzinfo=UTC))
    rows = rooms.execute(
        "SELECT location, lower(during), upper(during) FROM device_installations"
        " ORDER BY lower(during)"
    ).fetchall()
    assert rows == [
        ("PC-COLD", datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC)),
        ("TRUCK-01", datetime(2026, 2, 1, tzinfo=UTC), None),
    ]


def test_revoked_device_is_listed_as_revoked(rooms: psycopg.Connection) -> None:
    add_device(rooms, "cold-1", "probe", "PC-COLD")
    revoke_device(rooms, "cold-1")
    assert list_devices(rooms, include_revoked=False) == []
    with pytest.raises(DeviceError):
        revoke_device(rooms, "cold-1")
