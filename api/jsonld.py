"""The provenance page's data as JSON-LD: schema.org Product with GS1 Web Vocabulary terms.

The context is inline (no remote context to fetch), so any JSON-LD processor can expand it
offline. Both vocabularies are used side by side: schema.org for general consumers and search
engines, ``gs1:`` for supply-chain tools reading GS1 Digital Link resolvers.
"""

from typing import Any

from schemas.provenance import ProvenanceSummary

CONTEXT = {
    "@vocab": "https://schema.org/",
    "gs1": "https://gs1.org/voc/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "gs1:packagingDate": {"@type": "xsd:date"},
    "gs1:bestBeforeDate": {"@type": "xsd:date"},
}


def _names(zh: str, en: str) -> list[dict[str, str]]:
    return [{"@value": zh, "@language": "zh-CN"}, {"@value": en, "@language": "en"}]


def _property(name: str, value: Any, unit: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"@type": "PropertyValue", "name": name, "value": value}
    if unit:
        entry["unitText"] = unit
    return entry


def product_jsonld(summary: ProvenanceSummary, page_url: str) -> dict[str, Any]:
    names = _names(summary.product_name_zh, summary.product_name_en)
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": page_url,
        "@type": ["Product", "gs1:Product"],
        "name": names,
        "gs1:productName": names,
        "category": summary.category,
        "url": page_url,
        "gs1:hasBatchLotNumber": summary.lot_code,
        "gs1:countryOfOrigin": {"@type": "gs1:Country", "gs1:countryCode": "CN"},
        "countryOfOrigin": {"@type": "Country", "name": "CN"},
    }
    if summary.gtin:
        document["gtin14"] = summary.gtin
        document["gs1:gtin"] = summary.gtin
    if summary.packed_at:
        document["gs1:packagingDate"] = summary.packed_at.date().isoformat()
    if summary.best_before:
        document["gs1:bestBeforeDate"] = summary.best_before.isoformat()
    properties = [_property("status", summary.status)]
    if summary.grade:
        properties.append(_property("grade", summary.grade))
    if summary.recalled_at:
        properties.append(_property("recalledAt", summary.recalled_at.isoformat()))
        if summary.recall_reason:
            properties.append(_property("recallReason", summary.recall_reason))
    cold_chain = summary.cold_chain
    if cold_chain:
        properties.append(_property("coldChainVerdict", cold_chain.verdict))
        properties.append(_property("coldChainHours", cold_chain.cold_chain_hours, "h"))
        if cold_chain.temp_min is not None:
            properties.append(_property("temperatureMin", cold_chain.temp_min, "CEL"))
            properties.append(_property("temperatureMax", cold_chain.temp_max, "CEL"))
        properties.append(_property("excursions", sum(
            1 for finding in cold_chain.findings if finding.kind == "excursion")))  # fmt: skip
        properties.append(_property("gaps", sum(
            1 for finding in cold_chain.findings if finding.kind == "gap")))  # fmt: skip
    for test in summary.tests:
        properties.append(_property("testPassed", test.passed))
    for origin in summary.origins:
        properties.append(_property("harvestDate", origin.harvest_date.isoformat()))
        village = origin.admin_area or f"{origin.township or ''}{origin.village_name}"
        properties.append(_property("originVillage", village))
    document["additionalProperty"] = properties
    return document
