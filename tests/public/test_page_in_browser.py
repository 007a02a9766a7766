"""The provenance page in headless Chromium at a cheap phone's width, as a shopper sees it."""

from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Request, Route, sync_playwright

from tests.public.photo_story import batch_with_cold_chain_and_photo

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 360, "height": 740}
PAGE_BUDGET_BYTES = 60_000
# The cumulative layout shift so far, from the browser's own record of it.
LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 300);  // no entry at all is the good case
})"""


def test_the_page_at_360px_shows_the_verdict_first_stays_on_the_host_and_needs_no_script(
    client: TestClient,
    staff_token: str,
    db: psycopg.Connection,
    live_server: str,
) -> None:
    lot = batch_with_cold_chain_and_photo(client, staff_token, db)
    # The page a scan is redirected to (the redirect itself: tests/public/test_resolver.py).
    url = f"{live_server}/batch/{lot}"
    requested: list[str] = []
    console_errors: list[str] = []
    received_bytes = 0

    def only_this_host(route: Route, request: Request) -> None:
        requested.append(request.url)
        if request.url.startswith(live_server + "/"):
            route.continue_()
        else:
            route.abort()

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        try:
            for scripts in (True, False):
                context = browser.new_context(
                    viewport=PHONE, locale="zh-CN", java_script_enabled=scripts
                )
                page = context.new_page()
                page.route("**/*", only_this_host)
                page.on("console", lambda m: m.type == "error" and console_errors.append(m.text))
                page.on("pageerror", lambda error: console_errors.append(str(error)))
                answer = page.goto(url)
                assert answer is not None and answer.status == 200
                received_bytes = len(answer.body())
                assert page.locator("html").get_attribute("lang") == "zh-CN"
                assert "金口河乌天麻（鲜）" in page.locator("h1").inner_text()
                verdict = page.locator(".verdict .headline")
                assert "温度超出要求" in verdict.inner_text()
                box = verdict.bounding_box()
                assert box is not None and box["y"] + box["height"] <= PHONE["height"], (
                    "the verdict is on the first screen"
                )
                assert page.get_by_text("已于 2026-05-06 18:10 恢复").first.is_visible()
                assert page.locator("svg polyline").count() >= 1
                legend = page.locator(".legend").inner_text()
                assert "温度（均值）" in legend and "超标时段" in legend and "要求范围" in legend
                times = page.locator("svg text").all_text_contents()
                assert "05-06 15:30" in times, times
                assert "1" in times, "the cold-store segment is numbered"
                assert "曲线断开处" not in page.content()
                assert page.locator("svg").bounding_box()["width"] <= PHONE["width"]  # type: ignore[index]
                photo = page.locator("figure img").first
                assert photo.get_attribute("loading") == "lazy"
                photo.scroll_into_view_if_needed()
                page.wait_for_function("() => document.querySelector('figure img').complete")
                # Sized before it loads: the space it takes is the photo's own shape.
                width, height = photo.get_attribute("width"), photo.get_attribute("height")
                assert width and height
                natural = photo.evaluate("img => [img.naturalWidth, img.naturalHeight]")
                if scripts:
                    assert abs(natural[0] / natural[1] - int(width) / int(height)) < 0.02
                if scripts:
                    shift = page.evaluate(LAYOUT_SHIFT)
                    assert shift < 0.01, f"the page shifts as it loads (CLS {shift})"
                    overflow = page.evaluate(
                        "() => document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 0, "the page scrolls sideways at 360 px"
                    page.screenshot(path=str(ARTIFACTS / "provenance-360.png"), full_page=True)
                context.close()
        finally:
            browser.close()
    assert console_errors == []
    assert requested and all(r.startswith(live_server + "/") for r in requested), requested
    pages = [r for r in requested if "/media/" not in r]
    assert len(pages) == 2, "one request per visit, photos aside: everything else is inline"
    assert received_bytes < PAGE_BUDGET_BYTES
