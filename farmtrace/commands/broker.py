"""`farmtrace broker config`: Mosquitto's password file and ACL from the device registry."""

import os
from pathlib import Path

import click

from farmtrace.commands.options import database_option, load_settings, mqtt_option
from farmtrace.provision.broker_files import (
    ACL_FILE,
    CONFIG_FILE,
    PASSWORD_FILE,
    BrokerUser,
    acl_file,
    collector_user,
    config_snippet,
    password_file,
)
from store.db import connect
from store.devices import list_devices


@click.group()
def broker() -> None:
    """The MQTT broker's security configuration."""


@broker.command("config")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write passwd, acl and farmtrace.conf into.",
)
@click.option(
    "--broker-dir",
    type=click.Path(path_type=Path),
    help="Where the broker sees that folder (a container mount); defaults to --out.",
)
@database_option
@mqtt_option
def config_command(
    out_dir: Path, broker_dir: Path | None, database_url: str | None, mqtt_url: str | None
) -> None:
    """Write passwd, acl and farmtrace.conf; revoked devices are left out.

    The collector's user and password are those of --mqtt-url / FARMTRACE_MQTT_URL.
    """
    settings = load_settings(database_url=database_url, mqtt_url=mqtt_url)
    with connect(settings.database_url) as conn:
        rows = list_devices(conn, include_revoked=False)
    address = settings.mqtt
    try:
        collector = collector_user(address.username, address.password)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    if collector is not None and any(row.device_id == collector.username for row in rows):
        raise click.ClickException(f"collector user {collector.username!r} is also a device id")
    devices = [BrokerUser(row.device_id, row.mqtt_password_hash) for row in rows]
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_private(out_dir / PASSWORD_FILE, password_file(devices, collector))
    _write_private(out_dir / ACL_FILE, acl_file([row.device_id for row in rows], address.username))
    snippet = config_snippet((broker_dir or out_dir).absolute(), settings.ingest_max_payload_bytes)
    _write_private(out_dir / CONFIG_FILE, snippet)
    click.echo(f"wrote {PASSWORD_FILE}, {ACL_FILE}, {CONFIG_FILE} for {len(devices)} devices")
    if collector is None:
        click.echo("warning: the MQTT URL names no user; the collector will be refused", err=True)


def _write_private(path: Path, text: str) -> None:
    """Hashes are secrets too: readable by the owner (the broker's user) only."""
    path.touch(mode=0o600, exist_ok=True)
    os.chmod(path, 0o600)
    path.write_text(text)
