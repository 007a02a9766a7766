"""The links this resolver offers for a lot and for a product, and their RFC 9264 linkset.

Shaped by GS1's linkset schema: every link has a title; the default link carries nothing
but ``href`` and ``title``; each context has an ``itemDescription``; anchors are canonical
Digital Link URIs, whatever spelling the request used. A lot's links are its provenance
page (HTML, and its JSON-LD twin at the same address) and its EPCIS events; a product's, the
product page its lots walk up to.
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from api.link_types import DEFAULT_LINK, GS1_VOC, JSONLD_TYPE, LINKSET_TYPE, Link, LinkContext

# GS1-Conformant resolver 1.x: the JSON-LD context that turns a linkset into JSON-LD.
LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"
JSONLD_CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
PAGE_LANGUAGES = ("zh-CN", "en")


@dataclass(frozen=True)
class ProductNames:
    zh: str
    en: str

    def both(self) -> str:
        return f"{self.zh} / {self.en}" if self.en else self.zh


def batch_page_url(base_url: str, lot_code: str) -> str:
    return f"{base_url.rstrip('/')}/batch/{quote(lot_code, safe='')}"


def product_page_url(base_url: str, gtin: str) -> str:
    return f"{base_url.rstrip('/')}/product/{gtin}"


def lot_context(
    anchor: str, base_url: str, lot_code: str, names: ProductNames, serial: str | None = None
) -> LinkContext:
    """A lot's links; a pack's (AI 21) lead to the page that counts that pack's scans."""
    lot_page = batch_page_url(base_url, lot_code)
    page = lot_page if serial is None else f"{lot_page}/pack/{quote(serial, safe='')}"
    title = "产品溯源 / Product provenance"
    return LinkContext(
        anchor=anchor,
        item_description=f"{names.zh}，批次 {lot_code} / {names.en or names.zh}, lot {lot_code}",
        links=(
            Link(DEFAULT_LINK, page, title),
            Link("pip", page, title, "text/html", PAGE_LANGUAGES),
            Link("pip", page, "产品溯源数据 / Product provenance data (JSON-LD)", JSONLD_TYPE),
            Link("traceability", f"{lot_page}/epcis", "EPCIS 2.0 事件 / EPCIS 2.0 events",
                 JSONLD_TYPE),
        ),
    )  # fmt: skip


def product_context(anchor: str, base_url: str, gtin: str, names: ProductNames) -> LinkContext:
    page = product_page_url(base_url, gtin)
    title = "产品信息 / Product information"
    return LinkContext(
        anchor=anchor,
        item_description=names.both(),
        links=(
            Link(DEFAULT_LINK, page, title),
            Link("pip", page, title, "text/html", PAGE_LANGUAGES),
            Link("pip", page, "产品信息数据 / Product information data (JSON-LD)", JSONLD_TYPE),
        ),
    )


def _relation_key(relation: str) -> str:
    return GS1_VOC + relation


def linkset_document(contexts: list[LinkContext]) -> dict[str, Any]:
    """The linkset: one context object per anchor, links grouped by their GS1 link type."""
    linkset = []
    for context in contexts:
        entry: dict[str, Any] = {"anchor": context.anchor,
                                 "itemDescription": context.item_description}  # fmt: skip
        for link in context.links:
            entry.setdefault(_relation_key(link.relation), []).append(link.as_json())
        linkset.append(entry)
    return {"linkset": linkset}


def linkset_link(anchor: str) -> str:
    """The one link a resolver's answers carry in their ``Link`` header: to the linkset
    (listing every link there was deprecated by GS1-Conformant resolver 1.0)."""
    return f'<{anchor}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"'


def context_link() -> str:
    return f'<{LINKSET_CONTEXT}>; rel="{JSONLD_CONTEXT_REL}"; type="{JSONLD_TYPE}"'
