"""CSRF protection for the consoles' forms: a per-session token in a hidden field.

API writes authenticate with a bearer token, never with the cookie alone; the village
console's scripts send the session's token in the ``X-CSRF-Token`` header instead, which no
cross-site form can set.
"""

import hmac
import secrets

from starlette.requests import Request

from api.errors import Forbidden

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def csrf_token(request: Request) -> str:
    """The session's token, made on first use (the session cookie then carries it)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse a form post whose token does not match the session's."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    expected = request.session.get("csrf")
    if (
        not isinstance(submitted, str)
        or not isinstance(expected, str)
        or not hmac.compare_digest(submitted, expected)
    ):
        raise Forbidden("csrf_failed")


def csrf_header_matches(request: Request) -> bool:
    """Whether a script's request carries the session's token in ``X-CSRF-Token``."""
    sent = request.headers.get(CSRF_HEADER)
    expected = request.session.get("csrf") if "session" in request.scope else None
    return (
        isinstance(sent, str)
        and isinstance(expected, str)
        and hmac.compare_digest(sent.encode(), expected.encode())
    )
