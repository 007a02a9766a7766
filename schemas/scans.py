"""API shapes of scan statistics: how often a lot's codes were resolved, and by what."""

from datetime import datetime

from pydantic import BaseModel, Field


class SerialScans(BaseModel):
    serial: str
    count: int
    first: datetime
    last: datetime
    suspected_copy: bool = Field(
        description="scanned more often than one pack plausibly is: possibly a copied code"
    )


class LotScans(BaseModel):
    lot_code: str
    total: int
    first: datetime | None
    last: datetime | None
    by_client: dict[str, int] = Field(description="wechat, alipay, browser, bot, other")
    by_language: dict[str, int]
    copy_threshold: int
    serials: list[SerialScans] = Field(description="most scanned first")
