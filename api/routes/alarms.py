"""Alarms (open ones across the fleet, acknowledgement) and recalls."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api.deps import Connection, ReaderUser, StaffUser
from api.errors import ERROR_RESPONSES
from schemas.alarms import AcknowledgeCreate, AlarmPublic, RecallCreate, RecallPublic
from store.alarms import acknowledge_alarm, list_alarms
from store.recalls import get_recall, recall_batches

router = APIRouter(prefix="/api/v1", tags=["alarms and recalls"], responses=ERROR_RESPONSES)
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


@router.post("/recalls", status_code=status.HTTP_201_CREATED)
def recall(body: RecallCreate, conn: Connection, user: StaffUser) -> RecallPublic:
    """Recall a batch, a harvest lot or a producer's produce: every batch derived from it is
    marked recalled at once; the answer says where each one is now."""
    return recall_batches(conn, body, user.id)


@router.get("/recalls/{recall_id}")
def read_recall(
    recall_id: Annotated[int, Path(ge=1, le=2**62)], conn: Connection, user: ReaderUser
) -> RecallPublic:
    return get_recall(conn, recall_id)
