"""`farmtrace broker config` against a real Mosquitto: who may publish and read what."""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import paho.mqtt.client as mqtt
import psycopg
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.subscribeoptions import SubscribeOptions

from farmtrace.provision.broker_files import LISTENER_SETTINGS, max_packet_size
from store.devices import add_device, revoke_device
from tests.ingest.conftest import (
    REPO_ROOT,
    CollectorProcess,
    count_rows,
    stored_readings,
    wait_for_rows,
)
from tests.ingest.streams import Publisher, senml_message
from tests.servers import PrivateMosquitto

COLLECTOR_PASSWORD = "collector-test-password"


def write_broker_config(database_url: str, out: Path, mqtt_url: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "farmtrace", "broker", "config", "--out", str(out)],
        cwd=REPO_ROOT,
        env={**os.environ, "FARMTRACE_DATABASE_URL": database_url, "FARMTRACE_MQTT_URL": mqtt_url},
        check=True,
        capture_output=True,
    )


def connect_result(
    port: int, username: str | None, password: str | None, client_id: str | None = None
) -> str:
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id or f"probe-{username}",
        protocol=MQTTProtocolVersion.MQTTv5,
    )
    if username is not None:
        client.username_pw_set(username, password)
    result: list[str] = []
    done = threading.Event()
    client.on_connect = lambda c, u, f, reason, p: (result.append(str(reason)), done.set())
    client.connect("127.0.0.1", port)
    client.loop_start()
    done.wait(5)
    client.disconnect()
    client.loop_stop()
    return result[0] if result else "no answer"


def test_generated_files_leave_out_revoked_devices_and_keep_hashes_private(
    db: psycopg.Connection, clean_database: str, tmp_path: Path
) -> None:
    add_device(db, "truck-01", "logger")
    add_device(db, "truck-02", "logger")
    revoke_device(db, "truck-02")
    db.commit()
    write_broker_config(
        clean_database, tmp_path, f"mqtt://ingest:{COLLECTOR_PASSWORD}@127.0.0.1:1883"
    )

    users = [line.split(":")[0] for line in (tmp_path / "passwd").read_text().splitlines()]
    assert users == ["truck-01", "ingest"]
    assert all(
        line.split(":", 1)[1].startswith("$7$")
        for line in (tmp_path / "passwd").read_text().splitlines()
    )
    assert "truck-02" not in (tmp_path / "acl").read_text()
    assert (tmp_path / "passwd").stat().st_mode & 0o077 == 0
    snippet = (tmp_path / "farmtrace.conf").read_text()
    assert "allow_anonymous false" in snippet
    assert f"max_packet_size {max_packet_size(4 * 1024 * 1024)}" in snippet


def test_device_cannot_publish_under_another_devices_topic(
    db: psycopg.Connection,
    clean_database: str,
    tmp_path: Path,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    passwords = {
        device_id: add_device(db, device_id, "logger")
        for device_id in ("truck-01", "truck-02", "truck-03")
    }
    revoke_device(db, "truck-03")
    db.commit()
    write_broker_config(
        clean_database, tmp_path, f"mqtt://ingest:{COLLECTOR_PASSWORD}@127.0.0.1:1883"
    )
    broker = mosquitto_factory(LISTENER_SETTINGS + f"include_dir {tmp_path}", anonymous=False)
    collector_url = f"mqtt://ingest:{COLLECTOR_PASSWORD}@127.0.0.1:{broker.port}"
    collector_factory(clean_database, collector_url)

    assert connect_result(broker.port, None, None) == "Not authorized"
    assert connect_result(broker.port, "truck-01", "wrong") == "Not authorized"
    assert connect_result(broker.port, "truck-03", passwords["truck-03"]) == "Not authorized"

    # truck-01 listens to everything and impersonates truck-02; its own reading comes last.
    spy = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id="spy", protocol=MQTTProtocolVersion.MQTTv5
    )
    spy.username_pw_set("truck-01", passwords["truck-01"])
    overheard: list[str] = []
    spy.on_message = lambda c, u, message: overheard.append(message.topic)
    spy.connect("127.0.0.1", broker.port)
    spy.subscribe("#", options=SubscribeOptions(qos=1))
    spy.loop_start()
    time.sleep(0.3)
    impostor = Publisher(broker.url, "impostor", "truck-01", passwords["truck-01"])
    forged = senml_message("truck-02", 0, 5)
    own = senml_message("truck-01", 0, 1)
    impostor.publish([forged, own])
    impostor.wait_acknowledged()
    honest = Publisher(broker.url, "honest", "truck-02", passwords["truck-02"])
    honest.publish([senml_message("truck-02", 100, 1)])
    honest.wait_acknowledged()

    assert impostor.refused == ["Not authorized"]
    assert honest.refused == []
    assert wait_for_rows(clean_database, 2) == 2
    assert {(device, when) for device, _, when, _ in stored_readings(clean_database)} == {
        ("truck-01", own.readings[0][2]),
        ("truck-02", senml_message("truck-02", 100, 1).readings[0][2]),
    }
    # A device may subscribe, but the broker delivers it nothing it may not read.
    time.sleep(0.3)
    assert overheard == []
    spy.disconnect()
    spy.loop_stop()
    impostor.close()
    honest.close()


def test_devices_cannot_read_join_end_or_flood_anything_not_theirs(
    db: psycopg.Connection,
    clean_database: str,
    tmp_path: Path,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    max_payload = 64 * 1024
    passwords = {
        device_id: add_device(db, device_id, "logger") for device_id in ("truck-01", "truck-02")
    }
    db.commit()
    collector_mqtt = f"mqtt://ingest:{COLLECTOR_PASSWORD}@127.0.0.1:1883"
    subprocess.run(
        [sys.executable, "-m", "farmtrace", "broker", "config", "--out", str(tmp_path)],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "FARMTRACE_DATABASE_URL": clean_database,
            "FARMTRACE_MQTT_URL": collector_mqtt,
            "FARMTRACE_INGEST_MAX_PAYLOAD_BYTES": str(max_payload),
        },
        check=True,
        capture_output=True,
    )
    broker = mosquitto_factory(LISTENER_SETTINGS + f"include_dir {tmp_path}", anonymous=False)
    collector_url = f"mqtt://ingest:{COLLECTOR_PASSWORD}@127.0.0.1:{broker.port}"
    collector = collector_factory(
        clean_database, collector_url, ingest_max_payload_bytes=str(max_payload)
    )

    # truck-01 joins every share group it can think of, listens to all, and connects a
    # second time under the collector's client id (its username, which is its id here).
    spy = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id="spy", protocol=MQTTProtocolVersion.MQTTv5
    )
    spy.username_pw_set("truck-01", passwords["truck-01"])
    overheard: list[str] = []
    spy.on_message = lambda c, u, message: overheard.append(message.topic)
    spy.connect("127.0.0.1", broker.port)
    for pattern in ("$share/farmtrace/farmtrace/devices/+/telemetry", "$share/x/#", "#"):
        spy.subscribe(pattern, options=SubscribeOptions(qos=1))
    spy.loop_start()
    assert connect_result(broker.port, "truck-01", passwords["truck-01"], "ingest") == "Success"
    time.sleep(0.3)

    honest = Publisher(broker.url, "honest", "truck-02", passwords["truck-02"])
    messages = [senml_message("truck-02", index, 1) for index in range(20)]
    honest.publish(messages)
    honest.wait_acknowledged()
    # The collector kept its session and its subscription: every honest message reached it.
    assert honest.refused == []
    assert wait_for_rows(clean_database, 20) == 20
    assert collector.process.poll() is None
    assert '"reason": "Session taken over"' not in collector.log.read_text()
    time.sleep(0.3)
    assert overheard == []

    # Larger than the collector takes: the broker refuses it, and ends the sender's connection.
    flood = Publisher(broker.url, "flood", "truck-02", passwords["truck-02"])
    flood.client.publish(messages[0].topic, b" " * (max_packet_size(max_payload) + 1), qos=1)
    time.sleep(0.5)
    assert (
        "max_packet_size" in broker.log.read_text() or "oversize" in broker.log.read_text().lower()
    )
    assert count_rows(clean_database, "dead_letters") == 0
    spy.disconnect()
    spy.loop_stop()
    honest.close()
    flood.close()
