"""Scan statistics for staff: counts per lot, and serials that look copied."""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from api.deps import AppSettings, Connection, StaffUser
from api.errors import ERROR_RESPONSES
from api.pages import render
from schemas.scans import LotScans
from store.batches import get_batch
from store.scans import lot_scans, scan_counts

router = APIRouter(tags=["scans"], responses=ERROR_RESPONSES)
Lot = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,20}$", description="the batch's lot code")]


@router.get("/api/v1/batches/{lot}/scans")
def batch_scans(
    lot: Lot, request: Request, conn: Connection, settings: AppSettings, user: StaffUser
) -> LotScans:
    """How often the batch's codes were scanned, by client and language, per serial; a serial
    scanned more than `copy_threshold` times, or on more than `FARMTRACE_SCAN_COPY_DAYS` days,
    is flagged `suspected_copy`."""
    get_batch(conn, lot)
    # This process's own buffered scans first, so a count right after a scan includes it.
    request.app.state.scan_log.flush()
    return lot_scans(conn, lot, settings.scan_copy_threshold, settings.scan_copy_days)


@router.get("/staff/scans", response_class=HTMLResponse, include_in_schema=False)
def scans_page(
    request: Request, conn: Connection, settings: AppSettings, user: StaffUser
) -> HTMLResponse:
    request.app.state.scan_log.flush()
    lots = scan_counts(conn, settings.scan_copy_threshold, copy_days=settings.scan_copy_days)
    return render(request, "staff/scans.html", {"lots": lots})
