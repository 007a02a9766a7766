"""`farmtrace demo`: the whole system on embedded defaults, for a first look."""

import logging
import signal
from pathlib import Path
from types import FrameType

import click

from farmtrace.demo.home import DEFAULT_HOME, DemoHome
from farmtrace.demo.stack import DemoStack


@click.command()
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_HOME,
    envvar="FARMTRACE_DEMO_HOME",
    show_default=True,
    help="Where the demo keeps its data.",
)
@click.option("--reset", is_flag=True, help="Start afresh: delete the demo's data first.")
@click.option("--port", type=int, default=8000, show_default=True, help="Web application port.")
@click.option("--database-url", help="Use this database instead of starting one.")
@click.option(
    "--mqtt-url",
    help="Use this broker instead of starting one (it must accept the demo's device credentials).",
)
@click.option(
    "--postgres",
    "postgres_from",
    type=click.Choice(["auto", "machine", "pip"]),
    default="auto",
    show_default=True,
    help="Run the machine's PostgreSQL, or the one pip installed with the demo extra; auto "
    "prefers the machine's.",
)
@click.option(
    "--broker",
    "broker_from",
    type=click.Choice(["auto", "mosquitto", "amqtt"]),
    default="auto",
    show_default=True,
    help="Run the machine's Mosquitto, or amqtt (pure Python, MQTT 3.1.1); auto prefers Mosquitto.",
)
@click.option(
    "--public-url",
    help="The origin printed into QR codes, e.g. http://192.168.1.20:8000 for phones on this "
    "network (the web application then listens on every interface).",
)
def demo(
    home: Path,
    reset: bool,
    port: int,
    database_url: str | None,
    mqtt_url: str | None,
    postgres_from: str,
    broker_from: str,
    public_url: str | None,
) -> None:
    """Start everything on embedded defaults; Ctrl-C stops it all."""
    # The progress display speaks for this process; the children log to their own files.
    logging.getLogger().setLevel(logging.WARNING)
    if public_url and not public_url.startswith(("http://", "https://")):
        raise click.BadParameter(
            "give an origin such as http://192.168.1.20:8000", param_hint="--public-url"
        )
    demo_home = DemoHome(home)
    state = demo_home.prepare(reset)
    state.api_port = port
    demo_home.save(state)
    click.echo(f"farmtrace demo — data in {demo_home.root}")
    stack = DemoStack(
        demo_home, state, database_url, mqtt_url, postgres_from, broker_from, public_url
    )
    # Both, explicitly: a shell script starts its background jobs with SIGINT ignored, and
    # Python keeps an inherited "ignore", which would leave Ctrl-C without effect.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        stack.start()
        stack.announce()
        stack.keep_running()
    except KeyboardInterrupt:
        click.echo("\nstopping …")
    finally:
        # A second Ctrl-C must not cut the shutdown short and leave servers running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        click.echo("stopped")


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGINT and SIGTERM stop the demo alike."""
    raise KeyboardInterrupt
