"""GS1 Digital Link resolver rules: which representation a request asks for, and the links.

``linkType`` picks a link (``gs1:pip`` by default, ``gs1:traceability``, ``linkset``); without
one, ``Accept`` may ask for the linkset or for the page's data as JSON-LD. The links are
offered as an RFC 9264 linkset and in the ``Link`` header (RFC 8288).
"""

from enum import StrEnum
from typing import Any

from starlette.requests import Request

GS1_VOC = "https://gs1.org/voc/"
LINKSET_TYPE = "application/linkset+json"
JSONLD_TYPE = "application/ld+json"


class Representation(StrEnum):
    PAGE = "page"
    JSONLD = "jsonld"
    LINKSET = "linkset"
    TRACEABILITY = "traceability"


# Accepted spellings of each link type: the CURIE, the full URI and the bare name.
_LINK_TYPES = {
    "pip": Representation.PAGE,
    "defaultlink": Representation.PAGE,
    "traceability": Representation.TRACEABILITY,
    "linkset": Representation.LINKSET,
    "all": Representation.LINKSET,
}
OFFERED_LINK_TYPES = ("gs1:pip", "gs1:traceability", "linkset")


class UnsupportedLinkType(ValueError):
    pass


def _link_type(value: str) -> Representation:
    name = value.strip()
    for prefix in ("gs1:", GS1_VOC, "http://gs1.org/voc/"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    found = _LINK_TYPES.get(name.lower())
    if found is None:
        raise UnsupportedLinkType(
            f"no link of type {value!r} here; available: {', '.join(OFFERED_LINK_TYPES)}"
        )
    return found


def _accept_quality(accept: str) -> dict[str, float]:
    qualities: dict[str, float] = {}
    for entry in accept.split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if media:
            qualities[media.lower()] = max(quality, qualities.get(media.lower(), 0.0))
    return qualities


def choose_representation(request: Request) -> Representation:
    """What the request asks for; UnsupportedLinkType for a link type this resolver lacks."""
    asked = request.query_params.get("linkType")
    accept = _accept_quality(request.headers.get("accept", ""))
    html = max(accept.get("text/html", 0.0), accept.get("application/xhtml+xml", 0.0))
    json_ld = max(accept.get(JSONLD_TYPE, 0.0), accept.get("application/json", 0.0))
    if asked:
        chosen = _link_type(asked)
        # The product page's own data, when a client asks for the page but wants JSON-LD.
        if chosen is Representation.PAGE and json_ld > html:
            return Representation.JSONLD
        return chosen
    if accept.get(LINKSET_TYPE, 0.0) > max(html, json_ld):
        return Representation.LINKSET
    if json_ld > html:
        return Representation.JSONLD
    return Representation.PAGE


def page_links(page_url: str) -> dict[str, list[dict[str, Any]]]:
    """The links a batch offers, keyed by relation type as in an RFC 9264 link context."""
    return {
        GS1_VOC + "pip": [
            {"href": page_url, "type": "text/html", "hreflang": ["zh-CN", "en"],
             "title": "产品溯源 / Product provenance"},
            {"href": page_url, "type": JSONLD_TYPE, "title": "Product data (JSON-LD)"},
        ],
        GS1_VOC + "defaultLink": [{"href": page_url, "type": "text/html"}],
        GS1_VOC + "traceability": [
            {"href": f"{page_url}?linkType=gs1:traceability", "type": JSONLD_TYPE,
             "title": "EPCIS 2.0 events"},
        ],
    }  # fmt: skip


def linkset_document(anchor: str, page_url: str) -> dict[str, Any]:
    return {"linkset": [{"anchor": anchor, **page_links(page_url)}]}


def link_header(page_url: str) -> str:
    """The same links for the ``Link`` header (ASCII attributes only: no titles)."""
    parts = [
        f'<{page_url}>; rel="{GS1_VOC}pip"; type="text/html"; hreflang="zh-CN"',
        f'<{page_url}>; rel="{GS1_VOC}pip"; type="{JSONLD_TYPE}"',
        f'<{page_url}?linkType=gs1:traceability>; rel="{GS1_VOC}traceability";'
        f' type="{JSONLD_TYPE}"',
        f'<{page_url}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"',
    ]
    return ", ".join(parts)
