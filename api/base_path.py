"""Requests under the public base URL's path, as if that path were the root.

FARMTRACE_PUBLIC_BASE_URL may carry a path (``https://host/qr``): every printed URI, page link
and redirect then starts with it. A proxy in front may forward that path or strip it; with
the path taken off here, both reach the same routes, and the routes, the middleware and the
resolver's parser see one shape of path.
"""

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send


def base_path(public_base_url: str) -> str:
    """The path of the public base URL without its trailing slash; ``""`` for an origin."""
    return urlsplit(public_base_url).path.rstrip("/")


class BasePath:
    """ASGI middleware: ``{prefix}/…`` is served as ``/…``; other paths pass unchanged."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix
        self.raw_prefix = prefix.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] in {"http", "websocket"} and _is_under(path, self.prefix):
            scope = dict(scope, path=path[len(self.prefix) :] or "/")
            raw_path = scope.get("raw_path")
            if raw_path and raw_path.startswith(self.raw_prefix):
                scope["raw_path"] = raw_path[len(self.raw_prefix) :] or b"/"
        await self.app(scope, receive, send)


def _is_under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")
