"""Certificates shown to consumers: 地理标志, 绿色食品, 有机 … with issuer, number and validity."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.codes import Code, Name

CertificationKind = Literal[
    "geographical_indication", "green_food", "organic", "pollution_free", "other"
]
# A certificate's dates: none was issued before the programme's records, none runs a century.
EARLIEST_VALID = date(2000, 1, 1)
LATEST_VALID = date(2100, 12, 31)


class CertificationCreate(BaseModel):
    """For a product (a GI covers every batch of it), a producer, or a producer's product."""

    model_config = ConfigDict(extra="forbid")

    kind: CertificationKind
    name: Name = Field(examples=["金口河乌天麻 农产品地理标志"])
    number: Name = Field(examples=["AGI02345"])
    issuer: Name = Field(examples=["农业农村部"])
    valid_from: date = Field(ge=EARLIEST_VALID, le=LATEST_VALID)
    valid_until: date = Field(ge=EARLIEST_VALID, le=LATEST_VALID)
    product: Code | None = None
    producer: Code | None = None

    @model_validator(mode="after")
    def _names_what_it_covers(self) -> "CertificationCreate":
        if self.valid_from > self.valid_until:
            raise ValueError("valid_from is after valid_until")
        if self.product is None and self.producer is None:
            raise ValueError("a certificate is for a product, a producer or both")
        return self


class CertificationPublic(CertificationCreate):
    id: int


class CertificationShown(BaseModel):
    """A certificate on a batch's page; whether it is valid is judged on the day it is shown."""

    kind: CertificationKind
    name: str
    number: str
    issuer: str
    valid_from: date
    valid_until: date
