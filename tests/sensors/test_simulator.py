"""The simulated fleet: the same seed gives the same readings, the compressor-failure truck
leaves its band while every other device stays inside, and trucks spool through tunnels."""

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from farmtrace.commands.sensors import demo_device_ids
from farmtrace.demo.data import DEVICES
from schemas.mqtt_passwords import mosquitto_hash, new_password
from sensors.simulation.fleet import PROFILES, TRUCKS
from tests.sensors.mqtt_tools import Subscriber
from tests.servers import PrivateMosquitto

REPO = Path(__file__).resolve().parents[2]
START = "2026-11-20T06:00:00+08:00"
# Four simulated hours cover every truck's trip, TRUCK-04's to Chengdu being the longest.
DURATION_S = 4 * 3600
SPEEDUP = 3600

Readings = dict[str, list[tuple[float, str, float]]]


def simulate(broker_url: str, spool_dir: Path, *options: str) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "farmtrace",
            "sensors",
            "simulate",
            "--start",
            START,
            "--speedup",
            str(SPEEDUP),
            "--mqtt-url",
            broker_url,
            "--spool-dir",
            str(spool_dir),
            *options,
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=90,
    )


def run_fleet(broker: PrivateMosquitto, spool_dir: Path, seed: int) -> tuple[Readings, Subscriber]:
    subscriber = Subscriber(broker.url)
    simulate(broker.url, spool_dir, "--seed", str(seed), "--duration", str(DURATION_S))
    expected = {device.device_id for device in DEVICES}
    subscriber.wait_for(
        lambda: {m.topic.split("/")[2] for m in subscriber.snapshot()} >= expected, 5
    )
    subscriber.close()
    return {device: subscriber.readings(device) for device in expected}, subscriber


@pytest.fixture(scope="module")
def two_runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Readings, Readings, Subscriber]]:
    broker = PrivateMosquitto()
    broker.start()
    try:
        first, subscriber = run_fleet(broker, tmp_path_factory.mktemp("spools-a"), seed=7)
        second, _ = run_fleet(broker, tmp_path_factory.mktemp("spools-b"), seed=7)
        yield first, second, subscriber
    finally:
        broker.destroy()


def test_every_demo_device_has_a_simulation_profile() -> None:
    assert set(demo_device_ids()) == {device.device_id for device in DEVICES} == set(PROFILES)


def test_same_seed_gives_the_same_readings(two_runs: tuple[Readings, Readings, Subscriber]) -> None:
    first, second, _ = two_runs
    for device, readings in first.items():
        # Every minute of four hours, each device, none lost on the way.
        assert len({when for when, _, _ in readings}) == DURATION_S // 60 + 1, device
        assert sorted(readings) == sorted(second[device]), device


def test_compressor_failure_truck_leaves_its_band_and_the_others_stay_inside(
    two_runs: tuple[Readings, Readings, Subscriber],
) -> None:
    readings, _, _ = two_runs
    for device, profile in PROFILES.items():
        temperatures = [value for _, metric, value in readings[device] if metric == "temp"]
        inside = all(profile.band.holds(value) for value in temperatures)
        failing = getattr(profile, "compressor_fails_after_min", None) is not None
        assert inside != failing, (device, min(temperatures), max(temperatures))
    failed = next(t for t in TRUCKS if t.compressor_fails_after_min is not None)
    peak = max(value for _, metric, value in readings[failed.device_id] if metric == "temp")
    assert peak > failed.band.high + 2  # a genuine excursion, not noise at the edge


def test_trucks_open_doors_at_stops_move_along_the_road_and_spool_through_tunnels(
    two_runs: tuple[Readings, Readings, Subscriber],
) -> None:
    readings, _, subscriber = two_runs
    for truck in TRUCKS:
        mine = readings[truck.device_id]
        assert any(metric == "door" and value == 1.0 for _, metric, value in mine)
        longitudes = [value for _, metric, value in mine if metric == "lon"]
        assert min(longitudes) < 103.1 and max(longitudes) > 103.4  # left Jinkouhe going east
        telemetry = [
            m
            for m in subscriber.snapshot()
            if m.topic == f"farmtrace/devices/{truck.device_id}/telemetry"
        ]
        # Minutes without signal come out later as one message holding the backlog.
        assert max(message.payload.count(b'"n":"temp"') for message in telemetry) >= 5
        # The broker published the gateway's last will when the tunnel cut it off.
        offline = [s for s in subscriber.statuses(truck.device_id) if s["state"] == "offline"]
        assert len(offline) >= 2


def test_simulated_devices_log_in_with_their_credentials(
    tmp_path: Path, mosquitto_factory: Callable[..., PrivateMosquitto]
) -> None:
    password = new_password()
    (tmp_path / "passwd").write_text(f"pc-cold-t1:{mosquitto_hash(password)}\n", encoding="utf-8")
    (tmp_path / "passwd").chmod(0o644)
    broker = mosquitto_factory(f"password_file {tmp_path / 'passwd'}", anonymous=False)
    credentials = tmp_path / "credentials.txt"
    credentials.write_text(f"pc-cold-t1 {password}\n", encoding="utf-8")
    subscriber_url = broker.url.replace("mqtt://", f"mqtt://pc-cold-t1:{password}@")
    subscriber = Subscriber(subscriber_url)
    simulate(
        broker.url,
        tmp_path / "spools",
        "--device",
        "pc-cold-t1",
        "--credentials",
        str(credentials),
        "--duration",
        "600",
    )
    assert subscriber.wait_for(lambda: len(subscriber.readings("pc-cold-t1")) == 11, 5)
    subscriber.close()


def test_drying_room_heats_up_while_its_humidity_falls(
    two_runs: tuple[Readings, Readings, Subscriber],
) -> None:
    readings, _, _ = two_runs
    drying = sorted(readings["pc-drying-th1"])
    temperatures = [value for _, metric, value in drying if metric == "temp"]
    humidity = [value for _, metric, value in drying if metric == "hum"]
    assert temperatures[0] < 20 and max(temperatures) >= 45
    assert humidity[0] > 80 and humidity[-1] < 40


def test_simulated_source_in_an_agent_config_reads_like_the_fleet() -> None:
    from sensors.simulation.models import build_model
    from sensors.sources import build_source

    source = build_source({"kind": "simulated", "seed": 3, "origin": 1_790_000_000}, "pc-cold-t2")
    model = build_model("pc-cold-t2", 3, 1_790_000_000)
    for minute in range(5):
        now = 1_790_000_000 + 60.0 * minute
        [sample] = source.read(now)
        assert sample.values == model.reading(now)
