"""The processing-centre staff console: server-rendered pages for the packing line."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import StaffUser
from api.pages import render

router = APIRouter(prefix="/staff", tags=["consoles"], include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def home(request: Request, user: StaffUser) -> HTMLResponse:
    return render(request, "staff/home.html", {})
