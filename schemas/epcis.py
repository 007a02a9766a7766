"""Vocabulary of our EPCIS 2.0 JSON-LD export: context, identifiers, units of measure.

Batches are lots, not serialised items, so they appear in ``quantityList``s by class: a GS1
Digital Link LGTIN (``https://id.gs1.org/01/{gtin}/10/{lot}``) when the product has a GTIN,
else the batch's own public URL (``{base}/l/{lot}``). Locations are GS1 Digital Link URIs
where there is a GLN: ``https://id.gs1.org/414/{gln}`` for a site with its own, and
``…/414/{site gln}/254/{code}`` (AI 254, GLN extension component) for a room in such a site;
others, and harvest lots, are URNs of ours. Fields EPCIS has no name for are extension fields
under the ``farmtrace:`` prefix the context declares, nested keys included: JSON-LD drops a
key that is not a term or a compact IRI, so an unprefixed nested key would vanish on expansion.
"""

from typing import Any
from urllib.parse import quote

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
SCHEMA_VERSION = "2.0"
GS1_RESOLVER = "https://id.gs1.org"
EXTENSION_PREFIX = "farmtrace"
# Events are dated in Jinkouhe's time zone (China Standard Time, no daylight saving).

# UN/ECE Recommendation 20 codes for the units staff type at the scale.
UNECE_UNITS = {
    "kg": "KGM", "g": "GRM", "t": "TNE", "jin": "KGM", "piece": "H87", "pcs": "H87",
    "box": "XBX", "bag": "XBG", "l": "LTR",
}  # fmt: skip
# 斤 is half a kilogram: converted where the unit is given as jin.
UNIT_FACTORS = {"jin": 0.5}

# Sensor metrics as EPCIS measurement types with their UN/ECE units.
MEASUREMENTS = {"temp": ("Temperature", "CEL"), "hum": ("RelativeHumidity", "P1")}
ALARM_CONDITION = "ALARM_CONDITION"


def extension_context(base_url: str) -> dict[str, str]:
    return {EXTENSION_PREFIX: f"{base_url.rstrip('/')}/ns/epcis#"}


def ext(name: str) -> str:
    """The JSON key of one of our extension fields."""
    return f"{EXTENSION_PREFIX}:{quote(name, safe='-_.~')}"


def ext_value(value: Any) -> Any:
    """A recorded value with every object key inside it made an extension field."""
    if isinstance(value, dict):
        return {ext(str(key)): ext_value(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [ext_value(inner) for inner in value]
    return value


def batch_class(lot_code: str, gtin: str | None, base_url: str) -> str:
    if gtin:
        return f"{GS1_RESOLVER}/01/{gtin}/10/{lot_code}"
    return f"{base_url.rstrip('/')}/l/{lot_code}"


def location_id(code: str, gln: str | None, site_gln: str | None = None) -> str:
    if gln:
        return f"{GS1_RESOLVER}/414/{gln}"
    if site_gln:
        return f"{GS1_RESOLVER}/414/{site_gln}/254/{quote(code, safe='')}"
    return f"urn:farmtrace:location:{code}"


def harvest_lot_class(harvest_lot_id: int) -> str:
    return f"urn:farmtrace:harvest-lot:{harvest_lot_id}"


def device_id_uri(device_id: str) -> str:
    return f"urn:dev:farmtrace:{device_id}"
