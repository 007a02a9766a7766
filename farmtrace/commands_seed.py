"""`farmtrace seed demo`: the Jinkouhe demo master data."""

from datetime import UTC, datetime
from pathlib import Path

import click

from farmtrace import demo_data
from farmtrace.options import database_option, load_settings
from store.db import connect
from store.devices import add_device
from store.locations import upsert_location

# Demo devices are installed from the start of the demo season so replayed history fits.
DEMO_INSTALLED_FROM = datetime(2026, 1, 1, tzinfo=UTC)


@click.group()
def seed() -> None:
    """Load master data."""


@seed.command("demo")
@click.option(
    "--credentials-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the MQTT passwords of newly added demo devices to this file (mode 600).",
)
@database_option
def demo_command(credentials_out: Path | None, database_url: str | None) -> None:
    """Load the Jinkouhe demo master data (idempotent)."""
    settings = load_settings(database_url=database_url)
    new_credentials: list[tuple[str, str]] = []
    with connect(settings.database_url) as conn:
        with conn.transaction():
            for location in demo_data.LOCATIONS:
                upsert_location(
                    conn,
                    location.code,
                    location.name,
                    location.kind,
                    location.name_en,
                    location.township,
                    location.parent,
                )
        known = {row[0] for row in conn.execute("SELECT device_id FROM devices")}
        for device in demo_data.DEVICES:
            if device.device_id in known:
                continue
            password = add_device(
                conn,
                device.device_id,
                device.kind,
                device.location,
                DEMO_INSTALLED_FROM,
                device.reporting_interval_s,
                DEMO_INSTALLED_FROM.date(),
            )
            new_credentials.append((device.device_id, password))
    if credentials_out is not None and new_credentials:
        credentials_out.touch(mode=0o600, exist_ok=True)
        with credentials_out.open("a", encoding="utf-8") as out:
            out.writelines(f"{device_id} {password}\n" for device_id, password in new_credentials)
    click.echo(f"seeded {len(demo_data.LOCATIONS)} locations, {len(new_credentials)} new devices")
