"""A batch's temperature history and findings, for inspectors, staff and the public page."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Connection, ReaderUser
from api.errors import ERROR_RESPONSES
from api.routes.batches import Lot
from schemas.history import Finding, TemperatureHistory
from store.findings import batch_findings
from store.history import DEFAULT_POINTS, MAX_POINTS, temperature_history

router = APIRouter(prefix="/api/v1", tags=["cold chain"], responses=ERROR_RESPONSES)


@router.get("/batches/{lot}/temperature")
def get_temperature(
    lot: Lot,
    conn: Connection,
    user: ReaderUser,
    points: Annotated[int, Query(ge=2, le=MAX_POINTS)] = DEFAULT_POINTS,
    raw: Annotated[bool, Query(description="readings as stored, not downsampled")] = False,
) -> TemperatureHistory:
    """Readings of every device where the batch was, downsampled to at most `points` buckets
    per metric (min, max, mean); a bucket without readings has null values (a gap)."""
    return temperature_history(conn, lot, points=points, raw=raw)


@router.get("/batches/{lot}/findings")
def get_findings(lot: Lot, conn: Connection, user: ReaderUser) -> list[Finding]:
    """Excursions out of the product's storage band and gaps in the record, in time order."""
    return batch_findings(conn, lot)[0]
