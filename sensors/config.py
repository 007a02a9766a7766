"""The gateway's TOML configuration (read with tomllib), turned into a frozen settings object.

Example::

    device_id = "truck-01-logger"
    broker_url = "mqtts://broker.example:8883"   # username defaults to the device id
    password_file = "/etc/farmtrace/mqtt-password"  # or put it in the URL
    ca_file = "/etc/farmtrace/ca.pem"      # mqtts only; system CAs when omitted
    interval_s = 60

    [spool]
    path = "/var/lib/farmtrace/spool.db"
    max_records = 500000                    # about 25 MB on disk
    max_records_per_message = 500

    [[sources]]
    kind = "ds18b20"
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.settings import MqttAddress, parse_mqtt_url

# A gateway samples once a minute: GB 29753 wants a record at least every 10 minutes.
DEFAULT_INTERVAL_S = 60.0
# Half a million records is a week of a four-metric truck logger at one sample a minute,
# ten times over, and about 25 MB of SQLite: small next to any gateway's storage.
DEFAULT_SPOOL_MAX_RECORDS = 500_000
# Records per message when flushing a backlog: 500 records is about 20 kB of SenML JSON,
# far under the collector's limits (20,000 records, 4 MiB) and quick to resend if lost.
DEFAULT_MAX_RECORDS_PER_MESSAGE = 500
# Messages handed to the broker and not yet acknowledged. Bounds what is resent after a
# crash and keeps paho's own queue far from its 65,535-message limit.
DEFAULT_INFLIGHT_WINDOW = 10
# Reconnect back-off: quick first retries (a tunnel ends), then at most every two minutes
# so that hours without a broker cost little battery and bandwidth.
DEFAULT_RECONNECT_MIN_S = 1.0
DEFAULT_RECONNECT_MAX_S = 120.0
# A status message this often even when nothing changed, so a dashboard sees the spool drain.
DEFAULT_STATUS_INTERVAL_S = 60.0


class ConfigError(ValueError):
    """The configuration file is missing something or holds a wrong value."""


@dataclass(frozen=True, slots=True)
class AgentConfig:
    device_id: str
    broker: MqttAddress
    spool_path: Path
    interval_s: float = DEFAULT_INTERVAL_S
    ca_file: Path | None = None
    spool_max_records: int = DEFAULT_SPOOL_MAX_RECORDS
    max_records_per_message: int = DEFAULT_MAX_RECORDS_PER_MESSAGE
    inflight_window: int = DEFAULT_INFLIGHT_WINDOW
    reconnect_min_s: float = DEFAULT_RECONNECT_MIN_S
    reconnect_max_s: float = DEFAULT_RECONNECT_MAX_S
    status_interval_s: float = DEFAULT_STATUS_INTERVAL_S
    sources: tuple[dict[str, Any], ...] = field(default_factory=tuple)


def load_config(path: Path) -> AgentConfig:
    """Read a gateway's TOML file; relative paths in it are taken from the file's folder."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: {error}") from error
    return config_from_mapping(document, path.parent)


def config_from_mapping(document: dict[str, Any], folder: Path) -> AgentConfig:
    try:
        device_id = str(document["device_id"])
        broker_url = str(document["broker_url"])
    except KeyError as error:
        raise ConfigError(f"missing setting {error.args[0]!r}") from error
    try:
        broker = parse_mqtt_url(broker_url)
    except ValueError as error:
        raise ConfigError(str(error)) from error
    password_file = document.get("password_file")
    if password_file:
        # The password may live in its own file (mode 600) rather than in the broker URL.
        try:
            password = (folder / str(password_file)).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigError(f"password_file: {error}") from error
        broker = broker.model_copy(update={"password": password})
    if broker.username is None:
        # The broker's ACL knows a device by its id; that is its username too.
        broker = broker.model_copy(update={"username": device_id})
    spool = document.get("spool", {})
    sources = document.get("sources", [])
    if not sources:
        raise ConfigError("no [[sources]] configured")
    ca_file = document.get("ca_file")
    try:
        return AgentConfig(
            device_id=device_id,
            broker=broker,
            spool_path=folder / spool.get("path", f"{device_id}.spool.db"),
            interval_s=float(document.get("interval_s", DEFAULT_INTERVAL_S)),
            ca_file=folder / ca_file if ca_file else None,
            spool_max_records=int(spool.get("max_records", DEFAULT_SPOOL_MAX_RECORDS)),
            max_records_per_message=int(
                spool.get("max_records_per_message", DEFAULT_MAX_RECORDS_PER_MESSAGE)
            ),
            inflight_window=int(document.get("inflight_window", DEFAULT_INFLIGHT_WINDOW)),
            reconnect_min_s=float(document.get("reconnect_min_s", DEFAULT_RECONNECT_MIN_S)),
            reconnect_max_s=float(document.get("reconnect_max_s", DEFAULT_RECONNECT_MAX_S)),
            status_interval_s=float(document.get("status_interval_s", DEFAULT_STATUS_INTERVAL_S)),
            sources=tuple(_resolve_paths(dict(source), folder) for source in sources),
        )
    except (TypeError, ValueError) as error:
        raise ConfigError(str(error)) from error


def _resolve_paths(source: dict[str, Any], folder: Path) -> dict[str, Any]:
    """A source's ``path`` or ``root`` given relative to the file is taken from its folder."""
    for key in ("path", "root"):
        if key in source:
            source[key] = str(folder / str(source[key]))
    return source
