"""How the provenance page words things, per language: names, places, advice, punctuation.

Kept apart from the rendering so each reads on its own: what the page says of a name the
staff gave only in Chinese, of an origin, of a storage band, of a certificate's dates.
"""

from collections.abc import Callable
from datetime import date

from api.i18n import Language
from api.romanize import romanize
from schemas.certifications import CertificationShown
from schemas.provenance import ColdChain, Origin

# Storage advice calls a band at or below these frozen or refrigerated.
FROZEN_MAX_C = -18.0
CHILLED_MAX_C = 8.0


def briefly_out(cold_chain: ColdChain) -> bool:
    """The range leaves the band although no excursion was found: every stretch outside was
    within what the profile allows, which the page must say rather than leave a contradiction."""
    if any(finding.kind == "excursion" for finding in cold_chain.findings):
        return False
    if cold_chain.temp_min is None or cold_chain.temp_max is None:
        return False
    below = cold_chain.band_min is not None and cold_chain.temp_min < cold_chain.band_min
    above = cold_chain.band_max is not None and cold_chain.temp_max > cold_chain.band_max
    return below or above


def namer(language: Language) -> Callable[[str | None, str | None], str]:
    """A name in the page's language: the English one staff gave, else the Chinese in pinyin."""

    def name(zh: str | None, en: str | None) -> str:
        if language == "zh":
            return zh or en or ""
        return en or romanize(zh or "")

    return name


def origin_place(language: Language) -> Callable[[Origin], str]:
    """Where it grew, largest unit first in Chinese (四川省乐山市金口河区永和镇新乐村); the
    service point where it was handed in is not the origin."""

    def place(origin: Origin) -> str:
        if language == "en":
            return origin.admin_area_en or origin.village_name_en or romanize(origin.village_name)
        return origin.admin_area or f"{origin.township or ''}{origin.village_name}"

    return place


def storage_advice(cold_chain: ColdChain, language: Language) -> str | None:
    """How to keep it at home, from the product's storage profile."""
    low, high, humidity = cold_chain.band_min, cold_chain.band_max, cold_chain.humidity_max
    if low is None and high is None and humidity is None:
        return None
    zh = language == "zh"
    # How the words name the band: frozen at or below −18 °C, chilled up to 8 °C.
    frozen = high is not None and high <= FROZEN_MAX_C
    chilled = not frozen and high is not None and high <= CHILLED_MAX_C
    keep_zh = "冷冻保存" if frozen else "冷藏保存" if chilled else "保存"
    keep_en = "frozen " if frozen else "refrigerated " if chilled else ""
    if low is not None and high is not None:
        text = (
            f"请在 {low:g}~{high:g} °C {keep_zh}"
            if zh
            else f"Keep it {keep_en}at {low:g}–{high:g} °C"
        )
    elif high is not None:
        text = f"请在 {high:g} °C 以下{keep_zh}" if zh else f"Keep it {keep_en}below {high:g} °C"
    elif low is not None:
        text = f"请在 {low:g} °C 以上保存" if zh else f"Keep it above {low:g} °C"
    else:
        text = "请妥善保存" if zh else "Keep it"
    if humidity is not None:
        text += (
            f"，相对湿度不超过 {humidity:g}%，置于阴凉干燥处"
            if zh
            else f", at no more than {humidity:g}% relative humidity, in a cool dry place"
        )
    return text + ("。" if zh else ".")


def telephone(number: str) -> str:
    """The digits of a ``tel:`` link (a configured number may hold spaces or dashes)."""
    return "".join(character for character in number if character.isdigit() or character == "+")


# Punctuation follows the language: full-width in Chinese, ASCII with spaces in English.
PUNCTUATION: dict[Language, dict[str, str]] = {
    "zh": {"colon": "：", "open_paren": "（", "close_paren": "）", "stop": "。"},
    "en": {"colon": ": ", "open_paren": " (", "close_paren": ")", "stop": ". "},
}


def validity(today: date) -> Callable[[CertificationShown], str]:
    def state(certificate: CertificationShown) -> str:
        if certificate.valid_until < today:
            return "expired"
        return "not_yet" if certificate.valid_from > today else "valid"

    return state


def band_text(low: float | None, high: float | None) -> str:
    """A temperature band as a shopper reads it: "2 ~ 5 °C", "≤ 10 °C", "≥ 0 °C"."""
    if low is not None and high is not None:
        return f"{low:g} ~ {high:g} °C"
    if high is not None:
        return f"≤ {high:g} °C"
    if low is not None:
        return f"≥ {low:g} °C"
    return ""
