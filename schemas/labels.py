"""What a printed label shows: the data contract between the batch store and the renderers."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class LabelData(BaseModel):
    """One batch's label, already resolved to the words and dates printed on it."""

    model_config = ConfigDict(frozen=True)

    lot_code: str = Field(min_length=1, max_length=20)
    product_name_zh: str = Field(min_length=1)
    product_name_en: str | None = None
    grade: str | None = None
    pack_date: date | None = None
    best_before: date | None = None
    # The village (or villages, joined) the batch's harvest lots came from, in Chinese.
    origin_village: str | None = None
    net_quantity: Decimal
    net_unit: str
    gtin: str | None = None
    # A pack's own serial (GS1 AI 21): its label's QR code names this pack, not the lot, and
    # its net content is the pack's. Case and crate labels carry none.
    serial: str | None = Field(default=None, min_length=1, max_length=20)
