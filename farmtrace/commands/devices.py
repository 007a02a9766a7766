"""`farmtrace devices`: the device registry."""

from datetime import datetime

import click

from farmtrace.commands.options import database_option, load_settings
from store.db import connect
from store.devices import add_device, list_devices, revoke_device
from store.errors import DeviceError


@click.group()
def devices() -> None:
    """Register, list and revoke devices."""


@devices.command("add")
@click.argument("device_id")
@click.option("--kind", default="temperature_logger", show_default=True)
@click.option("--location", help="Code of the location the device is installed at.")
@click.option("--installed-from", type=click.DateTime(), help="Start of the installation.")
@click.option(
    "--reporting-interval",
    type=int,
    default=60,
    show_default=True,
    help="Seconds between the device's reports.",
)
@database_option
def add_command(
    device_id: str,
    kind: str,
    location: str | None,
    installed_from: datetime | None,
    reporting_interval: int,
    database_url: str | None,
) -> None:
    """Register a device; its MQTT password is printed once."""
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        try:
            password = add_device(
                conn, device_id, kind, location, installed_from, reporting_interval
            )
        except DeviceError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"device: {device_id}")
    click.echo(f"password: {password}")


@devices.command("list")
@click.option("--active", is_flag=True, help="Leave out revoked devices.")
@database_option
def list_command(active: bool, database_url: str | None) -> None:
    """List registered devices."""
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        rows = list_devices(conn, include_revoked=not active)
    for row in rows:
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        due = (
            f"calibration due {row.calibration_due}" if row.calibration_due else "never calibrated"
        )
        click.echo(f"{row.device_id}\t{row.kind}\t{row.location or '-'}\t{state}\t{due}")


@devices.command("revoke")
@click.argument("device_id")
@database_option
def revoke_command(device_id: str, database_url: str | None) -> None:
    """Revoke a device: the collector refuses its messages from now on."""
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        try:
            revoke_device(conn, device_id)
        except DeviceError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"revoked: {device_id}")
