"""Receiving, events with corrections, custody moves and genealogy through the JSON API."""

from concurrent.futures import ThreadPoolExecutor

import psycopg
from fastapi.testclient import TestClient

from labels.lot_codes import is_valid_lot_code
from tests.api.builders import post, receive, seed_master_data
from tests.fix_api import bearer


def test_a_received_batch_gets_a_checked_lot_code_and_opens_custody(
    client: TestClient, staff_token: str, clean_database: str
) -> None:
    seed_master_data(client, staff_token)
    batch = receive(client, staff_token)
    lot = batch["lot_code"]
    assert len(lot) <= 20 and lot.startswith("TIAN260506")
    assert is_valid_lot_code(lot)
    detail = client.get(f"/api/v1/batches/{lot}", headers=bearer(staff_token)).json()
    assert detail["location"] == "PC-RECEIVING"
    assert detail["custody"][0]["end"] is None
    assert [event["type"] for event in detail["events"]] == ["receiving"]
    assert detail["events"][0]["business_step"] == "urn:epcglobal:cbv:bizstep:receiving"
    assert detail["harvest_lots"][0]["producer_name"] == "阿布惹"
    with psycopg.connect(clean_database) as conn:
        audit = conn.execute(
            "SELECT u.username, a.action FROM audit_log a JOIN users u"
            " ON u.id = a.user_id WHERE a.object = %s",
            (f"batch {lot}",),
        )
        assert audit.fetchall() == [("packer", "receive")]


def test_a_batch_from_an_unknown_producer_is_refused(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    answer = client.post(
        "/api/v1/batches",
        json={"product": "TIANMA-FRESH", "quantity": 1, "unit": "kg", "location": "PC-RECEIVING",
              "received_at": "2026-05-06T08:30:00+08:00",
              "harvest_lots": [{"producer": "NOBODY", "village": "VP-PUTI",
                                "harvest_date": "2026-05-05", "quantity": 1, "unit": "kg"}]},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert answer.status_code == 422
    assert "unknown producer NOBODY" in answer.json()["error"]["message"]


def test_a_correction_is_shown_beside_the_event_it_corrects(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    test = post(
        client, staff_token, f"/api/v1/batches/{lot}/events",
        {"type": "testing", "time": "2026-05-06T10:00:00+08:00", "location": "PC-PACKING",
         "data": {"passed": True, "moisture_percent": 78.5, "lab": "金口河区农检站",
                  "standard": "GB 2763-2021",
                  "pesticide_residue": [{"substance": "毒死蜱", "value_mg_kg": 0.01,
                                         "limit_mg_kg": 0.02}]}},
    )  # fmt: skip
    assert test["business_step"] == "urn:epcglobal:cbv:bizstep:inspecting"
    correction = post(
        client, staff_token, f"/api/v1/batches/{lot}/events",
        {"type": "testing", "time": "2026-05-06T10:00:00+08:00", "corrects": test["event_id"],
         "data": {"passed": True, "moisture_percent": 76.5, "lab": "金口河区农检站",
                  "standard": "GB 2763-2021", "notes": "moisture mistyped"}},
    )  # fmt: skip
    detail = client.get(f"/api/v1/batches/{lot}", headers=bearer(staff_token)).json()
    testing = [event for event in detail["events"] if event["type"] == "testing"]
    assert len(testing) == 1, "the correction is listed beside, not instead of, the original"
    assert testing[0]["data"]["moisture_percent"] == 78.5
    [shown] = testing[0]["corrections"]
    assert shown["event_id"] == correction["event_id"]
    assert shown["corrects"] == test["event_id"]
    assert shown["data"]["moisture_percent"] == 76.5


def test_a_test_without_its_verdict_lab_standard_or_a_result_is_refused_in_words(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    path = f"/api/v1/batches/{lot}/events"
    full = {"passed": True, "lab": "金口河区农检站", "standard": "GB 2763-2021",
            "moisture_percent": 78.5}  # fmt: skip
    for missing, words in [
        ("passed", "passed"),
        ("lab", "names the lab"),
        ("standard", "names the standard"),
        ("moisture_percent", "at least one measured result"),
    ]:
        data = {key: value for key, value in full.items() if key != missing}
        answer = client.post(
            path, json={"type": "testing", "time": "2026-05-06T10:00:00+08:00", "data": data},
            headers=bearer(staff_token),
        )  # fmt: skip
        assert answer.status_code == 422 and words in answer.json()["error"]["message"], missing
    test = post(
        client, staff_token, path,
        {"type": "testing", "time": "2026-05-06T10:00:00+08:00", "data": full},
    )  # fmt: skip
    bare_correction = client.post(
        path,
        json={"type": "testing", "time": "2026-05-06T10:00:00+08:00",
              "corrects": test["event_id"], "data": {"passed": False}},
        headers=bearer(staff_token),
    )  # fmt: skip
    assert bare_correction.status_code == 422
    assert "names the lab" in bare_correction.json()["error"]["message"]
    page = client.get(f"/l/{lot}", headers={"Accept": "text/html"}).text
    assert "金口河区农检站" in page and "GB 2763-2021" in page


def test_a_move_closes_the_open_interval_and_opens_the_next(
    client: TestClient, staff_token: str
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    post(client, staff_token, f"/api/v1/batches/{lot}/moves",
         {"location": "PC-COLD", "time": "2026-05-06T12:00:00+08:00"})  # fmt: skip
    custody = post(client, staff_token, f"/api/v1/batches/{lot}/moves",
                   {"location": "TRUCK-01", "time": "2026-05-07T06:00:00+08:00"})  # fmt: skip
    assert [(row["location"], row["end"]) for row in custody] == [
        ("PC-RECEIVING", "2026-05-06T04:00:00Z"),
        ("PC-COLD", "2026-05-06T22:00:00Z"),
        ("TRUCK-01", None),
    ]
    detail = client.get(f"/api/v1/batches/{lot}", headers=bearer(staff_token)).json()
    assert detail["status"] == "shipped"
    steps = [event["business_step"].rsplit(":", 1)[1] for event in detail["events"]]
    assert steps == ["receiving", "storing", "shipping"]


def test_an_overlapping_custody_move_is_refused(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    post(client, staff_token, f"/api/v1/batches/{lot}/moves",
         {"location": "PC-COLD", "time": "2026-05-06T12:00:00+08:00"})  # fmt: skip
    backdated = client.post(
        f"/api/v1/batches/{lot}/moves",
        json={"location": "TRUCK-01", "time": "2026-05-06T09:00:00+08:00"},
        headers=bearer(staff_token),
    )
    assert backdated.status_code == 409
    message = backdated.json()["error"]["message"]
    assert "may not overlap" in message and "PC-RECEIVING" in message
    detail = client.get(f"/api/v1/batches/{lot}", headers=bearer(staff_token)).json()
    assert [row["location"] for row in detail["custody"]] == ["PC-RECEIVING", "PC-COLD"]
    assert detail["custody"][-1]["end"] is None


def test_genealogy_traces_back_to_every_farm_and_forward_to_every_pack(
    client: TestClient, staff_token: str, inspector_token: str
) -> None:
    seed_master_data(client, staff_token)
    from_abu = receive(client, staff_token, "P-ABU", "VP-PUTI", 100)["lot_code"]
    from_coop = receive(client, staff_token, "COOP-XINMIN", "VP-XINMIN", 60)["lot_code"]
    merged = post(
        client,
        staff_token,
        "/api/v1/batches/merge",
        {"parents": [from_abu, from_coop], "time": "2026-05-06T11:00:00+08:00"},
    )
    assert merged["quantity"] == 160
    cases = post(client, staff_token, f"/api/v1/batches/{merged['lot_code']}/split",
                 {"children": [{"quantity": 100}, {"quantity": 60}],
                  "time": "2026-05-06T12:00:00+08:00"})  # fmt: skip
    packs = post(
        client,
        staff_token,
        f"/api/v1/batches/{cases[0]['lot_code']}/split",
        {"children": [{"quantity": 0.5}] * 3, "time": "2026-05-06T13:00:00+08:00"},
    )
    pack = packs[0]["lot_code"]

    detail = client.get(f"/api/v1/batches/{pack}", headers=bearer(inspector_token)).json()
    farms = {(lot["producer"], lot["village"]) for lot in detail["genealogy"]["harvest_lots"]}
    assert farms == {("P-ABU", "VP-PUTI"), ("COOP-XINMIN", "VP-XINMIN")}
    assert detail["genealogy"]["ancestors"][:2] == [cases[0]["lot_code"], merged["lot_code"]]
    assert set(detail["genealogy"]["ancestors"][2:]) == {from_abu, from_coop}

    origin = client.get(f"/api/v1/batches/{from_coop}", headers=bearer(inspector_token)).json()
    harvest_id = origin["harvest_lots"][0]["id"]
    forward = set(origin["genealogy"]["descendants"])
    assert forward == {merged["lot_code"], *(c["lot_code"] for c in cases),
                       *(p["lot_code"] for p in packs)}  # fmt: skip
    trace = client.get(f"/api/v1/harvest-lots/{harvest_id}/trace",
                       headers=bearer(inspector_token)).json()  # fmt: skip
    assert set(trace["batches"]) == forward | {from_coop}


def test_a_split_cannot_take_more_than_remains(client: TestClient, staff_token: str) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token, quantity=10)["lot_code"]
    post(client, staff_token, f"/api/v1/batches/{lot}/split", {"children": [{"quantity": 6}]})
    answer = client.post(f"/api/v1/batches/{lot}/split", json={"children": [{"quantity": 5}]},
                         headers=bearer(staff_token))  # fmt: skip
    assert answer.status_code == 422 and "only 4 remain" in answer.json()["error"]["message"]


def test_concurrent_moves_of_one_batch_never_overlap(
    client: TestClient, staff_token: str, clean_database: str
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    destinations = ["PC-COLD", "PC-PACKING", "TRUCK-01", "PC-COLD", "PC-PACKING", "TRUCK-01"]

    def move(index: int) -> int:
        body = {"location": destinations[index], "time": f"2026-05-06T1{index}:00:00+08:00"}
        answer = client.post(f"/api/v1/batches/{lot}/moves", json=body, headers=bearer(staff_token))
        return answer.status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(move, range(len(destinations))))
    assert set(statuses) <= {201, 409}
    with psycopg.connect(clean_database) as conn:
        overlapping = conn.execute(
            "SELECT count(*) FROM custody a JOIN custody b ON a.batch_id = b.batch_id"
            " AND a.id < b.id AND a.during && b.during"
        ).fetchone()
        open_intervals = conn.execute(
            "SELECT count(*) FROM custody WHERE upper_inf(during)"
        ).fetchone()
    assert overlapping == (0,) and open_intervals == (1,)
