"""The public front page: rendered from ``store.front_page`` and kept in memory.

A render is reused while no provenance summary has changed (the summary listener's
generation, ``api.summary_heads``) and for at most the heads' time-to-live, which bounds how
long a new product with no batch yet stays off the page. The page runs no script: the lot
search is a plain GET form.
"""

import threading
import time
from datetime import datetime

from api.front_texts import front_text
from api.i18n import HTML_LANG, Language, translate
from api.page_words import band_text
from api.pages import environment
from labels.digital_link import build_digital_link
from schemas.time_bounds import in_district_time
from store.front_page import BatchOnSale, ProductListing

# Verdicts a shopper can read as good news; the others are shown as warnings.
GOOD_VERDICTS = ("held", "no_profile")


def _band(listing: ProductListing) -> str:
    return band_text(listing.temp_min, listing.temp_max)


def _day(moment: datetime | None) -> str:
    return in_district_time(moment).date().isoformat() if moment else ""


def _batch_url(batch: BatchOnSale) -> str:
    """The same path the batch's QR code leads to, relative to this site."""
    return build_digital_link("", batch.lot_code, batch.gtin)


def render_front_page(
    listings: list[ProductListing],
    language: Language,
    search_error: str | None = None,
    searched: str = "",
) -> bytes:
    other: Language = "en" if language == "zh" else "zh"
    html = environment.get_template("public/front.html").render(
        html_lang=HTML_LANG[language],
        other_lang=other,
        other_html_lang=HTML_LANG[other],
        site_name=translate("site_name", language),
        switch_label=translate("switch_language", language),
        t=lambda key: front_text(key, language),
        name=lambda zh, en: zh if language == "zh" or not en else en,
        listings=listings,
        band=_band,
        day=_day,
        batch_url=_batch_url,
        good_verdicts=GOOD_VERDICTS,
        search_error=search_error,
        searched=searched,
    )
    return html.encode()


class FrontPageCache:
    """One render per language, valid for the generation and moment it was made in."""

    def __init__(self) -> None:
        self._entries: dict[Language, tuple[int, float, bytes]] = {}
        self._lock = threading.Lock()

    def get(self, language: Language, generation: int) -> bytes | None:
        found = self._entries.get(language)
        if found is None or found[0] != generation or time.monotonic() > found[1]:
            return None
        return found[2]

    def put(self, language: Language, generation: int, ttl_s: float, body: bytes) -> None:
        with self._lock:
            self._entries[language] = (generation, time.monotonic() + ttl_s, body)
