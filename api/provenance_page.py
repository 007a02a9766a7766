"""The provenance page and its JSON-LD twin, rendered from a batch's stored summary.

Renders are cached per process by (batch, summary version, language, representation): the
version changes whenever the summary does, so a cached render is never out of date, and a
busy page costs one small query plus a dictionary lookup.
"""

import gzip
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from api import page_words
from api.i18n import HTML_LANG, Language, translate
from api.jsonld import product_jsonld
from api.pack_scans import PackScan
from api.pages import TEMPLATES_DIR, environment
from api.provenance_chart import chart_geometry
from api.public_texts import page_text
from api.romanize import romanize
from schemas.provenance import ColdChain, ProvenanceSummary
from schemas.time_bounds import in_district_time

# Renders kept per process; each is a few kilobytes.
RENDER_CACHE_SIZE = 2048
# Compressed once per render, so the highest level costs nothing on later hits.
GZIP_LEVEL = 9
# The code a page's rendering depends on, besides its templates.
PAGE_MODULES = (
    "provenance_page.py",
    "jsonld.py",
    "provenance_chart.py",
    "chart_scale.py",
    "public_texts.py",
    "pack_scans.py",
    "romanize.py",
    "page_words.py",
)


def _render_tag() -> str:
    """Changes when a template or this code changes, so ETags from older releases expire."""
    digest = hashlib.sha256()
    for path in sorted((TEMPLATES_DIR / "public").glob("*.html")):
        digest.update(path.read_bytes())
    for module in PAGE_MODULES:
        digest.update((TEMPLATES_DIR.parent / module).read_bytes())
    return digest.hexdigest()[:8]


RENDER_TAG = _render_tag()


def district_today() -> date:
    """Pages judge certificates' validity on the day they are shown, so renders and ETags
    are per district day as well as per summary version."""
    return in_district_time(datetime.now(UTC)).date()


class RenderCache:
    def __init__(self, size: int = RENDER_CACHE_SIZE) -> None:
        self._entries: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> bytes | None:
        key = (*key, district_today())
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[object, ...], body: bytes) -> None:
        key = (*key, district_today())
        with self._lock:
            self._entries[key] = body
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def compressed(self, key: tuple[object, ...], body: bytes) -> bytes:
        """The render gzipped, once: compressing on every hit would cost a busy page about a
        third of its throughput."""
        gzip_key = (*key, "gzip")
        found = self.get(gzip_key)
        if found is None:
            found = gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)
            self.put(gzip_key, found)
        return found


def etag_for(
    version: int, language: Language, representation: str, centre_phone: str | None = None
) -> str:
    """The centre's phone is printed on pages, so a new number must not revalidate old ones."""
    contact = hashlib.sha256((centre_phone or "").encode()).hexdigest()[:4]
    day = district_today().strftime("%y%m%d")
    return f'"{version}-{language}-{representation}-{RENDER_TAG}{contact}-{day}"'


def _when(moment: datetime) -> str:
    return in_district_time(moment).strftime("%Y-%m-%d %H:%M")


def _day(moment: datetime) -> str:
    return in_district_time(moment).date().isoformat()


def _duration(language: Language) -> Callable[[float], str]:
    def duration(seconds: float) -> str:
        minutes = round(seconds / 60)
        hours, rest = divmod(minutes, 60)
        if language == "zh":
            return (f"{hours} 小时 " if hours else "") + f"{rest} 分钟"
        return (f"{hours} h " if hours else "") + f"{rest} min"

    return duration


def _band(cold_chain: ColdChain) -> str:
    return page_words.band_text(cold_chain.band_min, cold_chain.band_max)


def _harvest_dates(summary: ProvenanceSummary) -> str | None:
    days: list[date] = sorted({origin.harvest_date for origin in summary.origins})
    if not days:
        return None
    if len(days) == 1:
        return days[0].isoformat()
    return f"{days[0].isoformat()} ~ {days[-1].isoformat()}"


def _language_context(language: Language) -> dict[str, Any]:
    """What every public page's layout needs: its language, the other one, and their words."""
    other: Language = "en" if language == "zh" else "zh"
    return {
        **page_words.PUNCTUATION[language],
        "html_lang": HTML_LANG[language],
        "other_lang": other,
        "other_html_lang": HTML_LANG[other],
        "site_name": translate("site_name", language),
        "switch_label": translate("switch_language", language),
        "t": lambda key: page_text(key, language),
    }


def render_page(
    summary: ProvenanceSummary, language: Language, centre_phone: str | None = None
) -> bytes:
    product_name = summary.product_name_zh if language == "zh" else summary.product_name_en
    cold_chain = summary.cold_chain
    html = environment.get_template("public/page.html").render(
        **_language_context(language),
        centre_phone=centre_phone,
        centre_phone_tel=page_words.telephone(centre_phone or ""),
        # Staff type notes in Chinese; the English page shows only what it can say in English.
        show_notes=language == "zh",
        briefly_out=bool(cold_chain and page_words.briefly_out(cold_chain)),
        storage_advice=page_words.storage_advice(cold_chain, language) if cold_chain else None,
        place=page_words.origin_place(language),
        validity=page_words.validity(district_today()),
        s=summary,
        name=page_words.namer(language),
        person=lambda text: text if language == "zh" else romanize(text, person=True),
        when=_when,
        day=_day,
        duration=_duration(language),
        product_name=product_name,
        harvest_date=_harvest_dates(summary),
        band=_band(cold_chain) if cold_chain else "",
        chart=chart_geometry(cold_chain) if cold_chain else None,
    )
    return html.encode()


# Where a pack's own lines go in a cached page: the page is rendered once per summary, the
# pack's scan count on every scan.
PACK_SLOT = b"<!--pack-->"


def with_pack_scan(
    page: bytes, scan: PackScan | None, language: Language, centre_phone: str | None
) -> bytes:
    """The cached page with this scan's lines for its pack (or none, for a lot's code)."""
    if scan is None:
        return page.replace(PACK_SLOT, b"", 1)
    block = environment.get_template("public/_pack.html").render(
        **_language_context(language),
        scan=scan,
        first=_when(scan.first),
        centre_phone=centre_phone,
        centre_phone_tel=page_words.telephone(centre_phone or ""),
    )
    return page.replace(PACK_SLOT, block.encode(), 1)


def render_message(language: Language, title_key: str, text_key: str, lot_code: str | None) -> str:
    return environment.get_template("public/message.html").render(
        **_language_context(language),
        title_key=title_key,
        text_key=text_key,
        lot_code=lot_code,
    )


def render_jsonld(summary: ProvenanceSummary, page_url: str) -> bytes:
    return json.dumps(
        product_jsonld(summary, page_url), ensure_ascii=False, separators=(",", ":")
    ).encode()
