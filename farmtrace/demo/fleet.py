"""The demo's simulated fleet: two runs (the centre's rooms, the trucks) and the history their
gateways hand over when they connect.

Nothing listened while the demo was not running, but real gateways keep sampling into their
spools and deliver the backlog when they reach the broker again. The demo does the same: before
its fleet starts, each device's spool receives the readings the device would have taken since
its last stored one (on a first run: since its run's origin), so neither the demo's first days
nor the minutes it was stopped become gaps in the record. The simulated models are replayed
from their origin, so the story (a truck whose compressor failed stays warm) carries on.
"""

from datetime import datetime, timedelta
from pathlib import Path

from farmtrace.demo import data as demo_data
from sensors.config import DEFAULT_SPOOL_MAX_RECORDS
from sensors.sources.simulated import SimulatedSource
from sensors.spool import Spool

# One sample a minute, as the demo's devices are registered (GB 29753 asks for at most ten).
FLEET_INTERVAL = timedelta(seconds=60)
# The demo's TRUCK-02 leaves with fresh gastrodia on day 1 at 07:00; the simulated truck
# departs half an hour after its run's origin, and its compressor fails 50 minutes later.
TRUCK_RUN_STARTS_AFTER = timedelta(days=1, hours=6, minutes=30)
# Seconds the live runs' clocks may run fast to catch up with the present after their start.
CATCH_UP_SPEEDUP = 2.0


def fleet_groups() -> dict[str, list[str]]:
    """The demo devices split into the processing centre's rooms and the trucks."""
    groups: dict[str, list[str]] = {"rooms": [], "trucks": []}
    for device in demo_data.DEVICES:
        groups["trucks" if device.kind == "reefer_logger" else "rooms"].append(device.device_id)
    return groups


def run_origins(anchor: datetime) -> dict[str, datetime]:
    """Where each run's simulated schedules start, so the trucks meet the demo batches."""
    return {"rooms": anchor, "trucks": anchor + TRUCK_RUN_STARTS_AFTER}


def live_start(now: datetime) -> datetime:
    """The first live tick: the current minute, on the same grid as the origins."""
    return now.replace(second=0, microsecond=0)


def spool_path(spool_root: Path, group: str, device_id: str) -> Path:
    """Where a device's gateway keeps its spool (``sensors.simulation.run``'s layout)."""
    return spool_root / group / f"{device_id}.spool.db"


def spool_missed_readings(
    spool_root: Path, anchor: datetime, until: datetime, stored: dict[str, datetime]
) -> dict[str, datetime]:
    """Spool each device's readings after its last stored one up to (not including) ``until``;
    returns the last tick spooled per device (devices already up to date are left out)."""
    origins = run_origins(anchor)
    step = FLEET_INTERVAL.total_seconds()
    spooled: dict[str, datetime] = {}
    for group, devices in fleet_groups().items():
        origin = origins[group]
        for device_id in devices:
            last = stored.get(device_id)
            first = origin if last is None or last < origin else last + FLEET_INTERVAL
            if first >= until:
                continue
            source = SimulatedSource(device_id, 0, origin.timestamp())
            source.advance_to(first.timestamp(), step)
            moments = []
            moment = first.timestamp()
            while moment < until.timestamp():
                moments.append(moment)
                moment += step
            spool = Spool(spool_path(spool_root, group, device_id), DEFAULT_SPOOL_MAX_RECORDS)
            try:
                spool.append(sample for moment in moments for sample in source.read(moment))
            finally:
                spool.close()
            spooled[device_id] = datetime.fromtimestamp(moments[-1], first.tzinfo)
    return spooled
