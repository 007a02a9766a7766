"""The `farmtrace` command: one entry point, a group per part of the system."""

import click

from farmtrace.commands_api import api
from farmtrace.commands_broker import broker
from farmtrace.commands_db import db
from farmtrace.commands_dead_letters import dead_letters
from farmtrace.commands_demo import demo
from farmtrace.commands_devices import devices
from farmtrace.commands_grafana import grafana
from farmtrace.commands_ingest import ingest
from farmtrace.commands_labels import labels_group
from farmtrace.commands_seed import seed
from farmtrace.commands_sensors import sensors
from farmtrace.commands_users import users
from farmtrace.commands_watch import watch
from farmtrace.logs import configure_logging


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
