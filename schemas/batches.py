"""API shapes of batches, harvest lots, events, custody and genealogy (Create and Public)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from schemas.cbv import RECORDED_TYPES
from schemas.codes import Code, Text, Unit
from schemas.test_results import MISSING_PART_WORDS, missing_test_part
from schemas.time_bounds import EnteredDate, EnteredTime

# Quantities are weights or counts at a processing centre: never negative, never astronomic.
Quantity = Annotated[float, Field(gt=0, le=10_000_000)]
ShortText = Text
LotCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z]{1,20}$")]
RecordedType = Literal[RECORDED_TYPES]  # type: ignore[valid-type]


class HarvestLotCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    producer: Code
    village: Code
    harvest_date: EnteredDate
    quantity: Quantity
    unit: Unit


class HarvestLotPublic(BaseModel):
    id: int
    producer: str
    producer_name: str
    producer_public_name_consent: bool
    village: str
    village_name: str
    township: str | None
    harvest_date: date
    quantity: float
    unit: str


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: Code
    harvest_lots: list[HarvestLotCreate] = Field(default_factory=list, max_length=100)
    deliveries: list[UUID] = Field(
        default_factory=list,
        max_length=500,
        description="ids of village-point deliveries whose harvest lots this batch receives",
    )
    quantity: Quantity
    unit: Unit
    location: Code
    received_at: EnteredTime
    grade: ShortText | None = Field(default=None, examples=["一级"])

    @model_validator(mode="after")
    def _received_from_something(self) -> "BatchCreate":
        if not self.harvest_lots and not self.deliveries:
            raise ValueError("name the harvest lots or the deliveries the batch is received from")
        return self


# One packing event prints at most this many pack labels: a day's line at the centre, with room.
MAX_PACKS_PER_EVENT = 10_000


class PackPublic(BaseModel):
    """A serialised pack (GS1 AI 21) and the URI its own QR code carries."""

    serial: str
    quantity: float
    unit: str
    uri: str
    packed_at: datetime


class BatchPublic(BaseModel):
    lot_code: str
    product: str
    product_name_zh: str
    product_name_en: str
    gtin: str | None
    grade: str | None
    quantity: float
    unit: str
    status: str
    received_at: datetime
    packed_at: datetime | None
    best_before: date | None
    recalled_at: datetime | None
    location: str | None = Field(description="where the batch is now (its open custody)")


class ResidueResult(BaseModel):
    """One pesticide measured, in mg/kg, with the limit it was judged against (GB 2763)."""

    model_config = ConfigDict(extra="forbid")

    substance: ShortText
    value_mg_kg: float = Field(ge=0, le=100_000)
    limit_mg_kg: float | None = Field(default=None, ge=0, le=100_000)


class StepData(BaseModel):
    """What any step may carry: who did it, notes, photo or video links."""

    model_config = ConfigDict(extra="forbid")

    operator: ShortText | None = None
    notes: ShortText | None = None
    media: list[AnyHttpUrl] = Field(default_factory=list, max_length=20)
    weight_after: float | None = Field(default=None, ge=0, le=10_000_000)
    duration_minutes: int | None = Field(default=None, ge=0, le=60 * 24 * 30)
    temperature_c: float | None = Field(default=None, ge=-60, le=300)
    packs: int | None = Field(
        default=None,
        ge=1,
        le=MAX_PACKS_PER_EVENT,
        description="packing only: how many packs of the product's pack size were made",
    )


class TestingData(StepData):
    """A test's results: the verdict, and what the lab or instrument measured."""

    passed: bool
    pesticide_residue: list[ResidueResult] = Field(default_factory=list, max_length=100)
    moisture_percent: float | None = Field(default=None, ge=0, le=100)
    lab: ShortText | None = None
    instrument: ShortText | None = None
    standard: ShortText | None = Field(default=None, examples=["GB 2763-2021"])
    report_url: AnyHttpUrl | None = None
    report_number: ShortText | None = Field(default=None, description="the test report's number")
    lab_cma: str | None = Field(
        default=None,
        pattern=r"^[0-9A-Za-z]{6,20}$",
        description="the lab's CMA accreditation number (检验检测机构资质认定)",
    )

    @model_validator(mode="after")
    def _complete(self) -> "TestingData":
        """A correction replaces the record it corrects, so it must be complete as well."""
        missing = missing_test_part(
            self.lab, self.standard, self.moisture_percent, self.pesticide_residue
        )
        if missing is not None:
            raise ValueError(MISSING_PART_WORDS[missing])
        return self


class EventCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: RecordedType
    time: EnteredTime
    location: Code | None = Field(default=None, description="defaults to where the batch is then")
    data: dict[str, Any] = Field(default_factory=dict)
    corrects: UUID | None = Field(
        default=None, description="event_id of an earlier event this corrects"
    )

    @model_validator(mode="after")
    def _data_fits_the_type(self) -> "EventCreate":
        shape = TestingData if self.type == "testing" else StepData
        self.data = shape.model_validate(self.data).model_dump(mode="json", exclude_defaults=True)
        if "packs" in self.data and self.type != "packing":
            raise ValueError("data.packs: only a packing event makes packs")
        return self


class EventPublic(BaseModel):
    event_id: UUID
    type: str
    business_step: str
    time: datetime
    location: str | None
    data: dict[str, Any]
    corrects: UUID | None
    recorded_by: str | None
    recorded_at: datetime
    corrections: list["EventPublic"] = Field(
        default_factory=list, description="later events correcting this one, oldest first"
    )


class MoveCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    location: Code
    time: EnteredTime | None = Field(default=None, description="defaults to now")


class CustodyPublic(BaseModel):
    location: str
    location_name: str
    kind: str
    start: datetime
    end: datetime | None


class SplitChild(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: Quantity
    grade: ShortText | None = None


class SplitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    children: list[SplitChild] = Field(min_length=1, max_length=200)
    time: EnteredTime | None = None
    location: Code | None = Field(default=None, description="defaults to where the parent is")


class MergeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parents: list[LotCode] = Field(min_length=2, max_length=100)
    time: EnteredTime | None = None
    location: Code | None = Field(default=None, description="defaults to where the first parent is")
    grade: ShortText | None = None


class LineageLink(BaseModel):
    lot_code: str
    quantity: float | None
    unit: str


class Genealogy(BaseModel):
    parents: list[LineageLink]
    children: list[LineageLink]
    ancestors: list[str] = Field(description="every batch this one came from, nearest first")
    descendants: list[str] = Field(description="every batch that came from this one")
    harvest_lots: list[HarvestLotPublic] = Field(
        description="every farm harvest behind this batch, through all its ancestors"
    )


class BatchDetail(BatchPublic):
    harvest_lots: list[HarvestLotPublic]
    events: list[EventPublic]
    custody: list[CustodyPublic]
    genealogy: Genealogy


class HarvestLotTrace(BaseModel):
    harvest_lot: HarvestLotPublic
    batches: list[str] = Field(description="every batch that holds produce of this harvest")
