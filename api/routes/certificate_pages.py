"""Inspector pages for 承诺达标合格证: search the issued ones, read one batch's certificates."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from api.deps import Connection, ReaderUser
from api.pages import render
from api.routes.batches import Lot
from store import certificates

router = APIRouter(prefix="/inspect/certificates", tags=["consoles"], include_in_schema=False)


def _day(text: str | None) -> date | None:
    """A date typed in the search form; anything unreadable searches without it."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@router.get("", response_class=HTMLResponse)
def certificate_search(
    request: Request,
    conn: Connection,
    user: ReaderUser,
    q: Annotated[str | None, Query(max_length=100)] = None,
    since_text: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    until_text: Annotated[str | None, Query(alias="to", max_length=10)] = None,
) -> HTMLResponse:
    found = certificates.search_issued(conn, q, _day(since_text), _day(until_text), limit=200)
    criteria = {"q": q or "", "from": since_text or "", "to": until_text or ""}
    return render(
        request, "inspect/certificates.html", {"issued": found, "criteria": criteria}
    )


@router.get("/{lot}", response_class=HTMLResponse)
def batch_certificates_page(
    request: Request, lot: Lot, conn: Connection, user: ReaderUser
) -> HTMLResponse:
    return render(
        request,
        "inspect/batch_certificates.html",
        {"found": certificates.batch_certificates(conn, lot)},
    )
