"""The 承诺达标合格证: what the centre issues for a packed batch, and what it received.

《农产品质量安全承诺达标合格证管理办法》(农业农村部令 2025 年第 4 号) requires at least the
product's name, its quantity or weight, the producer's (here: the centre's) name, origin and
contact, the date of issue and the commitment; the testing done may be marked. A buyer who
mixes or repacks produce for sale issues its own certificate; records are kept two years.
"""

from datetime import date, datetime

from pydantic import BaseModel, Field

# The commitment, in the words of the rules' article 2.
COMMITMENT = (
    "承诺所销售的农产品未使用禁用农药、兽药及其他化合物，且使用的常规农药、兽药残留不超标。"
)
COMMITMENT_EN = (
    "We commit that this produce was grown without banned pesticides, veterinary drugs or"
    " other compounds, and that residues of those used are within the limits."
)
# Kept at least two years (730 days), whatever the readings' retention is.
KEPT_DAYS = 730
BASIS_WORDS = {
    "quality_control": ("质量安全控制符合要求", "quality control of production"),
    "self_tested": ("自行检测合格", "passed our own test"),
    "commissioned_test": ("委托检测合格", "passed a commissioned laboratory test"),
}


class CertificateTest(BaseModel):
    """A passed test the certificate rests on."""

    time: datetime
    standard: str | None
    lab: str | None
    instrument: str | None


class ReceivedOnLot(BaseModel):
    """A harvest lot behind the batch with the farmer's certificate received (or none)."""

    harvest_lot_code: str | None
    farmer_name: str
    village_name: str
    number: str | None
    basis: str | None
    issuer: str | None
    photo: str | None
    missing: bool = Field(description="the product needs a certificate and none was received")
    number_elsewhere: bool = Field(
        description="another producer handed over a certificate with the same number: a"
        " borrowed or copied certificate, which the rules forbid, or a typing error"
    )


class IssuedCertificate(BaseModel):
    number: str
    lot_code: str
    gtin: str | None
    product_name: str
    quantity: float
    unit: str
    issuer_name: str
    issuer_contact: str | None
    origin: str
    basis: str
    tests: list[CertificateTest]
    received: list[str] = Field(description="numbers of the farmers' certificates received")
    commitment: str
    issued_at: datetime
    kept_until: date


class BatchCertificates(BaseModel):
    """What an inspector reads for one batch: what was received, and what was issued."""

    lot_code: str
    certificate_category: str
    received: list[ReceivedOnLot]
    issued: IssuedCertificate | None


class PublicCertificate(BaseModel):
    """The issued certificate as the public page shows it (the centre's contact is its
    business number; farmers' certificate numbers stay with inspectors)."""

    number: str
    product_name: str
    quantity: float
    unit: str
    issuer_name: str
    issuer_contact: str | None
    origin: str
    basis: str
    basis_zh: str
    basis_en: str
    commitment: str
    issued_at: datetime
