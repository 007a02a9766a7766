from fastapi.testclient import TestClient

from schemas.gs1 import gtin_check_digit, normalize_gtin
from tests.api.builders import seed_master_data
from tests.fix_api import bearer


def test_gtin_check_digit_is_verified() -> None:
    assert gtin_check_digit("0690123456789") == "2"
    assert normalize_gtin("6901234567892") == "06901234567892"


def test_a_product_with_a_wrong_gtin_check_digit_is_refused(
    client: TestClient, staff_token: str
) -> None:
    answer = client.post(
        "/api/v1/products",
        json={"code": "TEA", "name_zh": "峨眉山茶", "name_en": "Emeishan tea",
              "category": "tea", "gtin": "06901234567893"},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert answer.status_code == 422
    assert "check digit" in answer.json()["error"]["message"]


def test_a_product_keeps_its_storage_profile(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    product = client.get("/api/v1/products/TIANMA-FRESH", headers=bearer(staff_token)).json()
    assert product["storage_profile"] == {
        "temp_min": 2.0, "temp_max": 5.0, "humidity_max": None,
        "max_excursion_minutes": 30, "max_gap_minutes": 10,
    }  # fmt: skip
    assert product["gtin"] == "06901234567892"


def test_a_code_registers_once(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    again = client.post(
        "/api/v1/locations",
        json={"code": "PC-COLD", "name": "冷库", "kind": "cold_store"},
        headers=bearer(staff_token),
    )
    assert again.status_code == 409


def test_a_device_registered_through_the_api_gets_its_password_once(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    answer = client.post(
        "/api/v1/devices",
        json={"device_id": "pc-cold-t9", "kind": "cold_store_probe", "location": "PC-COLD",
              "installed_from": "2026-05-01T00:00:00+08:00"},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert answer.status_code == 201, answer.text
    assert answer.json()["location"] == "PC-COLD" and len(answer.json()["mqtt_password"]) > 10
    listed = client.get("/api/v1/devices", headers=bearer(staff_token)).json()
    assert [row["device_id"] for row in listed] == ["pc-cold-t9"]
    assert "mqtt_password" not in listed[0]


def test_text_with_control_characters_is_refused_not_a_server_error(
    client: TestClient, staff_token: str
) -> None:
    answer = client.post(
        "/api/v1/locations",
        json={"code": "X1", "name": "\u0000冷库", "kind": "cold_store"},
        headers=bearer(staff_token),
    )
    assert answer.status_code == 422
    assert "control character" in answer.json()["error"]["message"]
