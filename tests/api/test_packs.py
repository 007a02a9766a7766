"""一物一码: packing makes serialised packs of the product's pack size, each with its own code."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api.builders import post, receive, seed_master_data
from tests.fix_api import bearer

GTIN = "06901234567908"
PACKING = "2026-05-06T14:30:00+08:00"


def _packed_product(client: TestClient, token: str, **extra: Any) -> None:
    seed_master_data(client, token)
    post(client, token, "/api/v1/products", {
        "code": "TIANMA-500G", "name_zh": "金口河乌天麻（鲜）500 克装",
        "name_en": "Jinkouhe gastrodia, fresh, 500 g", "category": "medicinal herb",
        "gtin": GTIN, "storage_profile": {"temp_min": 2, "temp_max": 5},
        "pack_size": {"quantity": 500, "unit": "g"}, **extra,
    })  # fmt: skip


def _pack(client: TestClient, token: str, lot: str, packs: int) -> Any:
    return client.post(
        f"/api/v1/batches/{lot}/events",
        json={"type": "packing", "time": PACKING, "data": {"packs": packs}},
        headers=bearer(token),
    )


def test_packing_makes_serialised_packs_each_with_its_own_digital_link(
    client: TestClient, staff_token: str, inspector_token: str
) -> None:
    _packed_product(client, staff_token)
    lot = receive(client, staff_token, product="TIANMA-500G", quantity=2)["lot_code"]
    assert _pack(client, staff_token, lot, 4).status_code == 201
    packs = client.get(f"/api/v1/batches/{lot}/packs", headers=bearer(inspector_token)).json()
    assert len(packs) == 4 and len({pack["serial"] for pack in packs}) == 4
    for pack in packs:
        assert (pack["quantity"], pack["unit"]) == (500, "g")
        assert pack["uri"] == f"https://trace.example.cn/01/{GTIN}/10/{lot}/21/{pack['serial']}"
        assert client.get(pack["uri"].removeprefix("https://trace.example.cn")).status_code == 200
    product = client.get("/api/v1/products/TIANMA-500G", headers=bearer(staff_token)).json()
    assert product["pack_size"] == {"quantity": 500, "unit": "g"}


def test_a_packs_label_carries_its_own_serial_and_net_content_and_lot_labels_stay(
    client: TestClient, staff_token: str
) -> None:
    _packed_product(client, staff_token)
    lot = receive(client, staff_token, product="TIANMA-500G", quantity=2)["lot_code"]
    _pack(client, staff_token, lot, 2)
    [first, _] = client.get(f"/api/v1/batches/{lot}/packs", headers=bearer(staff_token)).json()
    svg = client.get(
        f"/api/v1/batches/{lot}/packs/{first['serial']}/label.svg", headers=bearer(staff_token)
    ).text
    assert first["serial"] in svg and "500 g" in svg and "2 kg" not in svg
    sheet = client.get(f"/api/v1/batches/{lot}/packs/labels.pdf", headers=bearer(staff_token))
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    case = client.get(f"/api/v1/batches/{lot}/label.svg", headers=bearer(staff_token)).text
    assert "2 kg" in case and first["serial"] not in case


def test_packs_beyond_the_batch_or_without_a_pack_size_are_refused_in_words(
    client: TestClient, staff_token: str
) -> None:
    _packed_product(client, staff_token)
    lot = receive(client, staff_token, product="TIANMA-500G", quantity=2)["lot_code"]
    too_many = _pack(client, staff_token, lot, 5)
    assert too_many.status_code == 409 and "hold more than the batch" in too_many.text
    plain = receive(client, staff_token)["lot_code"]  # TIANMA-FRESH has no pack size
    unsized = _pack(client, staff_token, plain, 1)
    assert unsized.status_code == 409 and "pack_size" in unsized.text
    cleaning = client.post(
        f"/api/v1/batches/{lot}/events",
        json={"type": "cleaning", "time": PACKING, "data": {"packs": 3}},
        headers=bearer(staff_token),
    )
    assert cleaning.status_code == 422 and "only a packing event" in cleaning.text
    assert client.get(f"/api/v1/batches/{lot}/packs", headers=bearer(staff_token)).json() == []
