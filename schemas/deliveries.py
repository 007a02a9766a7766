"""API shapes of a farmer's delivery at a village point, with the 合格证 the farmer gave."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from schemas.batches import Quantity
from schemas.codes import Code, Name, Text, Unit, printable
from schemas.district_time import DISTRICT_TIME
from schemas.time_bounds import EnteredDate, EnteredTime

# What a 承诺达标合格证 rests on (农业农村部令 2025 年第 4 号): quality control of production,
# the producer's own test, or a test commissioned from a laboratory.
CertificateBasis = Literal["quality_control", "self_tested", "commissioned_test"]
CertificateNumber = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)
]


class ReceivedCertificate(BaseModel):
    """The certificate a farmer handed over with the produce."""

    model_config = ConfigDict(extra="forbid")

    number: CertificateNumber
    basis: CertificateBasis = "quality_control"
    issuer: Name | None = Field(default=None, description="who issued it; the farmer if unset")

    @model_validator(mode="after")
    def _printable(self) -> "ReceivedCertificate":
        printable(self.number)
        return self


class DeliveryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: UUID = Field(description="made on the phone: a resend under the same id stores nothing")
    village_point: Code | None = Field(
        default=None, description="an agent's own point when unset; staff must name one"
    )
    farmer: Code
    product: Code
    variety: Text | None = Field(default=None, max_length=100)
    plot: Code | None = Field(default=None, description="code of one of the farmer's plots")
    harvest_date: EnteredDate
    quantity: Quantity
    unit: Unit
    certificate: ReceivedCertificate | None = Field(
        default=None, description="the farmer's 合格证; null when none was given"
    )
    recorded_at: EnteredTime

    @model_validator(mode="after")
    def _harvested_before_delivered(self) -> "DeliveryCreate":
        if self.harvest_date > self.recorded_at.astimezone(DISTRICT_TIME).date():
            raise ValueError("harvest_date is after the day the delivery was recorded")
        return self


class ReceivedCertificatePublic(BaseModel):
    number: str
    basis: str
    issuer: str
    photo: str | None = Field(description="URL of the certificate's photo, for staff/inspectors")


class DeliveryPublic(BaseModel):
    id: UUID
    harvest_lot_code: str = Field(description="the code on the farmer's receipt")
    village_point: str
    village_point_name: str
    farmer: str
    farmer_name: str
    product: str
    product_name_zh: str
    product_name_en: str
    certificate_category: str
    variety: str | None
    plot: str | None
    plot_name: str | None
    harvest_date: date
    quantity: float
    unit: str
    certificate: ReceivedCertificatePublic | None
    certificate_missing: bool = Field(
        description="the product's category needs a 合格证 and none was given"
    )
    recorded_at: datetime
    recorded_by: str | None
    trip: str | None = Field(description="code of the trip that carried it to the centre")
    batch: str | None = Field(description="lot code of the batch it was received into")
