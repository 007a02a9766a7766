"""Recalls: trace a batch, a harvest lot or a producer forward and mark what it reached."""

from typing import Annotated

from fastapi import APIRouter, Path, status

from api.deps import Connection, ReaderUser, StaffUser
from api.errors import ERROR_RESPONSES
from schemas.recalls import RecallCreate, RecallPublic
from store.recalls import get_recall, recall_batches

router = APIRouter(prefix="/api/v1", tags=["recalls"], responses=ERROR_RESPONSES)


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
