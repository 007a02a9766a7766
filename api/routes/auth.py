"""Sign-in and sign-out pages for the consoles (cookie sessions)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.csrf import check_csrf
from api.deps import Connection, CurrentUser
from api.pages import render
from api.sessions import SESSION_ID_KEY
from store.login_throttle import account_key, address_key, forget_failures, record_failure
from store.login_throttle import retry_after_s as throttled_for
from store.sessions import end_session, start_session
from store.users import authenticate

router = APIRouter(tags=["consoles"], include_in_schema=False)

# Where each role lands after signing in when no page asked for it.
HOME_BY_ROLE = {
    "staff": "/staff",
    "admin": "/staff",
    "inspector": "/inspect",
    "village": "/village",
}


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
    keys = [account_key(username), address_key(request.client.host if request.client else "")]
    context = {"next": _safe_next(next) or "", "failed": True, "username": username}
    retry_after = throttled_for(conn, keys)
    if retry_after is not None:
        # Refused before the password is hashed: throttled tries cost the server nothing.
        response = render(request, "login.html", {**context, "throttled": True}, 429)
        response.headers["Retry-After"] = str(retry_after)
        return response
    user = authenticate(conn, username, password)
    if user is None:
        record_failure(conn, keys)
        return render(request, "login.html", context, status_code=401)
    forget_failures(conn, account_key(username))
    request.session.clear()
    request.session[SESSION_ID_KEY] = start_session(conn, user.id)
    return RedirectResponse(_safe_next(next) or HOME_BY_ROLE[user.role], status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, conn: Connection) -> RedirectResponse:
    session_id = request.session.get(SESSION_ID_KEY)
    if isinstance(session_id, str):
        end_session(conn, session_id)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
