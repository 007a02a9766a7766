"""Options every command shares: the database and broker addresses over the settings."""

from collections.abc import Callable
from typing import Any

import click

from schemas.settings import Settings


def database_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--database-url", envvar="FARMTRACE_DATABASE_URL", help="libpq URL of the database."
    )(command)


def mqtt_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--mqtt-url", envvar="FARMTRACE_MQTT_URL", help="mqtt://user:pass@host:port of the broker."
    )(command)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with the command line's options taking precedence."""
    return Settings(**{key: value for key, value in overrides.items() if value is not None})
