"""Device registration through the API: the same registry as ``farmtrace devices add``."""

from fastapi import APIRouter, status

from api.deps import Connection, ReaderUser, StaffUser
from api.errors import ERROR_RESPONSES
from schemas.master_data import DeviceCreate, DevicePublic, DeviceRegistered
from store import audit
from store.devices import DeviceRow, add_device, list_devices

router = APIRouter(prefix="/api/v1", tags=["devices"], responses=ERROR_RESPONSES)


def _public(row: DeviceRow) -> DevicePublic:
    return DevicePublic(
        device_id=row.device_id,
        kind=row.kind,
        location=row.location,
        reporting_interval_s=row.reporting_interval_s,
        last_calibrated=row.last_calibrated,
        calibration_due=row.calibration_due,
        revoked_at=row.revoked_at,
    )


@router.post("/devices", status_code=status.HTTP_201_CREATED)
def register_device(body: DeviceCreate, conn: Connection, user: StaffUser) -> DeviceRegistered:
    """Register a device; the answer carries its MQTT password, shown this once only."""
    with conn.transaction():
        password = add_device(
            conn, body.device_id, body.kind, body.location, body.installed_from,
            body.reporting_interval_s, body.last_calibrated,
        )  # fmt: skip
        audit.record(
            conn, user.id, "register", f"device {body.device_id}", body.model_dump(mode="json")
        )
    [row] = [row for row in list_devices(conn) if row.device_id == body.device_id]
    return DeviceRegistered(**_public(row).model_dump(), mqtt_password=password)


@router.get("/devices")
def get_devices(conn: Connection, user: ReaderUser) -> list[DevicePublic]:
    return [_public(row) for row in list_devices(conn)]
