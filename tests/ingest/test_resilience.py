"""Crashes and outages in the middle of a stream: nothing lost, nothing doubled."""

import time
import uuid
from collections.abc import Callable, Iterator

import psycopg
import pytest

from store.devices import add_device
from store.migrations import migrate
from tests.ingest.conftest import (
    DEVICE_IDS,
    CollectorProcess,
    count_rows,
    rounded,
    stored_readings,
    wait_for_rows,
)
from tests.ingest.streams import BackgroundPublish, Publisher, expected_readings, stream
from tests.servers import PrivateMosquitto, PrivatePostgres

pytestmark = pytest.mark.slow

# 3 devices x 600 messages x 10 readings, published over about two seconds.
MESSAGES_PER_DEVICE = 600
READINGS_PER_MESSAGE = 10
PACE_PER_SECOND = 1_000


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)


def safe_count(database_url: str) -> int:
    try:
        return count_rows(database_url)
    except psycopg.OperationalError:
        return -1


def test_collector_killed_mid_stream_then_restarted_stores_every_reading_once(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector = collector_factory(clean_database, broker.url)
    messages = stream(DEVICE_IDS, MESSAGES_PER_DEVICE, READINGS_PER_MESSAGE)
    expected = expected_readings(messages)
    publisher = Publisher(broker.url, "test-publisher")
    publishing = BackgroundPublish(publisher, messages, PACE_PER_SECOND)

    wait_until(lambda: count_rows(clean_database) >= len(expected) // 5)
    collector.kill()  # SIGKILL: no flush, no acknowledgement, no goodbye
    stored_at_kill = count_rows(clean_database)
    assert stored_at_kill < len(expected)
    time.sleep(0.5)
    collector_factory(clean_database, broker.url)
    publishing.join()

    assert wait_for_rows(clean_database, len(expected)) == len(expected)
    assert stored_readings(clean_database) == rounded(expected)
    publisher.close()


@pytest.fixture
def private_database(private_postgres: PrivatePostgres) -> Iterator[str]:
    """A migrated database on a cluster this test may stop, with the fleet registered."""
    with psycopg.connect(private_postgres.dsn(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE farmtrace")
    url = private_postgres.dsn("farmtrace")
    migrate(url)
    with psycopg.connect(url) as conn:
        for device_id in DEVICE_IDS:
            add_device(conn, device_id, "temperature_logger")
    yield url


def test_database_stopped_mid_stream_loses_nothing_and_holds_memory_to_the_window(
    private_postgres: PrivatePostgres,
    private_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    window = 100
    broker = mosquitto_factory()
    collector = collector_factory(private_database, broker.url, ingest_receive_maximum=str(window))
    messages = stream(DEVICE_IDS, MESSAGES_PER_DEVICE, READINGS_PER_MESSAGE)
    expected = expected_readings(messages)
    publisher = Publisher(broker.url, "test-publisher")
    publishing = BackgroundPublish(publisher, messages, PACE_PER_SECOND)

    wait_until(lambda: safe_count(private_database) >= len(expected) // 5)
    private_postgres.stop()
    publishing.join()  # the broker takes the rest of the stream while the database is away
    pending = collector.metric("farmtrace_ingest_pending_messages")
    assert 0 < pending <= window
    time.sleep(1.0)
    assert collector.metric("farmtrace_ingest_pending_messages") == pending
    private_postgres.start()

    assert wait_for_rows(private_database, len(expected)) == len(expected)
    assert stored_readings(private_database) == rounded(expected)
    publisher.close()


def test_broker_restarted_mid_stream_loses_nothing_with_a_plain_subscription(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    collector_factory(clean_database, broker.url)  # a plain subscription, by default
    messages = stream(DEVICE_IDS, MESSAGES_PER_DEVICE, READINGS_PER_MESSAGE)
    expected = expected_readings(messages)
    publisher = Publisher(broker.url, "test-publisher")
    publishing = BackgroundPublish(publisher, messages, PACE_PER_SECOND)

    wait_until(lambda: count_rows(clean_database) >= len(expected) // 5)
    broker.stop()  # SIGTERM: Mosquitto writes its persistence file
    assert count_rows(clean_database) < len(expected)
    broker.start()
    publishing.join()

    assert wait_for_rows(clean_database, len(expected)) == len(expected)
    assert stored_readings(clean_database) == rounded(expected)
    publisher.close()


def test_two_collectors_split_a_stream_and_store_it_once(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    # Shared subscriptions, as on a broker that persists them (EMQX, HiveMQ).
    group = f"test-{uuid.uuid4().hex[:8]}"
    first = collector_factory(clean_database, broker.url, name="a", ingest_share_group=group)
    second = collector_factory(clean_database, broker.url, name="b", ingest_share_group=group)
    messages = stream(DEVICE_IDS, MESSAGES_PER_DEVICE, READINGS_PER_MESSAGE)
    expected = expected_readings(messages)
    publisher = Publisher(broker.url, "test-publisher")
    BackgroundPublish(publisher, messages, PACE_PER_SECOND).join()

    assert wait_for_rows(clean_database, len(expected)) == len(expected)
    assert stored_readings(clean_database) == rounded(expected)
    name = "farmtrace_ingest_rows_written_total"
    first.wait_metric(name, len(expected) - second.wait_metric(name, 1))
    written = [first.metric(name), second.metric(name)]
    assert all(rows > 0 for rows in written)
    assert sum(written) == len(expected)
    publisher.close()


def test_broker_restarted_while_the_collector_is_away_keeps_its_messages(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    """Default settings: the plain persistent subscription outlives a broker restart."""
    broker = mosquitto_factory()
    collector = collector_factory(clean_database, broker.url)
    publisher = Publisher(broker.url, "test-publisher")
    collector.terminate()
    broker.stop()
    broker.start()
    message = stream(DEVICE_IDS[:1], 1, 5)
    publisher.publish(message)
    publisher.wait_acknowledged()
    assert publisher.refused == []  # the broker had a subscriber for it: the session's
    collector_factory(clean_database, broker.url)

    assert wait_for_rows(clean_database, 5, timeout=10) == 5
    publisher.close()


def test_standby_takes_over_the_session_of_a_killed_collector_and_loses_nothing(
    devices: dict[str, str],
    clean_database: str,
    mosquitto_factory: Callable[..., PrivateMosquitto],
    collector_factory: Callable[..., CollectorProcess],
) -> None:
    broker = mosquitto_factory()
    active = collector_factory(clean_database, broker.url, name="a")
    standby = collector_factory(clean_database, broker.url, name="a", ready="standby")
    messages = stream(DEVICE_IDS, MESSAGES_PER_DEVICE, READINGS_PER_MESSAGE)
    expected = expected_readings(messages)
    publisher = Publisher(broker.url, "test-publisher")
    publishing = BackgroundPublish(publisher, messages, PACE_PER_SECOND)

    wait_until(lambda: count_rows(clean_database) >= len(expected) // 5)
    active.kill()  # SIGKILL: the standby must take over its session, queue and all
    standby.wait_ready()
    publishing.join()

    assert wait_for_rows(clean_database, len(expected)) == len(expected)
    assert stored_readings(clean_database) == rounded(expected)
    assert standby.metric("farmtrace_ingest_rows_written_total") > 0
    publisher.close()
