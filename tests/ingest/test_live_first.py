"""Live readings are written before a spool's flush received ahead of them: after a tunnel,
a thousand gateways' hours of readings must not hold up the fleet's current ones."""

import time
from collections.abc import Callable

import psycopg

from tests.ingest.conftest import CollectorProcess, wait_for_rows
from tests.ingest.streams import STREAM_START, Publisher, senml_message
from tests.servers import PrivateMosquitto

SPOOLED_MESSAGES = 400
RECORDS_PER_MESSAGE = 1_000


def test_a_live_reading_overtakes_a_flush_of_spooled_ones(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector_factory(clean_database, broker.url)
    # A flush of readings taken from a day ago (ten a second: none in the future), then one
    # reading of another device taken now.
    flush = [
        senml_message("truck-01", n * RECORDS_PER_MESSAGE, RECORDS_PER_MESSAGE, step_s=0.1)
        for n in range(SPOOLED_MESSAGES)
    ]
    live = senml_message("truck-02", int(time.time() - STREAM_START), 1)
    publisher = Publisher(broker.url, "test-publisher")
    publisher.publish([*flush, live])
    publisher.wait_acknowledged()
    expected = SPOOLED_MESSAGES * RECORDS_PER_MESSAGE + 1
    assert wait_for_rows(clean_database, expected) == expected
    publisher.close()

    with psycopg.connect(clean_database) as conn:
        live_arrival = conn.execute(
            "SELECT id FROM reading_arrivals WHERE device_id = 'truck-02'"
        ).fetchone()
        assert live_arrival is not None
        flushed_after = conn.execute(
            "SELECT count(*) FROM reading_arrivals WHERE device_id = 'truck-01' AND id > %s",
            live_arrival,
        ).fetchone()
    # Each batch the writer commits adds one arrival per device in it.
    assert flushed_after is not None
    assert flushed_after[0] >= 1, "the live reading was written after the whole flush"
