"""Connections and pools; a pool is opened by whoever runs (lifespan, command), not at import."""

import functools
import weakref
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Concatenate, ParamSpec, TypeVar
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from store.lenient_dates import load_dates_leniently


def connect(database_url: str, autocommit: bool = False) -> psycopg.Connection:
    conn = psycopg.connect(database_url, autocommit=autocommit)
    load_dates_leniently(conn)
    return conn


def plan_each_execution(conn: psycopg.Connection) -> None:
    """Plan every execution of a prepared statement for its own parameters, for the session.

    The watcher runs the same statements per device over ranges from a minute to a year of
    late data, where no one generic plan fits; and a generic plan made while the database
    was young kept reading the whole readings table sequentially once it had grown (the
    province bench on a fresh database: 3 million rows read per round after the burst, and
    rounds seven times slower).
    """
    conn.execute("SET plan_cache_mode = force_custom_plan")


def open_pool(database_url: str, min_size: int = 1, max_size: int = 10) -> ConnectionPool:
    pool = ConnectionPool(
        database_url,
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row},
        configure=load_dates_leniently,
        open=False,
    )
    pool.open(wait=True, timeout=30)
    return pool


def rows(
    conn: psycopg.Connection, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
) -> list[dict[str, Any]]:
    """Rows as dicts whatever the connection's own row factory is."""
    return conn.cursor(row_factory=dict_row).execute(sql, params).fetchall()


def database_now(conn: psycopg.Connection) -> datetime:
    """The database server's clock, which every process of a deployment shares (the
    transaction's start, like every ``now()`` in the same transaction)."""
    now: datetime = rows(conn, "SELECT now() AS now")[0]["now"]
    return now


def ping(conn: psycopg.Connection) -> None:
    """A round trip that fails when the server cannot answer."""
    conn.execute("SELECT 1")


def has_timescaledb(conn: psycopg.Connection) -> bool:
    """Whether the timescaledb extension is installed in this database."""
    row = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'").fetchone()
    return row is not None


def database_url_on(server_url: str, dbname: str) -> str:
    """The URL of database ``dbname`` on the server that ``server_url`` names."""
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{dbname}"))


def create_database_if_missing(server_url: str, dbname: str) -> None:
    """Create database ``dbname`` on the server unless it exists already."""
    with psycopg.connect(server_url, autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            admin.execute(
                psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(dbname))
            )


_P = ParamSpec("_P")
_R = TypeVar("_R")


# Connections whose whole session is lean (``lean_session``): ``lean_settings`` skips them.
_LEAN_SESSIONS: "weakref.WeakSet[psycopg.Connection]" = weakref.WeakSet()


def lean_settings(conn: psycopg.Connection) -> None:
    """Turn JIT and parallel workers off until the current transaction ends.

    Both are chosen from cost estimates that a year of chunks or a long UNION ALL inflates,
    and each only costs reads of many small indexed queries: compiling took 70 ms of a 100 ms
    read, starting two workers 15 ms of a 17 ms one (measured with bench/history.py).
    """
    if conn in _LEAN_SESSIONS:
        return
    conn.execute(
        "SELECT set_config('jit', 'off', true),"
        " set_config('max_parallel_workers_per_gather', '0', true)"
    )


def lean_session(conn: psycopg.Connection) -> None:
    """``lean_settings`` for the whole session, on a connection that runs nothing else (the
    watcher's, a summary worker's): set once, not in every transaction, which cost a
    round trip per read of a page summary's rebuild."""
    conn.execute(
        "SELECT set_config('jit', 'off', false),"
        " set_config('max_parallel_workers_per_gather', '0', false)"
    )
    _LEAN_SESSIONS.add(conn)


def lean_reads(
    read: Callable[Concatenate[psycopg.Connection, _P], _R],
) -> Callable[Concatenate[psycopg.Connection, _P], _R]:
    """Run a read of many small indexed queries under ``lean_settings``, in the caller's
    transaction if there is one (the settings then last until it ends), else in its own."""

    @functools.wraps(read)
    def wrapper(conn: psycopg.Connection, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        if conn.info.transaction_status == TransactionStatus.INTRANS:
            lean_settings(conn)
            return read(conn, *args, **kwargs)
        with conn.transaction():
            lean_settings(conn)
            return read(conn, *args, **kwargs)

    return wrapper
