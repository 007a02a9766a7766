"""Poison from a registered device: the collector refuses it, stays up, stores the rest once."""

import json
import time
from collections.abc import Callable, Iterator

import psycopg
import pytest

from schemas.senml import base_name, telemetry_topic
from tests.ingest.conftest import (
    CollectorProcess,
    count_rows,
    rounded,
    stored_readings,
    wait_for_rows,
)
from tests.ingest.streams import STREAM_START, Publisher, expected_readings, senml_message
from tests.servers import PrivateMosquitto

BN = base_name("truck-01")
# Each kind once stopped the writer thread, and with it the collector.
POISON: dict[str, bytes] = {
    "nested a thousand levels": b"[" * 1000 + b"]" * 1000,
    "integer too large for a float in v": json.dumps(
        [{"bn": BN, "bt": STREAM_START, "n": "temp", "u": "Cel", "v": 10**400}]
    ).encode(),
    "integer too large in t": json.dumps(
        [{"n": "temp", "u": "Cel", "v": 1, "t": 10**400}]
    ).encode(),
    "integer too large in bt": json.dumps(
        [{"bt": 10**400, "n": "temp", "u": "Cel", "v": 1}]
    ).encode(),
    "integer of 5,000 digits": b'[{"n": "temp", "u": "Cel", "v": ' + b"7" * 5000 + b"}]",
    "lone surrogate in a name": b'[{"n": "\\ud800", "u": "Cel", "v": 1}]',
    "lone surrogate in a unit": b'[{"n": "temp", "u": "\\udfff", "v": 1}]',
    "NUL in a name": b'[{"n": "te\\u0000mp", "u": "Cel", "v": 1}]',
    "metric name of 300 kB": json.dumps([{"n": "x" * 300_000, "u": "Cel", "v": 1}]).encode(),
}


def test_each_poison_kind_is_a_dead_letter_and_good_readings_behind_it_are_stored_once(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector = collector_factory(clean_database, broker.url)
    publisher = Publisher(broker.url, "test-publisher")
    good = []
    for index, payload in enumerate(POISON.values()):
        publisher.publish_raw(telemetry_topic("truck-01"), payload)
        message = senml_message("truck-02", index * 10, 10)
        publisher.publish([message])
        good.append(message)
    # A retained poison message meets every collector that subscribes later.
    publisher.publish_raw(
        telemetry_topic("truck-01"), POISON["integer of 5,000 digits"], retain=True
    )
    publisher.wait_acknowledged()
    expected = expected_readings(good)

    assert wait_for_rows(clean_database, len(expected)) == len(expected)
    assert stored_readings(clean_database) == rounded(expected)
    assert wait_for_rows(clean_database, len(POISON), "dead_letters") == len(POISON)
    with psycopg.connect(clean_database) as conn:
        reasons = [row[0] for row in conn.execute("SELECT reason FROM dead_letters")]
    assert all(reason.isascii() and len(reason) <= 500 for reason in reasons), reasons
    assert collector.process.poll() is None

    # A fresh session on a plain subscription receives the retained message first.
    collector.terminate()
    fresh = collector_factory(clean_database, broker.url, ingest_share_group="", name="b")
    publisher.publish([senml_message("truck-01", 500, 3)])
    publisher.wait_acknowledged()
    assert wait_for_rows(clean_database, len(expected) + 3) == len(expected) + 3
    assert fresh.process.poll() is None
    with psycopg.connect(clean_database) as conn:
        counted = conn.execute("SELECT max(arrivals) FROM dead_letters").fetchone()
    # The 5,000 digits came plainly, then retained, then retained again to the new session.
    assert counted == (3,)
    publisher.publish_raw(telemetry_topic("truck-01"), b"", retain=True)  # clear the retained
    publisher.close()


@pytest.fixture
def poison_constraint(clean_database: str) -> Iterator[None]:
    """A rule the database enforces and the collector does not know: value 13 is refused."""
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute("ALTER TABLE readings ADD CONSTRAINT no_13 CHECK (value <> 13) NOT VALID")
    yield
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute("ALTER TABLE readings DROP CONSTRAINT no_13")


def test_a_message_the_database_refuses_is_a_dead_letter_and_its_batch_is_stored(
    devices: dict[str, str],
    clean_database: str,
    poison_constraint: None,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    # A long flush interval puts the refused message in one batch with the good ones.
    collector = collector_factory(clean_database, broker.url, ingest_flush_interval_s="1")
    publisher = Publisher(broker.url, "test-publisher")
    good = [senml_message("truck-02", 0, 5), senml_message("room-cold-1", 0, 5)]
    refused = json.dumps([{"bn": BN, "bt": STREAM_START, "n": "temp", "u": "Cel", "v": 13}])
    publisher.publish(good[:1])
    publisher.publish_raw(telemetry_topic("truck-01"), refused.encode())
    publisher.publish(good[1:])
    publisher.wait_acknowledged()

    assert wait_for_rows(clean_database, 10) == 10
    assert stored_readings(clean_database) == rounded(expected_readings(good))
    assert wait_for_rows(clean_database, 1, "dead_letters") == 1
    with psycopg.connect(clean_database) as conn:
        row = conn.execute("SELECT reason FROM dead_letters").fetchone()
    assert row is not None and row[0].startswith("the database refused it: CheckViolation")
    assert collector.process.poll() is None
    publisher.close()


@pytest.fixture
def session_killer(clean_database: str) -> Iterator[None]:
    """Storing value 13 ends the storing session: a message no retry gets through."""
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute(
            "CREATE FUNCTION end_session_on_13() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN IF NEW.value = 13 THEN PERFORM pg_terminate_backend(pg_backend_pid());"
            " END IF; RETURN NEW; END $$"
        )
        conn.execute(
            "CREATE TRIGGER end_session_on_13 BEFORE INSERT ON readings"
            " FOR EACH ROW EXECUTE FUNCTION end_session_on_13()"
        )
    yield
    with psycopg.connect(clean_database, autocommit=True) as conn:
        conn.execute("DROP TRIGGER end_session_on_13 ON readings")
        conn.execute("DROP FUNCTION end_session_on_13()")


def delivery_attempts(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute("SELECT max(attempts) FROM message_deliveries").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def test_a_message_that_fails_every_delivery_is_parked_and_the_stream_moves_on(
    devices: dict[str, str],
    clean_database: str,
    session_killer: None,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    from ingest.writer import MAX_DELIVERIES

    broker = mosquitto_factory()
    # One message per batch, so the honest one behind it waits only for the poison's turn.
    settings = {"ingest_receive_maximum": "2"}
    collector = collector_factory(clean_database, broker.url, **settings)
    publisher = Publisher(broker.url, "test-publisher")
    poison = json.dumps([{"bn": BN, "bt": STREAM_START, "n": "temp", "u": "Cel", "v": 13}])
    publisher.publish_raw(telemetry_topic("truck-01"), poison.encode())
    honest = senml_message("truck-02", 0, 3)
    publisher.publish([honest])
    # Each collector dies while the database keeps refusing; its successor gets it again.
    for attempt in range(1, MAX_DELIVERIES + 2):
        deadline = time.monotonic() + 20
        while attempt > 1 and delivery_attempts(clean_database) < attempt - 1:
            assert time.monotonic() < deadline, "redelivery not counted"
            time.sleep(0.05)
        time.sleep(0.3)
        collector.kill()
        assert count_rows(clean_database) == 0
        collector = collector_factory(clean_database, broker.url, **settings)

    assert wait_for_rows(clean_database, 3) == 3
    assert stored_readings(clean_database) == rounded(set(honest.readings))
    with psycopg.connect(clean_database) as conn:
        letters = conn.execute("SELECT reason FROM dead_letters").fetchall()
        left = conn.execute("SELECT count(*) FROM message_deliveries").fetchone()
    assert [row[0] for row in letters] == [
        f"redelivered {MAX_DELIVERIES + 1} times without being stored; parked"
    ]
    assert left == (0,)
    assert collector.process.poll() is None
    publisher.close()
