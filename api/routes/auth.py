"""Sign-in and sign-out pages for the consoles (cookie sessions)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.csrf import check_csrf
from api.deps import Connection, CurrentUser
from api.pages import render
from store.users import authenticate

router = APIRouter(tags=["consoles"], include_in_schema=False)

# Where each role lands after signing in when no page asked for it.
HOME_BY_ROLE = {"staff": "/staff", "admin": "/staff", "inspector": "/inspect"}


def _safe_next(target: str | None) -> str | None:
    """Only paths on this site: an open redirect would help phishing. Browsers drop tabs and
    newlines from URLs, so ``/<TAB>/evil.example`` would become ``//evil.example``."""
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(char.isspace() or ord(char) < 32 for char in target) or target.startswith("//"):
        return None
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, user: CurrentUser, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", {"next": _safe_next(next) or "", "failed": False})


@router.post("/login", dependencies=[Depends(check_csrf)], response_model=None)
def login(
    request: Request,
    conn: Connection,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> HTMLResponse | RedirectResponse:
    user = authenticate(conn, username, password)
    if user is None:
        return render(
            request,
            "login.html",
            {"next": _safe_next(next) or "", "failed": True, "username": username},
            status_code=401,
        )
    request.session.clear()
    request.session["uid"] = user.id
    return RedirectResponse(_safe_next(next) or HOME_BY_ROLE[user.role], status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
