"""Builders for village-point tests: a farmer with plots, an agent, a delivery body."""

import uuid
from typing import Any

import psycopg
from fastapi.testclient import TestClient

from store.users import NewUserSecrets, create_user
from tests.api.builders import post, seed_master_data

RECORDED_AT = "2026-05-06T09:15:00+08:00"


def seed_village(client: TestClient, staff_token: str) -> None:
    """The shared master data, a covered product (cabbage) and a farmer with two plots."""
    seed_master_data(client, staff_token)
    post(client, staff_token, "/api/v1/products",
         {"code": "CABBAGE", "name_zh": "高山甘蓝", "name_en": "Highland cabbage",
          "category": "vegetable", "certificate_category": "vegetable",
          "storage_profile": {"temp_min": 0, "temp_max": 4}, "shelf_life_days": 20})  # fmt: skip
    post(client, staff_token, "/api/v1/producers",
         {"code": "P-SHAMA", "name": "沙马拉格", "village": "VP-PUTI", "phone": "13881301234",
          "plots": [{"code": "QIAOPO", "name": "桥坡地", "area_mu": 2.5}],
          "public_name_consent": True})  # fmt: skip


def make_agent(
    database_url: str, name: str = "puti-agent", point: str = "VP-PUTI"
) -> NewUserSecrets:
    with psycopg.connect(database_url) as conn:
        return create_user(conn, name, "village", location=point)


def delivery(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(uuid.uuid4()), "farmer": "P-SHAMA", "product": "CABBAGE",
        "variety": "京丰一号", "plot": "QIAOPO", "harvest_date": "2026-05-05",
        "quantity": 42.5, "unit": "kg",
        "certificate": {"number": "HGZ-2026-0117", "basis": "self_tested"},
        "recorded_at": RECORDED_AT,
    }  # fmt: skip
    body.update(changes)
    return body
