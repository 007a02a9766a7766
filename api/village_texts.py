"""Texts about village deliveries, trips and certificates on the staff and inspector pages."""

VILLAGE_MESSAGES: dict[str, tuple[str, str]] = {
    "village_deliveries": ("村级服务点交售（已送达待收货）", "Village deliveries waiting"),
    "from_deliveries": ("按交售收货", "from the deliveries below"),
    "trip": ("运输", "Trip"),
    "not_on_trip": ("未装车", "not on a trip"),
    "harvest_lot_code": ("采收批号", "Harvest lot code"),
    "certificate_received": ("收取的合格证", "Certificate received"),
    "certificate_missing": ("缺少合格证", "No certificate"),
    "certificates_issued": ("承诺达标合格证", "Commitment certificates"),
    "certificate_number": ("合格证编号", "Certificate number"),
    "certificate_search": ("查找合格证", "Find certificates"),
    "issued_at": ("开具日期", "Issued"),
    "basis": ("开具依据", "Basis"),
    "issuer": ("开具主体", "Issuer"),
    "origin": ("产地", "Origin"),
    "quality_control": ("质量安全控制符合要求", "quality control"),
    "self_tested": ("自行检测合格", "own test"),
    "commissioned_test": ("委托检测合格", "laboratory test"),
    "kept_until": ("保存至", "Kept until"),
    "number_elsewhere": ("编号与其他生产者重复", "Number also used by another producer"),
}
