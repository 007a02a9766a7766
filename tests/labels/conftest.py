from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from farmtrace.demo.seed import seed_demo
from schemas.labels import LabelData
from schemas.settings import Settings
from tests.labels.printed_uris import COMPANY_PREFIX, PrintedUri, demo_uris, served_uris

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


@pytest.fixture
def uris_served(api_settings: Settings, staff_token: str) -> Iterator[list[PrintedUri]]:
    """The Digital Links the API and the resolver print, on an application that numbers
    products without a GTIN from the company prefix."""
    settings = api_settings.model_copy(update={"gs1_company_prefix": COMPANY_PREFIX})
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        yield served_uris(client, staff_token)


@pytest.fixture
def uris_of_the_demo(db: psycopg.Connection) -> list[PrintedUri]:
    """The Digital Links on the demo's labels and certificates."""
    seed_demo(db, batches=True, anchor=None)
    db.commit()
    return demo_uris(db, BASE_URL)
