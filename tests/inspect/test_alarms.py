"""Alarms open once, are acknowledged once and close once; silence and webhooks."""

import hashlib
import hmac
import json
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import psycopg
import pytest
from fastapi.testclient import TestClient

from schemas.settings import Settings
from store.devices import add_device
from store.findings import batch_findings
from tests.fix_api import bearer
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    TRUCK_DEVICE,
    add_readings,
    every_minute,
    minutes,
    new_batch,
    seed_district,
)
from watch.rounds import watch_once

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def watcher(clean_database: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(clean_database, autocommit=True) as conn:
        yield conn


@pytest.fixture
def cold_store(db: psycopg.Connection) -> str:
    """A batch of fresh gastrodia (2–5 °C, 30 minutes allowed) in the cold store."""
    seed_district(db)
    return new_batch(db, at=T0 - timedelta(hours=1))


def settings_for(database_url: str, **more: object) -> Settings:
    return Settings(database_url=database_url, secret_key=secrets.token_urlsafe(32), **more)


def alarms(conn: psycopg.Connection, kind: str = "excursion") -> list[tuple]:
    return conn.execute(
        "SELECT device_id, started_at, closed_at IS NOT NULL, acknowledged_at IS NOT NULL"
        " FROM alarms WHERE kind = %s ORDER BY id",
        (kind,),
    ).fetchall()


def open_excursions(client: TestClient, token: str) -> list[dict]:
    answer = client.get("/api/v1/alarms", headers=bearer(token))
    assert answer.status_code == 200
    return [alarm for alarm in answer.json() if alarm["kind"] == "excursion"]


def test_an_excursion_alarm_opens_once_is_acknowledged_once_and_closes_once(
    db: psycopg.Connection,
    watcher: psycopg.Connection,
    cold_store: str,
    client: TestClient,
    staff_token: str,
    inspector_token: str,
) -> None:
    settings = settings_for(db.info.dsn)
    add_readings(db, COLD_DEVICE, every_minute(T0, 20, lambda i: 3.0))
    watch_once(watcher, settings, now=T0 + minutes(20))
    assert alarms(watcher) == []
    warm = every_minute(T0 + minutes(20), 31, lambda i: 8.0 + i / 10)
    add_readings(db, COLD_DEVICE, warm[:29])  # 28 minutes out: not yet
    watch_once(watcher, settings, now=T0 + minutes(49))
    assert alarms(watcher) == []
    add_readings(db, COLD_DEVICE, warm)  # to 30 minutes: still only equal to the allowance
    watch_once(watcher, settings, now=T0 + minutes(51))
    assert alarms(watcher) == []
    add_readings(db, COLD_DEVICE, [(T0 + minutes(51), 9.0)])
    [opened] = [
        c for c in watch_once(watcher, settings, now=T0 + minutes(52)) if c.kind == "excursion"
    ]
    assert opened.event == "opened"
    assert alarms(watcher) == [(COLD_DEVICE, T0 + minutes(20), False, False)]

    add_readings(db, COLD_DEVICE, warm)  # the gateway replays its spool
    add_readings(db, COLD_DEVICE, [(T0 + minutes(52), 9.5)])
    watch_once(watcher, settings, now=T0 + minutes(53))
    assert len(alarms(watcher)) == 1

    [listed] = open_excursions(client, inspector_token)
    assert listed["peak"] == 11.0 and listed["batches"] == [cold_store]
    # The cold-store probe was calibrated on T0's day: due a year later, not overdue then.
    assert listed["calibration_due"] == (T0.date().replace(year=T0.year + 1)).isoformat()
    path = f"/api/v1/alarms/{listed['id']}/acknowledge"
    body = {"comment": "冷库门未关严，已关好 door was ajar, closed"}
    assert client.post(path, json=body, headers=bearer(inspector_token)).status_code == 403
    assert client.post(path, json=body, headers=bearer(staff_token)).status_code == 200
    assert client.post(path, json=body, headers=bearer(staff_token)).status_code == 409

    add_readings(db, COLD_DEVICE, every_minute(T0 + minutes(53), 5, lambda i: 4.0))
    closing = watch_once(watcher, settings, now=T0 + minutes(58))
    assert [c.event for c in closing if c.kind == "excursion"] == ["closed"]
    # Late, out-of-order readings from the warm stretch arrive after the alarm closed.
    late = [(T0 + minutes(20 + i) + timedelta(seconds=30), 12.0) for i in range(31, 0, -1)]
    add_readings(db, COLD_DEVICE, late)
    assert [
        c for c in watch_once(watcher, settings, now=T0 + minutes(59)) if c.kind == "excursion"
    ] == []
    assert alarms(watcher) == [(COLD_DEVICE, T0 + minutes(20), True, True)]
    assert open_excursions(client, inspector_token) == []
    events = watcher.execute(
        "SELECT event FROM alarm_notifications n JOIN alarms a ON a.id = n.alarm_id"
        " WHERE a.kind = 'excursion' ORDER BY n.id"
    ).fetchall()
    assert [e[0] for e in events] == ["opened", "acknowledged", "closed"]


def test_an_excursion_older_than_the_watchers_window_opens_with_its_true_start(
    db: psycopg.Connection,
    watcher: psycopg.Connection,
    cold_store: str,
    staff_client: TestClient,
    staff_token: str,
) -> None:
    """The watcher first sees the store two days into a failure: the alarm starts where the
    batch's finding starts, not at the beginning of the round's look-back window."""
    settings = settings_for(db.info.dsn)
    add_readings(db, COLD_DEVICE, every_minute(T0 - minutes(30), 30, lambda i: 3.0))
    warm = every_minute(T0, 2 * 24 * 60, lambda i: 9.0 + (i == 90) * 4)
    add_readings(db, COLD_DEVICE, warm)
    now = warm[-1][0] + minutes(1)
    watch_once(watcher, settings, now=now)
    assert alarms(watcher) == [(COLD_DEVICE, T0, False, False)]
    [finding] = [f for f in batch_findings(db, cold_store, now=now)[0] if f.kind == "excursion"]
    [listed] = open_excursions(staff_client, staff_token)
    assert datetime.fromisoformat(listed["started_at"]) == finding.start == T0
    assert listed["peak"] == finding.peak == 13.0
    page = staff_client.get("/staff", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "起始 2026-05-06 08:00" in page.text


def test_a_device_that_falls_silent_raises_an_alarm_that_closes_when_it_reports(
    db: psycopg.Connection, watcher: psycopg.Connection, cold_store: str
) -> None:
    settings = settings_for(db.info.dsn)
    add_readings(db, COLD_DEVICE, every_minute(T0, 10, lambda i: 3.0))
    add_readings(db, TRUCK_DEVICE, every_minute(T0, 10, lambda i: 3.0))
    assert watch_once(watcher, settings, now=T0 + minutes(11)) == []
    # Three reporting intervals of silence are allowed; the truck's fourth minute is not.
    add_readings(db, COLD_DEVICE, every_minute(T0 + minutes(10), 4, lambda i: 3.0))
    changes = watch_once(watcher, settings, now=T0 + minutes(13))
    assert [(c.kind, c.device_id, c.event) for c in changes] == [
        ("silence", TRUCK_DEVICE, "opened")
    ]
    assert alarms(watcher, "silence") == [(TRUCK_DEVICE, T0 + minutes(9), False, False)]
    # Old readings flushed late do not end the silence; a fresh one does.
    add_readings(db, TRUCK_DEVICE, [(T0 + minutes(9) + timedelta(seconds=30), 3.0)])
    assert watch_once(watcher, settings, now=T0 + minutes(14)) == []
    add_readings(db, TRUCK_DEVICE, [(T0 + minutes(14), 3.0)])
    changes = watch_once(watcher, settings, now=T0 + minutes(14))
    assert [(c.kind, c.event) for c in changes] == [("silence", "closed")]


def test_one_round_judges_every_device_by_its_own_place_metric_and_band(
    db: psycopg.Connection, watcher: psycopg.Connection, cold_store: str
) -> None:
    """A round's devices are read together: each is still judged on the batches where it
    is, and on the metric their band limits (the truck's walnuts by humidity)."""
    settings = settings_for(db.info.dsn)
    add_device(db, "WH-T1", "probe", "WH-1", T0 - timedelta(days=1), 60)
    db.commit()
    walnuts = new_batch(db, product="WALNUT", location="TRUCK-01", at=T0 - timedelta(hours=1))
    warm = every_minute(T0, 41, lambda i: 7.0)
    add_readings(db, COLD_DEVICE, warm)
    add_readings(db, TRUCK_DEVICE, every_minute(T0, 41, lambda i: 5.0))
    add_readings(db, TRUCK_DEVICE, every_minute(T0, 41, lambda i: 82.0), metric="hum")
    add_readings(db, "WH-T1", every_minute(T0, 41, lambda i: 30.0))  # no batch held there
    changes = watch_once(watcher, settings, now=T0 + minutes(41))
    assert [(c.kind, c.device_id, c.event) for c in changes] == [
        ("excursion", COLD_DEVICE, "opened"),
        ("excursion", TRUCK_DEVICE, "opened"),
    ]
    opened = watcher.execute(
        "SELECT device_id, metric, location, started_at, peak, details->'batches'"
        " FROM alarms WHERE kind = 'excursion' ORDER BY device_id"
    ).fetchall()
    assert opened == [
        (COLD_DEVICE, "temp", "PC-COLD", T0, 7.0, [cold_store]),
        (TRUCK_DEVICE, "hum", "TRUCK-01", T0, 82.0, [walnuts]),
    ]

    add_readings(db, COLD_DEVICE, [(T0 + minutes(41), 3.0)])
    add_readings(db, TRUCK_DEVICE, [(T0 + minutes(41), 90.0)], metric="hum")
    changes = watch_once(watcher, settings, now=T0 + minutes(42))
    assert [(c.device_id, c.event) for c in changes] == [(COLD_DEVICE, "closed")]
    assert watcher.execute(
        "SELECT peak FROM alarms WHERE device_id = %s AND closed_at IS NULL", (TRUCK_DEVICE,)
    ).fetchall() == [(90.0,)], "the open alarm's peak grew"


class _Receiver(BaseHTTPRequestHandler):
    """The alarm receiver's end: records each POST (a real HTTP server on loopback)."""

    received: ClassVar[list[tuple[bytes, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((body, self.headers["X-Farmtrace-Signature"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[bytes, str]]]]:
    received: ClassVar[list[tuple[bytes, str]]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/alarms", received
    finally:
        server.shutdown()
        server.server_close()


def test_alarm_changes_are_posted_to_the_webhook_signed_with_the_secret(
    db: psycopg.Connection,
    watcher: psycopg.Connection,
    cold_store: str,
    receiver: tuple[str, list[tuple[bytes, str]]],
) -> None:
    url, received = receiver
    secret = secrets.token_urlsafe(24)
    settings = settings_for(db.info.dsn, alarm_webhook_url=url, alarm_webhook_secret=secret)
    add_readings(db, COLD_DEVICE, every_minute(T0, 40, lambda i: -1.0))
    watch_once(watcher, settings, now=T0 + minutes(40))
    payloads = [json.loads(body) for body, _ in received]
    assert {(p["event"], p["alarm"]["kind"], p["alarm"]["device_id"]) for p in payloads} == {
        ("opened", "excursion", COLD_DEVICE),
        ("opened", "silence", TRUCK_DEVICE),
    }
    for body, header in received:
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(header, expected)
    # Delivered notifications are not sent again.
    watch_once(watcher, settings, now=T0 + minutes(40))
    assert len(received) == 2


def test_the_watch_command_runs_one_round(
    cold_store: str, clean_database: str, tmp_path: Path
) -> None:
    env = {**os.environ, "FARMTRACE_DATABASE_URL": clean_database}
    heartbeat = tmp_path / "alive"
    done = subprocess.run(
        [sys.executable, "-m", "farmtrace", "watch", "--once", "--heartbeat", str(heartbeat)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert heartbeat.exists()
    with psycopg.connect(clean_database) as conn:
        # Both probes were installed a day before T0 and never reported: both are silent now.
        silent = conn.execute("SELECT device_id FROM alarms WHERE kind = 'silence' ORDER BY 1")
        assert [row[0] for row in silent] == [COLD_DEVICE, TRUCK_DEVICE]


def test_blank_webhook_settings_mean_no_webhook_and_the_secret_falls_back() -> None:
    from watch.webhook import webhook_secret

    settings = Settings(
        secret_key="a-real-random-key-123", alarm_webhook_url="", alarm_webhook_secret=" "
    )
    assert settings.alarm_webhook_url is None
    assert webhook_secret(settings) == "a-real-random-key-123"
