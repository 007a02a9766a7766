"""One model per simulated device, chosen by its profile."""

from typing import Protocol

from sensors.simulation.fleet import PROFILES, TruckProfile
from sensors.simulation.rooms import RoomModel
from sensors.simulation.trucks import TruckModel


class DeviceModel(Protocol):
    @property
    def device_id(self) -> str: ...

    def reading(self, now: float) -> dict[str, float | bool]: ...

    def connected(self, now: float) -> bool: ...


def build_model(device_id: str, seed: int, origin: float) -> DeviceModel:
    profile = PROFILES.get(device_id)
    if profile is None:
        raise KeyError(f"no simulation profile for device {device_id!r}")
    if isinstance(profile, TruckProfile):
        return TruckModel(profile, seed, origin)
    return RoomModel(profile, seed, origin)
