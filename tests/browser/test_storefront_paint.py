"""The first paint does not wait for the network: the page's shell (header, cart icon, the grid's grey shapes) paints
from the HTML alone, and the first two API calls start before app.js has arrived (benchmark 8 measures the times)."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest

pytest.importorskip("playwright.async_api", reason="BROWSER TESTS NOT RUN: pip install -e '.[dev]' for playwright")

from playwright.async_api import Browser, BrowserContext, Route, expect

from tests.browser.support import open_phone
from tests.support.eventually import eventually
from tests.web.support import WebBot


class SlowLine:
    """Holds app.js back (still on its way on a slow line) and notes every API call the page makes."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.script = asyncio.Event()

    async def prepare(self, context: BrowserContext) -> None:
        """Routes the context's requests through this line."""
        await context.route("**/app/static/app.js", self._script)
        await context.route("**/app/api/**", self._api)

    async def _script(self, route: Route) -> None:
        await self.script.wait()
        await route.continue_()

    async def _api(self, route: Route) -> None:
        self.asked.append(urlsplit(route.request.url).path)
        await route.continue_()


async def test_the_shell_paints_and_the_first_calls_start_before_app_js_arrives(browser: Browser, shop: WebBot) -> None:
    line = SlowLine()
    phone = await open_phone(browser, shop, prepare=line.prepare, wait_until="commit")
    page = phone.page
    await eventually(lambda: sorted(line.asked) == ["/app/api/catalogue", "/app/api/session"],
                     what=lambda: f"the session and the catalogue asked for, got {line.asked}")
    await expect(page.locator("#bar-cart svg")).to_be_visible()  # contentful: the first paint has happened
    await expect(page.locator(".skeleton .card")).to_have_count(4)
    assert await page.evaluate("performance.getEntriesByName('first-contentful-paint').length") == 1
    assert await page.locator("#bar-title").text_content() == ""  # no words before the server's, in any language
    line.script.set()
    await expect(page.locator(".card[data-sku]").first).to_be_visible()
    await expect(page.locator("#bar-title")).to_have_text("Karya Binaan")
    await expect(page.locator(".skeleton")).to_have_count(0)
    assert sorted(line.asked) == ["/app/api/catalogue", "/app/api/session"]  # app.js took both answers over


async def test_a_product_link_asks_early_for_the_session_only(browser: Browser, shop: WebBot) -> None:
    line = SlowLine()
    line.script.set()
    phone = await open_phone(browser, shop, prepare=line.prepare, start_param="p_RTI-MNS-CKL")
    await expect(phone.page.get_by_role("heading", level=1)).to_contain_text("Roti Manis Isi Cokelat")
    assert line.asked == ["/app/api/session", "/app/api/products/RTI-MNS-CKL"]
