"""Prometheus metrics of the web application, labelled by route template (never raw paths).

Under ``farmtrace api --workers N`` each worker is its own process with its own counters; the
command gives them one directory (``PROMETHEUS_MULTIPROC_DIR``, read by prometheus_client when
a worker starts) where each writes its values, and a scrape of any worker sums them all.
"""

import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter(
    "farmtrace_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "farmtrace_http_request_duration_seconds", "Time to answer an HTTP request", ["method", "route"]
)

SHARED_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def exposition() -> bytes:
    """The Prometheus text of every worker sharing the directory, or of this process alone."""
    if SHARED_DIR_ENV not in os.environ:
        return generate_latest()
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)


class RequestMetrics:
    """ASGI middleware counting requests and timing them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            route = scope.get("route")
            # Unmatched paths share one label so a scanner cannot blow up the series count.
            template = getattr(route, "path", None) or "unmatched"
            method = scope["method"]
            REQUESTS.labels(method, template, str(status)).inc()
            LATENCY.labels(method, template).observe(time.perf_counter() - started)
