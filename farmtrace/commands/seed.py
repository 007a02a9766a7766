"""`farmtrace seed demo`: the Jinkouhe demo master data and a few demo batches."""

from datetime import datetime
from pathlib import Path

import click

from farmtrace.commands.options import database_option, load_settings
from farmtrace.demo import data as demo_data
from farmtrace.demo.credentials import append_credentials
from farmtrace.demo.seed import seed_demo
from store.db import connect


@click.group()
def seed() -> None:
    """Load master data."""


@seed.command("demo")
@click.option(
    "--credentials-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the MQTT passwords of newly added demo devices to this file (mode 600).",
)
@click.option(
    "--batches/--no-batches",
    default=True,
    show_default=True,
    help="Also add the demo batches (only into a database that has no batches yet).",
)
@click.option(
    "--anchor",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z"]),
    help="When the demo batches' first day starts (default: midnight three days ago, local).",
)
@database_option
def demo_command(
    credentials_out: Path | None, batches: bool, anchor: datetime | None, database_url: str | None
) -> None:
    """Load the Jinkouhe demo master data (idempotent)."""
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        seeded = seed_demo(conn, batches, anchor)
    if credentials_out is not None and seeded.new_credentials:
        append_credentials(credentials_out, seeded.new_credentials)
    click.echo(
        f"seeded {len(demo_data.LOCATIONS)} locations, {len(seeded.new_credentials)} new devices,"
        f" {seeded.products} new products, {seeded.producers} new producers,"
        f" {len(seeded.lots)} new batches"
    )
