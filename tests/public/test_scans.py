"""Scans: each resolver hit is logged without an address; copied codes stand out."""

import psycopg
from fastapi.testclient import TestClient

from api.scan_log import client_kind
from tests.fix_api import bearer
from tests.public.stories import GTIN, packed_batch

WECHAT = "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 MicroMessenger/8.0.40.2420"
ALIPAY = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_0) AlipayClient/10.3.0 Language/zh-Hans"


def test_client_types_are_read_coarsely_from_the_user_agent() -> None:
    assert client_kind(WECHAT) == "wechat"
    assert client_kind(ALIPAY) == "alipay"
    assert client_kind("Mozilla/5.0 (compatible; Baiduspider/2.0)") == "bot"
    assert client_kind("curl/8.5.0") == "bot"
    assert client_kind("Mozilla/5.0 (Windows NT 10.0) Chrome/120 Safari/537.36") == "browser"
    assert client_kind(None) == "other"


def test_each_hit_is_logged_with_lot_serial_language_and_client_but_no_address(
    client: TestClient, staff_token: str, database_url: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    client.get(f"/01/{GTIN}/10/{lot}/21/PACK1", headers={"User-Agent": WECHAT})
    client.get(f"/l/{lot}?lang=en", headers={"User-Agent": ALIPAY})
    client.get(f"/01/{GTIN}/10/{lot}", headers={"Accept": "application/ld+json"})
    report = client.get(f"/api/v1/batches/{lot}/scans", headers=bearer(staff_token)).json()
    assert report["total"] == 3
    assert report["by_client"] == {"wechat": 1, "alipay": 1, "other": 1}
    assert report["by_language"] == {"zh": 2, "en": 1}
    assert [s["serial"] for s in report["serials"]] == ["PACK1"]
    with psycopg.connect(database_url) as conn:
        columns = {
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'scans'"
            )
        }
    assert columns == {"id", "at", "lot_code", "serial", "language", "client"}


def test_a_serial_scanned_far_more_often_than_a_pack_could_be_is_flagged(
    client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(client, staff_token)["lot_code"]
    threshold = client.app.state.settings.scan_copy_threshold  # type: ignore[attr-defined]
    for _ in range(threshold + 1):
        client.get(f"/01/{GTIN}/10/{lot}/21/COPIED", headers={"Accept": "application/ld+json"})
    for _ in range(2):
        client.get(f"/01/{GTIN}/10/{lot}/21/HONEST", headers={"Accept": "application/ld+json"})
    report = client.get(f"/api/v1/batches/{lot}/scans", headers=bearer(staff_token)).json()
    flags = {s["serial"]: (s["count"], s["suspected_copy"]) for s in report["serials"]}
    assert flags == {"COPIED": (threshold + 1, True), "HONEST": (2, False)}


def test_scan_counts_are_for_staff_and_shown_on_the_console(
    staff_client: TestClient, staff_token: str
) -> None:
    lot = packed_batch(staff_client, staff_token)["lot_code"]
    staff_client.get(f"/l/{lot}")
    page = staff_client.get("/staff/scans", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert lot in page.text and "扫码统计" in page.text
    anonymous = staff_client.get(
        f"/api/v1/batches/{lot}/scans", headers={"Authorization": "Bearer nobody"}
    )
    assert anonymous.status_code == 401
