"""The village console in headless Chromium on a 360 px phone, with the network cut.

The page is opened once online, reloaded offline (the service worker serves it), entries
and a trip carrying them are made offline and kept in IndexedDB, and once the network is
back each is stored exactly once, even when the answer to a send is lost on the way back.
"""

import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, Route

from schemas.district_time import DISTRICT_TIME
from store.users import NewUserSecrets, create_user

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# Long enough for a send round on a loaded CI machine, after a lost answer waits for the
# console's 15 s retry.
SYNC_TIMEOUT_S = 30.0



@pytest.fixture
def agent(clean_database: str) -> NewUserSecrets:
    with psycopg.connect(clean_database) as conn:
        conn.execute(
            "INSERT INTO locations (code, name, kind) VALUES ('VP-PUTI', '蒲梯村服务点',"
            " 'village_point'), ('VP-XINMIN', '新民村服务点', 'village_point')"
        )
        conn.execute(
            "INSERT INTO producers (code, name, village, phone) VALUES"
            " ('P-SHAMA', '沙马拉格', 'VP-PUTI', '13881301234'),"
            " ('P-ABU', '阿布惹', 'VP-PUTI', NULL), ('P-ELSE', '王某', 'VP-XINMIN', NULL)"
        )
        conn.execute(
            "INSERT INTO producer_plots (producer, code, name)"
            " VALUES ('P-SHAMA', 'QIAOPO', '桥坡地')"
        )
        conn.execute(
            "INSERT INTO products (code, name_zh, name_en, category, certificate_category) VALUES"
            " ('CABBAGE', '高山甘蓝', 'Highland cabbage', 'vegetable', 'vegetable')"
        )
        return create_user(conn, "puti", "village", location="VP-PUTI")


def _wait_until(page: Page, expression: str) -> None:
    """Poll from here: the page's CSP forbids the eval behind ``wait_for_function``."""
    deadline = time.monotonic() + SYNC_TIMEOUT_S
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true: {expression}")
        time.sleep(0.1)


def _trips(database_url: str) -> list[tuple[str, str | None, list[str]]]:
    with psycopg.connect(database_url) as conn:
        return [
            (row[0], row[1], sorted(row[2]))
            for row in conn.execute(
                "SELECT t.origin, t.vehicle, array_agg(h.code) FROM trips t"
                " JOIN trip_deliveries td ON td.trip_id = t.id"
                " JOIN farm_deliveries d ON d.id = td.delivery_id"
                " JOIN harvest_lots h ON h.id = d.harvest_lot_id GROUP BY t.id ORDER BY t.id"
            )
        ]


def _stored(database_url: str) -> list[tuple[str, str, float, bool]]:
    with psycopg.connect(database_url) as conn:
        return [
            (row[0], row[1], float(row[2]), row[3])
            for row in conn.execute(
                "SELECT h.code, d.farmer, h.quantity, d.certificate_photo IS NOT NULL"
                " FROM farm_deliveries d JOIN harvest_lots h ON h.id = d.harvest_lot_id"
                " ORDER BY h.quantity"
            )
        ]


def _photo(folder: str) -> str:
    path = f"{folder}/certificate.png"
    Image.new("RGB", (1800, 1200), (240, 240, 230)).save(path)
    return path


def _record(
    page: Page, farmer: str, quantity: str, certificate: str | None, photo: str | None
) -> str:
    page.select_option("select[name=farmer]", farmer)
    page.select_option("select[name=product]", "CABBAGE")
    page.fill("input[name=quantity]", quantity)
    if certificate is None:
        page.check("input[name=has_certificate][value=no]")
    else:
        page.fill("input[name=certificate_number]", certificate)
        if photo:
            page.set_input_files("input[name=photo]", photo)
    page.click("#delivery-form button[type=submit]")
    page.wait_for_selector("#receipt:not([hidden])")
    return page.locator("#receipt-code").inner_text()


def _lose_first_answer(context: BrowserContext, path: str = "deliveries") -> list[str]:
    """The first send reaches the server, but its answer never reaches the phone."""
    lost: list[str] = []

    def handle(route: Route) -> None:
        if route.request.method == "POST" and not lost:
            route.fetch()
            lost.append(route.request.url)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route(f"**/api/v1/{path}", handle)
    return lost


def test_entries_made_offline_are_stored_exactly_once_when_the_network_returns(
    browser: Browser, live_server: str, agent: NewUserSecrets, clean_database: str, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server) else foreign.append(request.url)
        ),
    )
    page.goto(f"{live_server}/village")
    page.fill("input[name=username]", "puti")
    page.fill("input[name=password]", agent.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/village")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "王某" not in page.locator("select[name=farmer]").inner_text()
    _wait_until(page, "navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.reload()
    assert "蒲梯村服务点" in page.locator("h1").inner_text()
    _wait_until(page, "document.getElementById('network').textContent.includes('离线')")
    photo = _photo(str(tmp_path))
    first = _record(page, "P-SHAMA", "42.5", "HGZ-0117", photo)
    page.click("#receipt-close")
    second = _record(page, "P-ABU", "18", None, None)
    assert page.locator("#receipt").inner_text().count("未提供") == 1
    assert page.locator("#waiting-count").inner_text() == "2"
    assert page.locator("#queue li").count() == 2
    # The two go off on a trip before the signal returns: the trip waits in the queue too.
    page.click("#trip-load")
    page.wait_for_selector("#trip-form:not([hidden])")
    assert page.locator("#trip-deliveries li").count() == 2
    page.fill("#trip-form input[name=vehicle]", "川L·J0101")
    page.click("#trip-form button[type=submit]")
    _wait_until(page, "document.getElementById('waiting-count').textContent === '3'")
    assert "运输" in page.locator("#queue li[data-trip]").inner_text()
    assert "待发送" in page.locator("#trip-result").inner_text()
    page.reload()  # still offline: the queue survives a reload
    _wait_until(page, "document.getElementById('waiting-count').textContent === '3'")
    assert page.locator("#queue li").count() == 3
    assert _stored(clean_database) == [] and _trips(clean_database) == []

    lost = _lose_first_answer(context)
    context.set_offline(False)
    _wait_until(page, "document.getElementById('waiting-count').textContent === '0'")
    assert lost, "the first answer was lost, so that entry was sent twice"
    assert _stored(clean_database) == [
        (second, "P-ABU", 18.0, False),
        (first, "P-SHAMA", 42.5, True),
    ]
    assert _trips(clean_database) == [("VP-PUTI", "川L·J0101", sorted([first, second]))]
    _wait_until(page, "document.getElementById('trip-result').dataset.trip !== undefined")
    # The agent's other phone recorded one more today: the list shows it beside these two.
    now = datetime.now(DISTRICT_TIME)
    other_phone = httpx.post(
        f"{live_server}/api/v1/deliveries",
        json={"id": str(uuid.uuid4()), "farmer": "P-ABU", "product": "CABBAGE",
              "harvest_date": now.date().isoformat(), "quantity": 7, "unit": "kg",
              "certificate": None, "recorded_at": now.isoformat()},
        headers={"Authorization": f"Bearer {agent.token}"},
    )  # fmt: skip
    assert other_phone.status_code == 201, other_phone.text
    page.reload()
    _wait_until(page, "document.querySelectorAll('#today li').length === 3")
    assert other_phone.json()["harvest_lot_code"] in page.locator("#today").inner_text()
    assert len(_stored(clean_database)) == 3

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, "nothing is wider than a 360 px phone"
    assert foreign == [] and errors == []
    context.close()


def test_the_village_page_allows_only_its_own_scripts(live_server: str) -> None:
    public = httpx.get(f"{live_server}/l/NOSUCHLOT0")
    assert "script-src 'none'" in public.headers["content-security-policy"]
    worker = httpx.get(f"{live_server}/village-sw.js")
    policy = worker.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1]


def test_a_station_agent_sends_its_villages_deliveries_to_the_centre_once_offline(
    browser: Browser, live_server: str, agent: NewUserSecrets, clean_database: str
) -> None:
    with psycopg.connect(clean_database) as conn:
        conn.execute(
            "INSERT INTO locations (code, name, kind) VALUES ('TS-HEPING', '和平彝族乡站',"
            " 'township_station')"
        )
        conn.execute("UPDATE locations SET parent = 'TS-HEPING' WHERE code = 'VP-PUTI'")
        station = create_user(conn, "heping", "village", location="TS-HEPING")
    now = datetime.now(DISTRICT_TIME)
    for quantity in (30, 12):
        recorded = httpx.post(
            f"{live_server}/api/v1/deliveries",
            json={"id": str(uuid.uuid4()), "farmer": "P-SHAMA", "product": "CABBAGE",
                  "harvest_date": now.date().isoformat(), "quantity": quantity, "unit": "kg",
                  "certificate": None, "recorded_at": now.isoformat()},
            headers={"Authorization": f"Bearer {agent.token}"},
        )  # fmt: skip
        assert recorded.status_code == 201, recorded.text
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server}/login?next=/village")
    page.fill("input[name=username]", "heping")
    page.fill("input[name=password]", station.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/village")
    assert "沙马拉格" in page.locator("select[name=farmer]").inner_text()
    page.click("#trip-load")  # online: the list is kept for loading it offline
    page.wait_for_selector("#trip-form:not([hidden])")
    _wait_until(page, "navigator.serviceWorker.controller !== null")

    context.set_offline(True)
    page.reload()
    page.click("#trip-load")
    page.wait_for_selector("#trip-form:not([hidden])")
    assert "上次载入" in page.locator("#trip-result").inner_text()
    assert page.locator("#trip-deliveries li").count() == 2
    page.fill("#trip-form input[name=vehicle]", "川L·J0101")
    page.click("#trip-form button[type=submit]")
    _wait_until(page, "document.getElementById('waiting-count').textContent === '1'")
    with psycopg.connect(clean_database) as conn:
        assert conn.execute("SELECT count(*) FROM trips").fetchone() == (0,)

    lost = _lose_first_answer(context, "trips")
    context.set_offline(False)
    _wait_until(page, "document.getElementById('trip-result').dataset.trip !== undefined")
    assert lost, "the trip's first answer was lost, so it was sent twice"
    assert page.locator("#waiting-count").inner_text() == "0"
    code = page.locator("#trip-result").get_attribute("data-trip")
    with psycopg.connect(clean_database) as conn:
        trips = conn.execute(
            "SELECT t.code, t.origin, t.vehicle, count(*) FROM trips t"
            " JOIN trip_deliveries d ON d.trip_id = t.id GROUP BY t.id"
        ).fetchall()
    assert trips == [(code, "TS-HEPING", "川L·J0101", 2)]
    assert errors == []
    context.close()


def test_a_refused_entry_stays_in_view_with_the_reason_until_set_aside(
    browser: Browser, live_server: str, agent: NewUserSecrets, clean_database: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(f"{live_server}/login?next=/village")
    page.fill("input[name=username]", "puti")
    page.fill("input[name=password]", agent.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/village")
    tomorrow = (datetime.now(DISTRICT_TIME) + timedelta(days=1)).date().isoformat()
    page.fill("input[name=harvest_date]", tomorrow)
    _record(page, "P-ABU", "5", None, None)
    _wait_until(page, "document.querySelector('#queue .state-refused') !== null")
    assert "must not be after today" in page.locator("#queue").inner_text()
    assert page.locator("#waiting-count").inner_text() == "0"
    page.click("#queue button.discard")
    _wait_until(page, "document.querySelectorAll('#queue li').length === 0")
    assert _stored(clean_database) == []
    context.close()
