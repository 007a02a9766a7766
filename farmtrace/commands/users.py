"""`farmtrace users`: people who use the consoles and the API."""

from collections.abc import Callable

import click

from farmtrace.commands.options import database_option, load_settings
from store.db import connect
from store.errors import UserError
from store.user_admin import (
    disable_user,
    enable_user,
    list_users,
    reset_password,
    rotate_token,
)
from store.users import ROLES, create_user


@click.group()
def users() -> None:
    """Users of the consoles and the API: add, list, disable, enable, new secrets."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--location", help="a village agent's service point (location code)")
@database_option
def add_command(name: str, role: str, location: str | None, database_url: str | None) -> None:
    """Create a user; its password and API token are printed once (only hashes are kept)."""
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        try:
            created = create_user(conn, name, role, location=location)
        except UserError as error:
            raise click.ClickException(str(error)) from error
    where = f" at {created.user.location}" if created.user.location else ""
    click.echo(f"user: {created.user.username} ({created.user.role}{where})")
    click.echo(f"password: {created.password}")
    click.echo(f"token: {created.token}")


@users.command("list")
@database_option
def list_command(database_url: str | None) -> None:
    """Every user with its role and whether it is disabled."""
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        for user in list_users(conn):
            state = f"disabled {user.disabled_at:%Y-%m-%d %H:%M}" if user.disabled_at else "active"
            role = f"{user.role} at {user.location}" if user.location else user.role
            click.echo(f"{user.username}\t{role}\t{state}")


def _change(name: str, database_url: str | None, change: Callable[..., str | None]) -> str | None:
    settings = load_settings(database_url=database_url)
    with connect(settings.database_url) as conn:
        try:
            return change(conn, name)
        except UserError as error:
            raise click.ClickException(str(error)) from error


@users.command("disable")
@click.argument("name")
@database_option
def disable_command(name: str, database_url: str | None) -> None:
    """Refuse the user's password and token from now on, and end its console sessions."""
    _change(name, database_url, disable_user)
    click.echo(f"user {name} disabled")


@users.command("enable")
@click.argument("name")
@database_option
def enable_command(name: str, database_url: str | None) -> None:
    """Let a disabled user sign in again (with its existing password and token)."""
    _change(name, database_url, enable_user)
    click.echo(f"user {name} enabled")


@users.command("reset-password")
@click.argument("name")
@database_option
def reset_password_command(name: str, database_url: str | None) -> None:
    """Set a new random password, printed once; the user's console sessions end."""
    click.echo(f"password: {_change(name, database_url, reset_password)}")


@users.command("rotate-token")
@click.argument("name")
@database_option
def rotate_token_command(name: str, database_url: str | None) -> None:
    """Issue a new API token, printed once; the old one is refused from now on."""
    click.echo(f"token: {_change(name, database_url, rotate_token)}")
