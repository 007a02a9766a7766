"""What the public provenance page shows of a batch: its per-batch summary.

Only fields fit for a consumer live here (no staff names, no internal ids): the page, its
JSON-LD twin and the stored summary all come from this one model, so nothing internal can
leak onto a public page by accident.
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from schemas.certificates import PublicCertificate

ColdChainVerdict = Literal["held", "excursions", "gaps", "no_data", "no_profile"]


class Origin(BaseModel):
    village_name: str
    village_name_en: str | None
    township: str | None
    harvest_date: date
    producer_kind: str
    producer_name: str | None = Field(
        description="a cooperative's or enterprise's name; a farmer's only with their consent"
    )
    plot_name: str | None = Field(
        default=None, description="the plot it was harvested on, with the producer's consent"
    )


class Step(BaseModel):
    type: str
    name_zh: str
    name_en: str
    time: datetime
    location_name: str | None
    location_name_en: str | None
    notes: str | None
    corrected: bool = Field(description="a later record amended this step")


class Residue(BaseModel):
    substance: str
    value_mg_kg: float
    limit_mg_kg: float | None


class TestResult(BaseModel):
    time: datetime
    passed: bool
    lab: str | None
    instrument: str | None
    standard: str | None
    moisture_percent: float | None
    residues: list[Residue]


class ColdChainFinding(BaseModel):
    kind: Literal["excursion", "gap"]
    start: datetime
    end: datetime
    duration_s: float
    peak: float | None
    location_name: str | None


class ChartPoint(BaseModel):
    """One bucket of the chart; ``mean`` is None where the record has a gap."""

    time: datetime
    low: float | None
    mean: float | None
    high: float | None


class ColdChain(BaseModel):
    verdict: ColdChainVerdict
    band_min: float | None
    band_max: float | None
    refrigerated_hours: float = Field(description="hours in cold stores and on cold trucks")
    temp_min: float | None
    temp_max: float | None
    findings: list[ColdChainFinding]
    chart: list[ChartPoint]


class ProvenanceSummary(BaseModel):
    lot_code: str
    gtin: str | None
    product_name_zh: str
    product_name_en: str
    category: str
    grade: str | None
    grade_standard: str | None
    quantity: float
    unit: str
    status: str
    received_at: datetime
    packed_at: datetime | None
    best_before: date | None
    recalled_at: datetime | None
    recall_reason: str | None
    origins: list[Origin]
    steps: list[Step]
    tests: list[TestResult]
    cold_chain: ColdChain | None = Field(
        description="None until the cold-chain record has been evaluated"
    )
    certificate: PublicCertificate | None = Field(
        default=None, description="the 承诺达标合格证 the centre issued at packing"
    )
