"""The inspector console as a review desk: records in words, paginated and searchable, an
excursion still going on shown as ongoing, and alarms an inspector acknowledges."""

from datetime import timedelta

import psycopg
from fastapi.testclient import TestClient

from store.db import database_now
from store.findings import batch_findings
from tests.api.builders import post, receive, seed_master_data
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    add_readings,
    every_minute,
    move,
    new_batch,
    seed_district,
)

HTML = {"Accept": "text/html"}


def test_an_excursion_still_going_on_is_ongoing_until_the_batch_leaves_or_it_ends(
    db: psycopg.Connection,
) -> None:
    seed_district(db)
    staying = new_batch(db)
    leaving = new_batch(db)
    move(db, leaving, "TRUCK-01", T0 + timedelta(minutes=100))
    add_readings(db, COLD_DEVICE, every_minute(T0, 120, lambda i: 9.0 if i >= 40 else 3.0))
    [found] = batch_findings(db, staying, now=T0 + timedelta(minutes=120))[0]
    assert found.kind == "excursion" and found.ongoing
    assert found.end == T0 + timedelta(minutes=119)
    moved = [f for f in batch_findings(db, leaving, now=T0 + timedelta(minutes=120))[0]
             if f.kind == "excursion"]  # fmt: skip
    assert [f.ongoing for f in moved] == [False]
    # Hours later without a reading the excursion is no longer known to go on.
    later = batch_findings(db, staying, now=T0 + timedelta(hours=5))[0]
    assert not next(f for f in later if f.kind == "excursion").ongoing


def test_the_console_shows_an_ongoing_excursion_as_ongoing(
    db: psycopg.Connection, inspector_client: TestClient
) -> None:
    seed_district(db)
    now = database_now(db).replace(second=0, microsecond=0)
    db.commit()
    lot = new_batch(db, at=now - timedelta(hours=2))
    start = now - timedelta(minutes=90)
    add_readings(db, COLD_DEVICE, every_minute(start, 89, lambda i: 8.0 if i > 30 else 3.5))
    page = inspector_client.get(f"/inspect/batches/{lot}", headers=HTML).text
    row = page.split('class="finding-excursion"', 1)[1].split("</tr>", 1)[0]
    assert "至今仍在持续" in row and "持续中" in row


def test_events_are_listed_in_words_fifty_a_page_and_found_by_lot_or_content(
    client: TestClient, staff_token: str, inspector_client: TestClient
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    other = receive(client, staff_token, quantity=60)["lot_code"]
    for minute in range(52):
        post(client, staff_token, f"/api/v1/batches/{lot}/events",
             {"type": "cleaning", "time": f"2026-05-06T09:{minute:02d}:00+08:00",
              "data": {"operator": "刘师傅", "notes": f"第{minute}次清洗"}})  # fmt: skip
    sorting = {
        "type": "sorting",
        "time": "2026-05-06T11:00:00+08:00",
        "data": {"notes": "按特级分拣"},
    }
    post(client, staff_token, f"/api/v1/batches/{other}/events", sorting)
    first = inspector_client.get("/inspect/events", headers=HTML).text
    assert first.count("<tr><td>") == 50
    assert "清洗" in first and "操作人：</span>刘师傅" in first and "\\u" not in first
    assert 'rel="next"' in first and "第 1 页" in first
    second = inspector_client.get("/inspect/events?page=2", headers=HTML).text
    # 52 cleanings, the sorting, and each batch's receiving: 55 events in all.
    assert second.count("<tr><td>") == 5 and 'rel="next"' not in second and 'rel="prev"' in second
    found = inspector_client.get("/inspect/events", params={"q": "特级"}, headers=HTML).text
    assert found.count("<tr><td>") == 1 and other in found and "分拣" in found
    by_lot = inspector_client.get("/inspect/events", params={"q": other}, headers=HTML).text
    assert by_lot.count("<tr><td>") == 2
    english = inspector_client.get("/inspect/events?lang=en&q=" + other, headers=HTML).text
    assert "Sorting" in english and "Notes: </span>按特级分拣" in english


def test_the_audit_trail_reads_in_words_and_is_searchable_and_paginated(
    client: TestClient, staff_token: str, inspector_client: TestClient
) -> None:
    seed_master_data(client, staff_token)
    lot = receive(client, staff_token)["lot_code"]
    page = inspector_client.get("/inspect/audit", headers=HTML).text
    row = page.split(f"批次 {lot}", 1)[1].split("</tr>", 1)[0]
    assert "数量：</span>120" in row and "采收批" in row and "阿布惹" not in row
    assert "收货登记" in page and "\\u" not in page and "{" not in row
    found = inspector_client.get("/inspect/audit", params={"about": lot}, headers=HTML).text
    assert found.count("<tr><td>") == 1
    nothing = inspector_client.get("/inspect/audit", params={"about": "100%_"}, headers=HTML)
    assert "没有匹配的记录" in nothing.text
    assert inspector_client.get("/inspect/audit?page=0", headers=HTML).status_code == 422
