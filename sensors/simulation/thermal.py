"""First-order heat exchange: the air relaxes towards a mix of set point and outside air."""

import math


def relax(
    temperature: float,
    minutes: float,
    set_point: float,
    cooling_per_min: float,
    outside: float,
    leak_per_min: float,
) -> float:
    """Exact step of dT/dt = c·(set_point − T) + l·(outside − T) over ``minutes``."""
    rate = cooling_per_min + leak_per_min
    if rate <= 0 or minutes <= 0:
        return temperature
    target = (cooling_per_min * set_point + leak_per_min * outside) / rate
    return target + (temperature - target) * math.exp(-rate * minutes)
