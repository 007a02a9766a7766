"""The inspector console in headless Chromium at a phone's and a desktop's size: search, a
batch's chart and findings, the records in words, acknowledging an alarm."""

from collections.abc import Iterator
from datetime import timedelta

import psycopg
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page

from schemas.settings import Settings
from store.users import NewUserSecrets
from tests.fix_api import serving
from tests.inspect.cold_chain import (
    COLD_DEVICE,
    T0,
    add_readings,
    every_minute,
    move,
    new_batch,
    seed_district,
)
from watch.rounds import watch_once

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])



@pytest.fixture
def site(app: FastAPI) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.fixture
def warm_batch(db: psycopg.Connection) -> str:
    """A batch whose cold store ran warm for 40 minutes, then went onto a truck."""
    seed_district(db)
    lot = new_batch(db)
    move(db, lot, "TRUCK-01", T0 + timedelta(hours=3))
    add_readings(
        db, COLD_DEVICE,
        every_minute(T0, 180, lambda i: 8.5 if 60 <= i < 100 else 3.0),
    )  # fmt: skip
    return lot


def sign_in(page: Page, site: str, who: NewUserSecrets, then: str) -> None:
    page.goto(f"{site}{then}")
    page.fill("input[name=username]", who.user.username)
    page.fill("input[name=password]", who.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}{then}")


def _fits(page: Page) -> bool:
    """Nothing wider than the screen (wide tables scroll inside their own box)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


@VIEWPORTS
def test_an_inspector_finds_a_batch_and_sees_its_chart_and_findings(
    browser: Browser,
    site: str,
    warm_batch: str,
    inspector_user: NewUserSecrets,
    viewport: dict[str, int],
) -> None:
    page = browser.new_page(locale="zh-CN", viewport=viewport)
    sign_in(page, site, inspector_user, "/inspect")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.fill("input[name=lot]", warm_batch[:8])
    page.select_option("select[name=verdict]", "excursions")
    page.click("form[role=search] button[type=submit]")
    page.click(f"a:has-text('{warm_batch}')")
    page.wait_for_url(f"{site}/inspect/batches/{warm_batch}")
    assert page.title() == f"{warm_batch} · 监管检查工作台"
    assert page.locator("svg.temperature-chart rect.band").count() == 1
    assert page.locator("svg.temperature-chart rect.excursion").count() == 1
    assert page.locator("svg.temperature-chart polyline.mean").count() >= 1
    assert page.locator("svg.temperature-chart g.custody").count() == 2
    assert page.locator("tr.finding-excursion").count() == 1
    assert "温度超标" in page.locator("tr.finding-excursion").inner_text()
    assert "40 min" in page.locator("tr.finding-excursion").inner_text()
    # The truck's probe has no calibration on record: shown beside its data.
    assert "无校准记录" in page.locator("table.devices").inner_text()
    assert _fits(page)
    page.goto(f"{site}/inspect/batches/{warm_batch}?lang=en")
    assert page.locator("h2").first.inner_text() == "Temperature history"
    page.goto(f"{site}/inspect/audit?lang=zh")
    audit = page.locator("table.audit").inner_text()
    assert "收货登记" in audit and f"批次 {warm_batch}" in audit and "\\u" not in audit
    assert _fits(page)
    page.goto(f"{site}/inspect/events")
    assert page.locator("form[role=search] input[name=q]").is_visible()
    assert _fits(page)


@VIEWPORTS
def test_an_inspector_acknowledges_an_open_alarm_from_the_console(
    browser: Browser,
    site: str,
    warm_batch: str,
    inspector_user: NewUserSecrets,
    api_settings: Settings,
    clean_database: str,
    db: psycopg.Connection,
    viewport: dict[str, int],
) -> None:
    held = new_batch(db, at=T0 + timedelta(hours=3))
    add_readings(db, COLD_DEVICE, every_minute(T0 + timedelta(hours=3), 40, lambda i: 9.0))
    with psycopg.connect(clean_database, autocommit=True) as watcher:
        watch_once(watcher, api_settings, now=T0 + timedelta(hours=3, minutes=40))
    page = browser.new_page(locale="zh-CN", viewport=viewport)
    sign_in(page, site, inspector_user, "/inspect/alarms")
    row = page.locator("tr.alarm-excursion")
    assert row.count() == 1
    row.locator("input[name=comment]").fill("冷库门已关好 door closed")
    row.locator("button[type=submit]").click()
    page.wait_for_url(f"{site}/inspect/alarms")
    assert "冷库门已关好" in page.locator("tr.alarm-excursion").inner_text()
    assert held in page.locator("tr.alarm-excursion").inner_text()
    assert page.locator("tr.alarm-excursion form").count() == 0
    assert "确认人 inspector" in page.locator("tr.alarm-excursion").inner_text()
    assert _fits(page)
