"""Alarms: open ones across the fleet, and their acknowledgement."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import Connection, ReaderUser, StaffUser
from api.errors import ERROR_RESPONSES
from schemas.alarms import AcknowledgeCreate, AlarmPublic
from store.alarms import acknowledge_alarm, list_alarms

router = APIRouter(prefix="/api/v1", tags=["alarms"], responses=ERROR_RESPONSES)
AlarmId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/alarms")
def get_alarms(
    conn: Connection,
    user: ReaderUser,
    include_closed: Annotated[bool, Query(alias="all")] = False,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[AlarmPublic]:
    """Open alarms, newest first (`?all=true` adds closed ones)."""
    return list_alarms(conn, include_closed, limit)


@router.post("/alarms/{alarm_id}/acknowledge")
def acknowledge(
    alarm_id: AlarmId, body: AcknowledgeCreate, conn: Connection, user: StaffUser
) -> AlarmPublic:
    """Take charge of an alarm with a comment saying what was done (once per alarm)."""
    return acknowledge_alarm(conn, alarm_id, user.id, body.comment)
