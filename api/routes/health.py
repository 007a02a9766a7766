"""Liveness and readiness for load balancers and compose, and Prometheus metrics."""

import psycopg
from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST
from psycopg_pool import PoolTimeout

from api.errors import FarmtraceError
from api.metrics import exposition
from store.db import ping

router = APIRouter(tags=["health"])
# A health probe that waits longer than this for a connection reports the database down.
HEALTH_DB_TIMEOUT_S = 2.0


class ServiceUnavailable(FarmtraceError):
    status = 503
    code = "service_unavailable"


@router.get("/healthz")
def healthz(request: Request) -> dict[str, str]:
    """Ready when the database answers."""
    try:
        with request.app.state.pool.connection(timeout=HEALTH_DB_TIMEOUT_S) as conn:
            ping(conn)
    except (PoolTimeout, psycopg.OperationalError) as error:
        raise ServiceUnavailable("database unavailable") from error
    return {"status": "ok", "database": "ok"}


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)
