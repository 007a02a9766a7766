"""API shapes of a batch's temperature history and its findings (excursions and gaps)."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from schemas.batches import CustodyPublic
from schemas.master_data import StorageProfile

FindingKind = Literal["excursion", "gap"]
Verdict = Literal["held", "excursions", "gaps", "no_data", "no_profile"]


class HistoryPoint(BaseModel):
    """One bucket (or one raw reading, where min = max = mean); null values mark a gap."""

    time: datetime
    min: float | None
    max: float | None
    mean: float | None
    count: int


class HistorySeries(BaseModel):
    """The readings of one device while it was installed where the batch was."""

    location: str
    location_name: str
    device_id: str
    metric: str
    unit: str
    start: datetime
    end: datetime
    reporting_interval_s: int
    calibration_due: date | None = Field(description="last calibration + interval")
    calibration_overdue: bool
    points: list[HistoryPoint]


class TemperatureHistory(BaseModel):
    lot_code: str
    storage_profile: StorageProfile
    bucket_seconds: int | None = Field(description="width of each point; null for raw readings")
    custody: list[CustodyPublic]
    series: list[HistorySeries]


class Finding(BaseModel):
    """An excursion out of the storage band, or a gap in the record, during custody."""

    kind: FindingKind
    start: datetime
    end: datetime
    duration_s: float
    peak: float | None = Field(description="the worst value of an excursion; null for a gap")
    location: str
    device_id: str | None
    metric: str | None = None
    deviation: float | None = Field(default=None, description="how far the peak is outside")
    ongoing: bool = Field(
        default=False,
        description="still going on: the batch is still there and its latest readings are"
        " still outside the band (an excursion; ``end`` is then the latest reading), or there"
        " is no record up to now (a gap)",
    )
