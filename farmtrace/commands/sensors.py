"""`farmtrace sensors`: the gateway agent and the simulated fleet."""

import json
import signal
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from types import FrameType

import click

from farmtrace.commands.options import load_settings, mqtt_option
from farmtrace.demo import data as demo_data
from farmtrace.demo.credentials import read_credentials
from sensors.agent import GatewayAgent, run_agent
from sensors.config import ConfigError, load_config
from sensors.simulation.fleet import PROFILES
from sensors.simulation.run import FleetRun, run_fleet
from sensors.sources import SourceError, build_source


@click.group()
def sensors() -> None:
    """Gateway agent and simulated fleet."""


def _stop_on_signals() -> threading.Event:
    """SIGTERM and SIGINT end the loop cleanly: the offline status is sent on the way out."""
    stop = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    return stop


@sensors.command("agent")
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The gateway's TOML configuration.",
)
def agent_command(config_path: Path) -> None:
    """Run a gateway agent: sample, spool, publish, delete on acknowledgement."""
    try:
        config = load_config(config_path)
        sources = [build_source(spec, config.device_id) for spec in config.sources]
    except (ConfigError, SourceError, KeyError) as error:
        raise click.ClickException(str(error)) from error
    run_agent(GatewayAgent(config, sources), _stop_on_signals())


def demo_device_ids() -> list[str]:
    """The seeded demo devices, each of which has a simulation profile."""
    return [device.device_id for device in demo_data.DEVICES if device.device_id in PROFILES]


@sensors.command("simulate")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same readings.")
@click.option(
    "--speedup", type=float, default=1.0, show_default=True, help="Simulated seconds per second."
)
@click.option("--duration", type=float, help="Simulated seconds to run (default: until stopped).")
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"]),
    help="Simulated start time (with offset); default: --duration before now, so the run ends "
    "at about the present.",
)
@click.option(
    "--origin",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z"]),
    help="Origin of the simulated schedules (with offset), to carry on an earlier run's "
    "story; default: the start time.",
)
@click.option("--interval", type=float, default=60.0, show_default=True, help="Seconds per sample.")
@click.option("--device", "devices", multiple=True, help="Simulate only these device ids.")
@click.option(
    "--credentials",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="`device_id password` lines; without it devices connect anonymously.",
)
@click.option(
    "--spool-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the devices' spools live (default: a new temporary folder).",
)
@click.option("--ca-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@mqtt_option
def simulate_command(
    seed: int,
    speedup: float,
    duration: float | None,
    start: datetime | None,
    origin: datetime | None,
    interval: float,
    devices: tuple[str, ...],
    credentials: Path | None,
    spool_dir: Path | None,
    ca_file: Path | None,
    mqtt_url: str | None,
) -> None:
    """Run the simulated Jinkouhe fleet (trucks and processing-centre rooms)."""
    settings = load_settings(mqtt_url=mqtt_url)
    known = demo_device_ids()
    unknown = [device for device in devices if device not in known]
    if unknown:
        raise click.BadParameter(f"not a simulated demo device: {', '.join(unknown)}")
    for name, given in (("--start", start), ("--origin", origin)):
        if given is not None and given.tzinfo is None:
            raise click.BadParameter(f"{name} needs a UTC offset, e.g. 2026-11-20T06:00:00+08:00")
    start_time = start.timestamp() if start is not None else time.time() - (duration or 0.0)
    run = FleetRun(
        broker=settings.mqtt,
        spool_dir=spool_dir or Path(tempfile.mkdtemp(prefix="farmtrace-sim-")),
        device_ids=list(devices) or known,
        start=start_time,
        seed=seed,
        speedup=speedup,
        duration_s=duration,
        interval_s=interval,
        credentials=read_credentials(credentials) if credentials else {},
        ca_file=ca_file,
        origin=origin.timestamp() if origin is not None else None,
    )
    try:
        summaries = run_fleet(run, _stop_on_signals())
    except KeyError as error:
        raise click.ClickException(str(error.args[0])) from error
    for summary in summaries:
        click.echo(
            json.dumps(
                {
                    "device_id": summary.device_id,
                    "sampled": summary.sampled,
                    "delivered": summary.delivered,
                    "left_in_spool": summary.left_in_spool,
                }
            )
        )
