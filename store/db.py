"""Connections and pools; a pool is opened by whoever runs (lifespan, command), not at import."""

from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from store.lenient_dates import load_dates_leniently


def connect(database_url: str, autocommit: bool = False) -> psycopg.Connection:
    conn = psycopg.connect(database_url, autocommit=autocommit)
    load_dates_leniently(conn)
    return conn


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


def has_timescaledb(conn: psycopg.Connection) -> bool:
    """Whether the timescaledb extension is installed in this database."""
    row = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'").fetchone()
    return row is not None


def database_url_on(server_url: str, dbname: str) -> str:
    """The URL of database ``dbname`` on the server that ``server_url`` names."""
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{dbname}"))
