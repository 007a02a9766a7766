"""The `farmtrace` command: one entry point, a group per part of the system."""

import click

from farmtrace.commands.api import api
from farmtrace.commands.broker import broker
from farmtrace.commands.db import db
from farmtrace.commands.dead_letters import dead_letters
from farmtrace.commands.demo import demo
from farmtrace.commands.devices import devices
from farmtrace.commands.grafana import grafana
from farmtrace.commands.ingest import ingest
from farmtrace.commands.labels import labels_group
from farmtrace.commands.logs import configure_logging
from farmtrace.commands.seed import seed
from farmtrace.commands.sensors import sensors
from farmtrace.commands.users import users
from farmtrace.commands.watch import watch


@click.group()
@click.option("--log-level", default="INFO", envvar="FARMTRACE_LOG_LEVEL", show_default=True)
def main(log_level: str) -> None:
    """farmtrace: farm-to-consumer traceability with cold-chain telemetry."""
    configure_logging(log_level.upper())


main.add_command(broker)
main.add_command(db)
main.add_command(dead_letters)
main.add_command(demo)
main.add_command(devices)
main.add_command(labels_group)
main.add_command(ingest)
main.add_command(seed)
main.add_command(users)
main.add_command(api)
main.add_command(sensors)
main.add_command(watch)
main.add_command(grafana)
