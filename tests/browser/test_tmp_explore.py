from playwright.async_api import expect

from tests.browser.support import open_phone


async def test_explore(browser, shop, artifacts):
    phone = await open_phone(browser, shop)
    page = phone.page
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    await expect(page.locator(".card").first).to_be_visible()
    await page.screenshot(path="/tmp/fakeapp/r-home.png")
    await page.goto(page.url.split("#")[0] + "#/p/PVB-BTA-6")
    await page.get_by_role("button", name="Hitung").click()
    await page.locator("input[name=m2]").fill("50")
    await page.get_by_role("button", name="Hitung").click()
    await page.wait_for_timeout(1000)
    await page.screenshot(path="/tmp/fakeapp/r-paving.png", full_page=True)
    await page.goto(page.url.split("#")[0] + "#/p/RTI-MNS-CKL")
    await page.wait_for_timeout(1000)
    await page.locator(".day[data-date='2026-11-28']").click()
    await page.wait_for_timeout(500)
    await page.screenshot(path="/tmp/fakeapp/r-bread.png", full_page=True)
    print(errors)
