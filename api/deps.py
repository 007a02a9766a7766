"""Dependencies shared by the routes, as ``Annotated`` aliases.

Who may do what: bearer tokens (``Authorization: Bearer …``) authenticate every API call;
the console's session cookie authenticates pages and API reads, but never an API write on its
own, so a cross-site form cannot write with a signed-in staff member's cookie (console forms
carry a CSRF token instead, and the village console's scripts send it as a header).
"""

from collections.abc import Callable, Iterator
from typing import Annotated

import psycopg
from fastapi import Depends, Request

from api.csrf import csrf_header_matches
from api.errors import Forbidden, Unauthorized
from api.sessions import SESSION_ID_KEY, SESSION_MAX_AGE_S
from schemas.settings import Settings
from store.sessions import session_user
from store.users import User, user_by_token

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_connection(request: Request) -> Iterator[psycopg.Connection]:
    """A pooled connection in autocommit: each store function opens its own transaction."""
    with request.app.state.pool.connection() as conn:
        conn.autocommit = True
        yield conn


AppSettings = Annotated[Settings, Depends(get_settings)]
Connection = Annotated[psycopg.Connection, Depends(get_connection)]


def get_current_user(request: Request, conn: Connection) -> User | None:
    header = request.headers.get("authorization")
    user: User | None = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("use 'Authorization: Bearer <token>'")
        user = user_by_token(conn, token.strip())
        if user is None:
            raise Unauthorized("unknown or disabled API token")
    else:
        session_id = request.session.get(SESSION_ID_KEY) if "session" in request.scope else None
        if isinstance(session_id, str):
            user = session_user(conn, session_id, SESSION_MAX_AGE_S)
        if (
            user is not None
            and request.url.path.startswith("/api/")
            and request.method not in _SAFE_METHODS
            and not csrf_header_matches(request)
        ):
            raise Unauthorized("API writes need a bearer token")
    request.state.user = user
    return user


CurrentUser = Annotated[User | None, Depends(get_current_user)]


def require_role(*roles: str) -> Callable[[User | None], User]:
    """A dependency admitting a signed-in user with one of the roles (401 if nobody, else 403)."""

    def check(user: CurrentUser) -> User:
        if user is None:
            raise Unauthorized("sign in or send a bearer token")
        if user.role not in roles:
            raise Forbidden(f"this needs the role {' or '.join(roles)}")
        return user

    return check


StaffUser = Annotated[User, Depends(require_role("staff", "admin"))]
ReaderUser = Annotated[User, Depends(require_role("staff", "inspector", "admin"))]
# Who records farmers' deliveries: village agents at their point, staff for any point.
RecorderUser = Annotated[User, Depends(require_role("village", "staff", "admin"))]
# Who reads deliveries: agents (their own point's), staff and inspectors.
DeliveryReader = Annotated[User, Depends(require_role("village", "staff", "inspector", "admin"))]
