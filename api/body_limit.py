"""Request bodies above a size limit are refused with 413 before anything parses them.

Bodies are parsed (JSON, forms) before authentication runs, so without a limit any anonymous
caller could make a worker hold a body of any size in memory. The middleware refuses a
declared ``Content-Length`` over the limit at once and, for chunked bodies that declare none,
counts bytes as they stream in and stops at the first one too many.
"""

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body

# Consoles and the JSON API post small forms and documents: a batch with its harvest lots,
# a split into a few children. One MiB is hundreds of times the largest of them.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` so the application's error handler answers it (HTML or JSON)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodyLimit:
    """ASGI middleware: a byte limit per request body, larger for the path prefixes given."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int = DEFAULT_MAX_BODY_BYTES,
        larger: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})

    def limit_for(self, path: str) -> int:
        return max(
            (limit for prefix, limit in self.larger.items() if path.startswith(prefix)),
            default=self.max_bytes,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(limit, scope, receive, send)
            return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def noting_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        except BodyTooLarge:
            # Read outside any route's error handling (a middleware, say): answer it here.
            if response_started:
                raise
            await _refuse(limit, scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    try:
        return int(Headers(scope=scope)["content-length"])
    except (KeyError, ValueError):
        return None


async def _refuse(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse(
        error_body(413, "request_entity_too_large", BodyTooLarge(limit).detail),
        status_code=413,
        # The unread body is still on the connection: close it rather than parse it.
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
