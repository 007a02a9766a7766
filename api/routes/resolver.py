"""The GS1 Digital Link resolver behind the QR codes: ``/01/{gtin}/10/{lot}`` and ``/l/{lot}``.

Each hit finds the batch, logs the scan, and answers with the representation asked for
(``api.link_types``). Pages and JSON-LD carry the summary's version as their ETag; the
version and the rendered answer are kept in memory (``api.summary_heads``,
``api.provenance_page``), so a repeated or conditional request touches no database.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

import psycopg
from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from psycopg_pool import ConnectionPool

from api.deps import AppSettings
from api.errors import BadRequest, NotFound
from api.i18n import HTML_LANG, Language, choose_public_language
from api.link_types import (
    JSONLD_TYPE,
    LINKSET_TYPE,
    OFFERED_LINK_TYPES,
    Representation,
    UnsupportedLinkType,
    choose_representation,
    link_header,
    linkset_document,
)
from api.pack_scans import PackScan
from api.provenance_page import (
    RenderCache,
    etag_for,
    render_jsonld,
    render_message,
    render_page,
    with_pack_scan,
)
from api.summary_heads import SummaryHeads
from labels.digital_link import InvalidLink, build_digital_link, parse_digital_link
from schemas.codes import normalize_lot_code
from schemas.settings import Settings
from store.epcis import epcis_document_for_batch
from store.summaries import SummaryHead, fresh_head, load_summary

router = APIRouter(tags=["resolver"])
T = TypeVar("T")
LotSegment = Annotated[str, Path(description="the batch's lot code")]
# GS1 AI (17) expiry date: YYMMDD, where DD = 00 means the end of the month.
_EXPIRY = re.compile(r"[0-9]{6}")
# Answers vary with these request headers; a CDN keeps one copy per combination.
VARY = "Accept, Accept-Language"


def _check_expiry(request: Request) -> None:
    value = request.query_params.get("17")
    if value is None:
        return
    month_day = value[2:] if _EXPIRY.fullmatch(value) else ""
    try:
        date(2000 + int(value[:2]), int(month_day[:2]), max(int(month_day[2:]), 1))
    except ValueError as error:
        raise BadRequest(f"AI (17) expiry must be YYMMDD, got {value!r}") from error


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _friendly(request: Request, status: int, title: str, text: str, lot: str | None) -> Response:
    language = choose_public_language(request)
    html = render_message(language, title, text, lot)
    return HTMLResponse(html, status_code=status, headers={"Content-Language": HTML_LANG[language]})


@router.api_route("/01/{rest:path}", methods=["GET", "HEAD"], summary="GS1 Digital Link")
async def resolve_digital_link(rest: str, request: Request) -> Response:
    """`/01/{gtin}/10/{lot}[/21/{serial}]`, optionally `?17=YYMMDD` and `?linkType=`."""
    try:
        link = parse_digital_link(request.url.path)
        _check_expiry(request)
    except (InvalidLink, BadRequest) as error:
        if _wants_html(request):
            return _friendly(request, 400, "bad_link_title", "bad_link_text", None)
        raise BadRequest(str(getattr(error, "message", error))) from error
    if link.lot_code is None:
        raise NotFound("this resolver answers for lots: /01/{gtin}/10/{lot}")
    return await _resolve(request, link.lot_code, link.gtin, link.serial)


@router.api_route("/l/{lot}", methods=["GET", "HEAD"], summary="Short form for lots without GTIN")
async def resolve_lot(lot: LotSegment, request: Request) -> Response:
    try:
        link = parse_digital_link(request.url.path)
    except InvalidLink as error:
        if _wants_html(request):
            return _friendly(request, 400, "bad_link_title", "bad_link_text", None)
        raise BadRequest(str(error)) from error
    assert link.lot_code is not None
    return await _resolve(request, link.lot_code, None, None)


@router.options("/01/{rest:path}", include_in_schema=False)
@router.options("/l/{rest:path}", include_in_schema=False)
async def resolver_options(rest: str) -> Response:
    """CORS preflight and method discovery, as GS1 conformant resolvers answer them."""
    return Response(
        status_code=204,
        headers={
            "Allow": "GET, HEAD, OPTIONS",
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
            "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
            "Access-Control-Max-Age": "86400",
        },
    )


def _page_url(settings: Settings, head: SummaryHead) -> str:
    return build_digital_link(settings.public_base_url, head.lot_code, head.gtin)


def _etag_matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def _with_connection(pool: ConnectionPool, work: Callable[[psycopg.Connection], T]) -> T:
    """Run store work on a pooled connection in autocommit, as the API's routes do."""
    with pool.connection() as conn:
        conn.autocommit = True
        return work(conn)


def _read_head(pool: ConnectionPool, heads: SummaryHeads, lot_code: str) -> SummaryHead | None:
    generation = heads.generation
    head = _with_connection(pool, lambda conn: fresh_head(conn, lot_code))
    if head is not None:
        heads.put(lot_code, head, generation)
    return head


async def _resolve(
    request: Request, lot_code: str, gtin: str | None, serial: str | None
) -> Response:
    """Everything the hot path needs is in memory; the database is asked only on a miss."""
    state = request.app.state
    settings: Settings = state.settings
    try:
        representation = choose_representation(request)
    except UnsupportedLinkType as error:
        raise NotFound(str(error)) from error
    language = choose_public_language(request)
    lot_code = normalize_lot_code(lot_code)
    heads: SummaryHeads = state.summary_heads
    head = heads.get(lot_code) or await run_in_threadpool(_read_head, state.pool, heads, lot_code)
    if head is None or (gtin is not None and head.gtin != gtin):
        if representation is Representation.PAGE and _wants_html(request):
            return _friendly(request, 404, "not_found_title", "not_found_text", lot_code)
        raise NotFound(
            f"no batch with lot code {lot_code!r}" + (f" for GTIN {gtin}" if gtin else "")
        )
    state.scan_log.add(head.lot_code, serial, language, request.headers.get("user-agent"))
    page_url = _page_url(settings, head)
    headers = {
        "Link": link_header(page_url),
        "Vary": VARY,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "Link, ETag",
    }
    if representation is Representation.LINKSET:
        anchor = settings.public_base_url.rstrip("/") + request.url.path
        return JSONResponse(
            linkset_document(anchor, page_url), media_type=LINKSET_TYPE, headers=headers
        )
    if representation is Representation.TRACEABILITY:
        document = await run_in_threadpool(
            _with_connection, state.pool,
            lambda conn: epcis_document_for_batch(conn, head.lot_code, settings.public_base_url),
        )  # fmt: skip
        return JSONResponse(document, media_type=JSONLD_TYPE, headers=headers)
    pack_scan = None
    if serial is not None and representation is Representation.PAGE:
        pack_scan = await run_in_threadpool(state.pack_scans.scanned, head.lot_code, serial)
    return await _cached_representation(request, head, representation, language, headers, pack_scan)


async def _cached_representation(
    request: Request,
    head: SummaryHead,
    representation: Representation,
    language: Language,
    headers: dict[str, str],
    pack_scan: PackScan | None = None,
) -> Response:
    state = request.app.state
    settings: Settings = state.settings
    page = representation is Representation.PAGE
    tag_language: Any = language if page else "mul"
    etag = etag_for(head.version, tag_language, representation.value, settings.centre_phone)
    headers = {
        **headers,
        "ETag": etag,
        "Cache-Control": f"public, max-age={settings.public_max_age_s},"
        f" stale-while-revalidate={settings.public_stale_while_revalidate_s}",
    }
    if page:
        headers["Content-Language"] = HTML_LANG[language]
    if pack_scan is not None:
        # A pack's page counts this very scan: no cache may answer for it.
        headers["Cache-Control"] = "no-store"
        del headers["ETag"]
    elif _etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    cache: RenderCache = state.render_cache
    key = (head.batch_id, head.version, tag_language, representation)
    body = cache.get(key)
    if body is None:
        page_url = _page_url(settings, head)

        def render(conn: psycopg.Connection) -> bytes:
            _, summary = load_summary(conn, head.batch_id)
            if page:
                return render_page(summary, language, settings.centre_phone)
            return render_jsonld(summary, page_url)

        body = await run_in_threadpool(_with_connection, state.pool, render)
        cache.put(key, body)
    if page:
        body = with_pack_scan(body, pack_scan, language, settings.centre_phone)
    if pack_scan is None and "gzip" in request.headers.get("accept-encoding", ""):
        body = cache.compressed(key, body)
        headers |= {"Content-Encoding": "gzip", "Vary": f"{VARY}, Accept-Encoding"}
    media_type = "text/html; charset=utf-8" if page else JSONLD_TYPE
    return Response(body, media_type=media_type, headers=headers)


@router.get("/.well-known/gs1resolver", summary="GS1 resolver description file")
def resolver_description(settings: AppSettings) -> dict[str, Any]:
    """What this resolver answers for, in the fields of GS1's resolver description file."""
    return {
        "name": "金口河农产品溯源 / Jinkouhe produce traceability",
        "resolverRoot": settings.public_base_url.rstrip("/"),
        "supportedPrimaryKeys": ["01"],
        "supportedQualifiers": {"01": ["10", "21"]},
        "supportedDataAttributes": ["17"],
        "supportedLinkType": [
            {"namespace": "https://gs1.org/voc/", "prefix": "gs1:",
             "profile": "https://gs1.org/voc/?show=linktypes"},
        ],
        "linkTypes": list(OFFERED_LINK_TYPES),
        "linkTypeDefaultCanBeLinkset": True,
        "shortFormPath": "/l/{lot}",
        "defaultLanguage": "zh-CN",
        "supportedLanguages": ["zh-CN", "en"],
    }  # fmt: skip
