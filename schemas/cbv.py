"""How our event types map onto GS1 EPCIS 2.0 event types and CBV 2.0 business steps.

CBV has no step for cleaning, trimming, drying or peeling; those keep the batch's identity,
so they are ObjectEvents with the CBV step ``other`` and our own step name kept beside it in
``farmtrace_step`` (EPCIS allows such extension fields). Split and merge change identity, so
they are TransformationEvents.
"""

from dataclasses import dataclass
from typing import Literal

CBV_BIZSTEP = "urn:epcglobal:cbv:bizstep:"
CBV_DISPOSITION = "urn:epcglobal:cbv:disp:"

EpcisEventType = Literal["ObjectEvent", "TransformationEvent", "AggregationEvent"]


@dataclass(frozen=True)
class EventMeaning:
    epcis_type: EpcisEventType
    bizstep: str
    disposition: str | None
    name_zh: str
    name_en: str

    @property
    def bizstep_uri(self) -> str:
        return CBV_BIZSTEP + self.bizstep

    @property
    def disposition_uri(self) -> str | None:
        return CBV_DISPOSITION + self.disposition if self.disposition else None


# Types staff record by hand (the console's step menu shows these, in this order).
RECORDED_TYPES = (
    "cleaning", "trimming", "drying", "peeling", "sorting", "packing", "testing", "storing",
    "shipping",
)  # fmt: skip

EVENT_MEANINGS: dict[str, EventMeaning] = {
    "harvesting": EventMeaning("ObjectEvent", "commissioning", "active", "采收", "Harvesting"),
    "receiving": EventMeaning(
        "TransformationEvent", "receiving", "in_progress", "收货", "Receiving"
    ),
    "cleaning": EventMeaning("ObjectEvent", "other", "in_progress", "清洗", "Cleaning"),
    "trimming": EventMeaning("ObjectEvent", "other", "in_progress", "修整", "Trimming"),
    "drying": EventMeaning("ObjectEvent", "other", "in_progress", "烘干", "Drying"),
    "peeling": EventMeaning("ObjectEvent", "other", "in_progress", "去皮", "Peeling"),
    "sorting": EventMeaning(
        "ObjectEvent", "other", "in_progress", "分拣分级", "Sorting and grading"
    ),
    "packing": EventMeaning("ObjectEvent", "packing", "in_progress", "包装", "Packing"),
    "testing": EventMeaning("ObjectEvent", "inspecting", None, "检测", "Testing"),
    "storing": EventMeaning("ObjectEvent", "storing", "in_progress", "入库", "Storing"),
    "shipping": EventMeaning("ObjectEvent", "shipping", "in_transit", "发运", "Shipping"),
    "moving": EventMeaning("ObjectEvent", "arriving", "in_progress", "转移", "Moving"),
    "splitting": EventMeaning("TransformationEvent", "repackaging", "active", "分批", "Splitting"),
    "merging": EventMeaning("TransformationEvent", "commissioning", "active", "合批", "Merging"),
}

# A test's disposition follows its verdict (CBV 2.0's conformant / non_conformant).
TEST_DISPOSITIONS = {True: "conformant", False: "non_conformant"}

# A custody move's business step follows where the batch goes.
MOVE_BIZSTEPS = {
    "truck": "shipping",
    "cold_store": "storing",
    "warehouse": "storing",
    "processing_room": "arriving",
    "township_station": "arriving",
    "village_point": "arriving",
}


def bizstep_for(event_type: str, location_kind: str | None = None) -> str:
    """The CBV business step URI of one of our events."""
    if event_type == "moving" and location_kind in MOVE_BIZSTEPS:
        return CBV_BIZSTEP + MOVE_BIZSTEPS[location_kind]
    return EVENT_MEANINGS[event_type].bizstep_uri
