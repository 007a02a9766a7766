"""承诺达标合格证: received with harvest lots, issued at packing, printed, shown, searched, kept."""

import re
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.api.builders import RECEIVED_AT, post
from tests.api.village import delivery, make_agent, seed_village
from tests.fix_api import bearer

PACKED_AT = "2026-05-06T14:00:00+08:00"


@pytest.fixture
def agent_token(client: TestClient, staff_token: str, clean_database: str) -> str:
    seed_village(client, staff_token)
    post(client, staff_token, "/api/v1/locations",
         {"code": "PC", "name": "金口河区农产品初加工中心", "kind": "processing_room",
          "phone": "0833-2720000"})  # fmt: skip
    post(client, staff_token, "/api/v1/locations",
         {"code": "PC-LINE", "name": "包装线", "kind": "processing_room",
          "parent": "PC"})  # fmt: skip
    return make_agent(clean_database).token


def _batch_from_delivery(
    client: TestClient, staff_token: str, agent_token: str, **changes: Any
) -> str:
    given = client.post("/api/v1/deliveries", json=delivery(**changes), headers=bearer(agent_token))
    assert given.status_code == 201, given.text
    batch = post(client, staff_token, "/api/v1/batches",
                 {"product": given.json()["product"], "deliveries": [given.json()["id"]],
                  "quantity": 42.5, "unit": "kg", "location": "PC-LINE",
                  "received_at": RECEIVED_AT})  # fmt: skip
    return str(batch["lot_code"])


def _event(client: TestClient, token: str, lot: str, body: dict[str, Any]) -> None:
    answer = client.post(f"/api/v1/batches/{lot}/events", json=body, headers=bearer(token))
    assert answer.status_code == 201, answer.text


def _pack(client: TestClient, token: str, lot: str) -> None:
    _event(client, token, lot, {"type": "packing", "time": PACKED_AT})


def test_packing_covered_produce_issues_a_certificate_with_every_required_item(
    client: TestClient, staff_token: str, agent_token: str
) -> None:
    lot = _batch_from_delivery(client, staff_token, agent_token)
    _event(client, staff_token, lot,
           {"type": "testing", "time": "2026-05-06T11:00:00+08:00",
            "data": {"passed": True, "lab": "乐山市农产品质量检测中心",
                     "standard": "GB 2763-2021", "moisture_percent": 80.5}})  # fmt: skip
    _pack(client, staff_token, lot)
    found = client.get(f"/api/v1/batches/{lot}/certificates", headers=bearer(staff_token)).json()
    issued = found["issued"]
    assert issued["product_name"] == "高山甘蓝" and issued["quantity"] == 42.5
    assert issued["issuer_name"] == "金口河区农产品初加工中心"
    assert issued["issuer_contact"] == "0833-2720000"
    assert issued["origin"] == "蒲梯村服务点"
    assert (
        issued["basis"] == "commissioned_test" and issued["tests"][0]["standard"] == "GB 2763-2021"
    )
    assert "禁用农药" in issued["commitment"]
    assert issued["received"] == ["HGZ-2026-0117"]
    assert issued["issued_at"].startswith("2026-05-06T06:00")
    assert issued["kept_until"] >= "2028-05-05"
    assert found["received"][0]["number"] == "HGZ-2026-0117"
    assert found["received"][0]["missing"] is False

    pdf = client.get(f"/api/v1/batches/{lot}/certificate.pdf", headers=bearer(staff_token))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    box = re.search(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf.content)
    assert box is not None
    assert (round(float(box[1]) * 25.4 / 72), round(float(box[2]) * 25.4 / 72)) == (100, 70)

    zpl = client.get(f"/api/v1/batches/{lot}/certificate.zpl?dpi=203", headers=bearer(staff_token))
    assert zpl.status_code == 200 and "承诺达标合格证" in zpl.text and "^BQN" in zpl.text
    assert "^PW799" in zpl.text, "100 mm at 203 dpi"
    tspl = client.get(f"/api/v1/batches/{lot}/certificate.tspl", headers=bearer(staff_token))
    assert tspl.status_code == 200 and "SIZE 100 mm, 70 mm" in tspl.text and "QRCODE" in tspl.text

    page = client.get(f"/l/{lot}", headers={"Accept-Language": "zh-CN"})
    assert "承诺达标合格证" in page.text and issued["number"] in page.text
    assert "HGZ-2026-0117" not in page.text, "farmers' certificate numbers stay with inspectors"


def test_the_basis_is_quality_control_without_tests_and_none_after_a_failed_one(
    client: TestClient, staff_token: str, agent_token: str
) -> None:
    plain = _batch_from_delivery(client, staff_token, agent_token)
    _pack(client, staff_token, plain)
    issued = client.get(f"/api/v1/certificates?q={plain}", headers=bearer(staff_token)).json()
    assert [one["basis"] for one in issued] == ["quality_control"]
    failed = _batch_from_delivery(client, staff_token, agent_token)
    _event(client, staff_token, failed,
           {"type": "testing", "time": "2026-05-06T11:00:00+08:00",
            "data": {"passed": False, "instrument": "快检仪", "lab": "金口河区农检站",
                     "standard": "GB 2763-2021",
                     "pesticide_residue": [{"substance": "毒死蜱", "value_mg_kg": 0.05,
                                            "limit_mg_kg": 0.02}]}})  # fmt: skip
    _pack(client, staff_token, failed)
    answer = client.get(f"/api/v1/batches/{failed}/certificate.pdf", headers=bearer(staff_token))
    assert answer.status_code == 404 and "no certificate" in answer.json()["error"]["message"]


def test_uncovered_produce_gets_no_certificate_and_a_lot_without_one_is_flagged(
    client: TestClient, staff_token: str, agent_token: str
) -> None:
    walnuts = _batch_from_delivery(
        client, staff_token, agent_token, product="WALNUT", certificate=None
    )
    _pack(client, staff_token, walnuts)
    found = client.get(f"/api/v1/batches/{walnuts}/certificates", headers=bearer(staff_token))
    assert found.json()["issued"] is None and found.json()["received"][0]["missing"] is False
    bare = _batch_from_delivery(client, staff_token, agent_token, certificate=None)
    flagged = client.get(f"/api/v1/batches/{bare}/certificates", headers=bearer(staff_token))
    assert flagged.json()["received"][0]["missing"] is True


def test_inspectors_search_and_export_issued_certificates(
    client: TestClient, staff_token: str, agent_token: str, inspector_token: str
) -> None:
    lot = _batch_from_delivery(client, staff_token, agent_token)
    _pack(client, staff_token, lot)
    by_farmers_number = client.get(
        "/api/v1/certificates?q=HGZ-2026-0117", headers=bearer(inspector_token)
    ).json()
    assert [one["lot_code"] for one in by_farmers_number] == [lot]
    day = client.get(
        "/api/v1/certificates?from=2026-05-06&to=2026-05-06", headers=bearer(inspector_token)
    ).json()
    assert len(day) == 1
    later = client.get("/api/v1/certificates?from=2026-05-07", headers=bearer(inspector_token))
    assert later.json() == []
    exported = client.get("/api/v1/certificates.csv", headers=bearer(inspector_token))
    assert exported.status_code == 200
    assert exported.text.lstrip("\ufeff").splitlines()[1].startswith(day[0]["number"])
    assert client.get("/api/v1/certificates").status_code == 401


def test_an_issued_certificate_is_kept_two_years_and_never_changed(
    client: TestClient, staff_token: str, agent_token: str, clean_database: str
) -> None:
    lot = _batch_from_delivery(client, staff_token, agent_token)
    _pack(client, staff_token, lot)
    with psycopg.connect(clean_database) as conn:
        with pytest.raises(psycopg.errors.RestrictViolation, match="kept until"):
            conn.execute("DELETE FROM issued_certificates")
        conn.rollback()
        with pytest.raises(psycopg.errors.RestrictViolation, match="never changed"):
            conn.execute("UPDATE issued_certificates SET origin = '别处'")
        conn.rollback()
        with pytest.raises(psycopg.errors.RestrictViolation, match="kept two years"):
            conn.execute("DELETE FROM farm_deliveries")


def test_the_inspector_console_lists_issued_and_flags_missing_certificates(
    client: TestClient, staff_token: str, agent_token: str, inspector_client: TestClient
) -> None:
    packed = _batch_from_delivery(client, staff_token, agent_token)
    _pack(client, staff_token, packed)
    bare = _batch_from_delivery(client, staff_token, agent_token, certificate=None)
    html = {"Accept": "text/html"}
    listing = inspector_client.get("/inspect/certificates?q=高山", headers=html)
    assert listing.status_code == 200 and packed in listing.text and bare not in listing.text
    unreadable = inspector_client.get("/inspect/certificates?from=2026-13-99", headers=html)
    assert unreadable.status_code == 200
    one = inspector_client.get(f"/inspect/certificates/{packed}", headers=html)
    assert "HGZ-2026-0117" in one.text and "委托检测合格" not in one.text
    assert "质量安全控制符合要求" in one.text
    flagged = inspector_client.get(f"/inspect/certificates/{bare}", headers=html)
    assert "缺少合格证" in flagged.text


def test_the_staff_batch_page_links_the_packed_batchs_certificate(
    staff_client: TestClient, staff_token: str, agent_token: str
) -> None:
    lot = _batch_from_delivery(staff_client, staff_token, agent_token)
    _pack(staff_client, staff_token, lot)
    page = staff_client.get(f"/staff/batches/{lot}", headers={"Accept": "text/html"})
    assert f"/api/v1/batches/{lot}/certificate.pdf" in page.text
    assert f"/api/v1/batches/{lot}/certificate.zpl" in page.text


def test_a_certificate_number_another_producer_handed_over_too_is_flagged(
    client: TestClient, staff_token: str, agent_token: str, inspector_client: TestClient
) -> None:
    post(client, staff_token, "/api/v1/producers",
         {"code": "P-ABU2", "name": "阿布二", "village": "VP-PUTI"})  # fmt: skip
    own = _batch_from_delivery(client, staff_token, agent_token)
    borrowed = _batch_from_delivery(
        client, staff_token, agent_token, farmer="P-ABU2", plot=None
    )
    found = client.get(f"/api/v1/batches/{borrowed}/certificates", headers=bearer(staff_token))
    assert found.json()["received"][0]["number_elsewhere"] is True
    page = inspector_client.get(f"/inspect/certificates/{own}", headers={"Accept": "text/html"})
    assert "编号与其他生产者重复" in page.text
