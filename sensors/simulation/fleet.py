"""The simulated devices: one profile per demo device, by the device ids the demo seeds.

Set points and bands follow the storage notes: fresh vegetables and chilled meat 0–4 °C,
fresh gastrodia 2–5 °C, frozen goods at or below −18 °C, dried goods at most 15 °C and
60 %RH. TRUCK-02 is the compressor-failure scenario: its unit stops 50 minutes after it
leaves, in the 峨边–峨眉山 stretch, and its load warms towards the outside air.
"""

from dataclasses import dataclass

from sensors.simulation.routes import TO_CHENGDU, TO_EMEISHAN, TO_LESHAN, Route


@dataclass(frozen=True, slots=True)
class Band:
    low: float
    high: float

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True)
class TruckProfile:
    device_id: str
    truck: str
    cargo: str
    route: Route
    set_point: float
    band: Band
    depart_after_min: float
    compressor_fails_after_min: float | None = None
    # Frozen units pull down harder than chilled ones.
    pull_down_min: float = 6.0


@dataclass(frozen=True, slots=True)
class RoomProfile:
    device_id: str
    location: str
    kind: str  # "ambient", "controlled", "cold_store", "drying", "warehouse"
    set_point: float
    band: Band
    humidity: bool = False


TRUCKS = (
    TruckProfile(
        "truck-01-logger", "TRUCK-01", "高山蔬菜 highland cabbage", TO_LESHAN, 2.0, Band(0, 4), 20
    ),
    TruckProfile(
        "truck-02-logger",
        "TRUCK-02",
        "鲜天麻 fresh gastrodia",
        TO_CHENGDU,
        3.5,
        Band(2, 5),
        30,
        compressor_fails_after_min=50,
    ),
    TruckProfile(
        "truck-03-logger", "TRUCK-03", "冷鲜肉 chilled pork", TO_EMEISHAN, 2.0, Band(0, 4), 45
    ),
    TruckProfile(
        "truck-04-logger",
        "TRUCK-04",
        "速冻笋 frozen bamboo shoots",
        TO_CHENGDU,
        -22.0,
        Band(-30, -18),
        60,
        pull_down_min=4.0,
    ),
)

ROOMS = (
    RoomProfile("pc-receiving-t1", "PC-RECEIVING", "ambient", 0.0, Band(-5, 40)),
    RoomProfile("pc-washing-t1", "PC-WASHING", "controlled", 15.0, Band(12, 20)),
    RoomProfile("pc-drying-th1", "PC-DRYING", "drying", 50.0, Band(5, 70), humidity=True),
    RoomProfile("pc-packing-t1", "PC-PACKING", "controlled", 16.0, Band(10, 22)),
    # Held for fresh gastrodia (2–5 °C), the narrowest band of what it stores.
    RoomProfile("pc-cold-t1", "PC-COLD", "cold_store", 3.5, Band(2, 5)),
    RoomProfile("pc-cold-t2", "PC-COLD", "cold_store", 3.5, Band(2, 5)),
    # Walnuts in shell want at most 10 °C, cured pork 5–15 °C: a cool store at 8 °C serves both.
    RoomProfile("wh-district-th1", "WH-DISTRICT", "warehouse", 8.0, Band(5, 10), humidity=True),
)

PROFILES: dict[str, TruckProfile | RoomProfile] = {
    profile.device_id: profile for profile in (*TRUCKS, *ROOMS)
}
