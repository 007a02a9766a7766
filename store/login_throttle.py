"""Failed sign-ins counted per account and per client address, in the database so every API
process sees the same count. Only failures cost anything: a good password is never slowed."""

from datetime import timedelta

import psycopg
from psycopg.rows import tuple_row

# Ten tries is more than a person mistyping needs, and far too few to guess a password.
MAX_FAILURES = 10
# The window the failures are counted in; the oldest one leaving it lets the next try in.
FAILURE_WINDOW = timedelta(minutes=15)


def account_key(username: str) -> str:
    return f"account:{username.casefold()}"


def address_key(address: str) -> str:
    return f"address:{address}"


def retry_after_s(conn: psycopg.Connection, keys: list[str]) -> int | None:
    """Seconds until any of ``keys`` may try again, or None when none is throttled."""
    row = conn.cursor(row_factory=tuple_row).execute(
        "SELECT max(ceil(extract(epoch FROM oldest + %(window)s - now())))::int FROM ("
        "  SELECT key, (array_agg(at ORDER BY at DESC))[%(max)s] AS oldest"
        "  FROM login_failures WHERE key = ANY(%(keys)s) AND at > now() - %(window)s"
        "  GROUP BY key HAVING count(*) >= %(max)s) throttled",
        {"keys": keys, "window": FAILURE_WINDOW, "max": MAX_FAILURES},
    ).fetchone()
    return max(1, row[0]) if row and row[0] is not None else None


def record_failure(conn: psycopg.Connection, keys: list[str]) -> None:
    with conn.transaction():
        conn.execute("DELETE FROM login_failures WHERE at < now() - %s", (FAILURE_WINDOW,))
        conn.cursor().executemany(
            "INSERT INTO login_failures (key) VALUES (%s)", [(key,) for key in keys]
        )


def forget_failures(conn: psycopg.Connection, key: str) -> None:
    with conn.transaction():
        conn.execute("DELETE FROM login_failures WHERE key = %s", (key,))
