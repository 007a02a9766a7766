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
    gln: str | None = None
    admin_area: tuple[str, str] | None = None


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
    ("VP-YAXI", "桠溪村", "Yaxi", "TS-511113200", False),
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
# The district's place in the country, largest unit first, in both languages.
DISTRICT_AREA = ("四川省乐山市金口河区", "Jinkouhe District, Leshan, Sichuan")
_TOWNSHIPS_EN = {
    "永和镇": "Yonghe Town", "金河镇": "Jinhe Town", "和平彝族乡": "Heping Yi Ethnic Township",
    "共安彝族乡": "Gong'an Yi Ethnic Township", "吉星乡": "Jixing Township",
    "永胜乡": "Yongsheng Township",
}  # fmt: skip


def _village_area(village: str, pinyin: str, township: str) -> tuple[str, str]:
    """A village point's origin is its village: 四川省乐山市金口河区永和镇新乐村."""
    return (
        f"{DISTRICT_AREA[0]}{township}{village}",
        f"{pinyin} Village, {_TOWNSHIPS_EN[township]}, {DISTRICT_AREA[1]}",
    )


VILLAGE_POINTS = [
    DemoLocation(
        code,
        f"{name}服务点",
        f"{pinyin} village point",
        "village_point",
        _TOWNSHIP_NAMES[station],
        station,
        invented,
        admin_area=_village_area(name, pinyin, _TOWNSHIP_NAMES[station] or ""),
    )
    for code, name, pinyin, station, invented in _VILLAGES
]

CENTRE = "PC"
# Invented GLNs (valid check digits) under the demo GTIN's company prefix 6901234, for the two
# sites a real centre would register; its rooms are the centre's GLN with an AI 254 extension.
DEMO_GLNS = {"PC": "6901234000016", "WH-DISTRICT": "6901234000023"}
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
    gln=DEMO_GLNS["PC"],
)
WAREHOUSE = DemoLocation(
    "WH-DISTRICT",
    "金口河区仓储物流中心",
    "Jinkouhe district warehouse",
    "warehouse",
    "永和镇",
    None,
    invented=True,
    gln=DEMO_GLNS["WH-DISTRICT"],
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


# Products of the district with storage profiles from the storage bands in the facts file.
# GTINs are invented in GS1's restricted-circulation range (prefix 020), which is never
# assigned to a real trade item, so a demo code cannot name someone's product by accident.
# Products without a GTIN get the short /l/{lot} URI on their labels.
@dataclass(frozen=True)
class DemoProduct:
    code: str
    name_zh: str
    name_en: str
    category: str
    gtin: str | None
    grade_standard: str | None
    temp_min: float | None
    temp_max: float | None
    humidity_max: float | None
    max_excursion_minutes: int
    max_gap_minutes: int
    shelf_life_days: int
    basis: str
    # What one consumer pack holds (quantity, unit); None where the product is sold loose.
    pack_size: tuple[float, str] | None = None


PRODUCTS = [
    DemoProduct(
        "TIANMA-FRESH", "金口河乌天麻（鲜）", "Jinkouhe black gastrodia, fresh", "medicinal herb",
        "02000010000012", "特级/一级/二级", 2, 5, None, 30, 10, 14,
        "fresh gastrodia 2-5 °C (agricultural guidance); GI product", (500, "g"),
    ),
    DemoProduct(
        "TIANMA-DRIED", "金口河乌天麻（干片）", "Jinkouhe black gastrodia, dried slices",
        "medicinal herb", "02000010000029", "特级/一级/二级", None, 15, 60, 120, 10, 730,
        "dried vegetables ≤15 °C, ≤60 %RH (NY/T 2320-2013), by analogy",
    ),
    DemoProduct(
        "TEA-EMEI-GREEN", "峨眉山茶（绿茶）", "Emeishan green tea", "tea", "02000010000036",
        "特级/一级/二级", None, 10, 50, 120, 10, 540, "green tea <10 °C, <50 %RH (GB/T 30375-2013)",
        (250, "g"),
    ),
    DemoProduct(
        "TEA-LAOYING", "金口河老鹰茶", "Jinkouhe laoying tea", "tea", None, "一级/二级",
        None, 25, 50, 240, 10, 730, "treated like black tea: <25 °C, <50 %RH (GB/T 30375-2013)",
    ),
    DemoProduct(
        "NIUXI", "金口河川牛膝", "Jinkouhe cyathula root", "medicinal herb", None, "一级/二级",
        None, 15, 60, 120, 10, 730, "dried root, as dried vegetables (NY/T 2320-2013); GI product",
    ),
    DemoProduct(
        "WALNUT", "金口河核桃（带壳）", "Jinkouhe walnuts in shell", "nuts", "02000010000067",
        "一级/二级", None, 10, 70, 120, 10, 365, "walnuts in shell ≤10 °C, 60-70 %RH", (1, "kg"),
    ),
    DemoProduct(
        "VEG-HIGHLAND", "高山甘蓝", "Highland cabbage", "vegetables", None, None,
        0, 4, None, 30, 10, 21, "cabbage 0 °C stored, 0-4 °C in transit",
    ),
    DemoProduct(
        "HUAJIAO", "金口河花椒", "Jinkouhe Sichuan pepper", "spice", None, "特级/一级/二级",
        None, 15, 60, 240, 10, 365, "a dried spice, as dried vegetables (NY/T 2320-2013)",
    ),
    DemoProduct(
        "LAROU-YONGSHENG", "永胜腊肉", "Yongsheng cured pork", "cured meat", "02000010000098",
        None, 5, 15, 65, 60, 10, 180, "cured pork 5-15 °C, dry (weak source); humidity invented",
        (500, "g"),
    ),
]  # fmt: skip


@dataclass(frozen=True)
class DemoProducer:
    code: str
    name: str
    kind: str
    village: str
    public_name_consent: bool
    invented: bool = True


# Every producer name is invented; some agreed to be named on public pages, some did not.
PRODUCERS = [
    DemoProducer(
        "COOP-XINMIN-TIANMA", "金口河区新民天麻专业合作社", "cooperative", "VP-XINMIN", True
    ),
    DemoProducer("COOP-PUTI-TEA", "蒲梯村茶叶专业合作社", "cooperative", "VP-PUTI", True),
    DemoProducer("COOP-YONGSHENG-LAROU", "永胜红旗腊肉加工合作社", "cooperative",
                 "VP-YONGSHENG-HONGQI", True),
    DemoProducer("COOP-JIXING-WALNUT", "吉星太平核桃种植合作社", "cooperative",
                 "VP-JIXING-TAIPING", False),
    DemoProducer("F-WANG-GUIYING", "王桂英", "farmer", "VP-XINLE", True),
    DemoProducer("F-ABU-RE", "阿布惹", "farmer", "VP-YINGCHUN", False),
    DemoProducer("F-SHAMA-AGUO", "沙马阿果", "farmer", "VP-JIEFANG", True),
    DemoProducer("F-LI-DEMING", "李德明", "farmer", "VP-YONGSHENG-GAOSHAN", False),
    DemoProducer("F-ZHANG-XIULAN", "张秀兰", "farmer", "VP-JINHE-CHAYUAN", True),
]  # fmt: skip


# The demo's village agent works at 和平彝族乡服务站: its console offers the farmers of the
# points under it (蒲梯村, 迎春村, 解放村 …) and sends their trips.
VILLAGE_AGENT_STATION = "TS-511113200"

# The source end: what the village points record. Every phone number, plot, variety and
# certificate number below is invented.

# Article 3 of the 2025 rules covers fresh tea leaves (the tea arrives from the village as
# 茶鲜叶) and vegetables; the dried, cured and medicinal products here are outside it.
CERTIFICATE_CATEGORIES = {"TEA-EMEI-GREEN": "fresh_tea", "VEG-HIGHLAND": "vegetable"}
CENTRE_CONTACT_PHONE = "0833-2726000"
FARMER_PHONES = {
    "F-WANG-GUIYING": "138 8130 0101",
    "F-ABU-RE": "139 0833 0202",
    "F-SHAMA-AGUO": "137 7810 0303",
    "F-LI-DEMING": "135 5130 0404",
    "F-ZHANG-XIULAN": "136 0833 0505",
    "COOP-XINMIN-TIANMA": "0833-2721101",
    "COOP-PUTI-TEA": "0833-2722202",
}
# producer → [(plot code, name, area in 亩)]; a delivery names the producer's first plot.
FARMER_PLOTS = {
    "F-WANG-GUIYING": [("SHANGPO", "上坡林下天麻地", 1.5)],
    "F-ABU-RE": [("HETAO-WAN", "核桃湾", 6.0)],
    "F-SHAMA-AGUO": [("CHAPING", "茶坪", 2.0)],
    "F-LI-DEMING": [("GAOSHAN-CAIDI", "高山菜地", 3.0)],
    "F-ZHANG-XIULAN": [("CHAYUAN-YI", "茶园一号地", 2.5)],
    "COOP-XINMIN-TIANMA": [("JIDI-A", "新民天麻基地 A 区", 80.0)],
    "COOP-PUTI-TEA": [("PUTI-CHAYUAN", "蒲梯生态茶园", 120.0)],
    "COOP-JIXING-WALNUT": [("TAIPING-SHAN", "太平山核桃林", 300.0)],
}
VARIETIES = {
    "TIANMA-FRESH": "乌天麻",
    "TEA-EMEI-GREEN": "福鼎大白",
    "WALNUT": "清香",
    "VEG-HIGHLAND": "京丰一号",
    "LAROU-YONGSHENG": "本地黑猪",
}
# The 合格证 producers handed over with their deliveries: producer → (number, basis).
# Producers not listed gave none (which the centre flags where the product needs one).
RECEIVED_CERTIFICATES = {
    "COOP-XINMIN-TIANMA": ("XM-HGZ-2026-0318", "quality_control"),
    "COOP-PUTI-TEA": ("PT-HGZ-2026-0042", "self_tested"),
    "F-WANG-GUIYING": ("WGY-2026-007", "quality_control"),
    "COOP-JIXING-WALNUT": ("JX-HGZ-2026-0110", "commissioned_test"),
}
