"""EPCIS 2.0 JSON-LD exports: one batch's record, or the events of a query."""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import StringConstraints

from api.deps import AppSettings, Connection, ReaderUser
from api.errors import ERROR_RESPONSES, BadRequest
from api.routes.batches import Lot
from store.epcis import epcis_document_for_batch, epcis_document_for_query

router = APIRouter(prefix="/api/v1", tags=["exports"], responses=ERROR_RESPONSES)
EPCIS_MEDIA_TYPE = "application/ld+json"
# A query names at most this many lots; larger exports go by date range.
MAX_QUERY_LOTS = 500
# A lot code as the batches' routes take it: so a query of 500 stays a URL clients can send.
QueryLot = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{1,20}$")]


def _ld_json(document: dict[str, Any]) -> JSONResponse:
    return JSONResponse(document, media_type=EPCIS_MEDIA_TYPE)


@router.get("/batches/{lot}/epcis", response_class=JSONResponse)
def batch_epcis(lot: Lot, conn: Connection, user: ReaderUser, settings: AppSettings) -> Any:
    """The batch's events, transformations and cold-chain summaries as an EPCISDocument."""
    return _ld_json(epcis_document_for_batch(conn, lot, settings.public_base_url))


@router.get("/epcis/events", response_class=JSONResponse)
def query_epcis(
    conn: Connection,
    user: ReaderUser,
    settings: AppSettings,
    lot: Annotated[list[QueryLot], Query(max_length=MAX_QUERY_LOTS)] = [],  # noqa: B006
    since: Annotated[datetime | None, Query(alias="from")] = None,
    until: Annotated[datetime | None, Query(alias="to")] = None,
) -> Any:
    """Events of the named lots (`?lot=A&lot=B`), or of every batch between `from` and `to`."""
    if not lot and (since is None or until is None):
        raise BadRequest("name lots with ?lot= or a period with ?from=&to=")
    return _ld_json(epcis_document_for_query(conn, settings.public_base_url, lot, since, until))
