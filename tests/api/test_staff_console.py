"""The staff console's forms: receive, record a step, move, split, all behind CSRF."""

import re

from fastapi.testclient import TestClient

from tests.api.builders import seed_master_data

HTML = {"Accept": "text/html"}


def _csrf(page: str, action: str) -> str:
    """The CSRF token inside the form that posts to ``action``."""
    form = re.search(rf'<form method="post" action="{re.escape(action)}".*?</form>', page, re.S)
    assert form is not None, f"no form posting to {action}"
    match = re.search(r'name="csrf_token" value="([^"]+)"', form.group(0))
    assert match is not None, f"the form posting to {action} has no CSRF token"
    return match.group(1)


def _receive_form(client: TestClient) -> str:
    page = client.get("/staff/receive", headers=HTML)
    assert page.status_code == 200
    answer = client.post(
        "/staff/receive",
        data={
            "csrf_token": _csrf(page.text, "/staff/receive"),
            "product": "TIANMA-FRESH", "grade": "一级",
            "quantity": "80", "unit": "kg", "location": "PC-RECEIVING",
            "received_at": "2026-05-06T08:30", "producer_1": "P-ABU", "village_1": "VP-PUTI",
            "harvest_date_1": "2026-05-05", "harvest_quantity_1": "80",
        },
        headers=HTML,
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    return answer.headers["location"].split("/")[-1].split("?")[0]


def test_staff_receive_a_lot_record_a_step_move_and_split_from_the_console(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)
    page = staff_client.get(f"/staff/batches/{lot}", headers=HTML)
    assert page.status_code == 200 and lot in page.text and "金口河乌天麻（鲜）" in page.text
    posts = [
        ("events", {"type": "testing", "time": "2026-05-06T10:00", "passed": "no",
                    "moisture_percent": "81", "lab": "农检站", "standard": "NY/T 2320-2013"}),
        ("moves", {"location": "PC-COLD", "time": "2026-05-06T12:00"}),
        ("split", {"quantities": "40，40", "time": "2026-05-06T13:00"}),
    ]  # fmt: skip
    for action, fields in posts:
        answer = staff_client.post(
            f"/staff/batches/{lot}/{action}",
            data={"csrf_token": _csrf(page.text, f"/staff/batches/{lot}/{action}"), **fields},
            headers=HTML, follow_redirects=False,
        )  # fmt: skip
        assert answer.status_code == 303, answer.text
    page = staff_client.get(f"/staff/batches/{lot}", headers=HTML).text
    assert "不合格" in page and "加工中心冷库" in page and page.count('href="/staff/batches/') >= 2


def test_a_move_before_the_batch_arrived_is_refused_in_words_in_beijing_time(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)
    page = staff_client.get(f"/staff/batches/{lot}", headers=HTML)
    answer = staff_client.post(
        f"/staff/batches/{lot}/moves",
        data={
            "csrf_token": _csrf(page.text, f"/staff/batches/{lot}/moves"),
            "location": "PC-COLD",
            "time": "2026-05-01T08:00",
        },
        headers=HTML,
    )
    assert answer.status_code == 422
    assert (
        "转移时间 2026-05-01 08:00 早于本批次到达加工中心收货区的时间 2026-05-06 08:30"
        in answer.text
    )
    assert "+00:00" not in answer.text and "PC-RECEIVING</" not in answer.text


def test_console_forms_without_the_csrf_token_are_refused(
    staff_client: TestClient, staff_token: str
) -> None:
    seed_master_data(staff_client, staff_token)
    lot = _receive_form(staff_client)
    answer = staff_client.post(
        f"/staff/batches/{lot}/moves", data={"location": "PC-COLD"}, headers=HTML
    )
    assert answer.status_code == 403


def test_the_console_refuses_an_inspector(inspector_client: TestClient) -> None:
    assert inspector_client.get("/staff/receive", headers=HTML).status_code == 403


def test_the_console_speaks_english_on_request(staff_client: TestClient) -> None:
    page = staff_client.get("/staff?lang=en", headers=HTML)
    assert '<html lang="en">' in page.text and "Processing centre console" in page.text
    assert staff_client.get("/staff", headers=HTML).text.count("Receive a lot") >= 1
