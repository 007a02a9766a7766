"""The product-level page a lot's Digital Link walks up to, and its JSON-LD twin.

A resolver that knows the GTIN but not the lot (a lot code misread, or a code copied onto a
pack that never had it) answers with the product, never with a 404; the page then says the
lot was not found, since that is a reason for the consumer to ask the seller.
"""

import json
from typing import Any

from api.i18n import HTML_LANG, Language, translate
from api.jsonld import CONTEXT
from api.pages import environment
from api.public_texts import page_text
from schemas.master_data import ProductPublic

PRODUCT_TEXTS: dict[str, tuple[str, str]] = {
    "product_title": ("产品信息", "Product information"),
    "gtin": ("商品条码（GTIN）", "GTIN"),
    "category": ("类别", "Category"),
    "grade_standard": ("等级标准", "Grade standard"),
    "storage": ("贮存温度", "Storage temperature"),
    "shelf_life": ("保质期", "Shelf life"),
    "days": ("天", "days"),
    "scan_for_lot": (
        "每个批次的产地、加工和冷链记录，请扫描包装上的二维码查看。",
        "Scan the code on a pack to see where its batch came from, what was done to it and "
        "how its cold chain held.",
    ),
    "unknown_lot_title": ("未找到该批次的记录", "No record of this lot"),
    "unknown_lot_text": (
        "本产品存在，但没有这个批次号的记录。请核对包装上的批次号，如有疑问请联系销售商。",
        "The product exists, but there is no record of this lot. Check the lot on the pack, "
        "and if in doubt, ask the seller.",
    ),
}


def _text(language: Language) -> Any:
    index = 0 if language == "zh" else 1

    def t(key: str) -> str:
        found = PRODUCT_TEXTS.get(key)
        return found[index] if found else page_text(key, language)

    return t


def _band(product: ProductPublic) -> str:
    low, high = product.storage_profile.temp_min, product.storage_profile.temp_max
    if low is not None and high is not None:
        return f"{low:g} ~ {high:g} °C"
    if high is not None:
        return f"≤ {high:g} °C"
    return f"≥ {low:g} °C" if low is not None else ""


def render_product_page(
    product: ProductPublic, language: Language, unknown_lot: str | None
) -> bytes:
    other: Language = "en" if language == "zh" else "zh"
    english = language == "en" and bool(product.name_en)
    html = environment.get_template("public/product.html").render(
        html_lang=HTML_LANG[language],
        other_lang=other,
        other_html_lang=HTML_LANG[other],
        site_name=translate("site_name", language),
        switch_label=translate("switch_language", language),
        t=_text(language),
        p=product,
        product_name=product.name_en if english else product.name_zh,
        band=_band(product),
        unknown_lot=unknown_lot,
    )
    return html.encode()


def render_product_jsonld(product: ProductPublic, product_uri: str) -> bytes:
    names = [{"@value": product.name_zh, "@language": "zh-CN"},
             {"@value": product.name_en, "@language": "en"}]  # fmt: skip
    document = {
        "@context": CONTEXT,
        "@id": product_uri,
        "@type": ["Product", "gs1:Product"],
        "name": names,
        "gs1:productName": names,
        "category": product.category,
        "gtin14": product.gtin,
        "gs1:gtin": product.gtin,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
