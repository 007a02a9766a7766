"""The collector's validation step and its binary COPY rows, against PostgreSQL itself."""

import json
from datetime import UTC, datetime

import psycopg

from ingest.messages import COPY_SIGNATURE, COPY_TRAILER, Limits, resolve_message
from schemas.senml import base_name, resolve_pack, telemetry_topic

LIMITS = Limits(max_payload_bytes=1 << 20, max_records=1000, dead_letter_payload_cap=1024)
BT = 1_700_000_000.0


def test_binary_rows_hold_the_times_and_values_that_senml_resolution_gives(
    db: psycopg.Connection,
) -> None:
    pack = [
        {"bn": base_name("truck-01"), "bt": BT, "bu": "Cel", "n": "temp", "v": -18.25},
        {"n": "temp", "t": 0.123456, "v": 4.1},
        {"n": "hum", "u": "%RH", "t": 59.999999, "v": 87},
        {"n": "door", "t": 1e-6, "vb": True},
    ]
    resolution = resolve_message(
        telemetry_topic("truck-01"), json.dumps(pack).encode(), {"truck-01"}, BT + 60, LIMITS
    )
    db.execute("CREATE TEMP TABLE copied (LIKE readings)")
    with (
        db.cursor() as cur,
        cur.copy("COPY copied (time, device_id, metric, value) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.write(COPY_SIGNATURE + resolution.copy_rows + COPY_TRAILER)
    stored = db.execute("SELECT time, device_id, metric, value FROM copied").fetchall()

    readings, refused = resolve_pack(pack, "truck-01", BT + 60, 1000)
    assert refused == [] and resolution.dead_letters == []
    assert resolution.rows == 4
    assert sorted(stored) == sorted(
        (r.time.astimezone(UTC), r.device_id, r.metric, r.value) for r in readings
    )
    assert stored[0][0] == datetime.fromtimestamp(BT, UTC)


def test_unknown_device_is_refused_before_its_payload_is_parsed() -> None:
    resolution = resolve_message(
        telemetry_topic("ghost"), b"not even json", {"truck-01"}, BT, LIMITS
    )
    assert resolution.rows == 0
    assert [letter.reason for letter in resolution.dead_letters] == [
        "unknown or revoked device 'ghost'"
    ]
