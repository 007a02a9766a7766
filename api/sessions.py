"""Signed cookie sessions for the consoles, built on the standard library's hmac.

Why not Starlette's SessionMiddleware: it needs itsdangerous, which nothing else here uses;
what a session holds (a user id, a CSRF token, the time it was issued) fits one HMAC-SHA256
signature over a base64 JSON payload, which is short enough to read and audit in full.
The middleware fills ``scope["session"]`` exactly as Starlette's does, so ``request.session``
works as usual; the cookie is HttpOnly, SameSite=Lax, and Secure when the site is on https.
"""

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "farmtrace_session"
# The session's id in the console_sessions table: logout and user changes end it there, so a
# copied cookie stops working at once, whatever its signature says.
SESSION_ID_KEY = "sid"
# One working shift and a bit: staff at the packing line sign in once a day.
SESSION_MAX_AGE_S = 14 * 3600


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SessionSigner:
    """Signs and verifies session payloads with a key derived from FARMTRACE_SECRET_KEY."""

    def __init__(self, secret_key: str, max_age_s: int = SESSION_MAX_AGE_S) -> None:
        # A key of its own, so the same secret may sign other things without confusion.
        self._key = hashlib.sha256(b"farmtrace-session\0" + secret_key.encode()).digest()
        self.max_age_s = max_age_s

    def _signature(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode(), hashlib.sha256).digest())

    def dumps(self, session: dict[str, Any], now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        payload = _b64(json.dumps({"s": session, "iat": issued}, separators=(",", ":")).encode())
        return f"{payload}.{self._signature(payload)}"

    def loads(self, cookie: str, now: float | None = None) -> dict[str, Any] | None:
        """The session in a cookie, or None when it is forged, damaged or too old."""
        payload, _, signature = cookie.partition(".")
        if not hmac.compare_digest(signature, self._signature(payload)):
            return None
        try:
            content = json.loads(_unb64(payload))
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(content, dict) or not isinstance(content.get("s"), dict):
            return None
        issued = content.get("iat")
        current = now if now is not None else time.time()
        if not isinstance(issued, int) or current - issued > self.max_age_s:
            return None
        return content["s"]


class SignedCookieSessions:
    """ASGI middleware: load the session from its cookie, write it back when it changed."""

    def __init__(self, app: ASGIApp, secret_key: str, https_only: bool = False) -> None:
        self.app = app
        self.signer = SessionSigner(secret_key)
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(SESSION_COOKIE)
        initial = (self.signer.loads(cookie) if cookie else None) or {}
        scope["session"] = dict(initial)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and scope["session"] != initial:
                headers = MutableHeaders(scope=message)
                headers.append("set-cookie", self._set_cookie(scope["session"]))
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _set_cookie(self, session: dict[str, Any]) -> str:
        flags = "Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if self.https_only else "")
        if not session:
            return f"{SESSION_COOKIE}=; Max-Age=0; {flags}"
        value = self.signer.dumps(session)
        return f"{SESSION_COOKIE}={value}; Max-Age={self.signer.max_age_s}; {flags}"
