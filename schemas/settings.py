"""One settings class, read from ``FARMTRACE_*`` environment variables."""

from functools import lru_cache
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.gs1 import check_company_prefix

# Placeholder secrets that must never reach a deployment.
_REFUSED_SECRETS = {"changethis", "secret", "changeme", ""}


# MQTT 5 by default; 3.1.1 for brokers that speak nothing newer (the demo's pure-Python
# fallback), at the cost of the receive-maximum memory bound and shared subscriptions.
MqttProtocol = Literal["5", "3.1.1"]


class MqttAddress(BaseModel):
    """A broker address split out of ``mqtt://user:pass@host:port`` (``mqtts://`` for TLS)."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False
    protocol: MqttProtocol = "5"


def parse_mqtt_url(url: str, protocol: MqttProtocol = "5") -> MqttAddress:
    parts = urlsplit(url)
    if parts.scheme not in {"mqtt", "mqtts", "tcp", "ssl"}:
        raise ValueError(f"unsupported MQTT URL scheme {parts.scheme!r} (use mqtt:// or mqtts://)")
    tls = parts.scheme in {"mqtts", "ssl"}
    return MqttAddress(
        host=parts.hostname or "localhost",
        port=parts.port or (8883 if tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
        protocol=protocol,
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FARMTRACE_", extra="ignore")

    database_url: str = "postgresql://localhost/farmtrace"
    mqtt_url: str = "mqtt://localhost:1883"
    mqtt_protocol: MqttProtocol = "5"
    public_base_url: str = "http://localhost:8000"
    secret_key: SecretStr | None = None
    # A TrueType/OpenType font (.ttf/.ttc/.otf) with Chinese glyphs for labels; found in the
    # system's font folders when unset.
    label_font: str | None = None

    # A pack's serial scanned more often than this is flagged as a possibly copied code: one
    # pack is scanned a handful of times (shelf, checkout, kitchen), not dozens.
    scan_copy_threshold: int = 20
    # … or scanned on more days than this: a household checks its pack on a few days, a code
    # copied onto other packs turns up day after day.
    scan_copy_days: int = 7
    # Public pages: browsers and CDNs may reuse a page this long, then serve it stale while
    # they revalidate; a recall therefore shows within about max-age everywhere.
    public_max_age_s: int = 30
    public_stale_while_revalidate_s: int = 300
    # API processes keep summary versions in memory, dropped on every change announced by the
    # database; this bounds how long one may outlive a change if an announcement were missed.
    public_head_ttl_s: float = 10.0
    # Where uploaded photos and documents are kept, named by their content hash.
    media_dir: str = "media"
    # An upload's largest size: a phone camera's photo is a few megabytes.
    media_upload_max_bytes: int = 20 * 1024 * 1024
    # The processing centre's consumer line, printed on public pages beside 12315 (the
    # national consumer-complaint line); unset, pages give 12315 alone.
    centre_phone: str | None = None
    # The centre's GS1 Company Prefix (GS1 China): products without a GTIN are numbered from
    # it, so every label carries a Digital Link a GS1 parser accepts; unset, they keep /l/{lot}.
    gs1_company_prefix: str | None = None

    # How far ahead of this server's clock a time a person enters may be (clock drift).
    time_ahead_tolerance_s: float = 300.0
    # Largest request body the web application reads (413 above it), before any parsing.
    request_body_max_bytes: int = 1024 * 1024

    # Readings older than this are dropped by TimescaleDB's retention policy (two years).
    retention_days: int = 730
    # Chunks older than this are compressed on TimescaleDB.
    compress_after_days: int = 7

    # The collector's identity: a fixed client id keeps its persistent session across restarts;
    # standbys use the same id, and connect only once the active collector is gone.
    ingest_client_id: str = "farmtrace-ingest-1"
    # Empty: one plain subscription, which Mosquitto restores after a restart. A group: shared
    # subscriptions, for brokers that persist them (EMQX, HiveMQ), collectors side by side.
    ingest_share_group: str = ""
    # How long the broker keeps the collector's session (and queues for it) while it is away.
    ingest_session_expiry_s: int = 7 * 24 * 3600
    ingest_max_payload_bytes: int = 4 * 1024 * 1024
    ingest_max_records_per_message: int = 20_000
    ingest_batch_rows: int = 20_000
    ingest_flush_interval_s: float = 0.2
    # Unacknowledged messages the broker may have in flight to one collector: the memory bound.
    ingest_receive_maximum: int = 2_000
    dead_letter_payload_cap: int = 64 * 1024

    # Alarm notifications: a JSON POST signed with HMAC-SHA256 of the body (header
    # X-Farmtrace-Signature), keyed by the dedicated secret or else by secret_key.
    alarm_webhook_url: str | None = None
    alarm_webhook_secret: SecretStr | None = None
    # A device is silent when its newest reading is older than this many reporting intervals.
    alarm_silence_factor: float = 3.0
    # How often `farmtrace watch` takes arrivals and checks alarms at the least (silences are
    # found by these rounds); newly stored readings start one sooner, but never less than
    # the gap after the last one.
    watch_interval_s: float = 5.0
    watch_min_gap_s: float = Field(default=1.0, ge=0.1)
    # A round takes the arrivals of at most this many readings, live ones first: a flush of
    # hours of spooled readings is handled over several short rounds, one gap apart.
    watch_round_readings: int = Field(default=50_000, ge=1)
    # Processes of `farmtrace watch` that rebuild page summaries beside its rounds (0: the
    # loop rebuilds them between rounds).
    watch_summary_workers: int = Field(default=2, ge=0, le=32)

    @field_validator("gs1_company_prefix")
    @classmethod
    def _company_prefix_digits(cls, value: str | None) -> str | None:
        return check_company_prefix(value) if value else None

    @field_validator("alarm_webhook_url", "alarm_webhook_secret", "gs1_company_prefix",
                     mode="before")  # fmt: skip
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """Compose passes an unset optional variable as an empty string."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("secret_key", "alarm_webhook_secret")
    @classmethod
    def _refuse_placeholder(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value().strip().lower() in _REFUSED_SECRETS:
            raise ValueError("the secret is a placeholder; set a real random value")
        return value

    @property
    def mqtt(self) -> MqttAddress:
        return parse_mqtt_url(self.mqtt_url, self.mqtt_protocol)


@lru_cache
def get_settings() -> Settings:
    return Settings()
