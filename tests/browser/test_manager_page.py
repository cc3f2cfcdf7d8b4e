"""A manager opens the weekly dashboard in a real Chromium at 360 x 740, as Telegram would show it (the WebApp object
stubbed with initData signed for the test bot); a buyer who opens the same page reads a refusal and no figure."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from bot.texts.catalogues import catalogue
from models.people import Role
from tests.browser.support import BUYER, open_phone, shoot
from tests.miniapp.manager_support import MANAGER, two_weeks_of_orders
from tests.web.support import WebBot

BUDI = {"id": MANAGER, "first_name": "Budi", "language_code": "id"}
MANAGER_JS = Path(__file__).resolve().parents[2] / "bot" / "web" / "miniapp" / "static" / "manager.js"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_key_the_dashboard_reads_is_translated(lang: str) -> None:
    """A missing key would show as its name on the page (manager.js reads texts by literal key only)."""
    keys = set(re.findall(r"""["'](app_[a-z0-9_]+)["']""", MANAGER_JS.read_text(encoding="utf-8")))
    assert len(keys) > 10 and sorted(keys - catalogue(lang).texts) == []


async def test_a_manager_sees_the_weeks_revenue_and_steps_back_a_week(
    browser: Browser, shop: WebBot, artifacts: Path
) -> None:
    await shop.harness.add_staff(MANAGER, "Pak Budi", Role.MANAGER)
    await two_weeks_of_orders(shop)
    phone = await open_phone(browser, shop, user=BUDI, path="/app/manager?week=2026-W48")
    page = phone.page
    revenue = page.locator(".card.revenue .value")
    await expect(revenue).to_have_text("Rp35.000")
    await expect(page.locator(".card.revenue .sub")).to_have_text("+150% dari minggu lalu")
    await expect(page.locator("#title")).to_have_text("Dasbor mingguan")
    await expect(page.locator("#notice")).to_contain_text("belum selesai")  # the current week is not over
    await expect(page.locator(".chart rect")).to_have_count(7)
    friday = page.locator(".chart rect[data-date='2026-11-27']")
    assert int(await friday.get_attribute("height") or 0) > 80  # the only day with sales: the tallest bar
    await expect(page.locator(".section[data-key=split]")).to_contain_text("estimasi")
    await expect(page.locator("#next")).to_be_disabled()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    await shoot(phone, artifacts, "manager-light")
    await page.screenshot(path=str(artifacts / "manager-light-full.png"), full_page=True)

    await page.get_by_role("button", name="Minggu sebelumnya").click()
    await expect(page.locator("#week")).to_have_value("2026-W47")
    await expect(revenue).to_have_text("Rp14.000")
    await expect(page.locator("#notice")).to_be_hidden()
    assert "week=2026-W47" in page.url

    dark = await open_phone(browser, shop, user=BUDI, dark=True, path="/app/manager?week=2026-W48")
    await expect(dark.page.locator(".card.revenue .value")).to_have_text("Rp35.000")
    background = await dark.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 30, 39)"  # Telegram's dark secondary background
    await shoot(dark, artifacts, "manager-dark")


async def test_a_buyer_who_opens_the_dashboard_reads_a_refusal_and_no_figure(browser: Browser, shop: WebBot) -> None:
    await two_weeks_of_orders(shop)
    phone = await open_phone(browser, shop, user=BUYER, path="/app/manager?week=2026-W48")
    await expect(phone.page.locator("#notice")).to_have_text("Mohon maaf, halaman ini hanya untuk pimpinan.")
    await expect(phone.page.locator("#weeks")).to_be_hidden()
    assert "Rp" not in await phone.page.locator("body").inner_text()
