"""API shapes of master data: products, producers, locations, devices (Create and Public)."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.codes import Code, Name, Text
from schemas.gs1 import normalize_gtin
from schemas.time_bounds import EnteredDate, EnteredTime

LocationKind = Literal[
    "village_point", "township_station", "processing_room", "cold_store", "warehouse", "truck"
]
ProducerKind = Literal["farmer", "cooperative", "enterprise"]
# The products the 承诺达标合格证 rules cover (农业农村部令 2025 年第 4 号, article 3), and
# "none" for the rest; a covered product needs a certificate at every sale.
CertificateCategory = Literal[
    "vegetable", "edible_fungus", "fruit", "fresh_tea", "livestock", "poultry", "egg", "aquatic",
    "none",
]
# A mobile or landline number as farmers give it: digits, spaces, hyphens, an optional "+".
PHONE_PATTERN = r"^\+?[0-9][0-9 -]{4,23}$"


class StorageProfile(BaseModel):
    """The band a product must be kept in; what falls outside decides excursions and alarms."""

    model_config = ConfigDict(extra="forbid")

    temp_min: float | None = Field(default=None, ge=-60, le=60, description="°C")
    temp_max: float | None = Field(default=None, ge=-60, le=60, description="°C")
    humidity_max: float | None = Field(default=None, ge=0, le=100, description="%RH")
    max_excursion_minutes: int = Field(
        default=30,
        ge=0,
        le=7 * 24 * 60,
        description="minutes outside the band that make an excursion",
    )
    max_gap_minutes: int = Field(
        default=10, ge=1, le=7 * 24 * 60, description="silence in the record that makes a gap"
    )

    @model_validator(mode="after")
    def _band_is_ordered(self) -> "StorageProfile":
        low, high = self.temp_min, self.temp_max
        if low is not None and high is not None and low > high:
            raise ValueError("temp_min is above temp_max")
        return self


class PackSize(BaseModel):
    """What one pack holds: its net content, printed on the pack's own label."""

    model_config = ConfigDict(extra="forbid")

    quantity: float = Field(gt=0, le=100_000)
    unit: Name = Field(examples=["g", "kg"])


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name_zh: Name
    name_en: Name
    category: Name
    gtin: Text | None = Field(default=None, description="GTIN-8/12/13/14; stored as 14 digits")
    grade_standard: Text | None = Field(default=None, examples=["特级/一级/二级"])
    storage_profile: StorageProfile = Field(default_factory=lambda: StorageProfile())
    shelf_life_days: int | None = Field(default=None, ge=1, le=3650)
    pack_size: PackSize | None = Field(default=None, description="what one consumer pack holds")
    certificate_category: CertificateCategory = Field(
        default="none", description="the 承诺达标合格证 category the product falls under"
    )

    @field_validator("gtin")
    @classmethod
    def _gtin_checks(cls, value: str | None) -> str | None:
        return normalize_gtin(value) if value else None


class ProductPublic(BaseModel):
    code: str
    name_zh: str
    name_en: str
    category: str
    gtin: str | None
    grade_standard: str | None
    storage_profile: StorageProfile
    shelf_life_days: int | None
    pack_size: PackSize | None = None
    certificate_category: CertificateCategory


class Plot(BaseModel):
    """A field or growing base a farmer harvests from: FSMA 204's field or growing area."""

    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Name
    area_mu: float | None = Field(default=None, gt=0, le=100_000, description="area in 亩")


class ProducerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Name
    kind: ProducerKind = "farmer"
    village: Code | None = Field(default=None, description="code of the producer's village point")
    township: Text | None = Field(default=None, max_length=100)
    public_name_consent: bool = Field(
        default=False, description="whether the name may appear on public provenance pages"
    )
    phone: str | None = Field(
        default=None,
        pattern=PHONE_PATTERN,
        description="for the centre, inspectors and FSMA 204 records; never on public pages",
    )
    plots: list[Plot] = Field(default_factory=list, max_length=50)
    public_plots_consent: bool = Field(
        default=False, description="whether plot names may appear on public provenance pages"
    )

    @field_validator("plots")
    @classmethod
    def _plot_codes_differ(cls, plots: list[Plot]) -> list[Plot]:
        codes = [plot.code for plot in plots]
        if len(set(codes)) != len(codes):
            raise ValueError("two plots share a code")
        return plots
    profile: Text | None = Field(
        default=None, description="the producer's own words about themselves, for the page"
    )
    profile_en: Text | None = None
    public_profile_consent: bool = Field(
        default=False, description="whether the profile may appear on public provenance pages"
    )


class ProducerPublic(BaseModel):
    """A producer as staff and inspectors read it; public pages use their own shape."""

    code: str
    name: str
    kind: str
    village: str | None
    township: str | None
    public_name_consent: bool
    phone: str | None
    plots: list[Plot]
    public_plots_consent: bool
    profile: str | None = None
    profile_en: str | None = None
    public_profile_consent: bool = False


class LocationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    name: Name
    name_en: Text | None = Field(default=None, max_length=200)
    kind: LocationKind
    gln: str | None = Field(default=None, pattern=r"^[0-9]{13}$")
    township: Text | None = Field(default=None, max_length=100)
    parent: Code | None = None
    address: Text | None = Field(
        default=None, max_length=300, description="postal address, for FSMA 204 records"
    )
    phone: str | None = Field(
        default=None,
        pattern=PHONE_PATTERN,
        description="the site's number; the centre's is printed on its 承诺达标合格证",
    )
    admin_area: Text | None = Field(
        default=None,
        max_length=200,
        description="full administrative name, largest unit first (四川省乐山市…镇…村)",
    )
    admin_area_en: Text | None = Field(
        default=None, max_length=300, description="the same in English (pinyin for names)"
    )


class LocationPublic(BaseModel):
    code: str
    name: str
    name_en: str | None
    kind: str
    gln: str | None
    township: str | None
    parent: str | None
    address: str | None = None
    phone: str | None = None
    admin_area: str | None = None
    admin_area_en: str | None = None


class DeviceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    device_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    kind: Name
    location: Code | None = None
    installed_from: EnteredTime | None = Field(default=None, description="ISO 8601 with an offset")
    reporting_interval_s: int = Field(default=60, ge=1, le=86_400)
    last_calibrated: EnteredDate | None = None


class DevicePublic(BaseModel):
    device_id: str
    kind: str
    location: str | None
    reporting_interval_s: int
    last_calibrated: date | None
    calibration_due: date | None
    revoked_at: datetime | None


class DeviceRegistered(DevicePublic):
    """The answer to a registration: the MQTT password appears here once and never again."""

    mqtt_password: str
