from datetime import date
from decimal import Decimal

import pytest

from schemas.labels import LabelData

BASE_URL = "https://trace.jinkouhe.example.cn"


@pytest.fixture
def tianma_label() -> LabelData:
    """A gastrodia batch with a GTIN, as the processing centre would print it."""
    return LabelData(
        lot_code="TM2611284KQ8ZP1XD6",
        product_name_zh="金口河天麻",
        product_name_en="Jinkouhe gastrodia",
        grade="特级",
        pack_date=date(2026, 11, 28),
        best_before=date(2027, 11, 27),
        origin_village="新民村",
        net_quantity=Decimal("250.000"),
        net_unit="g",
        gtin="6901234567892",
    )


@pytest.fixture
def tea_label_without_gtin() -> LabelData:
    return LabelData(
        lot_code="CY2611289RT3MX0QB1",
        product_name_zh="黑竹沟高山绿茶",
        grade="一级",
        pack_date=date(2026, 11, 28),
        best_before=date(2028, 5, 27),
        origin_village="蒲梯村、桠溪村",
        net_quantity=Decimal("100"),
        net_unit="g",
    )
