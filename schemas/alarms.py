"""API shapes of alarms and recalls."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.codes import Code

AlarmKind = Literal["excursion", "silence"]


class AlarmPublic(BaseModel):
    id: int
    kind: AlarmKind
    device_id: str
    metric: str | None
    location: str | None
    location_name: str | None
    started_at: datetime = Field(description="when the condition began (reading time)")
    opened_at: datetime
    peak: float | None
    closed_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    ack_comment: str | None
    batches: list[str] = Field(default_factory=list, description="lots held there now")


class AcknowledgeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=2000, examples=["门未关严，已处理"])


class RecallCreate(BaseModel):
    """Name exactly one of a batch, a harvest lot or a producer."""

    model_config = ConfigDict(extra="forbid")

    batch: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{1,20}$")
    harvest_lot: int | None = Field(default=None, ge=1)
    producer: Code | None = None
    reason: str = Field(min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _one_scope(self) -> "RecallCreate":
        named = [v for v in (self.batch, self.harvest_lot, self.producer) if v is not None]
        if len(named) != 1:
            raise ValueError("name exactly one of batch, harvest_lot or producer")
        return self


class RecalledBatch(BaseModel):
    lot_code: str
    product: str
    quantity: float
    unit: str
    status: str
    location: str | None = Field(description="where it is now (its open custody)")
    location_name: str | None
    recalled_at: datetime


class RecallPublic(BaseModel):
    id: int
    scope: Literal["batch", "harvest_lot", "producer"]
    reference: str
    reason: str
    recalled_at: datetime
    batches: list[RecalledBatch]
