"""A buyer shops in the Mini App in a real Chromium, as a phone inside Telegram would show it: the real bot and its
web server against the emulator, Telegram's WebApp object stubbed with initData signed for the test bot."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

pytest.importorskip("playwright.async_api", reason="BROWSER TESTS NOT RUN: pip install -e '.[dev]' for playwright")

from playwright.async_api import Browser, expect
from sqlalchemy import select

from models.order import Family, Fulfilment
from models.people import Customer
from tests.browser.support import BUYER, Phone, open_desktop, open_phone, qr_payload, shoot
from tests.flows.buyer_dialogues import checkout_to_summary, orders, read_qr
from tests.miniapp.support import MiniApp, signed_contact
from tests.support.eventually import eventually
from tests.web.support import WebBot

BREAD = "Roti Manis Isi Cokelat"
PAVING = "Paving Bata/Holland"


async def customer_id(bot: WebBot, telegram_id: int) -> int | None:
    """The customer row of a Telegram user."""
    async with bot.harness.services.session_factory() as session:
        return await session.scalar(select(Customer.id).where(Customer.telegram_id == telegram_id))


async def choose_bread(phone: Phone, qty: int) -> None:
    """On the chocolate bun's page (both photos there): Saturday, the morning slot, a typed quantity."""
    page = phone.page
    await expect(page.get_by_role("heading", level=1)).to_contain_text(BREAD)
    await expect(page.locator(".photos img")).to_have_count(2)
    await expect(page.locator(".photo-count")).to_have_text("1/2")
    await page.locator(".day[data-date='2026-11-28']").click()
    await page.locator(".slot", has_text="10.00–12.00 WIB").click()
    field = page.locator(".stepper .qty")
    await field.fill(str(qty))
    await field.dispatch_event("change")


async def add_bread(phone: Phone, artifacts: Path | None = None, name: str = "") -> None:
    """Home -> Roti -> the chocolate bun -> Saturday, the morning slot, 12 -> Tambah ke keranjang."""
    page = phone.page
    await page.get_by_role("link", name="Roti", exact=True).click()
    await page.locator(".card", has_text=BREAD).click()
    await choose_bread(phone, 12)
    if artifacts:
        await shoot(phone, artifacts, f"{name}-product")
    await phone.press_main("Tambah ke keranjang")
    await expect(page.locator("#notice")).to_contain_text("Masuk keranjang")
    await expect(page.locator("#bar-count")).to_have_text("1")


async def add_paving(phone: Phone) -> None:
    """The paving calculator: 50 m2 -> Hitung -> the chat's echo -> Tambah ke keranjang."""
    page = phone.page
    await phone.visit("#/p/PVB-BTA-6")
    await page.get_by_role("tab", name="Luas m2").click()
    await page.locator("input[name=m2]").fill("50")
    await page.get_by_role("button", name="Hitung").click()
    echo = page.locator("#echo")
    await expect(echo).to_contain_text("2.310")  # ceil(50 m2 x 44 pcs x 1.05)
    await expect(echo).to_contain_text("Rp4.620.000")
    await phone.press_main("Tambah ke keranjang")
    await expect(page.locator("#bar-count")).to_have_text("2")


async def test_a_buyer_orders_bread_and_paving_and_pays_the_qr_shown_on_the_page(
    browser: Browser, shop: WebBot, artifacts: Path
) -> None:
    """Browse, add bread for a date and slot, compute 50 m2 of paving and add it, share the phone, pick up,
    Konfirmasi: the orders are in the database, each QR on the page is the one sent to the chat, and "Pesanan
    Saya" lists them."""
    phone = await open_phone(browser, shop)
    page = phone.page
    chat = shop.harness.emulator.user(BUYER["id"], BUYER["first_name"])

    await expect(page.locator(".card", has_text=BREAD)).to_be_visible()
    await expect(page.locator(".card").first.locator(".price")).to_contain_text("Rp")
    thumb = page.locator(".card", has_text=BREAD).locator("img")
    await expect(thumb).to_have_attribute("loading", "lazy")
    await expect(thumb).to_have_attribute("src", re.compile(r"^/app/photos/[0-9a-f]{64}\.jpg\?w=320$"))
    await page.wait_for_function("img => img.complete && img.naturalWidth === 320", arg=await thumb.element_handle())
    await expect(page.locator(".card", has_text="Roti Sobek").locator(".nophoto")).to_have_count(1)
    await shoot(phone, artifacts, "light-home")
    await add_bread(phone, artifacts, "light")
    assert await phone.calls("HapticFeedback.impactOccurred") == [["HapticFeedback.impactOccurred", "light"]]
    await add_paving(phone)

    await page.locator("#bar-cart").click()
    groups = page.locator(".group")
    await expect(groups).to_have_count(2)
    await expect(groups.nth(0)).to_contain_text("Sabtu, 28 November 2026")
    await expect(groups.nth(1)).to_contain_text("2.310")
    await shoot(phone, artifacts, "light-cart")
    await phone.press_main("Pesan sekarang")

    # Telegram asks for the contact; the page sends the signed string and goes on.
    await expect(page.locator(".consent")).to_contain_text("UU PDP")
    await phone.press_main("📱 Kirim nomor HP")
    await page.get_by_label("Ambil sendiri").check()
    await phone.press_main("Ringkasan pesanan")
    await expect(page.locator(".summary")).to_contain_text("Total")
    await phone.press_main("Konfirmasi")

    qrs = page.locator("img.qr")
    await expect(qrs).to_have_count(2)
    for i in range(2):
        await expect(qrs.nth(i)).to_have_js_property("complete", True)
        await page.wait_for_function("img => img.naturalWidth > 0", arg=await qrs.nth(i).element_handle())
    await expect(page.locator(".pay-card").first).to_contain_text("dikirim ke chat")
    assert await phone.calls("requestWriteAccess") == []  # she came from the bot's chat: nothing to ask
    await shoot(phone, artifacts, "light-payment")
    on_page = {qr_payload(await qrs.nth(i).screenshot()) for i in range(2)}

    placed = await orders(shop.harness)
    assert sorted(o.family for o in placed) == sorted([Family.BREAD, Family.PAVING])
    assert all(o.contact_phone and o.contact_phone.endswith("7890") for o in placed)
    bread = next(o for o in placed if o.family is Family.BREAD)
    assert [(line.product.sku, line.quantity) for line in bread.lines] == [("RTI-MNS-CKL", 12)]
    paving = next(o for o in placed if o.family is Family.PAVING)
    assert [(line.product.sku, line.quantity) for line in paving.lines] == [("PVB-BTA-6", 2310)]

    def photos() -> list[bytes]:
        return [m.photo for m in chat.inbox if m.photo is not None]

    await eventually(lambda: len(photos()) >= 2, timeout=10,
                     what=lambda: f"2 QR photos in the chat\n{chat.transcript()}")
    assert on_page == {read_qr(png).payload for png in photos()}

    await phone.press_main("Pesanan Saya")
    listed = page.locator(".order")
    await expect(listed).to_have_count(2)
    for order in placed:
        await expect(page.locator(f".order[data-code='{order.code}']")).to_contain_text("Menunggu")
    unpaid = page.locator(f".order[data-code='{bread.code}']")
    await unpaid.get_by_role("button", name="Bayar").click()  # the code again, from "Pesanan Saya"
    again = unpaid.locator("img.qr")
    await page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=await again.element_handle())
    assert qr_payload(await again.screenshot()) in on_page


async def test_a_buyer_from_a_shared_link_is_asked_once_to_let_the_bot_message_her_and_the_order_goes_on(
    browser: Browser, shop: WebBot
) -> None:
    """Someone who never started the bot opens the shop from a shared link: before Konfirmasi, Telegram asks whether
    the bot may message her (the QR photo, "Lunas", reminders); she declines, and the order is placed anyway."""
    stranger = {"id": 1002, "first_name": "Dewi", "language_code": "id"}  # no allows_write_to_pm
    phone = await open_phone(browser, shop, user=stranger)
    page = phone.page
    await page.evaluate("() => { const app = window.Telegram.WebApp, ask = app.requestWriteAccess;"
                        " app.requestWriteAccess = (answer) => ask(() => answer(false)); }")  # she says no
    await add_bread(phone)
    await phone.bread_cart_to_summary()
    assert await phone.calls("requestWriteAccess") == []  # not while browsing
    await phone.press_main("Konfirmasi")
    await expect(page.locator("img.qr")).to_have_count(1)
    assert len(await phone.calls("requestWriteAccess")) == 1
    [order] = await orders(shop.harness)
    assert [(line.product.sku, line.quantity) for line in order.lines] == [("RTI-MNS-CKL", 12)]


async def test_a_deep_link_opens_its_product_first(browser: Browser, shop: WebBot) -> None:
    """`?startapp=p_PVB-BTA-6` reaches the page as start_param: the paving calculator opens, with a back button."""
    phone = await open_phone(browser, shop, start_param="p_PVB-BTA-6")
    await expect(phone.page.get_by_role("heading", level=1)).to_contain_text(PAVING)
    await expect(phone.page.get_by_role("button", name="Hitung")).to_be_visible()
    await phone.page.wait_for_function("window.__tg.back.visible")
    await phone.page.evaluate("window.__tg.pressBack()")
    await expect(phone.page.locator(".card", has_text=BREAD)).to_be_visible()


async def test_the_dark_theme_follows_telegram(browser: Browser, shop: WebBot, artifacts: Path) -> None:
    """With Telegram's dark theme the page paints with its colours; screenshots of each screen in dark."""
    phone = await open_phone(browser, shop, dark=True)
    page = phone.page
    await expect(page.locator(".card", has_text=BREAD)).to_be_visible()
    assert await page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(21, 30, 39)"
    assert await page.evaluate("getComputedStyle(document.querySelector('.card')).backgroundColor") == "rgb(33, 45, 59)"
    assert await page.evaluate("getComputedStyle(document.querySelector('.card-name')).color") == "rgb(255, 255, 255)"
    await shoot(phone, artifacts, "dark-home")
    await add_bread(phone, artifacts, "dark")
    await page.locator("#bar-cart").click()
    await expect(page.locator(".group")).to_have_count(1)
    await shoot(phone, artifacts, "dark-cart")
    await phone.press_main("Pesan sekarang")
    await phone.press_main("📱 Kirim nomor HP")
    await phone.press_main("Konfirmasi")
    qr = page.locator("img.qr")
    await expect(qr).to_have_count(1)
    await page.wait_for_function("img => img.naturalWidth > 0", arg=await qr.element_handle())
    await shoot(phone, artifacts, "dark-payment")


async def test_the_demo_link_works_in_a_desktop_browser_without_telegram(browser: Browser, shop: WebBot) -> None:
    """Opened outside Telegram, the page reads initData from the link's hash, drops it from the address bar, and
    shows its own main button; the phone comes from the chat's contact key, and Konfirmasi places the order."""
    page = await open_desktop(browser, shop)
    main = page.locator("#main-btn")
    await expect(page.locator(".card", has_text=BREAD)).to_be_visible()
    assert "tgWebAppData" not in page.url
    await page.locator(".card", has_text="Kursi Kayu Jati").click()  # made to order: ready in 14 days
    await expect(page.locator(".facts")).to_contain_text("Dibuat sesuai pesanan, paling cepat siap")
    await expect(main).to_have_text("Tambah ke keranjang")
    await main.click()
    await expect(page.locator("#bar-count")).to_have_text("1")
    await page.reload()  # initData is kept for the tab: a reload stays signed in
    await expect(page.locator("#bar-count")).to_have_text("1")

    await page.locator("#bar-cart").click()
    await expect(main).to_have_text("Pesan sekarang")
    await main.click()
    await expect(page.locator("#phone-in-chat")).to_contain_text("Kirim nomor HP")
    chat = shop.harness.emulator.user(BUYER["id"], BUYER["first_name"])
    await chat.send("/start")
    await chat.wait_for("Selamat datang")
    await chat.press("Keranjang")
    await chat.wait_for("Kursi Kayu Jati")
    await checkout_to_summary(chat)
    await expect(main).to_have_text("Coba lagi")
    await main.click()
    await expect(main).to_have_text("Konfirmasi")
    await main.click()
    await page.wait_for_function("(document.querySelector('img.qr') || {}).naturalWidth > 0")
    [order] = await orders(shop.harness)
    assert [(line.product.sku, line.quantity) for line in order.lines] == [("MBL-KRS-01", 1)]


async def test_an_english_speaking_buyer_reads_the_shop_in_english(browser: Browser, shop: WebBot) -> None:
    """The page's words follow the buyer's language (from Telegram's language_code for a new buyer)."""
    phone = await open_phone(browser, shop, user={"id": 1002, "first_name": "John", "language_code": "en"})
    page = phone.page
    await expect(page.locator("#bar-orders")).to_have_text("My Orders")
    assert await page.evaluate("document.documentElement.lang") == "en"
    await page.locator(".card", has_text="Kursi Kayu Jati").click()
    await phone.press_main("Add to cart")
    await expect(page.locator("#bar-count")).to_have_text("1")


async def test_paving_delivered_to_an_address_typed_on_the_page(browser: Browser, shop: WebBot) -> None:
    """Paving by length x width, delivered: the address typed at checkout is the order's delivery address."""
    phone = await open_phone(browser, shop)
    page = phone.page
    await phone.visit("#/p/PVB-BTA-6")
    await page.get_by_role("tab", name="Panjang x lebar").click()
    await page.locator("input[name=length]").fill("10")
    await page.locator("input[name=width]").fill("5")
    await page.get_by_role("button", name="Hitung").click()
    await expect(page.locator("#echo")).to_contain_text("2.310")
    await phone.press_main("Tambah ke keranjang")
    await page.locator("#bar-cart").click()
    await phone.press_main("Pesan sekarang")
    await phone.press_main("📱 Kirim nomor HP")
    await page.get_by_label("Diantar").check()
    address = "Jl. Gatot Subroto No. 12, Kel. Sei Sikambing B, Kec. Medan Sunggal, Kota Medan"
    await page.locator("#address").fill(address)
    await phone.press_main("Ringkasan pesanan")
    await expect(page.locator(".summary")).to_contain_text("Medan Sunggal")
    await phone.press_main("Konfirmasi")
    await expect(page.locator("img.qr")).to_have_count(1)
    [order] = await orders(shop.harness)
    assert (order.fulfilment, order.delivery_address) == (Fulfilment.DELIVERY, address)


async def test_a_refusal_is_shown_as_the_server_wrote_it_and_changes_nothing(browser: Browser, shop: WebBot) -> None:
    """More buns than the slot has left: the chat's polite refusal is on the page, the cart stays empty."""
    phone = await open_phone(browser, shop)
    page = phone.page
    await phone.visit("#/p/RTI-MNS-CKL")
    await choose_bread(phone, 1000)
    await phone.press_main("Tambah ke keranjang")
    await expect(page.locator("#notice.error")).to_contain_text("Mohon maaf")
    await expect(page.locator("#bar-count")).to_be_hidden()
    assert (await phone.api("cart"))["count"] == 0


async def test_when_the_day_sells_out_before_konfirmasi_the_page_says_so_and_places_nothing(
    browser: Browser, shop: WebBot
) -> None:
    """Between the summary and Konfirmasi another buyer takes 235 of Saturday's 240 buns: the page shows the chat's
    refusal over a fresh summary, and no order of this buyer exists."""
    phone = await open_phone(browser, shop)
    page = phone.page
    await phone.visit("#/p/RTI-MNS-CKL")
    await choose_bread(phone, 12)
    await phone.press_main("Tambah ke keranjang")
    await phone.bread_cart_to_summary()

    other = MiniApp(shop, 2002, first_name="Rina")
    slots = (await other.ok("GET", "/app/api/products/RTI-MNS-CKL/slots?date=2026-11-28"))["slots"]
    morning = next(s["id"] for s in slots if s["label"].startswith("10.00"))
    body = {"sku": "RTI-MNS-CKL", "qty": 235, "date": "2026-11-28", "slot_id": morning}
    await other.ok("POST", "/app/api/cart", body, status=201)
    contact = signed_contact(shop.harness.emulator.token, 2002, shop.harness.clock())
    await other.ok("POST", "/app/api/phone", {"contact": contact})
    summary = await other.ok("POST", "/app/api/checkout/summary", {})
    await other.ok("POST", "/app/api/checkout/confirm", {"token": summary["token"]})

    await phone.press_main("Konfirmasi")
    await expect(page.locator("#notice.error")).to_contain_text("Mohon maaf")
    await expect(page.locator(".summary")).to_be_visible()
    assert [o.customer_id for o in await orders(shop.harness)] == [await customer_id(shop, 2002)]


async def test_a_day_old_launch_is_refused_politely_and_registers_nobody(browser: Browser, shop: WebBot) -> None:
    """initData signed 25 hours ago: the page shows the server's refusal, and no customer row is made."""
    phone = await open_phone(browser, shop, signed_at=shop.harness.clock() - timedelta(hours=25))
    await expect(phone.page.locator(".empty")).to_contain_text("sesi Bapak/Ibu tidak dapat diperiksa")
    await expect(phone.page.locator(".card")).to_have_count(0)
    assert await customer_id(shop, BUYER["id"]) is None
