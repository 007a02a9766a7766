"""Words for a reference the database refused: which field named something that is not there.

PostgreSQL reports a foreign-key violation with the detail ``Key (village)=(X) is not present
in table "locations".``; the person who typed X should read "unknown village 'X'" instead.
"""

import re

import psycopg

from store.errors import InvalidReferenceError

_MISSING_KEY = re.compile(r"^Key \((?P<column>[^)]+)\)=\((?P<value>.*)\) is not present", re.S)
# Column names as a form or an API body calls them, in English and Chinese.
FIELD_NAMES = {
    "village": ("village", "村"),
    "township": ("township", "乡镇"),
    "producer": ("producer", "生产者"),
    "product": ("product", "产品"),
    "location": ("location", "位置"),
    "parent": ("parent location", "上级位置"),
    "device_id": ("device", "设备"),
    "batch_id": ("batch", "批次"),
    "harvest_lot_id": ("harvest lot", "采收批"),
    "corrects": ("corrected event", "被更正的事件"),
}


def missing_reference(
    error: psycopg.errors.ForeignKeyViolation, what: str | None = None
) -> InvalidReferenceError:
    """The store's refusal for ``error``, naming the field and the value that do not exist."""
    found = _MISSING_KEY.match(error.diag.message_detail or "")
    if found is None:
        english, chinese = "a referenced record does not exist", "引用的记录不存在"
    else:
        column, value = found["column"], found["value"]
        name_en, name_zh = FIELD_NAMES.get(column, (column.replace("_", " "), column))
        english, chinese = f"unknown {name_en} {value!r}", f"找不到{name_zh}：{value}"
    prefix = f"{what}: " if what else ""
    return InvalidReferenceError(prefix + english, chinese)
