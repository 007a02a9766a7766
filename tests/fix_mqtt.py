"""Broker fixtures: a broker chosen by URL, the shared local one, or a private Mosquitto.

``FARMTRACE_TEST_MQTT_URL`` names a broker to use; without it the suite uses Mosquitto on
127.0.0.1:1883 when one answers, and otherwise starts a private anonymous broker. Tests that
need their own configuration (passwords, ACLs, restarts) use ``mosquitto_factory``.
"""

import os
from collections.abc import Callable, Iterator

import pytest

from tests.servers import PrivateMosquitto, port_open


@pytest.fixture(scope="session")
def mqtt_url() -> Iterator[str]:
    given = os.environ.get("FARMTRACE_TEST_MQTT_URL")
    if given:
        yield given
    elif port_open("127.0.0.1", 1883):
        yield "mqtt://127.0.0.1:1883"
    else:
        broker = PrivateMosquitto()
        broker.start()
        try:
            yield broker.url
        finally:
            broker.destroy()


@pytest.fixture
def mosquitto_factory() -> Iterator[Callable[..., PrivateMosquitto]]:
    """Start private brokers with extra configuration; all are stopped after the test."""
    brokers: list[PrivateMosquitto] = []

    def start(extra_config: str = "", anonymous: bool = True) -> PrivateMosquitto:
        broker = PrivateMosquitto(extra_config, anonymous)
        broker.start()
        brokers.append(broker)
        return broker

    yield start
    for broker in brokers:
        broker.destroy()
