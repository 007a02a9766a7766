"""Database fixtures: a server chosen by DSN, the shared local one, or a private cluster.

``FARMTRACE_TEST_DATABASE_URL`` names a server to use (any database on it; the suite creates
its own database there). Without it the suite uses PostgreSQL on 127.0.0.1:5432 when one
answers, and otherwise starts a private cluster. ``FARMTRACE_TEST_TIMESCALE=1`` starts a
private cluster with TimescaleDB preloaded instead.
"""

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from store.db import database_url_on, has_timescaledb
from store.migrations import migrate
from tests.servers import PrivatePostgres, port_open, timescaledb_installed

_SHARED_LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
# Tables whose rows are fixtures of the schema itself, kept between tests.
_KEPT_TABLES = {"schema_migrations"}


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A DSN of a server on which the suite may create databases."""
    wants_timescale = os.environ.get("FARMTRACE_TEST_TIMESCALE") == "1"
    given = os.environ.get("FARMTRACE_TEST_DATABASE_URL")
    if given:
        yield given
    elif not wants_timescale and port_open("127.0.0.1", 5432):
        yield _SHARED_LOCAL_SERVER
    else:
        if wants_timescale and not timescaledb_installed():
            pytest.exit("FARMTRACE_TEST_TIMESCALE=1 but the timescaledb extension is not installed")
        cluster = PrivatePostgres(timescaledb=wants_timescale)
        cluster.start()
        try:
            yield cluster.dsn()
        finally:
            cluster.destroy()


@pytest.fixture(scope="session")
def database_url(postgres_server: str) -> Iterator[str]:
    """A database of this session's own, migrated, dropped at the end."""
    dbname = f"farmtrace_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"'.encode())
    url = database_url_on(postgres_server, dbname)
    migrate(url)
    try:
        yield url
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'.encode())


@pytest.fixture(scope="session")
def timescale(database_url: str) -> bool:
    with psycopg.connect(database_url) as conn:
        return has_timescaledb(conn)


@pytest.fixture
def clean_database(database_url: str) -> str:
    """The session database with every table emptied, for a test that counts rows."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables"
                " WHERE schemaname = 'public'"
            )
            if row[0].removeprefix("public.") not in _KEPT_TABLES
        ]
        conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE".encode())
    return database_url


@pytest.fixture
def db(clean_database: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(clean_database) as conn:
        yield conn


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    """A cluster of the test's own, for tests that stop and start PostgreSQL."""
    cluster = PrivatePostgres(timescaledb=os.environ.get("FARMTRACE_TEST_TIMESCALE") == "1")
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.destroy()
