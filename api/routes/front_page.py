"""``GET /``: the public front page, and its lot-code search (``/?lot=…``)."""

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.front_page import FrontPageCache, render_front_page
from api.front_texts import front_text
from api.i18n import HTML_LANG, Language, choose_public_language
from api.summary_heads import SummaryHeads
from labels.digital_link import InvalidLink, build_digital_link
from schemas.codes import normalize_lot_code
from schemas.settings import Settings
from store.front_page import front_page_listing

router = APIRouter(tags=["front page"])
# Longer than any lot code: what is typed beyond it is not kept, nor echoed back.
SEARCH_ECHO_MAX = 40


def _listing_page(request: Request, language: Language, error: str | None, searched: str) -> bytes:
    with request.app.state.pool.connection() as conn:
        conn.autocommit = True
        listings = front_page_listing(conn)
    return render_front_page(listings, language, error, searched)


def _page_response(body: bytes, language: Language, settings: Settings, status: int) -> Response:
    headers = {
        "Content-Language": HTML_LANG[language],
        "Vary": "Accept-Language",
        "Cache-Control": f"public, max-age={settings.public_max_age_s},"
        f" stale-while-revalidate={settings.public_stale_while_revalidate_s}",
    }
    return Response(body, status, headers, media_type="text/html; charset=utf-8")


@router.api_route("/", methods=["GET", "HEAD"], summary="The public front page")
async def front_page(request: Request, lot: str | None = None) -> Response:
    """Products, consenting producers, batches on sale; `?lot=` leads to that lot's page."""
    language = choose_public_language(request)
    settings: Settings = request.app.state.settings
    if lot is not None:
        typed = normalize_lot_code(lot)[:SEARCH_ECHO_MAX]
        error_key = "search_empty"
        if typed:
            try:
                found = build_digital_link("", typed)
                asked = request.query_params.get("lang")
                return RedirectResponse(
                    found + (f"?lang={language}" if asked else ""), status_code=303
                )
            except InvalidLink:
                error_key = "search_invalid"
        error = front_text(error_key, language)
        body = await run_in_threadpool(_listing_page, request, language, error, typed)
        return _page_response(body, language, settings, 400)
    heads: SummaryHeads = request.app.state.summary_heads
    cache: FrontPageCache = request.app.state.front_page_cache
    generation = heads.generation
    cached = cache.get(language, generation)
    if cached is not None:
        return _page_response(cached, language, settings, 200)
    body = await run_in_threadpool(_listing_page, request, language, None, "")
    if heads.listening:
        cache.put(language, generation, settings.public_head_ttl_s, body)
    return _page_response(body, language, settings, 200)
