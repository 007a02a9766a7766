"""A reefer truck's day: pre-cooled at the centre, loading, the drive with its stops and
tunnels, unloading, then parked at the destination with the unit still running."""

import random
from dataclasses import dataclass

from sensors.simulation.fleet import TruckProfile
from sensors.simulation.thermal import relax
from sensors.simulation.weather import ambient_c

LOADING_MIN = 10.0
UNLOADING_MIN = 15.0
# An open cargo door lets outside air in with this time constant (minutes).
DOOR_LEAK_PER_MIN = 1 / 60
# With the compressor dead, a loaded box warms towards outside air over about 1.5 hours.
FAILED_LEAK_PER_MIN = 1 / 90
SENSOR_NOISE_C = 0.05
# A logger's battery loses this much of its charge per hour.
BATTERY_PER_HOUR = 0.4


@dataclass(frozen=True, slots=True)
class TruckState:
    km: float
    door_open: bool
    driving: bool


class TruckModel:
    def __init__(self, profile: TruckProfile, seed: int, origin: float) -> None:
        self.profile = profile
        self.seed = seed
        self.origin = origin
        self.depart = origin + profile.depart_after_min * 60
        self._rng = random.Random(f"{seed}:{profile.device_id}")
        self._temperature = profile.set_point
        self._last: float | None = None
        self._timeline = _timeline(profile, self.depart)

    @property
    def device_id(self) -> str:
        return self.profile.device_id

    def state(self, now: float) -> TruckState:
        for start, end, km_from, km_to, door_open in self._timeline:
            if start <= now < end:
                if km_to == km_from:
                    return TruckState(km_from, door_open, False)
                route = self.profile.route
                km = route.km_after(route.hours_to(km_from) + (now - start) / 3600)
                return TruckState(km, door_open, True)
        if now < self._timeline[0][0]:
            return TruckState(0.0, False, False)
        return TruckState(self.profile.route.km, False, False)

    def connected(self, now: float) -> bool:
        state = self.state(now)
        return not (state.driving and self.profile.route.in_dead_zone(state.km))

    def compressor_running(self, now: float) -> bool:
        fails = self.profile.compressor_fails_after_min
        return fails is None or now < self.depart + fails * 60

    def reading(self, now: float) -> dict[str, float | bool]:
        state = self.state(now)
        outside = ambient_c(self.seed, now)
        if self._last is not None:
            minutes = (now - self._last) / 60
            cooling = 1 / self.profile.pull_down_min if self.compressor_running(now) else 0.0
            leak = (DOOR_LEAK_PER_MIN if state.door_open else 0.0) + (
                0.0 if cooling else FAILED_LEAK_PER_MIN
            )
            self._temperature = relax(
                self._temperature, minutes, self.profile.set_point, cooling, outside, leak
            )
        self._last = now
        lat, lon = self.profile.route.position(state.km)
        hours = max(0.0, (now - self.origin) / 3600)
        return {
            "temp": round(self._temperature + self._rng.gauss(0, SENSOR_NOISE_C), 2),
            "door": state.door_open,
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "batt": round(100 - BATTERY_PER_HOUR * hours, 1),
        }


def _timeline(
    profile: TruckProfile, depart: float
) -> list[tuple[float, float, float, float, bool]]:
    """(start, end, km from, km to, door open) spans from loading to unloading."""
    route = profile.route
    spans = [(depart - LOADING_MIN * 60, depart, 0.0, 0.0, True)]
    clock = depart
    km = 0.0
    for stop_km, stop_min in (*route.stops, (route.km, UNLOADING_MIN)):
        drive_s = (route.hours_to(stop_km) - route.hours_to(km)) * 3600
        spans.append((clock, clock + drive_s, km, stop_km, False))
        clock += drive_s
        spans.append((clock, clock + stop_min * 60, stop_km, stop_km, True))
        clock += stop_min * 60
        km = stop_km
    return spans
