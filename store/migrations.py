"""Versioned SQL migrations: idempotent, and safe when several processes run them at once.

Files in ``schemas/migrations`` apply in name order, each in its own transaction. Files named
``*.timescale.sql`` apply only where the timescaledb extension can be loaded; they run
statement by statement outside a transaction, because continuous aggregates cannot be created
inside one.
"""

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files

import psycopg

log = logging.getLogger(__name__)

# Any constant shared by every farmtrace process; two `db migrate` runs serialise on it.
MIGRATION_LOCK_KEY = 0x6661726D7472  # "farmtr"
_STATEMENT_END = re.compile(r";\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Migration:
    version: str
    sql: str

    @property
    def needs_timescaledb(self) -> bool:
        return self.version.endswith(".timescale")


def load_migrations() -> list[Migration]:
    folder = files("schemas") / "migrations"
    found = [
        Migration(entry.name.removesuffix(".sql"), entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(found, key=lambda migration: migration.version)


def timescaledb_loadable(conn: psycopg.Connection) -> bool:
    """TimescaleDB can be used only when installed and preloaded by the server."""
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'),"
        " current_setting('shared_preload_libraries') LIKE '%timescaledb%'"
    ).fetchone()
    return bool(row and row[0] and row[1])


def migrate(
    database_url: str, retention_days: int = 730, compress_after_days: int = 7
) -> list[str]:
    """Apply pending migrations; return the versions applied by this call."""
    applied_now: list[str] = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            timescale = timescaledb_loadable(conn)
            for migration in load_migrations():
                if migration.version in done:
                    continue
                if migration.needs_timescaledb and not timescale:
                    continue
                log.info("applying migration", extra={"version": migration.version})
                if migration.needs_timescaledb:
                    _apply_statements(conn, migration)
                else:
                    _apply_transaction(conn, migration)
                applied_now.append(migration.version)
            if timescale:
                apply_timescale_policies(conn, retention_days, compress_after_days)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))
    return applied_now


def _apply_transaction(conn: psycopg.Connection, migration: Migration) -> None:
    with conn.transaction():
        conn.execute(migration.sql.encode())
        conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (migration.version,))


def _apply_statements(conn: psycopg.Connection, migration: Migration) -> None:
    for statement in _STATEMENT_END.split(migration.sql):
        if _strip_comments(statement):
            conn.execute(statement.encode())
    conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (migration.version,))


def _strip_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.strip().startswith("--")).strip()


def apply_timescale_policies(
    conn: psycopg.Connection, retention_days: int, compress_after_days: int
) -> None:
    """Set the retention and compression policies to the configured ages (idempotent)."""
    conn.execute("SELECT remove_retention_policy('readings', if_exists => true)")
    conn.execute(
        "SELECT add_retention_policy('readings', %s::interval)",
        (timedelta(days=retention_days),),
    )
    conn.execute("SELECT remove_compression_policy('readings', if_exists => true)")
    conn.execute(
        "SELECT add_compression_policy('readings', %s::interval)",
        (timedelta(days=compress_after_days),),
    )
