"""The staff console in headless Chromium at a phone's, a tablet's and a desktop's size, with no
request leaving the site."""


import psycopg
import pytest
from playwright.sync_api import Browser, Page

from store.users import NewUserSecrets, create_user
from tests.api.builders import RECEIVED_AT

pytestmark = pytest.mark.browser

# A cheap phone, a 10-inch tablet held upright at the packing line, an office screen.
PHONE = {"width": 360, "height": 740}
TABLET = {"width": 800, "height": 1280}
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = pytest.mark.parametrize(
    "viewport", [PHONE, TABLET, DESKTOP], ids=["phone", "tablet", "desktop"]
)



@pytest.fixture
def packer(clean_database: str) -> NewUserSecrets:
    with psycopg.connect(clean_database) as conn:
        created = create_user(conn, "packer", "staff")
        for code, name, kind in [
            ("VP-PUTI", "蒲梯村服务点", "village_point"),
            ("PC-RECEIVING", "加工中心收货区", "processing_room"),
            ("PC-COLD", "加工中心冷库", "cold_store"),
        ]:
            conn.execute(
                "INSERT INTO locations (code, name, kind) VALUES (%s, %s, %s)", (code, name, kind)
            )
        conn.execute(
            "INSERT INTO producers (code, name, village, public_name_consent)"
            " VALUES ('P-ABU', '阿布惹', 'VP-PUTI', true)"
        )
        conn.execute(
            "INSERT INTO products (code, name_zh, name_en, category, temp_min, temp_max)"
            " VALUES ('TIANMA-FRESH', '金口河乌天麻（鲜）', 'Fresh gastrodia', 'herb', 2, 5)"
        )
    return created


def _watch(page: Page, origin: str) -> tuple[list[str], list[str]]:
    """Collect requests to other origins and console errors while the test runs."""
    foreign: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(origin) else foreign.append(request.url),
    )
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return foreign, errors


@VIEWPORTS
def test_console_pages_render_in_chromium_at_every_size(
    browser: Browser, live_server: str, packer: NewUserSecrets, viewport: dict[str, int]
) -> None:
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    foreign, errors = _watch(page, live_server)
    page.goto(f"{live_server}/staff")
    assert page.url.startswith(f"{live_server}/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.fill("input[name=username]", "packer")
    page.fill("input[name=password]", packer.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/staff")
    assert page.locator("h1").inner_text() == "加工中心工作台"

    page.click("text=收货登记")
    page.fill("input[name=quantity]", "80")
    page.fill("input[name=received_at]", RECEIVED_AT[:16])
    page.fill("input[name=harvest_quantity_1]", "80")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/staff/batches/**")
    lot = page.url.split("/staff/batches/")[1].split("?")[0]
    assert page.locator("h1 .lot").inner_text() == lot
    assert page.locator("[role=status]").inner_text() == "已保存"

    page.select_option("form[action$='/moves'] select[name=location]", "PC-COLD")
    page.fill("form[action$='/moves'] input[name=time]", "2026-05-06T12:00")
    page.click("form[action$='/moves'] button[type=submit]")
    page.wait_for_load_state()
    assert "加工中心冷库" in page.locator("table").last.inner_text()

    assert page.locator("text=冷链状态").count() >= 1
    assert page.locator("#recall-form").is_visible()
    # Nothing wider than the screen: every control is reachable without sideways scrolling.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.click("text=English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Processing record" in page.content()
    assert foreign == [], "the console loads nothing from other sites"
    assert errors == []
