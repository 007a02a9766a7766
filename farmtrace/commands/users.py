"""`farmtrace users`: people who use the consoles and the API."""

import click

from farmtrace.commands.options import database_option, load_settings
from store.db import connect
from store.errors import UserError
from store.users import ROLES, create_user


@click.group()
def users() -> None:
    """Add users of the consoles and the API."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@database_option
def add_command(name: str, role: str, database_url: str | None) -> None:
    """Create a user; its password and API token are printed once (only hashes are kept)."""
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        try:
            created = create_user(conn, name, role)
        except UserError as error:
            raise click.ClickException(str(error)) from error
    click.echo(f"user: {created.user.username} ({created.user.role})")
    click.echo(f"password: {created.password}")
    click.echo(f"token: {created.token}")
