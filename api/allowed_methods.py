"""The methods every route at a path allows, for a 405's ``Allow`` header.

Starlette names only the methods of the first route whose path matched; a path served by
several routes (``GET`` and ``POST /api/v1/batches``) must list them all (RFC 9110, 15.5.6).
Each method is tried against the router as the request would be, nested routers included.
"""

from starlette.requests import Request
from starlette.routing import Match

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    return [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]
