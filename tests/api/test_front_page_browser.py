"""The front page in headless Chromium at a cheap phone's width and a desktop's, script-free."""


import httpx
import psycopg
import pytest
from playwright.sync_api import Browser, Page

from tests.api.builders import seed_master_data
from tests.api.front_page_stories import batch_on_sale

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
# The provenance page's budget: one request, small enough for a slow mobile connection.
PAGE_BUDGET_BYTES = 60_000



def _open(browser: Browser, viewport: dict[str, int], url: str) -> tuple[Page, list[str]]:
    """A page with Chinese preferred and JavaScript off, as the CSP leaves it anyway; every
    request it makes is collected."""
    page = browser.new_page(viewport=viewport, locale="zh-CN", java_script_enabled=False)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    return page, requested


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_front_page_fits_the_screen_and_its_search_finds_a_lot_without_script(
    browser: Browser,
    live_server: str,
    staff_token: str,
    db: psycopg.Connection,
    viewport: dict[str, int],
) -> None:
    with httpx.Client(base_url=live_server) as api:
        seed_master_data(api, staff_token)  # type: ignore[arg-type]
        lot = batch_on_sale(api, staff_token, db, "P-ABU", "VP-PUTI")
        body = api.get("/", headers={"Accept": "text/html"}).content
    assert len(body) < PAGE_BUDGET_BYTES
    page, requested = _open(browser, viewport, f"{live_server}/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("h1").inner_text() == "金口河特色农产品"
    assert page.locator(f"a:text-is('{lot}')").is_visible()
    # Nothing wider than the screen: no sideways scrolling on a 360 px phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]
    assert requested == [f"{live_server}/"], "one request: styles inline, no icon, no font"

    page.fill("input[name=lot]", lot.lower())
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url(f"{live_server}/batch/{lot}")
    assert lot in page.locator("main").inner_text()

    page.goto(f"{live_server}/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Jinkouhe produce"
