"""Times people enter are bounded; rows stored before the bounds existed break no reader."""

import secrets
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from schemas.settings import Settings
from store.db import connect
from tests.api.builders import RECEIVED_AT, receive, seed_master_data
from tests.api.test_staff_console import _csrf, _receive_form
from tests.fix_api import bearer
from watch.rounds import watch_once

HTML = {"Accept": "text/html"}


def _ahead(**delta: float) -> str:
    return (datetime.now(UTC) + timedelta(**delta)).isoformat()


def _post_event(client: TestClient, token: str, lot: str, time: str) -> dict:
    answer = client.post(
        f"/api/v1/batches/{lot}/events",
        json={"type": "storing", "time": time, "location": "PC-COLD"},
        headers=bearer(token),
    )
    return {"status": answer.status_code, **answer.json()}


@pytest.fixture
def lot(client: TestClient, staff_token: str) -> str:
    seed_master_data(client, staff_token)
    return receive(client, staff_token)["lot_code"]


@pytest.mark.parametrize("time", ["9999-12-31T23:59:59Z", "2014-12-31T23:59:59+08:00"])
def test_an_event_time_out_of_bounds_is_refused_naming_the_field(
    client: TestClient, staff_token: str, lot: str, time: str
) -> None:
    answer = _post_event(client, staff_token, lot, time)
    assert answer["status"] == 422
    assert answer["error"]["message"].startswith("body.time: must not be")


def test_an_hour_ahead_is_refused_and_two_minutes_ahead_allowed(
    client: TestClient, staff_token: str, lot: str
) -> None:
    refused = _post_event(client, staff_token, lot, _ahead(hours=1))
    assert refused["status"] == 422
    assert "300 s ahead of the server's clock" in refused["error"]["message"]
    assert _post_event(client, staff_token, lot, _ahead(minutes=2))["status"] == 201


def test_how_far_ahead_is_a_setting(api_settings: Settings, staff_token: str) -> None:
    settings = api_settings.model_copy(update={"time_ahead_tolerance_s": 3600})
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        seed_master_data(client, staff_token)
        lot = receive(client, staff_token)["lot_code"]
        assert _post_event(client, staff_token, lot, _ahead(minutes=30))["status"] == 201
        assert _post_event(client, staff_token, lot, _ahead(minutes=70))["status"] == 422


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"received_at": "2014-06-01T08:00:00+08:00"}, "body.received_at"),
        ({"received_at": "9999-12-31T23:59:59Z"}, "body.received_at"),
        ({"harvest_date": "2014-12-31"}, "body.harvest_lots.0.harvest_date"),
        ({"harvest_date": "9999-12-31"}, "body.harvest_lots.0.harvest_date"),
    ],
)
def test_receiving_refuses_times_and_dates_out_of_bounds(
    client: TestClient, staff_token: str, change: dict, field: str
) -> None:
    seed_master_data(client, staff_token)
    harvest = {"producer": "P-ABU", "village": "VP-PUTI", "harvest_date": "2026-05-05",
               "quantity": 10, "unit": "kg"}  # fmt: skip
    if "harvest_date" in change:
        harvest["harvest_date"] = change["harvest_date"]
    body = {
        "product": "TIANMA-FRESH", "harvest_lots": [harvest], "quantity": 10, "unit": "kg",
        "location": "PC-RECEIVING", "received_at": change.get("received_at", RECEIVED_AT),
    }  # fmt: skip
    answer = client.post("/api/v1/batches", json=body, headers=bearer(staff_token))
    assert answer.status_code == 422
    assert answer.json()["error"]["message"].startswith(f"{field}: must not be")


def test_the_console_refuses_a_move_hours_ahead(staff_client: TestClient, staff_token: str) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)
    page = staff_client.get(f"/staff/batches/{lot}", headers=HTML)
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).astimezone().strftime("%Y-%m-%dT%H:%M")
    answer = staff_client.post(
        f"/staff/batches/{lot}/moves",
        data={"csrf_token": _csrf(page.text, f"/staff/batches/{lot}/moves"),
              "location": "PC-COLD", "time": tomorrow},
        headers=HTML,
    )  # fmt: skip
    assert answer.status_code == 422
    assert "时间：不能晚于当前时间" in answer.text


def test_rows_stored_before_the_bounds_break_no_list_page_or_watcher_round(
    client: TestClient, staff_token: str, admin_token: str, clean_database: str
) -> None:
    seed_master_data(client, staff_token)
    sound = receive(client, staff_token)["lot_code"]
    broken = receive(client, staff_token)["lot_code"]
    # What a far-future storing and packing event left behind before input was bounded.
    with psycopg.connect(clean_database) as conn:
        conn.execute(
            "INSERT INTO events (event_id, batch_id, type, business_step, time, location)"
            " SELECT gen_random_uuid(), id, 'storing', 'storing', '9999-12-31T23:59:59Z',"
            " 'PC-COLD' FROM batches WHERE lot_code = %s",
            (broken,),
        )
        conn.execute(
            "UPDATE batches SET best_before = '10000-01-31', packed_at = '9999-12-31T23:59:59Z'"
            " WHERE lot_code = %s",
            (broken,),
        )
    listed = client.get("/api/v1/batches", headers=bearer(admin_token))
    assert listed.status_code == 200
    by_lot = {batch["lot_code"]: batch for batch in listed.json()}
    assert set(by_lot) == {sound, broken}
    assert by_lot[broken]["best_before"] is None  # unloadable: shown as unknown
    pages = [
        "/staff", "/inspect", f"/l/{broken}", f"/l/{sound}",
        f"/api/v1/batches/{broken}/label.svg", f"/api/v1/batches/{broken}/findings",
        f"/api/v1/batches/{broken}/epcis", f"/api/v1/exports/kde.csv?lot={broken}",
    ]  # fmt: skip
    for path in pages:
        answer = client.get(path, headers=bearer(admin_token))
        assert answer.status_code == 200, (path, answer.text[:300])
    # A correcting event with a sound time is accepted.
    assert _post_event(client, staff_token, broken, _ahead(minutes=-1))["status"] == 201
    with connect(clean_database, autocommit=True) as conn:
        settings = Settings(database_url=clean_database, secret_key=secrets.token_hex(16))
        assert watch_once(conn, settings) == []  # the round completes, with no alarm to raise
