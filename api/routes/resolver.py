"""The GS1-Conformant resolver behind the QR codes, and the public pages it redirects to.

``/01/{gtin}[/22/…][/10/{lot}][/21/{serial}]`` and the short form ``/l/{lot}`` answer as GS1's
resolver standard says: 307 to the default link, or to the link ``?linkType=`` names (chosen by
``Accept`` and ``Accept-Language``, 300 when they cannot choose), the linkset for
``linkType=linkset`` or ``Accept: application/linkset+json``, walking up from a lot it does not
know to the product. A non-canonical spelling (a GTIN of fewer than 14 digits, qualifiers out
of order) is redirected permanently to the canonical URI. Each scan is logged at the redirect.

The pages themselves live at ``/batch/{lot}`` (HTML, or JSON-LD on ``Accept``) and
``/product/{gtin}``. Pages carry the summary's version as their ETag; the version and the
rendered answer are kept in memory (``api.summary_heads``, ``api.provenance_page``), so the
redirect and a repeated or conditional page request touch no database.
"""

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

import psycopg
from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from psycopg_pool import ConnectionPool

from api.deps import AppSettings
from api.errors import BadRequest, NotFound
from api.i18n import HTML_LANG, Language, choose_public_language
from api.link_types import (
    DEFAULT_LINK,
    JSONLD_TYPE,
    LINKSET_TYPE,
    LinkContext,
    accept_qualities,
    asked_link_type,
    best_links,
)
from api.linksets import (
    ProductNames,
    context_link,
    linkset_document,
    linkset_link,
    lot_context,
    product_context,
)
from api.pack_scans import PackScan
from api.product_heads import ProductHeads
from api.product_page import render_product_jsonld, render_product_page
from api.provenance_page import (
    RenderCache,
    etag_for,
    render_jsonld,
    render_message,
    render_page,
    with_pack_scan,
)
from api.summary_heads import SummaryHeads
from labels.compressed_link import COMPRESSED_SEGMENT, decompress_digital_link
from labels.digital_link import DigitalLink, InvalidLink, build_digital_link, parse_digital_link
from schemas.codes import normalize_lot_code
from schemas.master_data import ProductPublic
from schemas.settings import Settings
from store.epcis import epcis_document_for_batch
from store.master_data import product_for_gtin
from store.summaries import SummaryHead, fresh_head, load_summary

router = APIRouter(tags=["resolver"])
T = TypeVar("T")
LotSegment = Annotated[str, Path(description="the batch's lot code")]
SerialSegment = Annotated[
    str,
    Path(
        description="the pack's serial number (GS1 AI 21)",
        pattern=r"""^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}$""",
    ),
]
# GS1 AI (17) expiry date: YYMMDD, where DD = 00 means the end of the month.
_EXPIRY = re.compile(r"[0-9]{6}")
_GTIN14 = re.compile(r"[0-9]{14}")
# Answers vary with these request headers; a CDN keeps one copy per combination.
VARY = "Accept, Accept-Language"
CORS = {"Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "Link, Location, ETag"}  # fmt: skip
METHODS = "GET, HEAD, OPTIONS"
# Redirects are not stored: each scan reaches the resolver (and its scan count).
REDIRECT_CACHE = "no-store"
# The query parameter that names the lot a walk-up did not find, for the product page.
UNKNOWN_LOT_PARAMETER = "unknown_lot"


def _check_expiry(request: Request) -> None:
    value = request.query_params.get("17")
    if value is None:
        return
    month_day = value[2:] if _EXPIRY.fullmatch(value) else ""
    try:
        date(2000 + int(value[:2]), int(month_day[:2]), max(int(month_day[2:]), 1))
    except ValueError as error:
        raise BadRequest(f"AI (17) expiry must be YYMMDD, got {value!r}") from error


def _encoded_path(request: Request) -> str:
    """The path as the client sent it, percent-encoding intact: an AI value may hold a ``/``
    (``%2F``), which the decoded path would turn into a segment boundary."""
    raw_path = request.scope.get("raw_path")
    return raw_path.decode("latin-1").split("?")[0] if raw_path else request.url.path


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _friendly(request: Request, status: int, title: str, text: str, lot: str | None) -> Response:
    language = choose_public_language(request)
    html = render_message(language, title, text, lot)
    return HTMLResponse(html, status_code=status, headers={"Content-Language": HTML_LANG[language]})


def _bad_link(request: Request, error: Exception) -> Response:
    if _wants_html(request):
        return _friendly(request, 400, "bad_link_title", "bad_link_text", None)
    raise BadRequest(str(getattr(error, "message", error))) from error


@router.api_route("/01/{rest:path}", methods=["GET", "HEAD"], summary="GS1 Digital Link")
async def resolve_digital_link(rest: str, request: Request) -> Response:
    """`/01/{gtin}[/22/…][/10/{lot}][/21/{serial}]`, optionally `?17=YYMMDD`, `?linkType=`."""
    try:
        link = parse_digital_link(_encoded_path(request))
        _check_expiry(request)
    except InvalidLink as error:
        segments = [segment for segment in rest.split("/") if segment]
        if len(segments) != 2 or not COMPRESSED_SEGMENT.fullmatch(segments[1]):
            return _bad_link(request, error)
        # ``/01/{gtin}/{compressed}``: the standard's partially compressed form.
        try:
            link, pairs = decompress_digital_link(segments[1], segments[0])
        except InvalidLink as compressed_error:
            return _bad_link(request, compressed_error)
        return canonical_redirect(request, link, pairs)
    except BadRequest as error:
        return _bad_link(request, error)
    return await _resolve(request, link)


@router.api_route("/l/{lot}", methods=["GET", "HEAD"], summary="Short form for lots without GTIN")
async def resolve_lot(lot: LotSegment, request: Request) -> Response:
    try:
        link = parse_digital_link(_encoded_path(request))
    except InvalidLink as error:
        return _bad_link(request, error)
    # The short form is typed as often as scanned: its lot is read as the label prints it.
    return await _resolve(request, DigitalLink(lot_code=normalize_lot_code(link.lot_code or "")))


@router.options("/01/{rest:path}", include_in_schema=False)
@router.options("/l/{rest:path}", include_in_schema=False)
async def resolver_options(rest: str, request: Request) -> Response:
    """CORS preflight and method discovery, with the way to the linkset (GS1 resolver 1.0)."""
    headers = {
        "Allow": METHODS,
        **CORS,
        "Access-Control-Allow-Methods": METHODS,
        "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
        "Access-Control-Max-Age": "86400",
    }
    try:
        link = parse_digital_link(_encoded_path(request))
        headers["Link"] = linkset_link(_base(request) + link.path())
    except InvalidLink:
        pass
    return Response(status_code=204, headers=headers)


def _base(request: Request) -> str:
    settings: Settings = request.app.state.settings
    return settings.public_base_url.rstrip("/")


def _forwarded_query(request: Request, extra: dict[str, str] | None = None) -> str:
    """The request's query, passed on to the target as the resolver standard asks."""
    pairs = [(key, value) for key, value in request.query_params.multi_items()
             if key != "linkType"]  # fmt: skip
    pairs += list((extra or {}).items())
    return urlencode(pairs)


def _with_query(href: str, query: str) -> str:
    if not query:
        return href
    return href + ("&" if "?" in href else "?") + query


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


async def _lot_head(request: Request, lot_code: str) -> SummaryHead | None:
    state = request.app.state
    heads: SummaryHeads = state.summary_heads
    return heads.get(lot_code) or await run_in_threadpool(_read_head, state.pool, heads, lot_code)


async def _product(request: Request, gtin: str) -> ProductPublic | None:
    state = request.app.state
    products: ProductHeads = state.product_heads
    product = products.get(gtin)
    if product is None:
        product = await run_in_threadpool(
            _with_connection, state.pool, lambda conn: product_for_gtin(conn, gtin)
        )
        if product is not None:
            products.put(product)
    return product


async def _contexts(
    request: Request, link: DigitalLink
) -> tuple[list[LinkContext], SummaryHead | None]:
    """What the resolver knows of the link, most specific first (GS1's walk-up), and the
    lot's head when the lot itself is known."""
    base = _base(request)
    contexts: list[LinkContext] = []
    head = None
    if link.lot_code is not None and link.variant is None:
        head = await _lot_head(request, link.lot_code)
        # AI values are case-sensitive: a lot read in other letters is another lot.
        if (
            head is None
            or head.lot_code != link.lot_code
            or (link.gtin is not None and head.gtin != link.gtin)
        ):
            head = None
    if head is not None:
        names = ProductNames(head.product_name_zh, head.product_name_en)
        serial = link.serial if head.gtin is not None else None
        anchor = build_digital_link(base, head.lot_code, head.gtin, serial)
        contexts.append(lot_context(anchor, base, head.lot_code, names, serial))
    if link.gtin is not None:
        product = await _product(request, link.gtin)
        if product is not None:
            names = ProductNames(product.name_zh, product.name_en)
            contexts.append(product_context(f"{base}/01/{link.gtin}", base, link.gtin, names))
    return contexts, head


def _redirect(location: str, status: int, anchor: str) -> Response:
    headers = {"Location": location, "Link": linkset_link(anchor), "Vary": VARY,
               "Cache-Control": REDIRECT_CACHE, **CORS}  # fmt: skip
    return Response(status_code=status, headers=headers)


def _linkset(contexts: list[LinkContext], status: int = 200) -> Response:
    headers = {"Link": f"{linkset_link(contexts[0].anchor)}, {context_link()}", "Vary": VARY,
               **CORS}  # fmt: skip
    return JSONResponse(
        linkset_document(contexts), status_code=status, media_type=LINKSET_TYPE, headers=headers
    )


def canonical_redirect(
    request: Request, link: DigitalLink, pairs: list[tuple[str, str]] | None = None
) -> Response:
    """301 to the canonical uncompressed URI of ``link``, with ``pairs`` (what a compressed
    URI carried beyond the path) before the request's own query."""
    canonical = _base(request) + link.path()
    query = "&".join(part for part in (urlencode(pairs or []), request.url.query) if part)
    return _redirect(canonical + (f"?{query}" if query else ""), 301, canonical)


async def _resolve(request: Request, link: DigitalLink) -> Response:
    """Everything the hot path needs is in memory; the database is asked only on a miss."""
    if not link.canonical:
        return canonical_redirect(request, link)
    asked = asked_link_type(request.query_params.get("linkType"), request.headers)
    contexts, head = await _contexts(request, link)
    if not contexts:
        if _wants_html(request):
            return _friendly(request, 404, "not_found_title", "not_found_text", link.lot_code)
        raise NotFound(f"nothing is known here of {link.path()}")
    if head is not None and link.serial is None:
        # A pack's scan is counted where its page tells the count (``pack_page``).
        language = choose_public_language(request)
        request.app.state.scan_log.add(
            head.lot_code, None, language, request.headers.get("user-agent")
        )
    if asked == "linkset":
        return _linkset(contexts)
    relation = asked or DEFAULT_LINK
    found = next(((context, context.of_type(relation)) for context in contexts
                  if context.of_type(relation)), None)  # fmt: skip
    if found is None:
        offered = sorted({f"gs1:{target.relation}" for c in contexts for target in c.links})
        raise NotFound(
            f"no link of type {relation!r} here; available: {', '.join(offered)}, linkset"
        )
    context, links = found
    chosen = best_links(links, request.headers)
    if len({choice.href for choice in chosen}) > 1:
        return _linkset([LinkContext(context.anchor, context.item_description, tuple(chosen))],
                        status=300)  # fmt: skip
    extra = None
    if head is None and link.lot_code is not None:
        extra = {UNKNOWN_LOT_PARAMETER: link.lot_code}
    location = _with_query(chosen[0].href, _forwarded_query(request, extra))
    return _redirect(location, 307, context.anchor)


def _page_representation(request: Request) -> str:
    accept = accept_qualities(request.headers.get("accept", ""))
    html = max(accept.get("text/html", 0.0), accept.get("application/xhtml+xml", 0.0))
    json_ld = max(accept.get(JSONLD_TYPE, 0.0), accept.get("application/json", 0.0))
    return "jsonld" if json_ld > html else "page"


async def _batch_page(request: Request, lot: str, serial: str | None) -> Response:
    """A batch's page, or a pack's: the same page with this scan of the pack counted."""
    representation = _page_representation(request)
    head = await _lot_head(request, lot)
    if head is None or head.lot_code != lot:
        if representation == "page":
            return _friendly(request, 404, "not_found_title", "not_found_text", lot)
        raise NotFound(f"no batch with lot code {lot!r}")
    headers = {"Vary": VARY, **CORS}
    language = choose_public_language(request)
    pack_scan = None
    if serial is not None:
        state = request.app.state
        state.scan_log.add(head.lot_code, serial, language, request.headers.get("user-agent"))
        if representation == "page":
            pack_scan = await run_in_threadpool(state.pack_scans.scanned, head.lot_code, serial)
    return await _cached_representation(
        request, head, representation, language, headers, pack_scan
    )


@router.api_route("/batch/{lot}", methods=["GET", "HEAD"], summary="A batch's provenance page")
async def batch_page(lot: LotSegment, request: Request) -> Response:
    """The page a lot's Digital Link redirects to: HTML, or JSON-LD on `Accept`."""
    return await _batch_page(request, lot, None)


@router.api_route(
    "/batch/{lot}/pack/{serial}", methods=["GET", "HEAD"], summary="A pack's provenance page"
)
async def pack_page(lot: LotSegment, serial: SerialSegment, request: Request) -> Response:
    """The page a pack's Digital Link (AI 21) redirects to: the batch's page, with this
    scan of the pack counted and told."""
    return await _batch_page(request, lot, serial)


@router.get("/batch/{lot}/epcis", summary="A batch's EPCIS 2.0 events")
async def batch_events(lot: LotSegment, request: Request) -> Response:
    """The lot's `gs1:traceability` link: its EPCIS 2.0 JSON-LD document."""
    state = request.app.state
    settings: Settings = state.settings
    head = await _lot_head(request, lot)
    if head is None or head.lot_code != lot:
        raise NotFound(f"no batch with lot code {lot!r}")
    document = await run_in_threadpool(
        _with_connection, state.pool,
        lambda conn: epcis_document_for_batch(conn, head.lot_code, settings.public_base_url),
    )  # fmt: skip
    return JSONResponse(document, media_type=JSONLD_TYPE, headers=CORS)


@router.api_route("/product/{gtin}", methods=["GET", "HEAD"], summary="A product's page")
async def product_page(gtin: str, request: Request) -> Response:
    """The product level a lot walks up to; says so when it came from a lot not on record."""
    representation = _page_representation(request)
    product = await _product(request, gtin) if _GTIN14.fullmatch(gtin) else None
    if product is None:
        if representation == "page":
            return _friendly(request, 404, "not_found_title", "not_found_text", None)
        raise NotFound(f"no product with GTIN {gtin!r}")
    headers = {"Vary": VARY, **CORS}
    if representation == "jsonld":
        body = render_product_jsonld(product, f"{_base(request)}/01/{gtin}")
        return Response(body, media_type=JSONLD_TYPE, headers=headers)
    language = choose_public_language(request)
    unknown_lot = request.query_params.get(UNKNOWN_LOT_PARAMETER)
    body = render_product_page(product, language, unknown_lot[:20] if unknown_lot else None)
    headers["Content-Language"] = HTML_LANG[language]
    return Response(body, media_type="text/html; charset=utf-8", headers=headers)


async def _cached_representation(
    request: Request,
    head: SummaryHead,
    representation: str,
    language: Language,
    headers: dict[str, str],
    pack_scan: PackScan | None = None,
) -> Response:
    state = request.app.state
    settings: Settings = state.settings
    page = representation == "page"
    tag_language: Any = language if page else "mul"
    etag = etag_for(head.version, tag_language, representation, settings.centre_phone)
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
def resolver_description(settings: AppSettings) -> JSONResponse:
    """What this resolver answers for, in the fields of GS1's resolver description file;
    readable from any origin, as GS1's browser-side test suite reads it."""
    description = {
        "name": "金口河农产品溯源 / Jinkouhe produce traceability",
        "resolverRoot": settings.public_base_url.rstrip("/"),
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [
            {"namespace": "https://gs1.org/voc/", "prefix": "gs1:",
             "profile": "https://gs1.org/voc/?show=linktypes"},
        ],
        "linkTypeDefaultCanBeLinkset": True,
    }  # fmt: skip
    return JSONResponse(description, headers=CORS)
