"""API shapes of a trip carrying village deliveries from a township station to the centre."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from schemas.codes import Code, Text
from schemas.deliveries import DeliveryPublic
from schemas.time_bounds import EnteredTime


class TripCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: UUID = Field(description="made on the phone: a resend under the same id stores nothing")
    origin: Code | None = Field(
        default=None, description="the station or point it leaves; an agent's own when unset"
    )
    deliveries: list[UUID] = Field(min_length=1, max_length=500)
    departed_at: EnteredTime
    vehicle: Text | None = Field(default=None, max_length=50, examples=["川L·J0101"])


class TripPublic(BaseModel):
    id: UUID
    code: str
    origin: str
    origin_name: str
    vehicle: str | None
    departed_at: datetime
    recorded_by: str | None
    deliveries: list[DeliveryPublic]
