"""API shapes of alarms."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
    calibration_due: date | None = None
    calibration_overdue: bool = Field(
        default=False, description="the device's calibration has lapsed or was never recorded"
    )


class AcknowledgeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    comment: str = Field(min_length=1, max_length=2000, examples=["门未关严，已处理"])
