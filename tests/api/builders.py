"""Small builders for API tests: master data and batches created through the API itself."""

from typing import Any

from fastapi.testclient import TestClient

from tests.fix_api import bearer

RECEIVED_AT = "2026-05-06T08:30:00+08:00"


def post(client: TestClient, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(path, json=body, headers=bearer(token))
    assert answer.status_code == 201, answer.text
    return answer.json()


def seed_master_data(client: TestClient, token: str) -> None:
    """Two village points, the centre's rooms, a truck, two producers and two products."""
    locations = [
        ("VP-PUTI", "蒲梯村服务点", "village_point"),
        ("VP-XINMIN", "新民村服务点", "village_point"),
        ("PC-RECEIVING", "加工中心收货区", "processing_room"),
        ("PC-PACKING", "分拣包装间", "processing_room"),
        ("PC-COLD", "加工中心冷库", "cold_store"),
        ("TRUCK-01", "冷藏车 川L·J0101", "truck"),
    ]
    for code, name, kind in locations:
        post(client, token, "/api/v1/locations", {"code": code, "name": name, "kind": kind})
    for code, name, village, consent in [
        ("P-ABU", "阿布惹", "VP-PUTI", True),
        ("COOP-XINMIN", "新民村天麻合作社", "VP-XINMIN", False),
    ]:
        post(
            client, token, "/api/v1/producers",
            {"code": code, "name": name, "village": village, "public_name_consent": consent},
        )  # fmt: skip
    post(
        client, token, "/api/v1/products",
        {
            "code": "TIANMA-FRESH", "name_zh": "金口河乌天麻（鲜）",
            "name_en": "Jinkouhe gastrodia, fresh", "category": "medicinal herb",
            "gtin": "06901234567892", "grade_standard": "特级/一级/二级",
            "storage_profile": {"temp_min": 2, "temp_max": 5, "max_excursion_minutes": 30,
                                "max_gap_minutes": 10},
            "shelf_life_days": 14,
        },
    )  # fmt: skip
    post(
        client, token, "/api/v1/products",
        {"code": "WALNUT", "name_zh": "核桃", "name_en": "Walnuts", "category": "nuts",
         "storage_profile": {"temp_max": 10, "humidity_max": 70}},
    )  # fmt: skip


def receive(
    client: TestClient,
    token: str,
    producer: str = "P-ABU",
    village: str = "VP-PUTI",
    quantity: float = 120,
    product: str = "TIANMA-FRESH",
) -> dict[str, Any]:
    return post(
        client, token, "/api/v1/batches",
        {
            "product": product,
            "harvest_lots": [{"producer": producer, "village": village,
                              "harvest_date": "2026-05-05", "quantity": quantity, "unit": "kg"}],
            "quantity": quantity, "unit": "kg", "location": "PC-RECEIVING",
            "received_at": RECEIVED_AT,
        },
    )  # fmt: skip
