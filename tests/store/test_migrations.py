import threading
import uuid

import psycopg

from store.db import database_url_on
from store.migrations import load_migrations, migrate


def test_migrate_twice_applies_nothing_the_second_time(database_url: str) -> None:
    assert migrate(database_url) == []


def test_two_concurrent_migrations_apply_each_version_once(postgres_server: str) -> None:
    dbname = f"farmtrace_race_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{dbname}"'.encode())
    url = database_url_on(postgres_server, dbname)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(migrate(url))
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        applied = sorted(results, key=len)
        assert applied[0] == []
        assert applied[1] == [m.version for m in load_migrations() if m.version in applied[1]]
        with psycopg.connect(url) as conn:
            count = conn.execute("SELECT count(*) FROM schema_migrations").fetchone()
            assert count is not None and count[0] == len(applied[1])
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'.encode())


def test_rollup_views_answer_with_min_max_avg_count(db: psycopg.Connection) -> None:
    db.execute(
        "INSERT INTO readings VALUES"
        " ('2026-03-01 10:00:10+00', 'd1', 'temp', 2.0),"
        " ('2026-03-01 10:03:00+00', 'd1', 'temp', 4.0),"
        " ('2026-03-01 10:06:00+00', 'd1', 'temp', 9.0)"
    )
    db.commit()
    rows = db.execute(
        "SELECT bucket, min, max, avg, count FROM readings_5m WHERE device_id = 'd1'"
        " ORDER BY bucket"
    ).fetchall()
    assert [(r[1], r[2], r[3], r[4]) for r in rows] == [(2.0, 4.0, 3.0, 2), (9.0, 9.0, 9.0, 1)]
    hourly = db.execute("SELECT min, max, count FROM readings_1h WHERE device_id = 'd1'").fetchall()
    assert hourly == [(2.0, 9.0, 3)]


def test_page_summaries_are_compressed_with_lz4_where_the_server_has_it(
    db: psycopg.Connection,
) -> None:
    built_with_lz4 = db.execute(
        "SELECT EXISTS (SELECT FROM pg_config() WHERE name = 'CONFIGURE' AND setting LIKE"
        " '%with-lz4%')"
    ).fetchone()
    method = db.execute(
        "SELECT attcompression FROM pg_attribute"
        " WHERE attrelid = 'batch_summaries'::regclass AND attname = 'summary'"
    ).fetchone()
    assert built_with_lz4 is not None and method is not None
    assert method[0] == ("l" if built_with_lz4[0] else "")
