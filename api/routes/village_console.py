"""The village-point console: one page for an agent's phone that keeps working offline.

The page is a shell the service worker (``/village-sw.js``) keeps: once opened it loads with
no network, and its scripts keep entries in IndexedDB and send them to
``POST /api/v1/deliveries`` when the network returns (see docs/village.md).
"""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import Connection, require_role
from api.pages import render
from store.farm_deliveries import point_choices
from store.users import User

router = APIRouter(tags=["consoles"], include_in_schema=False)
VillageAgent = Annotated[User, Depends(require_role("village"))]
SERVICE_WORKER = Path(__file__).parents[1] / "static" / "village" / "sw.js"


@router.get("/village", response_class=HTMLResponse)
def village_console(request: Request, conn: Connection, agent: VillageAgent) -> HTMLResponse:
    assert agent.location is not None  # the database requires it for the role
    response = render(
        request, "village/console.html", {"choices": point_choices(conn, agent.location)}
    )
    # The service worker keeps its own copy; the browser's cache must not serve a stale one.
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.get("/village-sw.js", response_class=FileResponse)
def village_service_worker() -> FileResponse:
    """Served from the root so its scope may cover ``/village`` itself."""
    return FileResponse(
        SERVICE_WORKER, media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )
