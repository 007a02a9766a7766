"""The agent killed with SIGKILL while messages await their PUBACK, then restarted: no
reading is lost, and only what the broker never acknowledged is sent again."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from tests.sensors.agents import counter_csv, replay_source, temp_for_row, write_config
from tests.sensors.mqtt_tools import DelayingProxy, Subscriber
from tests.servers import PrivateMosquitto

REPO = Path(__file__).resolve().parents[2]
ROWS = 3000
KILLS = 6
WINDOW = 4
PER_MESSAGE = 20
# Broker replies (PUBACKs among them) reach the agent this late: at any moment several
# messages are with the broker but not yet acknowledged to the agent.
ACK_DELAY_S = 0.15


def _start_agent(config: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "farmtrace", "sensors", "agent", "--config", str(config)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_agent_killed_before_pubacks_loses_nothing_and_resends_only_unacknowledged(
    tmp_path: Path, mosquitto_factory: Callable[..., PrivateMosquitto]
) -> None:
    broker = mosquitto_factory()
    proxy = DelayingProxy(broker.port, ACK_DELAY_S)
    subscriber = Subscriber(broker.url)
    first_time = time.time() - 2 * ROWS
    csv_path = counter_csv(tmp_path / "export.csv", ROWS, with_time=True, start=first_time)
    config = write_config(
        tmp_path,
        "killed-1",
        proxy.url,
        replay_source(csv_path, rows_per_sample=30),
        inflight_window=WINDOW,
        spool_max_records_per_message=PER_MESSAGE,
    )
    moments = random.Random(6)
    try:
        for _ in range(KILLS):
            agent = _start_agent(config)
            before = len(subscriber.readings("killed-1"))
            assert subscriber.wait_for(
                lambda before=before: len(subscriber.readings("killed-1")) >= before + 40, 20
            )
            time.sleep(moments.uniform(0.0, 0.3))
            os.kill(agent.pid, signal.SIGKILL)
            agent.wait()
        agent = _start_agent(config)
        assert subscriber.wait_for(
            lambda: len({value for _, _, value in subscriber.readings("killed-1")}) >= ROWS, 60
        )
        agent.send_signal(signal.SIGTERM)
        assert agent.wait(timeout=10) == 0
    finally:
        if agent.poll() is None:
            agent.kill()
        proxy.close()
        subscriber.close()

    readings = subscriber.readings("killed-1")
    expected = {(round(first_time + row, 3), temp_for_row(row)) for row in range(ROWS)}
    assert {(round(when, 3), value) for when, _, value in readings} == expected
    repeats = sum(count - 1 for count in Counter(readings).values())
    # Some kills landed between publish and PUBACK (those records were sent again) …
    assert repeats > 0
    # … and nothing beyond the unacknowledged window was repeated.
    assert repeats <= KILLS * WINDOW * PER_MESSAGE
    with sqlite3.connect(tmp_path / "killed-1.spool.db") as spool:
        assert spool.execute("SELECT count(*) FROM records").fetchone()[0] == 0
