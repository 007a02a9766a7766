"""Batches: receive, record steps and tests, move custody, split, merge, read and trace."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from api.deps import Connection, ReaderUser, StaffUser
from api.errors import ERROR_RESPONSES
from labels.lot_codes import lot_code_for
from schemas.batches import (
    BatchCreate,
    BatchDetail,
    BatchPublic,
    CustodyPublic,
    EventCreate,
    EventPublic,
    HarvestLotTrace,
    MergeCreate,
    MoveCreate,
    SplitCreate,
)
from store import batches, custody, events, genealogy
from store.batch_detail import batch_detail

router = APIRouter(prefix="/api/v1", tags=["batches"], responses=ERROR_RESPONSES)
Lot = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}$", description="the batch's lot code")]


@router.post("/batches", status_code=status.HTTP_201_CREATED)
def receive_batch(body: BatchCreate, conn: Connection, user: StaffUser) -> BatchPublic:
    """Receive a batch from one or more harvest lots; the answer carries its new `lot_code`."""
    return batches.receive_batch(conn, body, user.id, lot_code_for)


@router.post("/batches/merge", status_code=status.HTTP_201_CREATED)
def merge_batches(body: MergeCreate, conn: Connection, user: StaffUser) -> BatchPublic:
    """Make one new batch of several batches of the same product."""
    return genealogy.merge_batches(conn, body, user.id, lot_code_for)


@router.get("/batches")
def list_batches(
    conn: Connection,
    user: ReaderUser,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[BatchPublic]:
    """Batches, most recently received first."""
    return batches.list_batches(conn, limit, offset)


@router.get("/batches/{lot}")
def get_batch(lot: Lot, conn: Connection, user: ReaderUser) -> BatchDetail:
    """The batch with its events (corrections beside the originals), custody and genealogy."""
    return batch_detail(conn, lot)


@router.post("/batches/{lot}/events", status_code=status.HTTP_201_CREATED)
def record_event(lot: Lot, body: EventCreate, conn: Connection, user: StaffUser) -> EventPublic:
    """Record a processing step or a test result; `corrects` points at an event it amends."""
    return events.record_event(conn, lot, body, user.id)


@router.post("/batches/{lot}/moves", status_code=status.HTTP_201_CREATED)
def move_batch(
    lot: Lot, body: MoveCreate, conn: Connection, user: StaffUser
) -> list[CustodyPublic]:
    """Move custody: the open interval closes at `time` and the next opens there (409 if it
    would overlap recorded custody)."""
    return custody.move_batch(conn, lot, body, user.id)


@router.post("/batches/{lot}/split", status_code=status.HTTP_201_CREATED)
def split_batch(
    lot: Lot, body: SplitCreate, conn: Connection, user: StaffUser
) -> list[BatchPublic]:
    """Split into child batches that each take a share of the parent's quantity."""
    return genealogy.split_batch(conn, lot, body, user.id, lot_code_for)


@router.get("/harvest-lots/{harvest_lot_id}/trace")
def trace_harvest_lot(
    harvest_lot_id: Annotated[int, Path(ge=1, le=2**62)], conn: Connection, user: ReaderUser
) -> HarvestLotTrace:
    """Trace forward: every batch holding produce of this harvest lot."""
    return genealogy.harvest_lot_trace(conn, harvest_lot_id)
