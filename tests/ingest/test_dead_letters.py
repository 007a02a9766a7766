"""Refused input lands in dead letters with its reason, once, and never stops the collector."""

import json
import subprocess
import sys
import time
from collections.abc import Callable

import psycopg

from schemas.senml import base_name, telemetry_topic
from store.devices import revoke_device
from tests.ingest.conftest import REPO_ROOT, CollectorProcess, count_rows, wait_for_rows
from tests.ingest.streams import STREAM_START, Publisher, senml_message
from tests.servers import PrivateMosquitto

MAX_PAYLOAD = 4096
MAX_RECORDS = 100
NOW = time.time()


def record(**fields: object) -> bytes:
    return json.dumps([{"bn": base_name("truck-01"), "bt": STREAM_START, **fields}]).encode()


# (topic's device, payload, record index or None for the whole message, part of the reason)
MALFORMED: list[tuple[str, bytes, int | None, str]] = [
    ("truck-01", b"{not json", None, "not JSON"),
    ("truck-01", b"\xff\xfe\x00garbage", None, "not JSON"),
    ("truck-01", b"42", None, "not a SenML array"),
    ("truck-01", b" " * (MAX_PAYLOAD + 1), None, "exceeds"),
    (
        "truck-01",
        json.dumps([{"n": "temp", "u": "Cel", "v": 1}] * (MAX_RECORDS + 1)).encode(),
        None,
        "more than",
    ),
    (
        "truck-01",
        json.dumps([{"bn": base_name("truck-02"), "n": "temp", "v": 1}]).encode(),
        None,
        "does not name device",
    ),
    ("ghost-9", senml_message("ghost-9", 0, 1).payload, None, "unknown or revoked device"),
    ("room-cold-1", senml_message("room-cold-1", 0, 1).payload, None, "unknown or revoked device"),
    ("truck-01", record(n="temp", u="Cel", v=500), 0, "outside physical bounds"),
    (
        "truck-01",
        b'[{"bt": %d, "n": "temp", "u": "Cel", "v": NaN}]' % STREAM_START,
        0,
        "NaN or infinite",
    ),
    ("truck-01", record(n="temp", u="Cel", v=3, t=NOW - STREAM_START + 3600), 0, "in the future"),
    (
        "truck-01",
        json.dumps([{"bt": 1_000_000_000, "n": "temp", "u": "Cel", "v": 3}]).encode(),
        0,
        "before 2015",
    ),
    ("truck-01", record(n="temp", u="Far", v=38), 0, "unit 'Far'"),
    ("truck-01", record(n="radiation", u="Gy", v=1), 0, "unknown metric"),
    ("truck-01", record(n="door", v=1), 0, "needs a boolean"),
    (
        "truck-01",
        json.dumps([{"n": "temp", "u": "Cel", "v": 2, "t": STREAM_START}, "junk"]).encode(),
        1,
        "not a JSON object",
    ),
]


def test_each_malformed_input_lands_in_dead_letters_with_its_reason(
    devices: dict[str, str],
    db: psycopg.Connection,
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    revoke_device(db, "room-cold-1")
    db.commit()
    broker = mosquitto_factory()
    collector = collector_factory(
        clean_database,
        broker.url,
        ingest_max_payload_bytes=str(MAX_PAYLOAD),
        ingest_max_records_per_message=str(MAX_RECORDS),
    )
    publisher = Publisher(broker.url, "test-publisher")
    for device_id, payload, _, _ in MALFORMED:
        publisher.publish_raw(telemetry_topic(device_id), payload)
    # Redelivered or replayed, a refused message is kept once.
    publisher.publish_raw(telemetry_topic("truck-01"), b"{not json")
    publisher.wait_acknowledged()

    assert wait_for_rows(clean_database, len(MALFORMED), table="dead_letters") == len(MALFORMED)
    letters = db.execute(
        "SELECT topic, payload, payload_size, record_index, reason FROM dead_letters"
    ).fetchall()
    for device_id, payload, index, reason in MALFORMED:
        matching = [
            letter
            for letter in letters
            if letter[0] == telemetry_topic(device_id)
            and letter[3] == index
            and reason in letter[4]
            and (index is not None or bytes(letter[1]) == payload[: len(letter[1])])
        ]
        assert len(matching) == 1, (device_id, payload[:60], reason, letters)
    oversized = next(letter for letter in letters if "exceeds" in letter[4])
    assert oversized[2] == MAX_PAYLOAD + 1
    # The good record beside the bad one was stored.
    assert count_rows(clean_database) == 1
    counted = collector.wait_metric("farmtrace_ingest_dead_letters_total", len(MALFORMED) + 1)
    assert counted == len(MALFORMED) + 1
    assert collector.process.poll() is None
    publisher.close()


def test_revoked_device_is_refused_within_seconds(
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

    subprocess.run(
        [
            sys.executable,
            "-m",
            "farmtrace",
            "devices",
            "revoke",
            "truck-01",
            "--database-url",
            clean_database,
        ],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    revoked_at = time.monotonic()
    sent = 1
    while count_rows(clean_database, "dead_letters") == 0:
        assert time.monotonic() - revoked_at < 5.0, "revocation not in effect after 5 s"
        publisher.publish([senml_message("truck-01", sent, 1)])
        sent += 1
        time.sleep(0.2)
    readings_after_refusal = count_rows(clean_database)
    publisher.publish([senml_message("truck-01", sent + 1, 1)])
    assert wait_for_rows(clean_database, sent + 10, table="dead_letters", timeout=1.5) >= 2
    assert count_rows(clean_database) == readings_after_refusal
    publisher.close()
