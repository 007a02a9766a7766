"""Jinkouhe demo master data (see the district facts file kept with the design notes).

Township codes and the villages marked ``real`` come from public administrative data; the
rest of the 22 village service points are invented and marked so (``invented=True``).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLocation:
    code: str
    name: str
    name_en: str
    kind: str
    township: str | None = None
    parent: str | None = None
    invented: bool = False


TOWNSHIPS = [
    DemoLocation(
        "TS-511113100", "永和镇服务站", "Yonghe township station", "township_station", "永和镇"
    ),
    DemoLocation(
        "TS-511113101", "金河镇服务站", "Jinhe township station", "township_station", "金河镇"
    ),
    DemoLocation(
        "TS-511113200",
        "和平彝族乡服务站",
        "Heping Yi township station",
        "township_station",
        "和平彝族乡",
    ),
    DemoLocation(
        "TS-511113201",
        "共安彝族乡服务站",
        "Gong'an Yi township station",
        "township_station",
        "共安彝族乡",
    ),
    DemoLocation(
        "TS-511113202", "吉星乡服务站", "Jixing township station", "township_station", "吉星乡"
    ),
    DemoLocation(
        "TS-511113203", "永胜乡服务站", "Yongsheng township station", "township_station", "永胜乡"
    ),
]

_VILLAGES: list[tuple[str, str, str, str, bool]] = [
    # (code, name, pinyin, township station, invented)
    ("VP-XINMIN", "新民村", "Xinmin", "TS-511113100", False),
    ("VP-XINLE", "新乐村", "Xinle", "TS-511113100", False),
    ("VP-XINHUA", "新华村", "Xinhua", "TS-511113100", False),
    ("VP-XINGUANG", "新光村", "Xinguang", "TS-511113100", False),
    ("VP-SHENGLI", "胜利村", "Shengli", "TS-511113100", False),
    ("VP-LUOHUI", "罗回村", "Luohui", "TS-511113100", False),
    ("VP-LIMING", "黎明村", "Liming", "TS-511113100", False),
    ("VP-PUTI", "蒲梯村", "Puti", "TS-511113200", False),
    ("VP-YAXI", "椏溪村", "Yaxi", "TS-511113200", False),
    ("VP-YINGCHUN", "迎春村", "Yingchun", "TS-511113200", False),
    ("VP-YINGXIN", "迎新村", "Yingxin", "TS-511113200", False),
    ("VP-JIEFANG", "解放村", "Jiefang", "TS-511113200", False),
    ("VP-GONGAN-XIN", "新村", "Xincun", "TS-511113201", False),
    ("VP-JINHE-HEBIAN", "河边村", "Hebian", "TS-511113101", True),
    ("VP-JINHE-SHIQIAO", "石桥村", "Shiqiao", "TS-511113101", True),
    ("VP-JINHE-CHAYUAN", "茶园村", "Chayuan", "TS-511113101", True),
    ("VP-GONGAN-SHANGPING", "上坪村", "Shangping", "TS-511113201", True),
    ("VP-GONGAN-YUNFENG", "云峰村", "Yunfeng", "TS-511113201", True),
    ("VP-JIXING-TAIPING", "太平村", "Taiping", "TS-511113202", True),
    ("VP-JIXING-LAOYING", "老鹰村", "Laoying", "TS-511113202", True),
    ("VP-YONGSHENG-HONGQI", "红旗村", "Hongqi", "TS-511113203", True),
    ("VP-YONGSHENG-GAOSHAN", "高山村", "Gaoshan", "TS-511113203", True),
]

_TOWNSHIP_NAMES = {station.code: station.township for station in TOWNSHIPS}

VILLAGE_POINTS = [
    DemoLocation(
        code,
        f"{name}服务点",
        f"{pinyin} village point",
        "village_point",
        _TOWNSHIP_NAMES[station],
        station,
        invented,
    )
    for code, name, pinyin, station, invented in _VILLAGES
]

CENTRE = "PC"
ROOMS = [
    DemoLocation(
        "PC-RECEIVING",
        "加工中心收货区",
        "Processing centre receiving bay",
        "processing_room",
        "永和镇",
        CENTRE,
    ),
    DemoLocation(
        "PC-WASHING", "清洗修整间", "Washing and trimming room", "processing_room", "永和镇", CENTRE
    ),
    DemoLocation("PC-DRYING", "烘干房", "Drying room", "processing_room", "永和镇", CENTRE),
    DemoLocation(
        "PC-PACKING", "分拣包装间", "Sorting and packing room", "processing_room", "永和镇", CENTRE
    ),
    DemoLocation("PC-LAB", "检测室", "Testing laboratory", "processing_room", "永和镇", CENTRE),
    DemoLocation(
        "PC-COLD", "加工中心冷库", "Processing centre cold store", "cold_store", "永和镇", CENTRE
    ),
]
CENTRE_SITE = DemoLocation(
    CENTRE,
    "金口河区农产品初加工中心",
    "Jinkouhe primary processing centre",
    "warehouse",
    "永和镇",
    None,
    invented=True,
)
WAREHOUSE = DemoLocation(
    "WH-DISTRICT",
    "金口河区仓储物流中心",
    "Jinkouhe district warehouse",
    "warehouse",
    "永和镇",
    None,
    invented=True,
)
TRUCKS = [
    DemoLocation("TRUCK-01", "冷藏车 川L·J0101", "Reefer truck 01 (to Leshan)", "truck"),
    DemoLocation("TRUCK-02", "冷藏车 川L·J0202", "Reefer truck 02 (to Chengdu)", "truck"),
    DemoLocation("TRUCK-03", "冷藏车 川L·J0303", "Reefer truck 03 (to Emeishan)", "truck"),
    DemoLocation("TRUCK-04", "冷藏车 川L·J0404", "Reefer truck 04 (to Chengdu)", "truck"),
]

LOCATIONS = [*TOWNSHIPS, *VILLAGE_POINTS, CENTRE_SITE, *ROOMS, WAREHOUSE, *TRUCKS]


@dataclass(frozen=True)
class DemoDevice:
    device_id: str
    kind: str
    location: str
    reporting_interval_s: int


DEVICES = [
    DemoDevice("pc-receiving-t1", "room_temperature", "PC-RECEIVING", 60),
    DemoDevice("pc-washing-t1", "room_temperature", "PC-WASHING", 60),
    DemoDevice("pc-drying-th1", "room_temperature_humidity", "PC-DRYING", 60),
    DemoDevice("pc-packing-t1", "room_temperature", "PC-PACKING", 60),
    DemoDevice("pc-cold-t1", "cold_store_probe", "PC-COLD", 60),
    DemoDevice("pc-cold-t2", "cold_store_probe", "PC-COLD", 60),
    DemoDevice("wh-district-th1", "room_temperature_humidity", "WH-DISTRICT", 60),
    *(
        DemoDevice(f"truck-{number:02d}-logger", "reefer_logger", f"TRUCK-{number:02d}", 60)
        for number in range(1, 5)
    ),
]
