"""Outside air in the Dadu river valley: a seasonal mean, a daily swing, a seeded daily offset."""

import math
import random
from datetime import UTC, datetime

from schemas.district_time import DISTRICT_UTC_OFFSET

# Jinkouhe's valley floor: about 8 °C in January, 26 °C in July (invented from regional norms).
SEASON_MEAN_C = 17.0
SEASON_SWING_C = 9.0
DAY_SWING_C = 4.0


def ambient_c(seed: int, when: float) -> float:
    # The daily swing follows the local sun.
    local = datetime.fromtimestamp(when, UTC).astimezone(DISTRICT_UTC_OFFSET)
    day_of_year = local.timetuple().tm_yday
    season = SEASON_MEAN_C - SEASON_SWING_C * math.cos(2 * math.pi * (day_of_year - 15) / 365)
    hour = local.hour + local.minute / 60
    # Coldest just before dawn, warmest mid-afternoon.
    day = DAY_SWING_C * math.sin(2 * math.pi * (hour - 9) / 24)
    return season + day + _day_offset(seed, local.date().toordinal())


def _day_offset(seed: int, day: int) -> float:
    return random.Random(f"{seed}:weather:{day}").uniform(-1.5, 1.5)
