"""GS1-Conformant resolver rules: what a request asks for, and which link answers it.

A request names a link type with ``linkType`` (``gs1:pip``, a full GS1 Web Vocabulary URI or
the bare term), asks for the whole linkset (``linkType=linkset``, the deprecated ``all``, or
``Accept: application/linkset+json``), or asks for nothing, which means the default link.
Among several links of one type, the ``Accept`` and ``Accept-Language`` headers choose; where
they cannot, the resolver offers the remaining links (300 Multiple Choices).
"""

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers

GS1_VOC = "https://gs1.org/voc/"
LINKSET_TYPE = "application/linkset+json"
JSONLD_TYPE = "application/ld+json"
DEFAULT_LINK = "defaultLink"
# Spellings of the GS1 Web Vocabulary namespace that clients send (GS1's own test suite
# folds all three into ``gs1:``).
_VOC_PREFIXES = ("gs1:", GS1_VOC, "https://ref.gs1.org/voc/", "https://www.gs1.org/voc/",
                 "http://gs1.org/voc/")  # fmt: skip
LINKSET_REQUESTS = {"linkset", "all"}


@dataclass(frozen=True)
class Link:
    """One target of a link type; ``type`` and ``hreflang`` are what negotiation reads."""

    relation: str
    href: str
    title: str
    type: str | None = None
    hreflang: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        target: dict[str, Any] = {"href": self.href, "title": self.title}
        if self.type:
            target["type"] = self.type
        if self.hreflang:
            target["hreflang"] = list(self.hreflang)
        return target


@dataclass(frozen=True)
class LinkContext:
    """Everything known about one identified thing (RFC 9264's link context object)."""

    anchor: str
    item_description: str
    links: tuple[Link, ...]

    def of_type(self, relation: str) -> list[Link]:
        return [link for link in self.links if link.relation == relation]


def asked_link_type(query_value: str | None, headers: Headers) -> str | None:
    """The GS1 term asked for, ``"linkset"`` for the linkset, or None for the default link."""
    if query_value is None or not query_value.strip():
        accept = accept_qualities(headers.get("accept", ""))
        linkset = accept.get(LINKSET_TYPE, 0.0)
        if linkset > 0 and linkset >= max(accept.get("text/html", 0.0), accept.get("*/*", 0.0)):
            return "linkset"
        return None
    name = query_value.strip()
    for prefix in _VOC_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return "linkset" if name in LINKSET_REQUESTS else name


def accept_qualities(header: str) -> dict[str, float]:
    """``Accept`` or ``Accept-Language`` as {value (lower case): quality}."""
    qualities: dict[str, float] = {}
    for entry in header.split(","):
        value, *params = (part.strip() for part in entry.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = min(max(float(param[2:]), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        if value:
            qualities[value.lower()] = max(quality, qualities.get(value.lower(), 0.0))
    return qualities


def _media_quality(link: Link, accept: dict[str, float]) -> float:
    if not accept or link.type is None:
        return 1.0
    media = link.type.lower()
    for asked in (media, media.split("/")[0] + "/*", "*/*"):
        if asked in accept:
            return accept[asked]
    return 0.0


def _language_quality(link: Link, languages: dict[str, float]) -> float:
    if not languages or not link.hreflang:
        return 0.5 if languages else 1.0
    best = 0.0
    for tag in (tag.lower() for tag in link.hreflang):
        for asked, quality in languages.items():
            if asked in (tag, tag.split("-")[0], "*") or tag.startswith(asked + "-"):
                best = max(best, quality)
    return best


def best_links(links: list[Link], headers: Headers) -> list[Link]:
    """The links the request's media type and language preferences rank first (ties kept).

    Links without a media type or language match any; when nothing is acceptable the links
    are all offered rather than none.
    """
    accept = accept_qualities(headers.get("accept", ""))
    languages = accept_qualities(headers.get("accept-language", ""))
    scored = [(_media_quality(link, accept), _language_quality(link, languages), link)
              for link in links]  # fmt: skip
    top = max((media, language) for media, language, _ in scored)
    if top[0] == 0.0:
        return links
    return [link for media, language, link in scored if (media, language) == top]
