"""The roads out of Jinkouhe: 金口河 → 峨边 → 峨眉山 junction → Emeishan, Leshan or Chengdu.

Distances and speeds follow the district notes (峨汉高速 at 80 km/h, 峨边–金口河 22 km with
four tunnels, Chengdu about 2.3 h away). Coordinates are town centres, and the truck moves in
a straight line between them: good enough for a map, not for navigation. Where exactly the
dead zones lie along a leg is approximate; the 大峡谷隧道 (12.1 km, entrance in Jinkouhe) is
placed at the start of every trip out of the district, as the longest signal gap.
"""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    lat: float
    lon: float


JINKOUHE = Place("金口河 (永和镇)", 29.2466, 103.0786)
EBIAN = Place("峨边", 29.2303, 103.2627)
EMEI_JUNCTION = Place("峨眉山南", 29.5340, 103.4370)
EMEISHAN = Place("峨眉山市", 29.6010, 103.4845)
LESHAN = Place("乐山市", 29.5521, 103.7656)
CHENGDU = Place("成都 (双流物流园)", 30.5090, 103.9760)


@dataclass(frozen=True, slots=True)
class Leg:
    start: Place
    end: Place
    km: float
    kmh: float


@dataclass(frozen=True, slots=True)
class DeadZone:
    """A stretch with no mobile signal, in km from the start of the route."""

    name: str
    from_km: float
    to_km: float


@dataclass(frozen=True, slots=True)
class Route:
    name: str
    legs: tuple[Leg, ...]
    dead_zones: tuple[DeadZone, ...]
    # Stops with the cargo door open: (km along the route, minutes open).
    stops: tuple[tuple[float, float], ...] = ()

    @property
    def km(self) -> float:
        return sum(leg.km for leg in self.legs)

    @property
    def hours(self) -> float:
        return sum(leg.km / leg.kmh for leg in self.legs)

    def km_after(self, hours: float) -> float:
        """Distance covered after driving ``hours`` (stops excluded)."""
        covered = 0.0
        for leg in self.legs:
            leg_hours = leg.km / leg.kmh
            if hours <= leg_hours:
                return covered + hours * leg.kmh
            covered += leg.km
            hours -= leg_hours
        return covered

    def hours_to(self, km: float) -> float:
        """Driving time from the start to ``km`` along the route."""
        hours = 0.0
        for leg in self.legs:
            if km <= leg.km:
                return hours + km / leg.kmh
            hours += leg.km / leg.kmh
            km -= leg.km
        return hours

    def position(self, km: float) -> tuple[float, float]:
        for leg in self.legs:
            if km <= leg.km:
                share = km / leg.km
                return (
                    leg.start.lat + share * (leg.end.lat - leg.start.lat),
                    leg.start.lon + share * (leg.end.lon - leg.start.lon),
                )
            km -= leg.km
        last = self.legs[-1].end
        return last.lat, last.lon

    def in_dead_zone(self, km: float) -> bool:
        return any(zone.from_km <= km < zone.to_km for zone in self.dead_zones)


_OUT_OF_JINKOUHE = (
    Leg(JINKOUHE, EBIAN, 22.0, 70.0),
    Leg(EBIAN, EMEI_JUNCTION, 48.0, 80.0),
)
_VALLEY_DEAD_ZONES = (
    DeadZone("大峡谷隧道", 0.5, 12.6),
    DeadZone("峨边–金口河 tunnels", 15.0, 17.5),
    DeadZone("大渡河 gorge", 30.0, 34.0),
)
# A pickup at the 峨边 township collection point on the way out.
_EBIAN_PICKUP = (22.0, 6.0)

TO_LESHAN = Route(
    "金口河 → 乐山",
    (*_OUT_OF_JINKOUHE, Leg(EMEI_JUNCTION, LESHAN, 35.0, 80.0)),
    _VALLEY_DEAD_ZONES,
    (_EBIAN_PICKUP,),
)
TO_EMEISHAN = Route(
    "金口河 → 峨眉山",
    (*_OUT_OF_JINKOUHE, Leg(EMEI_JUNCTION, EMEISHAN, 8.0, 50.0)),
    _VALLEY_DEAD_ZONES,
)
TO_CHENGDU = Route(
    "金口河 → 成都",
    (*_OUT_OF_JINKOUHE, Leg(EMEI_JUNCTION, CHENGDU, 150.0, 100.0)),
    _VALLEY_DEAD_ZONES,
    (_EBIAN_PICKUP,),
)
