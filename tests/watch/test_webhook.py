"""Webhook delivery claims, sends with no lock held, and retries with back-off."""

import itertools
import secrets
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest

from schemas.settings import Settings
from store.alarm_notifications import FIRST_RETRY, LONGEST_RETRY, retry_delay
from tests.inspect.cold_chain import T0, minutes, new_batch, seed_district
from watch.rounds import watch_once
from watch.webhook import deliver_notifications


class Receiver:
    """A real HTTP server on loopback that answers each POST with the next planned status,
    and while doing so checks from a connection of its own that no notification is locked."""

    def __init__(self, database_url: str, statuses: list[int]) -> None:
        self.statuses = statuses
        self.locked_while_sending: list[bool] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.locked_while_sending.append(receiver._any_locked(database_url))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alarms"

    @staticmethod
    def _any_locked(database_url: str) -> bool:
        with psycopg.connect(database_url) as conn:
            try:
                conn.execute("SELECT id FROM alarm_notifications FOR UPDATE NOWAIT").fetchall()
            except psycopg.errors.LockNotAvailable:
                return True
            return False


@pytest.fixture
def notifications(clean_database: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to a database owing webhook notifications (silence alarms)."""
    with psycopg.connect(clean_database) as db:
        seed_district(db)
        new_batch(db, at=T0 - timedelta(hours=1))
    with psycopg.connect(clean_database, autocommit=True) as conn:
        watch_once(conn, Settings(database_url=clean_database), now=T0 + minutes(40))
        yield conn


def start(receiver: Receiver) -> threading.Thread:
    thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    thread.start()
    return thread


def settings_for(conn: psycopg.Connection, url: str) -> Settings:
    return Settings(
        database_url=conn.info.dsn,
        alarm_webhook_url=url,
        alarm_webhook_secret=secrets.token_urlsafe(24),
    )


def owed(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT attempts, sent_at IS NOT NULL, last_error IS NOT NULL,"
        " next_attempt_at > now(), claimed_until IS NULL FROM alarm_notifications ORDER BY id"
    ).fetchall()


def test_the_back_off_doubles_from_ten_seconds_to_at_most_an_hour() -> None:
    delays = [retry_delay(attempt) for attempt in range(1, 16)]
    assert delays[0] == FIRST_RETRY == timedelta(seconds=10)
    assert delays[1] == timedelta(seconds=20)
    assert all(b == min(2 * a, LONGEST_RETRY) for a, b in itertools.pairwise(delays))
    assert delays[-1] == LONGEST_RETRY == timedelta(hours=1)


def test_notifications_are_sent_with_no_row_locked(notifications: psycopg.Connection) -> None:
    receiver = Receiver(notifications.info.dsn, [])
    start(receiver)
    try:
        delivered = deliver_notifications(notifications, settings_for(notifications, receiver.url))
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
    assert delivered == 2
    assert receiver.locked_while_sending == [False, False]
    assert owed(notifications) == [(1, True, False, False, True)] * 2


def test_a_failed_delivery_waits_for_its_back_off_then_goes_out(
    notifications: psycopg.Connection,
) -> None:
    receiver = Receiver(notifications.info.dsn, [500, 503])
    start(receiver)
    settings = settings_for(notifications, receiver.url)
    try:
        assert deliver_notifications(notifications, settings) == 0
        # Failed, kept with the error, due again later and no longer claimed.
        assert owed(notifications) == [(1, False, True, True, True)] * 2
        # Not due yet: the next round sends nothing.
        assert deliver_notifications(notifications, settings) == 0
        assert len(receiver.locked_while_sending) == 2
        # Once the back-off has passed, both go out.
        notifications.execute("UPDATE alarm_notifications SET next_attempt_at = now()")
        assert deliver_notifications(notifications, settings) == 2
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
    assert owed(notifications) == [(2, True, True, False, True)] * 2


def test_an_unreachable_receiver_is_retried_and_given_up_after_three_days(
    notifications: psycopg.Connection,
) -> None:
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{closed.server_address[1]}/alarms"
    closed.server_close()  # nothing listens there any more
    settings = settings_for(notifications, url)
    assert deliver_notifications(notifications, settings) == 0
    notifications.execute(
        "UPDATE alarm_notifications SET next_attempt_at = now(),"
        " created_at = now() - interval '3 days 1 minute'"
    )
    assert deliver_notifications(notifications, settings) == 0
    # Too old to retry: left with one attempt and its error for an operator.
    assert owed(notifications) == [(1, False, True, False, True)] * 2


def test_a_claim_its_watcher_never_settled_lapses(notifications: psycopg.Connection) -> None:
    notifications.execute("UPDATE alarm_notifications SET claimed_until = now() + interval '1 h'")
    receiver = Receiver(notifications.info.dsn, [])
    start(receiver)
    settings = settings_for(notifications, receiver.url)
    try:
        assert deliver_notifications(notifications, settings) == 0
        notifications.execute(
            "UPDATE alarm_notifications SET claimed_until = now() - interval '1 second'"
        )
        assert deliver_notifications(notifications, settings) == 2
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
