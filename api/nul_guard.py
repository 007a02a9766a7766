"""Text with the NUL character is refused at the door, naming where it was.

PostgreSQL text cannot hold NUL (U+0000), so such a value would otherwise travel through
validation and fail deep in the database driver with a message about numeric ranges. The
path, the query string and JSON or form bodies are checked before any route sees them;
uploads (multipart) carry binary data and are left to their routes.
"""

import re

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body

# An unescaped "\u0000" in JSON (an even run of backslashes before it is text, not an escape).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_NUL = re.compile(rb"%00")
_CHECKED_BODIES = ("application/json", "application/x-www-form-urlencoded")
MESSAGE = "text must not contain the NUL control character (U+0000)"


def _content_type(scope: Scope) -> str:
    """The media type without its parameters (``application/json; charset=utf-8``)."""
    return Headers(scope=scope).get("content-type", "").split(";")[0].strip().lower()


class NulGuard:
    """ASGI middleware: 422 for NUL in the path, the query string or a JSON or form body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        where = None
        if "\x00" in scope["path"]:
            where = "path"
        elif _FORM_NUL.search(scope.get("query_string", b"")):
            where = "query"
        content_type = _content_type(scope)
        if where is None and content_type in _CHECKED_BODIES:
            # Read the whole body first (the body limit outside this middleware bounds it),
            # then hand the application the same messages.
            messages = []
            while True:
                message = await receive()
                messages.append(message)
                if message["type"] != "http.request" or not message.get("more_body", False):
                    break
            body = b"".join(m.get("body", b"") for m in messages)
            pattern = _JSON_NUL if content_type == "application/json" else _FORM_NUL
            if b"\x00" in body or pattern.search(body):
                where = "body"
            receive = _replay(messages, receive)
        if where is not None:
            response = JSONResponse(error_body(422, "invalid", f"{where}: {MESSAGE}"), 422)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A ``receive`` that gives back ``messages`` first, then whatever comes next."""
    pending = list(messages)

    async def replaying_receive() -> Message:
        return pending.pop(0) if pending else await receive()

    return replaying_receive
