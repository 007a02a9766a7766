"""The GS1 Digital Link resolver behind the QR codes: ``/01/{gtin}/10/{lot}`` and ``/l/{lot}``.

Each hit finds the batch, logs the scan, and answers with the representation asked for
(``api.link_types``). Pages and JSON-LD carry the summary's version as their ETag, so a
conditional request is answered 304 after one small query and without rendering.
"""

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import AppSettings, Connection
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
from api.provenance_page import (
    RenderCache,
    etag_for,
    render_jsonld,
    render_message,
    render_page,
)
from labels.digital_link import InvalidLink, build_digital_link, parse_digital_link
from schemas.settings import Settings
from store.epcis import epcis_document_for_batch
from store.summaries import SummaryHead, fresh_head, load_summary

router = APIRouter(tags=["resolver"])
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
def resolve_digital_link(
    rest: str, request: Request, conn: Connection, settings: AppSettings
) -> Response:
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
    return _resolve(request, conn, settings, link.lot_code, link.gtin, link.serial)


@router.api_route("/l/{lot}", methods=["GET", "HEAD"], summary="Short form for lots without GTIN")
def resolve_lot(
    lot: LotSegment, request: Request, conn: Connection, settings: AppSettings
) -> Response:
    try:
        link = parse_digital_link(request.url.path)
    except InvalidLink as error:
        if _wants_html(request):
            return _friendly(request, 400, "bad_link_title", "bad_link_text", None)
        raise BadRequest(str(error)) from error
    assert link.lot_code is not None
    return _resolve(request, conn, settings, link.lot_code, None, None)


def _page_url(settings: Settings, head: SummaryHead) -> str:
    return build_digital_link(settings.public_base_url, head.lot_code, head.gtin)


def _etag_matches(request: Request, etag: str) -> bool:
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag in tags


def _resolve(
    request: Request,
    conn: Connection,
    settings: Settings,
    lot_code: str,
    gtin: str | None,
    serial: str | None,
) -> Response:
    try:
        representation = choose_representation(request)
    except UnsupportedLinkType as error:
        raise NotFound(str(error)) from error
    language = choose_public_language(request)
    head = fresh_head(conn, lot_code)
    if head is None or (gtin is not None and head.gtin != gtin):
        if representation is Representation.PAGE and _wants_html(request):
            return _friendly(request, 404, "not_found_title", "not_found_text", lot_code)
        raise NotFound(
            f"no batch with lot code {lot_code!r}" + (f" for GTIN {gtin}" if gtin else "")
        )
    request.app.state.scan_log.add(
        head.lot_code, serial, language, request.headers.get("user-agent")
    )
    page_url = _page_url(settings, head)
    headers = {
        "Link": link_header(page_url),
        "Vary": VARY,
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "Link, ETag",
    }
    if representation is Representation.LINKSET:
        anchor = str(request.url.replace(query="")).replace(
            f"{request.url.scheme}://{request.url.netloc}", settings.public_base_url.rstrip("/")
        )
        return JSONResponse(
            linkset_document(anchor, page_url), media_type=LINKSET_TYPE, headers=headers
        )
    if representation is Representation.TRACEABILITY:
        document = epcis_document_for_batch(conn, head.lot_code, settings.public_base_url)
        return JSONResponse(document, media_type=JSONLD_TYPE, headers=headers)
    return _cached_representation(request, conn, settings, head, representation, language, headers)


def _cached_representation(
    request: Request,
    conn: Connection,
    settings: Settings,
    head: SummaryHead,
    representation: Representation,
    language: Language,
    headers: dict[str, str],
) -> Response:
    page = representation is Representation.PAGE
    tag_language: Any = language if page else "mul"
    etag = etag_for(head.version, tag_language, representation.value)
    headers = {
        **headers,
        "ETag": etag,
        "Cache-Control": f"public, max-age={settings.public_max_age_s},"
        f" stale-while-revalidate={settings.public_stale_while_revalidate_s}",
    }
    if page:
        headers["Content-Language"] = HTML_LANG[language]
    if _etag_matches(request, etag):
        return Response(status_code=304, headers=headers)
    cache: RenderCache = request.app.state.render_cache
    page_url = _page_url(settings, head)

    def render() -> bytes:
        _, summary = load_summary(conn, head.batch_id)
        return render_page(summary, language) if page else render_jsonld(summary, page_url)

    body = cache.get_or_render((head.batch_id, head.version, tag_language, representation), render)
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
