"""Rooms of the primary processing centre and the district warehouse.

The drying room runs ten-hour batches (as for sliced gastrodia): one hour heating from the
outside air, six hours drying with the air rising from 45 to 55 °C while the humidity falls
from about 85 to 20 %RH, an hour cooling, and two hours unloading and loading.
"""

import math
import random

from sensors.simulation.fleet import RoomProfile
from sensors.simulation.thermal import relax
from sensors.simulation.weather import ambient_c

SENSOR_NOISE_C = 0.05
HUMIDITY_NOISE = 0.5
# Room air follows its controller with this time constant (minutes).
CONTROL_PER_MIN = 1 / 8
# Cold store doors open for a forklift now and then: chance per minute and minutes open.
COLD_DOOR_CHANCE_PER_MIN = 0.03
COLD_DOOR_OPEN_MIN = 3.0
COLD_DOOR_LEAK_PER_MIN = 1 / 45
# The receiving bay is an open shed: a little warmer than outside, slow to follow it.
SHED_LAG_PER_MIN = 1 / 40
SHED_OFFSET_C = 1.5
DRYING_CYCLE_H = 10.0


class RoomModel:
    def __init__(self, profile: RoomProfile, seed: int, origin: float) -> None:
        self.profile = profile
        self.seed = seed
        self.origin = origin
        self._rng = random.Random(f"{seed}:{profile.device_id}")
        self._last: float | None = None
        self._temperature = profile.set_point
        self._humidity = 50.0
        self._door_closes = -math.inf

    @property
    def device_id(self) -> str:
        return self.profile.device_id

    def connected(self, now: float) -> bool:
        return True

    def reading(self, now: float) -> dict[str, float | bool]:
        outside = ambient_c(self.seed, now)
        minutes = 0.0 if self._last is None else (now - self._last) / 60
        if self._last is None and self.profile.kind in {"ambient", "drying"}:
            self._temperature = outside
        self._last = now
        kind = self.profile.kind
        if kind == "drying":
            temperature, humidity = drying_curve((now - self.origin) / 3600, outside)
            self._temperature, self._humidity = temperature, humidity
        elif kind == "ambient":
            self._temperature = relax(
                self._temperature, minutes, 0.0, 0.0, outside + SHED_OFFSET_C, SHED_LAG_PER_MIN
            )
        else:
            leak = self._cold_store_door(now, minutes) if kind == "cold_store" else 0.0
            self._temperature = relax(
                self._temperature, minutes, self.profile.set_point, CONTROL_PER_MIN, outside, leak
            )
            if kind == "warehouse":
                # Dehumidified store: humidity wanders around 50 %RH, pulled back each step.
                self._humidity += 0.2 * (50.0 - self._humidity) + self._rng.gauss(0, 1.0)
        values: dict[str, float | bool] = {
            "temp": round(self._temperature + self._rng.gauss(0, SENSOR_NOISE_C), 2)
        }
        if self.profile.humidity:
            noisy = self._humidity + self._rng.gauss(0, HUMIDITY_NOISE)
            values["hum"] = round(min(100.0, max(0.0, noisy)), 1)
        return values

    def _cold_store_door(self, now: float, minutes: float) -> float:
        """The door leak for this step; draws whether a forklift opens the door."""
        opened = self._rng.random() < 1 - (1 - COLD_DOOR_CHANCE_PER_MIN) ** max(minutes, 0.0)
        if now >= self._door_closes and opened:
            self._door_closes = now + COLD_DOOR_OPEN_MIN * 60
        return COLD_DOOR_LEAK_PER_MIN if now < self._door_closes else 0.0


def drying_curve(hours: float, outside: float) -> tuple[float, float]:
    """Air temperature and humidity ``hours`` into the drying room's batch cycle."""
    phase = hours % DRYING_CYCLE_H
    if phase < 1:  # heating up with a fresh load
        return outside + phase * (45 - outside), 85.0
    if phase < 7:  # drying
        drying = phase - 1
        return 45 + drying * 10 / 6, 20 + 65 * math.exp(-drying / 1.5)
    if phase < 8:  # cooling before unloading
        cooling = phase - 7
        end_humidity = 20 + 65 * math.exp(-6 / 1.5)
        return 55 - cooling * (55 - 30), end_humidity + cooling * 10
    # unloading and loading: doors open, the room near the outside air
    return outside + 5, 60.0
