"""The staff console as a day's work: names, cold-chain state and alarms where staff look,
mass balance, tests that need their results, recalls, and forms only where they apply."""

from datetime import UTC, datetime

import psycopg
from fastapi.testclient import TestClient

from store.devices import add_device
from tests.api.builders import seed_master_data
from tests.api.test_staff_console import HTML, _csrf, _receive_form


def _post(client: TestClient, lot: str, action: str, fields: dict[str, str]) -> tuple[int, str]:
    page = client.get(f"/staff/batches/{lot}", headers=HTML).text
    answer = client.post(
        f"/staff/batches/{lot}/{action}",
        data={"csrf_token": _csrf(page, f"/staff/batches/{lot}/{action}"), **fields},
        headers=HTML,
        follow_redirects=False,
    )
    return answer.status_code, answer.text


def test_home_shows_names_status_words_verdicts_and_the_open_alarms(
    staff_client: TestClient, staff_token: str, db: psycopg.Connection
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)
    add_device(db, "COLD-T1", "probe", "PC-RECEIVING", datetime(2026, 5, 1, tzinfo=UTC), 60)
    db.execute(
        "INSERT INTO alarms (kind, device_id, metric, location, started_at, peak)"
        " VALUES ('excursion', 'COLD-T1', 'temp', 'PC-RECEIVING', '2026-05-06T01:00Z', 9.5)"
    )
    db.commit()
    page = staff_client.get("/staff", headers=HTML).text
    row = page.split("<tbody>", 1)[1].split(f">{lot}</a>", 1)[1].split("</tr>", 1)[0]
    assert "加工中心收货区" in row and "PC-RECEIVING" not in row
    assert "加工中心" in row and "加工中" in row and "in_processing" not in row
    assert "整理中" in row or "暂无温度记录" in row
    alarms = page.split('id="alarms"', 1)[1].split("</section>", 1)[0]
    # Beijing time: 01:00 UTC is 09:00 in Jinkouhe.
    assert "温度超标" in alarms and "2026-05-06 09:00" in alarms and "9.5 °C" in alarms
    batch_page = staff_client.get(f"/staff/batches/{lot}", headers=HTML).text
    assert "本批次所在地点有未关闭的告警" in batch_page


def test_a_test_needs_its_lab_standard_verdict_and_a_result_and_has_no_default(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)
    page = staff_client.get(f"/staff/batches/{lot}", headers=HTML).text
    test_form = page.split('id="test-form"', 1)[1].split("</form>", 1)[0]
    assert "checked" not in test_form and "selected" not in test_form
    assert "记录检测结果" in page
    full = {"type": "testing", "time": "2026-05-06T10:00", "lab": "农检站",
            "standard": "GB 2763-2021", "passed": "yes", "moisture_percent": "12"}  # fmt: skip
    for missing, words in [
        ("lab", "请填写检测机构"),
        ("standard", "请填写依据的标准"),
        ("passed", "请选择检测结论"),
        ("moisture_percent", "请至少填写一项检测结果"),
    ]:
        fields = {key: value for key, value in full.items() if key != missing}
        status, text = _post(staff_client, lot, "events", fields)
        assert status == 422 and words in text, missing
    status, _ = _post(staff_client, lot, "events", {"type": "testing", "time": "2026-05-06T10:00"})
    assert status == 422
    assert _post(staff_client, lot, "events", full)[0] == 303
    assert "合格" in staff_client.get(f"/l/{lot}", headers=HTML).text


def test_harvest_lots_that_do_not_add_up_are_flagged_and_an_accepted_difference_is_audited(
    staff_client: TestClient, staff_token: str, db: psycopg.Connection
) -> None:
    seed_master_data(staff_client, staff_token)
    page = staff_client.get("/staff/receive", headers=HTML).text
    fields = {
        "csrf_token": _csrf(page, "/staff/receive"), "product": "TIANMA-FRESH",
        "quantity": "48", "unit": "kg", "location": "PC-RECEIVING",
        "received_at": "2026-05-06T08:30", "producer_1": "P-ABU", "village_1": "VP-PUTI",
        "harvest_date_1": "2026-05-05", "harvest_quantity_1": "50",
    }  # fmt: skip
    refused = staff_client.post("/staff/receive", data=fields, headers=HTML)
    assert refused.status_code == 422
    assert "收货数量 48 与采收批合计 50 不符（相差 -2）" in refused.text
    assert 'name="accept_mismatch"' in refused.text
    accepted = staff_client.post(
        "/staff/receive", data={**fields, "accept_mismatch": "yes"}, headers=HTML,
        follow_redirects=False,
    )  # fmt: skip
    assert accepted.status_code == 303
    lot = accepted.headers["location"].split("/")[-1].split("?")[0]
    batch_page = staff_client.get(f"/staff/batches/{lot}", headers=HTML).text
    assert "采收批合计 50 kg" in batch_page and "数量不符 -2" in batch_page
    note = db.execute(
        "SELECT details FROM audit_log WHERE action = 'accept_mass_balance' AND object = %s",
        (f"batch {lot}",),
    ).fetchone()
    assert note is not None and note[0] == {"check": "receiving", "expected": 50, "entered": 48}


def test_trimming_shows_its_yield_and_a_split_that_does_not_add_up_is_flagged(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)  # 80 kg
    trimmed = {"type": "trimming", "time": "2026-05-06T10:00", "weight_after": "72"}
    assert _post(staff_client, lot, "events", trimmed)[0] == 303
    assert "得率 90.0%" in staff_client.get(f"/staff/batches/{lot}", headers=HTML).text
    heavier = {**trimmed, "weight_after": "95"}
    status, text = _post(staff_client, lot, "events", heavier)
    assert status == 422 and "处理后重量 95 大于本批次数量 80" in text
    split = {"quantities": "40, 30", "time": "2026-05-06T13:00"}
    status, text = _post(staff_client, lot, "split", split)
    assert status == 422 and "子批合计 70 与本批次数量 80 不符（相差 -10）" in text
    assert 'name="accept_mismatch"' in text.split('id="split-form"', 1)[1].split("</form>")[0]
    assert _post(staff_client, lot, "split", {**split, "accept_mismatch": "yes"})[0] == 303


def test_a_consumed_batch_shows_no_forms_and_refuses_them_in_words(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)
    assert _post(staff_client, lot, "split", {"quantities": "40,40"})[0] == 303
    page = staff_client.get(f"/staff/batches/{lot}", headers=HTML).text
    assert "本批次已分批或合并为其他批次" in page
    assert 'action="/staff/batches/' not in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = staff_client.post(
        f"/staff/batches/{lot}/moves",
        data={"csrf_token": token, "location": "PC-COLD", "time": "2026-05-07T08:00"},
        headers=HTML,
    )
    assert answer.status_code == 422 and "请在新批次上继续记录" in answer.text


def test_staff_recall_a_batch_from_the_console_with_its_reason(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)
    status, text = _post(staff_client, lot, "recall", {"reason": " "})
    assert status == 422 and "请填写召回原因" in text
    assert _post(staff_client, lot, "recall", {"reason": "检出农残超标"})[0] == 303
    page = staff_client.get(f"/staff/batches/{lot}", headers=HTML).text
    assert "已召回" in page and "本批次已召回，不能再记录" in page
    public = staff_client.get(f"/l/{lot}", headers=HTML).text
    assert "本批次已召回" in public and "检出农残超标" in public


def test_a_refused_field_is_named_with_what_is_wrong_in_words(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    page = staff_client.get("/staff/receive", headers=HTML).text
    answer = staff_client.post(
        "/staff/receive",
        data={"csrf_token": _csrf(page, "/staff/receive"), "product": "TIANMA-FRESH",
              "quantity": "-3", "unit": "kg", "location": "PC-RECEIVING",
              "received_at": "2026-05-06T08:30", "producer_1": "P-ABU", "village_1": "VP-PUTI",
              "harvest_date_1": "2026-05-05", "harvest_quantity_1": "80"},
        headers=HTML,
    )  # fmt: skip
    assert answer.status_code == 422
    assert "填写有误： 数量：不能小于 0" in answer.text or "数量：须大于 0" in answer.text
    assert "Input should" not in answer.text
