"""The web application: ``create_app(settings)`` wires settings, pool, middleware and routers."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from api.base_path import BasePath, base_path
from api.body_limit import BodyLimit
from api.error_handlers import install_error_handlers
from api.front_page import FrontPageCache
from api.metrics import RequestMetrics
from api.nul_guard import NulGuard
from api.pack_scans import PackScans
from api.product_heads import ProductHeads
from api.provenance_page import RenderCache
from api.routes import (
    alarms,
    auth,
    batches,
    certificate_pages,
    certificates,
    certifications,
    compressed_links,
    deliveries,
    devices,
    epcis,
    exports,
    front_page,
    health,
    history,
    inspector_console,
    labels,
    master_data,
    media,
    packs,
    recalls,
    resolver,
    scans,
    staff_console,
    trips,
    village_console,
)
from api.scan_log import ScanLog
from api.security_headers import SecurityHeaders
from api.sessions import SignedCookieSessions
from api.summary_heads import SummaryHeads, SummaryListener
from schemas.scans import CopyRule
from schemas.settings import Settings, get_settings
from schemas.time_bounds import allow_ahead
from store.db import open_pool
from store.master_data import allocate_gtins
from store.media_storage import DiskMediaStorage

STATIC_DIR = Path(__file__).parent / "static"
# Below this a response gains little from compression (headers and framing dominate).
GZIP_MINIMUM_BYTES = 500
# Connections per API process; several processes may run behind one load balancer.
POOL_MAX_SIZE = 10


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.secret_key is None:
        raise ValueError("FARMTRACE_SECRET_KEY is not set; the API signs sessions with it")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool = open_pool(settings.database_url, max_size=POOL_MAX_SIZE)
        app.state.pool = pool
        if settings.gs1_company_prefix:
            # Products made before the prefix was set get their GTINs now.
            with pool.connection() as conn:
                allocate_gtins(conn, settings.gs1_company_prefix, None)
        app.state.scan_log = ScanLog(pool)
        app.state.pack_scans = PackScans(
            pool, CopyRule(settings.scan_copy_threshold, settings.scan_copy_days)
        )
        app.state.scan_log.start()
        listener = SummaryListener(settings.database_url, app.state.summary_heads)
        listener.start()
        # Everything built so far (modules, routes, templates) lives as long as the process:
        # kept out of the collector's full passes, which otherwise stop every request for
        # 40-120 ms several times a minute under load (the provenance page's p99).
        gc.freeze()
        try:
            yield
        finally:
            listener.stop()
            app.state.scan_log.stop()
            pool.close()

    app = FastAPI(
        title="farmtrace",
        summary="Farm-to-consumer traceability for Jinkouhe: batches, custody, cold chain.",
        version="0.1.0",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pull scripts from a CDN; pages here load nothing foreign.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    allow_ahead(settings.time_ahead_tolerance_s)
    app.state.render_cache = RenderCache()
    app.state.front_page_cache = FrontPageCache()
    app.state.media_storage = DiskMediaStorage(Path(settings.media_dir))
    app.state.summary_heads = SummaryHeads(settings.public_head_ttl_s)
    app.state.product_heads = ProductHeads(settings.public_head_ttl_s)
    app.add_middleware(
        SignedCookieSessions,
        secret_key=settings.secret_key.get_secret_value(),
        https_only=settings.public_base_url.startswith("https://"),
    )
    app.add_middleware(NulGuard)
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.request_body_max_bytes,
        larger={
            "/api/v1/media": settings.media_upload_max_bytes,
            "/staff/media/": settings.media_upload_max_bytes,
        },
    )
    app.add_middleware(RequestMetrics)
    # Pages travel compressed (a provenance page shrinks to about a third on a slow link).
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)
    # Outermost, so even a body refused before any route carries the headers.
    app.add_middleware(SecurityHeaders, https=settings.public_base_url.startswith("https://"))
    if prefix := base_path(settings.public_base_url):
        # Outside everything else, so every layer sees the path a stripping proxy would pass.
        app.add_middleware(BasePath, prefix=prefix)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # The resolver first: it answers most requests, and routes are matched in order.
    for router in (
        resolver.router,
        front_page.router,
        health.router,
        auth.router,
        master_data.router,
        devices.router,
        batches.router,
        deliveries.router,
        trips.router,
        certificates.router,
        labels.router,
        packs.router,
        certifications.router,
        media.router,
        history.router,
        epcis.router,
        alarms.router,
        recalls.router,
        exports.router,
        staff_console.router,
        scans.router,
        inspector_console.router,
        village_console.router,
        certificate_pages.router,
        compressed_links.router,
    ):
        app.include_router(router)
    return app
