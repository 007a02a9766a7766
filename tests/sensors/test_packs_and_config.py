"""The agent's SenML packs resolve, through the shared contract, to exactly what was spooled;
the TOML configuration reads as an operator writes it."""

import tomllib
from dataclasses import fields
from pathlib import Path

import pytest

from schemas.senml import resolve_pack
from schemas.sensor_metrics import METRICS
from sensors.config import AgentConfig, ConfigError, config_from_mapping, load_config
from sensors.packs import senml_pack
from sensors.spool import SpooledRecord


def test_pack_of_mixed_metrics_resolves_to_the_spooled_times_and_values() -> None:
    records = [
        SpooledRecord(1, 1_764_300_000.125, "temp", 2.5),
        SpooledRecord(2, 1_764_300_000.125, "hum", 91.0),
        SpooledRecord(3, 1_764_300_060.125, "door", True),
        SpooledRecord(4, 1_764_300_060.125, "lat", 29.2466),
        SpooledRecord(5, 1_764_300_060.125, "lon", 103.0786),
        SpooledRecord(6, 1_764_300_120.5, "batt", 99.6),
    ]
    pack = senml_pack("truck-01-logger", records)
    assert pack[0]["bn"] == "urn:dev:farmtrace:truck-01-logger:"
    readings, refused = resolve_pack(pack, "truck-01-logger", 1_764_300_200.0, 100)
    assert refused == []
    assert [(r.time.timestamp(), r.metric, r.value) for r in readings] == [
        (1_764_300_000.125, "temp", 2.5),
        (1_764_300_000.125, "hum", 91.0),
        (1_764_300_060.125, "door", 1.0),
        (1_764_300_060.125, "lat", 29.2466),
        (1_764_300_060.125, "lon", 103.0786),
        (1_764_300_120.5, "batt", 99.6),
    ]


def effective_units(pack: list[dict[str, object]]) -> list[object]:
    """Each record's unit once resolved (RFC 8428 §4.6): its own, else the base unit."""
    units, base_unit = [], None
    for record in pack:
        base_unit = record.get("bu", base_unit)
        units.append(record.get("u", base_unit))
    return units


@pytest.mark.parametrize("with_door", [True, False])
def test_no_record_of_a_pack_resolves_to_a_unit_not_its_own(with_door: bool) -> None:
    records = [
        SpooledRecord(1, 1_764_300_000.0, "temp", 2.5),
        SpooledRecord(2, 1_764_300_001.0, "temp", 2.6),
        SpooledRecord(3, 1_764_300_002.0, "hum", 90.0),
    ]
    if with_door:
        records.append(SpooledRecord(4, 1_764_300_003.0, "door", False))
    pack = senml_pack("truck-01-logger", records)
    assert effective_units(pack) == [
        (None if record.name == "door" else METRICS[record.name].unit) for record in records
    ]
    # The common pack of temperatures names its unit once.
    assert ("bu" in pack[0]) is not with_door


def test_config_takes_paths_from_its_folder_and_the_device_id_as_username(tmp_path: Path) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text(
        'device_id = "pc-cold-t1"\n'
        'broker_url = "mqtts://:s3cret@broker.example:8883"\n'
        'ca_file = "ca.pem"\n'
        "interval_s = 30\n"
        '[spool]\npath = "spool/cold.db"\nmax_records = 1000\n'
        '[[sources]]\nkind = "replay"\npath = "export.jsonl"\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.broker.tls and config.broker.port == 8883
    assert (config.broker.username, config.broker.password) == ("pc-cold-t1", "s3cret")
    assert config.ca_file == tmp_path / "ca.pem"
    assert config.spool_path == tmp_path / "spool" / "cold.db"
    assert config.spool_max_records == 1000 and config.interval_s == 30
    assert config.sources[0]["path"] == str(tmp_path / "export.jsonl")


def test_config_without_sources_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text('device_id = "x"\nbroker_url = "mqtt://localhost"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="sources"):
        load_config(path)


def test_json_lines_export_keeps_logged_times_and_resumes_after_restart(tmp_path: Path) -> None:
    from sensors.sources.replay import ReplaySource

    export = tmp_path / "logger.jsonl"
    export.write_text(
        '{"time": "2026-11-20T08:00:00+08:00", "temp": 3.1, "door": "closed"}\n'
        "not json\n"
        '{"time": 1795133100, "temp": 3.4, "door": true}\n'
        '{"temp": 3.6}\n',
        encoding="utf-8",
    )
    source = ReplaySource(export)
    [first] = source.read(1_800_000_000.0)
    assert first.time == 1_795_132_800.0 and first.values == {"temp": 3.1, "door": False}
    position = source.position()
    restarted = ReplaySource(export)
    assert position is not None
    restarted.resume(position)
    [second] = restarted.read(1_800_000_000.0)
    assert second.time == 1_795_133_100.0 and second.values == {"temp": 3.4, "door": True}
    [third] = restarted.read(1_800_000_060.0)
    assert third.time == 1_800_000_060.0
    assert restarted.read(1_800_000_120.0) == [] and restarted.exhausted


def test_password_may_come_from_its_own_file(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("from-file\n", encoding="utf-8")
    path = tmp_path / "gateway.toml"
    path.write_text(
        'device_id = "truck-01-logger"\nbroker_url = "mqtt://broker.example"\n'
        'password_file = "secret"\n[[sources]]\nkind = "ds18b20"\n',
        encoding="utf-8",
    )
    broker = load_config(path).broker
    assert (broker.username, broker.password, broker.port) == ("truck-01-logger", "from-file", 1883)


def test_configuration_example_in_the_docs_is_what_the_agent_reads() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "sensors.md").read_text("utf-8")
    example = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    document = tomllib.loads(example)
    document.pop("password_file")  # names a file on the gateway, not here
    config = config_from_mapping(document, Path("/etc/farmtrace"))
    assert config.device_id == "truck-01-logger" and config.broker.tls
    assert config.inflight_window == 10 and config.spool_max_records == 500_000
    assert [source["kind"] for source in config.sources] == ["ds18b20"]
    known = {field.name for field in fields(AgentConfig)} | {"broker_url", "password_file"}
    top_keys = set(tomllib.loads(example)) - {"spool", "sources"}
    assert top_keys <= known
    assert set(tomllib.loads(example)["spool"]) <= {
        "path",
        "max_records",
        "max_records_per_message",
    }
