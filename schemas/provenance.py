"""What the public provenance page shows of a batch: its per-batch summary.

Only fields fit for a consumer live here (no staff names, no internal ids): the page, its
JSON-LD twin and the stored summary all come from this one model, so nothing internal can
leak onto a public page by accident.
"""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from schemas.certificates import PublicCertificate
from schemas.certifications import CertificationShown
from schemas.media import DocumentShown, PhotoShown

# "not_cooled": the product has a storage profile but was never stored or carried yet, so
# there is nothing to judge (and nothing to call 符合要求).
ColdChainVerdict = Literal["held", "excursions", "gaps", "no_data", "no_profile", "not_cooled"]


class Origin(BaseModel):
    village_name: str
    village_name_en: str | None
    township: str | None
    admin_area: str | None = Field(default=None, description="四川省乐山市金口河区永和镇新乐村")
    admin_area_en: str | None = None
    harvest_date: date
    producer_kind: str
    producer_name: str | None = Field(
        description="a cooperative's or enterprise's name; a farmer's only with their consent"
    )
    plot_name: str | None = Field(
        default=None, description="the plot it was harvested on, with the producer's consent"
    )
    producer_profile: str | None = Field(
        default=None, description="the producer's own words, only with their consent"
    )
    producer_profile_en: str | None = None


class Step(BaseModel):
    type: str
    name_zh: str
    name_en: str
    time: datetime
    location_name: str | None
    location_name_en: str | None
    notes: str | None
    corrected: bool = Field(description="a later record amended this step")
    temperature_c: float | None = Field(default=None, description="the step's own temperature")
    duration_minutes: float | None = None


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
    report_number: str | None = None
    lab_cma: str | None = None
    report_url: str | None = None


class ColdChainFinding(BaseModel):
    kind: Literal["excursion", "gap"]
    start: datetime
    end: datetime
    duration_s: float
    peak: float | None
    location_name: str | None
    location_name_en: str | None = None
    metric: str | None = Field(default=None, description="temp or hum, for an excursion")
    ongoing: bool = Field(
        default=False, description="still out of band (or silent) at the latest record"
    )


class ChainSpan(BaseModel):
    """Custody where the produce was stored or carried: the intervals the verdict, the range
    and the chart are all computed from."""

    location_name: str
    location_name_en: str | None
    kind: str
    start: datetime
    end: datetime | None = Field(description="None while the batch is still there")


class ProcessingStay(BaseModel):
    """Time in a processing room: its temperatures are the step's (drying at 80 °C), shown
    apart and never folded into the cold chain's range or verdict."""

    location_name: str
    location_name_en: str | None
    start: datetime
    end: datetime | None
    temp_min: float | None
    temp_max: float | None


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
    humidity_max: float | None = None
    allowed_excursion_minutes: int = Field(
        default=0, description="a stretch out of band no longer than this is not an excursion"
    )
    cold_chain_hours: float = Field(
        description="hours in cold stores, warehouses and trucks (the spans below)"
    )
    temp_min: float | None = Field(description="lowest reading in the spans; the chart's too")
    temp_max: float | None
    spans: list[ChainSpan] = Field(default_factory=list)
    processing: list[ProcessingStay] = Field(default_factory=list)
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
    certifications: list[CertificationShown] = Field(default_factory=list)
    photos: list[PhotoShown] = Field(default_factory=list)
    documents: list[DocumentShown] = Field(default_factory=list)
