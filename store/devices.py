"""The device registry: identity, MQTT credentials, installations over time, calibration.

Queries read rows as tuples explicitly, so the functions work on the API pool's dict-row
connections as well as on plain ones.
"""

from dataclasses import dataclass
from datetime import date, datetime

import psycopg
from psycopg.rows import tuple_row

from schemas.mqtt_passwords import mosquitto_hash, new_password
from store.errors import DuplicateDeviceError, InvalidDeviceError, UnknownDeviceError


@dataclass(frozen=True)
class DeviceRow:
    device_id: str
    kind: str
    location: str | None
    reporting_interval_s: int
    last_calibrated: date | None
    calibration_due: date | None
    revoked_at: datetime | None
    mqtt_password_hash: str


def add_device(
    conn: psycopg.Connection,
    device_id: str,
    kind: str,
    location: str | None = None,
    installed_from: datetime | None = None,
    reporting_interval_s: int = 60,
    last_calibrated: date | None = None,
    password: str | None = None,
) -> str:
    """Register a device and return its MQTT password (shown once, stored only hashed)."""
    password = password or new_password()
    try:
        with conn.transaction():
            conn.execute(
                "INSERT INTO devices (device_id, kind, mqtt_password_hash, reporting_interval_s,"
                " last_calibrated) VALUES (%s, %s, %s, %s, %s)",
                (device_id, kind, mosquitto_hash(password), reporting_interval_s, last_calibrated),
            )
            if location is not None:
                install_device(conn, device_id, location, installed_from)
    except psycopg.errors.UniqueViolation as error:
        raise DuplicateDeviceError(f"device {device_id!r} is already registered") from error
    except psycopg.errors.ForeignKeyViolation as error:
        raise InvalidDeviceError(f"unknown location {location!r}") from error
    except psycopg.errors.CheckViolation as error:
        raise InvalidDeviceError(f"invalid device id {device_id!r}") from error
    return password


def install_device(
    conn: psycopg.Connection, device_id: str, location: str, since: datetime | None = None
) -> None:
    """Move a device to a location: its current installation ends where the new one starts."""
    with conn.transaction():
        start = (
            conn.cursor(row_factory=tuple_row)
            .execute("SELECT coalesce(%s::timestamptz, now())", (since,))
            .fetchone()
        )
        assert start is not None
        conn.execute(
            "UPDATE device_installations SET during = tstzrange(lower(during), %s)"
            " WHERE device_id = %s AND upper_inf(during) AND lower(during) < %s",
            (start[0], device_id, start[0]),
        )
        conn.execute(
            "INSERT INTO device_installations (device_id, location, during)"
            " VALUES (%s, %s, tstzrange(%s, NULL))",
            (device_id, location, start[0]),
        )


def revoke_device(conn: psycopg.Connection, device_id: str) -> None:
    with conn.transaction():
        cur = conn.execute(
            "UPDATE devices SET revoked_at = now() WHERE device_id = %s AND revoked_at IS NULL",
            (device_id,),
        )
        if cur.rowcount == 0:
            raise UnknownDeviceError(f"no active device {device_id!r}")
        conn.execute(
            "UPDATE device_installations SET during = tstzrange(lower(during), now())"
            " WHERE device_id = %s AND upper_inf(during) AND lower(during) < now()",
            (device_id,),
        )


def list_devices(conn: psycopg.Connection, include_revoked: bool = True) -> list[DeviceRow]:
    rows = (
        conn.cursor(row_factory=tuple_row)
        .execute(
            "SELECT d.device_id, d.kind, i.location, d.reporting_interval_s, d.last_calibrated,"
            " d.last_calibrated + d.calibration_interval_days, d.revoked_at, d.mqtt_password_hash"
            " FROM devices d LEFT JOIN device_installations i"
            "   ON i.device_id = d.device_id AND upper_inf(i.during)"
            " WHERE %s OR d.revoked_at IS NULL ORDER BY d.device_id",
            (include_revoked,),
        )
        .fetchall()
    )
    return [DeviceRow(*row) for row in rows]


def active_device_ids(conn: psycopg.Connection) -> set[str]:
    rows = (
        conn.cursor(row_factory=tuple_row)
        .execute("SELECT device_id FROM devices WHERE revoked_at IS NULL")
        .fetchall()
    )
    return {row[0] for row in rows}


def device_is_active(conn: psycopg.Connection, device_id: str) -> bool:
    row = (
        conn.cursor(row_factory=tuple_row)
        .execute("SELECT 1 FROM devices WHERE device_id = %s AND revoked_at IS NULL", (device_id,))
        .fetchone()
    )
    return row is not None


def registered_device_ids(conn: psycopg.Connection) -> set[str]:
    """Every id ever registered, revoked ones included (an id is never given twice)."""
    rows = conn.cursor(row_factory=tuple_row).execute("SELECT device_id FROM devices").fetchall()
    return {row[0] for row in rows}
