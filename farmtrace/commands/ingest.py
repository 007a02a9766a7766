"""`farmtrace ingest`: run one collector (several may run side by side)."""

import signal
import sys
import threading
from types import FrameType

import click
from prometheus_client import start_http_server

from farmtrace.commands.options import database_option, load_settings, mqtt_option
from ingest.collector import Collector

DEFAULT_METRICS_PORT = 9464


@click.command("ingest")
@click.option(
    "--metrics-port",
    type=int,
    default=DEFAULT_METRICS_PORT,
    show_default=True,
    help="Port of the Prometheus metrics endpoint (0: none).",
)
@click.option("--metrics-host", default="0.0.0.0", show_default=True)  # noqa: S104
@database_option
@mqtt_option
def ingest(
    metrics_port: int, metrics_host: str, database_url: str | None, mqtt_url: str | None
) -> None:
    """Store telemetry from the broker; SIGTERM flushes, acknowledges and exits."""
    settings = load_settings(database_url=database_url, mqtt_url=mqtt_url)
    try:
        collector = Collector(settings)
    except ValueError as refused:
        raise click.ClickException(str(refused)) from refused
    if metrics_port:
        start_http_server(metrics_port, addr=metrics_host)
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    sys.exit(collector.run(stop))
