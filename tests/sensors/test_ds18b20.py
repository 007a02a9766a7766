"""The DS18B20 source reads the kernel's w1 sysfs files, here a tree the test makes."""

from collections.abc import Callable
from pathlib import Path

from sensors.sources.ds18b20 import Ds18b20Source
from tests.sensors.agents import load_agent, pump_until, write_config
from tests.sensors.mqtt_tools import Subscriber
from tests.servers import PrivateMosquitto


def _probe(root: Path, name: str, **files: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="ascii")
    return folder


def test_temperature_file_in_millidegrees_becomes_celsius(tmp_path: Path) -> None:
    _probe(tmp_path, "28-0316a2791bff", temperature="3187\n")
    [sample] = Ds18b20Source(tmp_path).read(1_800_000_000.0)
    assert sample.time == 1_800_000_000.0
    assert sample.values == {"temp": 3.187}


def test_w1_slave_with_good_crc_is_read_and_bad_crc_is_skipped(tmp_path: Path) -> None:
    _probe(
        tmp_path,
        "28-00000a1b2c3d",
        w1_slave="72 01 4b 46 7f ff 0e 10 57 : crc=57 YES\n72 01 4b 46 7f ff 0e 10 57 t=-1125\n",
    )
    _probe(
        tmp_path,
        "28-00000ffff000",
        w1_slave="72 01 4b 46 7f ff 0e 10 57 : crc=12 NO\n72 01 4b 46 7f ff 0e 10 57 t=23125\n",
    )
    [sample] = Ds18b20Source(tmp_path, probe="28-00000a1b2c3d").read(0.0)
    assert sample.values == {"temp": -1.125}
    assert Ds18b20Source(tmp_path, probe="28-00000ffff000").read(0.0) == []


def test_power_on_value_and_missing_probe_give_no_reading(tmp_path: Path) -> None:
    assert Ds18b20Source(tmp_path).read(0.0) == []
    _probe(tmp_path, "28-0000000000aa", temperature="85000\n")
    assert Ds18b20Source(tmp_path).read(0.0) == []


def test_first_probe_is_used_when_none_is_named(tmp_path: Path) -> None:
    _probe(tmp_path, "28-bbbb", temperature="2000\n")
    _probe(tmp_path, "28-aaaa", temperature="1000\n")
    _probe(tmp_path, "w1_bus_master1")
    [sample] = Ds18b20Source(tmp_path).read(0.0)
    assert sample.values == {"temp": 1.0}


def test_agent_configured_for_ds18b20_publishes_the_probe_temperature(
    tmp_path: Path, mosquitto_factory: Callable[..., PrivateMosquitto]
) -> None:
    broker = mosquitto_factory()
    subscriber = Subscriber(broker.url)
    _probe(tmp_path / "w1", "28-0316a2791bff", temperature="4062\n")
    source = '[[sources]]\nkind = "ds18b20"\nroot = "w1"\n'
    agent = load_agent(write_config(tmp_path, "cold-probe-1", broker.url, source))
    agent.start()
    agent.sample()
    assert pump_until(agent, lambda: agent.idle, 10)
    assert subscriber.wait_for(lambda: bool(subscriber.readings("cold-probe-1")), 5)
    [(_, metric, value)] = subscriber.readings("cold-probe-1")
    assert (metric, value) == ("temp", 4.062)
    agent.stop()
    subscriber.close()
