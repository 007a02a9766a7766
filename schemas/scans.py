"""API shapes of scan statistics: how often a lot's codes were resolved, and by what."""

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field


class SerialScans(BaseModel):
    serial: str
    count: int
    first: datetime
    last: datetime
    days: int = Field(default=0, description="distinct days (district time) it was scanned on")
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


@dataclass(frozen=True)
class CopyRule:
    """When one serial is scanned as a single pack would not be: a pack is scanned a handful of
    times (shelf, checkout, kitchen) on a few days by the household that bought it; a code
    copied onto other packs is scanned by many people, often, on many days. No scanner is
    identified, so the rule counts what a scan leaves: its time."""

    max_scans: int
    max_days: int

    def looks_copied(self, count: int, days: int) -> bool:
        return count > self.max_scans or days > self.max_days


@dataclass(frozen=True)
class SerialHistory:
    """One serial's scans as stored, and whether the batch knows the serial."""

    count: int
    first: datetime | None
    days: frozenset[date]
    batch_has_packs: bool
    is_pack: bool
