"""Dead letters that count, conflicts kept, late devices, and `farmtrace dead-letters`."""

import json
import os
import subprocess
import sys
from collections.abc import Callable

import psycopg

from schemas.senml import base_name, telemetry_topic
from store.devices import add_device
from tests.ingest.conftest import (
    REPO_ROOT,
    CollectorProcess,
    count_rows,
    rounded,
    stored_readings,
    wait_for_rows,
)
from tests.ingest.streams import STREAM_START, Publisher, senml_message
from tests.ingest.test_resilience import wait_until
from tests.servers import PrivateMosquitto


def farmtrace(database_url: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "farmtrace", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "FARMTRACE_DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def one_reading(device_id: str, value: float, unit: str = "Cel") -> bytes:
    record = {"bn": base_name(device_id), "bt": STREAM_START, "n": "temp", "u": unit, "v": value}
    return json.dumps([record]).encode()


def letters(database_url: str) -> list[tuple[str, int, bool, bytes]]:
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT reason, arrivals, received_at < last_received_at, payload FROM dead_letters"
        ).fetchall()


def test_a_conflicting_duplicate_is_kept_with_both_values_and_counted_when_repeated(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector_factory(clean_database, broker.url)
    publisher = Publisher(broker.url, "test-publisher")
    topic = telemetry_topic("truck-01")
    publisher.publish_raw(topic, one_reading("truck-01", 3.5))
    assert wait_for_rows(clean_database, 1) == 1
    for _ in range(2):
        publisher.publish_raw(topic, one_reading("truck-01", 9.25))
    publisher.publish_raw(topic, one_reading("truck-01", 3.5))  # the same again: no conflict
    assert wait_for_rows(clean_database, 1, "dead_letters") == 1
    wait_until(lambda: letters(clean_database)[0][1] == 2)
    publisher.publish_raw(topic, one_reading("truck-01", 9.25))  # later: a new last arrival
    wait_until(lambda: letters(clean_database)[0][1] == 3)
    [(reason, arrivals, ordered, payload)] = letters(clean_database)
    assert "is 9.25, stored 3.5" in reason
    assert arrivals == 3 and ordered
    assert json.loads(bytes(payload))[0]["v"] == 9.25
    assert stored_readings(clean_database) == {("truck-01", "temp", STREAM_START, 3.5)}
    publisher.close()


def test_a_device_registered_while_the_collector_runs_is_stored_at_once(
    db: psycopg.Connection,
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector_factory(clean_database, broker.url)
    publisher = Publisher(broker.url, "test-publisher")
    publisher.publish([senml_message("truck-01", 0, 1)])
    assert wait_for_rows(clean_database, 1) == 1
    # Registered a moment ago: the collector's cached list (reloaded every 2 s) lacks it.
    add_device(db, "late-1", "logger")
    db.commit()
    message = senml_message("late-1", 0, 4)
    publisher.publish([message])
    publisher.wait_acknowledged()

    assert wait_for_rows(clean_database, 5) == 5
    assert count_rows(clean_database, "dead_letters") == 0
    publisher.close()


def test_replay_stores_what_now_resolves_exactly_once_and_keeps_the_rest(
    db: psycopg.Connection,
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector_factory(clean_database, broker.url)
    publisher = Publisher(broker.url, "test-publisher")
    early = senml_message("late-2", 0, 5)  # published before the device is registered
    publisher.publish([early, early])
    pack = [
        {"bn": base_name("truck-01"), "bt": STREAM_START, "n": "temp", "u": "Cel", "v": 2.0},
        {"n": "temp", "u": "Far", "v": 38.0, "t": 1},  # a unit nobody registered
    ]
    publisher.publish_raw(telemetry_topic("truck-01"), json.dumps(pack).encode())
    publisher.wait_acknowledged()
    assert wait_for_rows(clean_database, 2, "dead_letters") == 2
    assert wait_for_rows(clean_database, 1) == 1

    listed = farmtrace(clean_database, "dead-letters", "list", "--device", "late-2")
    [line] = listed.splitlines()
    assert "\t2x\t" in line and "unknown or revoked device 'late-2'" in line

    add_device(db, "late-2", "logger")
    db.commit()
    out = farmtrace(clean_database, "dead-letters", "replay", "--all")
    assert out.strip() == "replayed 1: 5 readings stored; still refused: 1"
    assert stored_readings(clean_database) == rounded(
        set(early.readings) | {("truck-01", "temp", STREAM_START, 2.0)}
    )
    with psycopg.connect(clean_database) as conn:
        left = conn.execute("SELECT record_index, reason, payload FROM dead_letters").fetchall()
    [(index, reason, payload)] = left
    assert index == 1 and "unit 'Far'" in reason
    # The refused record kept its base fields: on its own it names its device and time.
    assert json.loads(bytes(payload)) == [
        {
            "bn": base_name("truck-01"),
            "bt": STREAM_START,
            "n": "temp",
            "u": "Far",
            "v": 38.0,
            "t": 1,
        }
    ]

    again = farmtrace(clean_database, "dead-letters", "replay", "--device", "truck-01")
    assert again.strip() == "replayed 0: 0 readings stored; still refused: 1"
    assert count_rows(clean_database) == 6
    publisher.close()
