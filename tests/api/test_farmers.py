"""Farmers as master data: phone, plots and consent; products' 合格证 categories."""

from fastapi.testclient import TestClient

from tests.api.builders import post, receive, seed_master_data
from tests.api.village import delivery, make_agent
from tests.fix_api import bearer

FARMER = {
    "code": "P-SHAMA", "name": "沙马拉格", "village": "VP-PUTI", "phone": "138 8130 1234",
    "plots": [{"code": "QIAOPO", "name": "桥坡地", "area_mu": 2.5},
              {"code": "HOUSHAN", "name": "后山林下"}],
    "public_name_consent": True, "public_plots_consent": True,
}  # fmt: skip


def test_a_farmer_keeps_phone_plots_and_consent(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    post(client, staff_token, "/api/v1/producers", FARMER)
    farmer = client.get("/api/v1/producers/P-SHAMA", headers=bearer(staff_token)).json()
    assert farmer["phone"] == "138 8130 1234"
    assert farmer["plots"] == [
        {"code": "HOUSHAN", "name": "后山林下", "area_mu": None},
        {"code": "QIAOPO", "name": "桥坡地", "area_mu": 2.5},
    ]
    assert farmer["public_plots_consent"] is True


def test_two_plots_of_one_farmer_cannot_share_a_code(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    twice = {**FARMER, "plots": [{"code": "A", "name": "一"}, {"code": "A", "name": "二"}]}
    answer = client.post("/api/v1/producers", json=twice, headers=bearer(staff_token))
    assert answer.status_code == 422
    assert "two plots share a code" in answer.json()["error"]["message"]


def test_a_phone_that_is_not_a_number_is_refused(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    answer = client.post(
        "/api/v1/producers", json={**FARMER, "phone": "call me"}, headers=bearer(staff_token)
    )
    assert answer.status_code == 422


def test_a_farmers_phone_never_reaches_the_public_page(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    post(client, staff_token, "/api/v1/producers", FARMER)
    lot = receive(client, staff_token, producer="P-SHAMA")["lot_code"]
    page = client.get(f"/l/{lot}")
    assert page.status_code == 200 and "沙马拉格" in page.text
    assert "8130" not in page.text
    linked = client.get(f"/l/{lot}", headers={"Accept": "application/ld+json"})
    assert "8130" not in linked.text


def test_a_product_names_its_certificate_category(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    post(client, staff_token, "/api/v1/products",
         {"code": "CABBAGE", "name_zh": "高山甘蓝", "name_en": "Highland cabbage",
          "category": "vegetable", "certificate_category": "vegetable"})  # fmt: skip
    cabbage = client.get("/api/v1/products/CABBAGE", headers=bearer(staff_token)).json()
    walnut = client.get("/api/v1/products/WALNUT", headers=bearer(staff_token)).json()
    assert cabbage["certificate_category"] == "vegetable"
    assert walnut["certificate_category"] == "none"
    unknown = client.post(
        "/api/v1/products",
        json={"code": "X", "name_zh": "某", "name_en": "X", "category": "x",
              "certificate_category": "mushroom"},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert unknown.status_code == 422


def test_a_plot_reaches_the_public_page_only_with_consent(
    client: TestClient, staff_token: str, clean_database: str
) -> None:
    seed_master_data(client, staff_token)
    post(client, staff_token, "/api/v1/products",
         {"code": "CABBAGE", "name_zh": "高山甘蓝", "name_en": "Cabbage",
          "category": "vegetable"})  # fmt: skip
    post(client, staff_token, "/api/v1/producers", FARMER)
    shy = {**FARMER, "code": "P-SHY", "name": "李不愿", "public_plots_consent": False,
           "plots": [{"code": "BEIPO", "name": "北坡秘密地"}]}  # fmt: skip
    post(client, staff_token, "/api/v1/producers", shy)
    agent = make_agent(clean_database).token
    lots = []
    for farmer, plot in (("P-SHAMA", "QIAOPO"), ("P-SHY", "BEIPO")):
        given = client.post(
            "/api/v1/deliveries",
            json=delivery(farmer=farmer, plot=plot, product="CABBAGE"),
            headers=bearer(agent),
        ).json()
        lots.append(
            post(
                client,
                staff_token,
                "/api/v1/batches",
                {
                    "product": "CABBAGE",
                    "deliveries": [given["id"]],
                    "quantity": 40,
                    "unit": "kg",
                    "location": "PC-RECEIVING",
                    "received_at": "2026-05-06T10:00:00+08:00",
                },
            )["lot_code"]
        )
    assert "桥坡地" in client.get(f"/l/{lots[0]}").text
    assert "北坡秘密地" not in client.get(f"/l/{lots[1]}").text
