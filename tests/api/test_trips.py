"""Trips to the centre: a station gathers its villages' deliveries; batches receive them."""

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.api.builders import RECEIVED_AT, post
from tests.api.village import delivery, make_agent, seed_village
from tests.fix_api import bearer


@pytest.fixture
def tokens(client: TestClient, staff_token: str, clean_database: str) -> dict[str, str]:
    """An agent at 椏溪村 (under the 和平 station), one at the station, one at 蒲梯村."""
    seed_village(client, staff_token)
    post(client, staff_token, "/api/v1/locations",
         {"code": "TS-HEPING", "name": "和平彝族乡站", "kind": "township_station"})  # fmt: skip
    post(client, staff_token, "/api/v1/locations",
         {"code": "VP-YAXI", "name": "椏溪村服务点", "kind": "village_point",
          "parent": "TS-HEPING"})  # fmt: skip
    post(client, staff_token, "/api/v1/producers",
         {"code": "P-JIDI", "name": "吉地木呷", "village": "VP-YAXI"})  # fmt: skip
    return {
        "yaxi": make_agent(clean_database, "yaxi", "VP-YAXI").token,
        "station": make_agent(clean_database, "heping", "TS-HEPING").token,
        "puti": make_agent(clean_database, "puti", "VP-PUTI").token,
    }


def _deliver(client: TestClient, token: str, **changes: object) -> dict[str, object]:
    answer = client.post("/api/v1/deliveries", json=delivery(**changes), headers=bearer(token))
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_batch_received_from_carried_deliveries_keeps_their_harvest_lots(
    client: TestClient, staff_token: str, tokens: dict[str, str]
) -> None:
    first = _deliver(client, tokens["yaxi"], farmer="P-JIDI", plot=None, quantity=30)
    second = _deliver(client, tokens["yaxi"], farmer="P-JIDI", plot=None, quantity=12)
    trip = client.post(
        "/api/v1/trips",
        json={"id": str(uuid.uuid4()), "deliveries": [first["id"], second["id"]],
              "departed_at": "2026-05-06T10:00:00+08:00", "vehicle": "川L·J0101"},
        headers=bearer(tokens["station"]),
    )  # fmt: skip
    assert trip.status_code == 201, trip.text
    assert trip.json()["origin"] == "TS-HEPING" and len(trip.json()["deliveries"]) == 2
    waiting = client.get("/api/v1/trips", headers=bearer(staff_token)).json()
    assert [one["code"] for one in waiting] == [trip.json()["code"]]

    batch = post(client, staff_token, "/api/v1/batches",
                 {"product": "CABBAGE", "deliveries": [first["id"], second["id"]],
                  "quantity": 42, "unit": "kg", "location": "PC-RECEIVING",
                  "received_at": RECEIVED_AT})  # fmt: skip
    detail = client.get(f"/api/v1/batches/{batch['lot_code']}", headers=bearer(staff_token)).json()
    lots = sorted(
        (lot["producer"], lot["village"], lot["quantity"]) for lot in detail["harvest_lots"]
    )
    assert lots == [("P-JIDI", "VP-YAXI", 12.0), ("P-JIDI", "VP-YAXI", 30.0)]
    carried = client.get(f"/api/v1/deliveries/{first['id']}", headers=bearer(staff_token)).json()
    assert carried["batch"] == batch["lot_code"] and carried["trip"] == trip.json()["code"]
    assert client.get("/api/v1/trips", headers=bearer(staff_token)).json() == []

    again = client.post(
        "/api/v1/batches",
        json={"product": "CABBAGE", "deliveries": [first["id"]], "quantity": 30, "unit": "kg",
              "location": "PC-RECEIVING", "received_at": RECEIVED_AT},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert again.status_code == 409
    assert "received into a batch already" in again.json()["error"]["message"]


def test_a_delivery_of_another_product_or_another_station_is_refused(
    client: TestClient, staff_token: str, tokens: dict[str, str]
) -> None:
    puti = _deliver(client, tokens["puti"])
    stray = client.post(
        "/api/v1/trips",
        json={
            "id": str(uuid.uuid4()),
            "deliveries": [puti["id"]],
            "departed_at": "2026-05-06T10:00:00+08:00",
        },
        headers=bearer(tokens["station"]),
    )
    assert stray.status_code == 422 and "does not serve" in stray.json()["error"]["message"]
    walnuts = client.post(
        "/api/v1/batches",
        json={"product": "WALNUT", "deliveries": [puti["id"]], "quantity": 30, "unit": "kg",
              "location": "PC-RECEIVING", "received_at": RECEIVED_AT},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert walnuts.status_code == 422 and "not WALNUT" in walnuts.json()["error"]["message"]
    empty = client.post(
        "/api/v1/batches",
        json={"product": "CABBAGE", "quantity": 30, "unit": "kg", "location": "PC-RECEIVING",
              "received_at": RECEIVED_AT},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert empty.status_code == 422


def test_the_staff_receive_form_picks_deliveries_instead_of_retyping(
    staff_client: TestClient, tokens: dict[str, str]
) -> None:
    carried = _deliver(staff_client, tokens["puti"], quantity=42.5)
    page = staff_client.get("/staff/receive", headers={"Accept": "text/html"})
    assert carried["harvest_lot_code"] in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = staff_client.post(
        "/staff/receive",
        data={"csrf_token": token[1], "product": "CABBAGE", "quantity": "42.5", "unit": "kg",
              "location": "PC-RECEIVING", "received_at": "2026-05-06T08:30", "producer_1": "",
              f"delivery_{carried['id']}": "on"},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    lot = answer.headers["location"].split("/staff/batches/")[1].split("?")[0]
    detail = staff_client.get(f"/api/v1/batches/{lot}").json()
    assert [h["producer"] for h in detail["harvest_lots"]] == ["P-SHAMA"]


def test_a_trip_resent_under_its_phone_id_stores_nothing_new(
    client: TestClient, staff_token: str, tokens: dict[str, str]
) -> None:
    first = _deliver(client, tokens["yaxi"], farmer="P-JIDI", plot=None, quantity=30)
    second = _deliver(client, tokens["yaxi"], farmer="P-JIDI", plot=None, quantity=12)
    body = {"id": str(uuid.uuid4()), "deliveries": [first["id"], second["id"]],
            "departed_at": "2026-05-06T10:00:00+08:00"}  # fmt: skip
    sent = client.post("/api/v1/trips", json=body, headers=bearer(tokens["station"]))
    reordered = {**body, "deliveries": [second["id"], first["id"]]}
    again = client.post("/api/v1/trips", json=reordered, headers=bearer(tokens["station"]))
    assert (sent.status_code, again.status_code) == (201, 200), again.text
    assert again.json() == sent.json() and sent.json()["id"] == body["id"]
    assert len(client.get("/api/v1/trips", headers=bearer(staff_token)).json()) == 1
    changed = client.post(
        "/api/v1/trips", json={**body, "vehicle": "川L·J0202"}, headers=bearer(tokens["station"])
    )
    assert changed.status_code == 409
    assert "recorded already with other details" in changed.json()["error"]["message"]
