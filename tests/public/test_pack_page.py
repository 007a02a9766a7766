"""The page answers for the pack in hand: its own scan count, and a warning for a copied code."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from schemas.settings import Settings
from tests.api.builders import post, receive, seed_master_data
from tests.fix_api import bearer

HTML = {"Accept": "text/html"}
GTIN = "06901234567908"
COPY_SCANS = 3


@pytest.fixture
def client(api_settings: Settings) -> Iterator[TestClient]:
    """The application with a low copy threshold, so a test can cross it."""
    settings = api_settings.model_copy(update={"scan_copy_threshold": COPY_SCANS})
    app: FastAPI = create_app(settings)
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def _packs(client: TestClient, token: str) -> tuple[str, list[str]]:
    seed_master_data(client, token)
    post(client, token, "/api/v1/products", {
        "code": "TIANMA-500G", "name_zh": "金口河乌天麻（鲜）500 克装",
        "name_en": "Gastrodia 500 g", "category": "medicinal herb", "gtin": GTIN,
        "storage_profile": {"temp_min": 2, "temp_max": 5},
        "pack_size": {"quantity": 500, "unit": "g"},
    })  # fmt: skip
    lot = receive(client, token, product="TIANMA-500G", quantity=1)["lot_code"]
    packing = {"type": "packing", "time": "2026-05-06T14:30:00+08:00", "data": {"packs": 2}}
    post(client, token, f"/api/v1/batches/{lot}/events", packing)
    packs = client.get(f"/api/v1/batches/{lot}/packs", headers=bearer(token)).json()
    return lot, [pack["uri"].removeprefix("https://trace.example.cn") for pack in packs]


def _count(page: str) -> int:
    found = re.search(r"本码第 (\d+) 次查询，首次查询于 \d{4}-\d\d-\d\d \d\d:\d\d。", page)
    assert found, "the page tells the code's scan count and first scan"
    return int(found.group(1))


def test_each_pack_counts_its_own_scans_and_no_cache_answers_for_them(
    client: TestClient, staff_token: str
) -> None:
    _, (first, second) = _packs(client, staff_token)
    answers = [client.get(first, headers=HTML) for _ in range(3)]
    assert [_count(answer.text) for answer in answers] == [1, 2, 3]
    assert all(answer.headers["cache-control"] == "no-store" for answer in answers)
    assert "etag" not in answers[0].headers
    assert _count(client.get(second, headers=HTML).text) == 1
    assert "此码可能被复制" not in answers[-1].text


def test_a_serial_scanned_more_than_one_pack_would_be_is_flagged(
    client: TestClient, staff_token: str
) -> None:
    _, (first, _) = _packs(client, staff_token)
    pages = [client.get(first, headers=HTML).text for _ in range(COPY_SCANS + 1)]
    assert "此码可能被复制" not in pages[COPY_SCANS - 1]
    assert "此码可能被复制" in pages[COPY_SCANS] and "12315" in pages[COPY_SCANS]
    english = client.get(f"{first}?lang=en", headers=HTML).text
    assert "This code may have been copied" in english


def test_a_serial_scanned_on_many_days_is_flagged(
    client: TestClient, staff_token: str, database_url: str
) -> None:
    lot, (first, _) = _packs(client, staff_token)
    serial = first.rsplit("/", 1)[1]
    earlier = [datetime.now(UTC) - timedelta(days=day) for day in range(1, 9)]
    with psycopg.connect(database_url) as conn:
        for at in earlier:
            conn.execute(
                "INSERT INTO scans (at, lot_code, serial, language, client)"
                " VALUES (%s, %s, %s, 'zh', 'wechat')",
                (at, lot, serial),
            )
    page = client.get(first, headers=HTML).text
    assert _count(page) == 9 and "此码可能被复制" in page and "9 天内" in page
    report = client.get(f"/api/v1/batches/{lot}/scans", headers=bearer(staff_token)).json()
    [flagged] = [row for row in report["serials"] if row["serial"] == serial]
    assert flagged["days"] == 9 and flagged["suspected_copy"], "staff see the same rule"


def test_a_serial_the_batch_never_packed_is_called_out(
    client: TestClient, staff_token: str
) -> None:
    lot, _ = _packs(client, staff_token)
    page = client.get(f"/01/{GTIN}/10/{lot}/21/FAKE000001", headers=HTML).text
    assert "本批次没有这个包装序列号" in page


def test_scans_keep_no_address_or_identifier_of_the_scanner(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        columns = {
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'scans'"
            )
        }
    assert columns == {"id", "at", "lot_code", "serial", "language", "client"}
