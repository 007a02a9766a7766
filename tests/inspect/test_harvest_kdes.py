"""FSMA 204's harvesting and cooling KDEs come from the village point's delivery records."""

import csv
import io

from fastapi.testclient import TestClient

from tests.api.builders import RECEIVED_AT, post
from tests.api.village import delivery, make_agent, seed_village
from tests.fix_api import bearer


def test_harvest_rows_carry_variety_plot_harvester_and_cooling(
    client: TestClient, staff_token: str, inspector_token: str, clean_database: str
) -> None:
    seed_village(client, staff_token)
    agent = make_agent(clean_database).token
    given = client.post("/api/v1/deliveries", json=delivery(), headers=bearer(agent)).json()
    batch = post(client, staff_token, "/api/v1/batches",
                 {"product": "CABBAGE", "deliveries": [given["id"]], "quantity": 42.5,
                  "unit": "kg", "location": "PC-RECEIVING",
                  "received_at": RECEIVED_AT})  # fmt: skip
    lot = batch["lot_code"]
    moved = client.post(
        f"/api/v1/batches/{lot}/moves",
        json={"location": "PC-COLD", "time": "2026-05-06T10:00:00+08:00"},
        headers=bearer(staff_token),
    )
    assert moved.status_code == 201, moved.text
    exported = client.get(f"/api/v1/exports/kde.csv?lot={lot}", headers=bearer(inspector_token))
    table = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    [harvest] = [row for row in table if row["Critical Tracking Event"] == "Harvesting"]
    assert harvest["Commodity Variety"] == "京丰一号"
    assert harvest["Field or Growing Area"] == "桥坡地 (QIAOPO)"
    assert harvest["Harvester Business Name"] == "沙马拉格"
    assert harvest["Harvester Phone"] == "13881301234"
    assert harvest["Reference Document Type"] == "village delivery receipt"
    assert harvest["Reference Document Number"] == given["harvest_lot_code"]
    [cooling] = [row for row in table if row["Critical Tracking Event"] == "Cooling"]
    assert "加工中心冷库" in cooling["Location Description"]
    assert cooling["Event Date"] == "2026-05-06"
    assert cooling["Field or Growing Area"] == ""
