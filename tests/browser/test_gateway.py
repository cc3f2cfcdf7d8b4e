"""The Mini App in a real Chromium with PAYMENT_PROVIDER=midtrans: Midtrans down at Konfirmasi. The orders are
placed, the page and "Pesanan Saya" say politely that the code will come (no QR, no Bayar), and once the chat's
"Coba lagi" made the code, "Pesanan Saya" shows it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("playwright.async_api", reason="BROWSER TESTS NOT RUN: pip install -e '.[dev]' for playwright")

from playwright.async_api import Browser, expect

from bot.emulator.server import BotApiEmulator
from bot.midtrans_sandbox import MidtransSandbox
from models.order import OrderStatus
from tests.browser.conftest import _chromium
from tests.browser.support import BUYER, open_phone, qr_payload, seed_photos, shoot
from tests.browser.test_storefront import add_bread
from tests.gateway.conftest import sandbox  # noqa: F401  (the local Midtrans on the test's clock)
from tests.gateway.support import GatewayShop, gateway_shop, qr_text
from tests.reliability.conftest import RunningClock

WAITING = "belum bisa dibuat"


@pytest.fixture
async def midtrans_shop(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str, tmp_path: Path,
    sandbox: MidtransSandbox,  # noqa: F811
) -> AsyncIterator[GatewayShop]:
    """The bot taking payments through the sandbox, with the chocolate bun's two photos, on an SQLite file."""
    _chromium()
    async with gateway_shop(emulator, sqlite_url, clock, sandbox, media_dir=tmp_path / "media") as running:
        await seed_photos(running.bot, "RTI-MNS-CKL", "bread", 2)
        yield running


async def test_midtrans_down_at_konfirmasi_the_page_says_the_code_will_come_and_pesanan_saya_shows_it_later(
    browser: Browser, midtrans_shop: GatewayShop, artifacts: Path
) -> None:
    shop = midtrans_shop
    phone = await open_phone(browser, shop.bot)
    page = phone.page
    await add_bread(phone)
    await phone.bread_cart_to_summary()
    shop.sandbox.faults.api.server_errors(shop.gateway.attempts, calls=["charge"])
    await phone.press_main("Konfirmasi")

    card = page.locator(".pay-card[data-waiting]")
    await expect(card).to_have_count(1)
    [order] = await shop.orders()
    await expect(card).to_have_attribute("data-waiting", order.code)
    await expect(card).to_contain_text(WAITING)
    await expect(card).to_contain_text("Coba lagi")
    await expect(page.locator("img.qr")).to_have_count(0)
    await shoot(phone, artifacts, "gateway-down-payment")
    assert order.status is OrderStatus.AWAITING_PAYMENT and shop.sandbox.transactions == []

    await phone.press_main("Pesanan Saya")
    listed = page.locator(f".order[data-code='{order.code}']")
    await expect(listed).to_contain_text(WAITING)
    await expect(listed.get_by_role("button", name="Bayar")).to_have_count(0)

    chat = shop.bot.harness.emulator.user(BUYER["id"], BUYER["first_name"])
    apology = await chat.wait_for("Mohon maaf", timeout=30)  # through the outbox: patient on a loaded machine
    await chat.press("🔄 Coba lagi", message_id=apology.message_id)
    photo = await chat.wait_for_photo(timeout=15)
    assert photo.photo is not None
    [transaction] = shop.sandbox.transactions
    assert qr_text(photo.photo) == transaction.qr_string

    await page.reload()
    await phone.visit("#/orders")
    listed = page.locator(f".order[data-code='{order.code}']")
    await expect(listed).not_to_contain_text(WAITING)
    await listed.get_by_role("button", name="Bayar").click()
    shown = listed.locator("img.qr")
    await page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=await shown.element_handle())
    assert qr_payload(await shown.screenshot()) == transaction.qr_string
