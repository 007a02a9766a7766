"""The audit trail and event records in words an inspector reads: actions, objects and the
fields of their details named in Chinese (or English), values as text rather than JSON."""

from collections.abc import Mapping
from typing import Any

from api.i18n import Language, translate
from schemas.cbv import EVENT_MEANINGS

# Object references are "<kind> <code>" (``store.audit``); their kinds, in words.
_OBJECT_KINDS = ("batch", "alarm", "product", "producer", "location", "device", "user")
# Nested details are shown to this depth; deeper structure is summarised.
MAX_DEPTH = 2
# Entries per page of the audit trail and the event log.
PAGE_SIZE = 50


def action_words(action: str, language: Language) -> str:
    key = f"action_{action}"
    words = translate(key, language)
    return action if words == key else words


def object_words(reference: str, language: Language) -> str:
    kind, _, code = reference.partition(" ")
    if kind in _OBJECT_KINDS and code:
        return f"{translate('object_' + kind, language)} {code}"
    return reference


def field_words(name: str, language: Language) -> str:
    key = f"field_{name}"
    words = translate(key, language)
    return name if words == key else words


def event_type_words(kind: str, language: Language) -> str:
    meaning = EVENT_MEANINGS.get(kind)
    if meaning is None:
        return kind
    return meaning.name_en if language == "en" else meaning.name_zh


def value_words(
    value: Any, language: Language, depth: int = 0, places: Mapping[str, str] | None = None
) -> str:
    """A detail's value as a line of text: yes/no, numbers as entered, a place by its name,
    lists and records joined with the fields named."""
    places = places or {}
    if isinstance(value, bool):
        return translate("yes" if value else "no", language)
    if value is None:
        return "—"
    if isinstance(value, dict):
        if depth >= MAX_DEPTH:
            return "…"
        return "，".join(
            f"{field_words(key, language)}：{value_words(item, language, depth + 1, places)}"
            for key, item in value.items()
        ) if language == "zh" else "; ".join(
            f"{field_words(key, language)}: {value_words(item, language, depth + 1, places)}"
            for key, item in value.items()
        )  # fmt: skip
    if isinstance(value, list):
        if depth >= MAX_DEPTH:
            return f"… ({len(value)})"
        separator = "；" if language == "zh" else " | "
        return separator.join(value_words(item, language, depth + 1, places) for item in value)
    if isinstance(value, str) and value in EVENT_MEANINGS:
        return event_type_words(value, language)
    if isinstance(value, str) and value in places:
        return places[value]
    return str(value)


def detail_lines(
    details: dict[str, Any], language: Language, places: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """Each top-level field of an entry's details as (its name, its value in words)."""
    return [
        (field_words(key, language), value_words(value, language, places=places))
        for key, value in details.items()
    ]
