"""`farmtrace db`: the schema."""

import click

from farmtrace.commands.options import database_option, load_settings
from store.migrations import migrate


@click.group()
def db() -> None:
    """The database schema."""


@db.command("migrate")
@database_option
def migrate_command(database_url: str | None) -> None:
    """Create or upgrade the schema (idempotent; safe when two run at once)."""
    settings = load_settings(database_url=database_url)
    applied = migrate(settings.database_url, settings.retention_days, settings.compress_after_days)
    click.echo(f"applied: {', '.join(applied)}" if applied else "schema is up to date")
