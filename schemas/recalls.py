"""API shapes of recalls: what to recall, and every batch a recall reached."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.codes import Code


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
