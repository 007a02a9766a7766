"""Exports: FSMA 204 key data elements as a sortable spreadsheet (CSV, XLSX)."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import Connection, ReaderUser
from api.errors import ERROR_RESPONSES, BadRequest
from api.kde_files import kde_csv, kde_xlsx
from store.kde import kde_rows

router = APIRouter(prefix="/api/v1/exports", tags=["exports"], responses=ERROR_RESPONSES)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_LOTS = 500


@router.get("/kde.{extension}", response_class=Response)
def kde_export(
    extension: Literal["csv", "xlsx"],
    conn: Connection,
    user: ReaderUser,
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
    lot: Annotated[list[str], Query(max_length=MAX_LOTS)] = [],  # noqa: B006
) -> Response:
    """One row per critical tracking event (FSMA 204 KDEs) of the lots named (`?lot=`) or
    in the period `from`–`to`, sorted by lot code and date."""
    if not lot and (since is None or until is None):
        raise BadRequest("name lots with ?lot= or a period with ?from=&to=")
    found = kde_rows(conn, since, until, lot)
    body = kde_csv(found) if extension == "csv" else kde_xlsx(found)
    return Response(
        body,
        media_type=MEDIA_TYPES[extension],
        headers={"Content-Disposition": f'attachment; filename="farmtrace-kde.{extension}"'},
    )
