"""A phone in a browser: a 360 x 740 page of the Mini App with Telegram's WebApp object stubbed (initData and the
shared contact signed with the test bot's token), and the few gestures the tests make on Telegram's own buttons."""

from __future__ import annotations

import io
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, quote

import zxingcpp
from PIL import Image, ImageDraw
from playwright.async_api import Browser, BrowserContext, Page, Route, expect
from sqlalchemy import select

from bench.browser import PHONE
from models.catalog import Product
from models.images import prepare_image
from models.services import photos
from tests.miniapp.support import init_data, signed_contact
from tests.web.support import WebBot

STUB_FILE = Path(__file__).parent / "telegram_stub.js"

# Opens the shop from the bot's chat, so she has let the bot message her.
BUYER = {"id": 1001, "first_name": "Siti", "language_code": "id", "allows_write_to_pm": True}
BUYER_PHONE = "+6281234567890"

# Telegram's default themes (Android), as the client hands them to a Mini App.
LIGHT = {"bg_color": "#ffffff", "secondary_bg_color": "#f0f0f0", "text_color": "#222222", "hint_color": "#a8a8a8",
         "link_color": "#2678b6", "button_color": "#50a8eb", "button_text_color": "#ffffff",
         "section_bg_color": "#ffffff", "destructive_text_color": "#cc2929"}
DARK = {"bg_color": "#212d3b", "secondary_bg_color": "#151e27", "text_color": "#ffffff", "hint_color": "#7d8b99",
        "link_color": "#5eabe1", "button_color": "#5289c1", "button_text_color": "#ffffff",
        "section_bg_color": "#1d2733", "destructive_text_color": "#ee686f"}


@lru_cache(maxsize=1)
def _stub() -> str:
    """The recording Telegram.WebApp stub, read on first use (not when the module is imported)."""
    return STUB_FILE.read_text(encoding="utf-8")


@dataclass
class Phone:
    """The page and who it is signed for."""

    page: Page
    user: dict[str, Any]

    async def press_main(self, text: str) -> None:
        """Waits until Telegram's main button shows `text` and is usable, then presses it."""
        await self.page.wait_for_function(
            "t => window.__tg.main.visible && window.__tg.main.enabled && !window.__tg.main.progress"
            " && window.__tg.main.text === t", arg=text)
        await self.page.evaluate("window.__tg.pressMain()")

    async def main_text(self) -> str | None:
        """The main button's text while it is shown, else None."""
        return await self.page.evaluate("window.__tg.main.visible ? window.__tg.main.text : null")

    async def calls(self, name: str) -> list[list[Any]]:
        """The recorded calls of one WebApp method (e.g. "HapticFeedback.impactOccurred")."""
        return [c for c in await self.page.evaluate("window.__tg.calls") if c[0] == name]

    async def api(self, path: str) -> Any:
        """GET /app/api/<path> from the page, with its own credentials (what the page would read)."""
        return await self.page.evaluate("path => fetch('/app/api/' + path, {headers: {Authorization: 'tma ' + "
                                        "window.Telegram.WebApp.initData}}).then(r => r.json())", path)

    async def bread_cart_to_summary(self) -> None:
        """From the cart bar to the summary, for a cart of bread only (picked up, so no pickup-or-delivery question):
        Pesan sekarang, the phone shared through Telegram, then the summary with its total."""
        await self.page.locator("#bar-cart").click()
        await self.press_main("Pesan sekarang")
        await self.press_main("📱 Kirim nomor HP")
        await expect(self.page.locator(".summary")).to_contain_text("Total")

    async def visit(self, route: str) -> None:
        """Opens a route of the page (`#/p/SKU`), as a link inside it would."""
        await self.page.goto(self.page.url.split("#")[0] + route)


def signed_for(bot: WebBot, user: dict[str, Any], start_param: str | None = None,
               signed_at: datetime | None = None) -> tuple[str, str]:
    """initData and the shared contact as Telegram signs them for this bot and user, dated now by the bot's clock
    (or when `signed_at` says)."""
    token, now = bot.harness.emulator.token, signed_at or bot.harness.clock()
    extra = {"start_param": start_param} if start_param else {}
    data = init_data(token, user["id"], now, first_name=user["first_name"], language_code=user["language_code"],
                     allows_write_to_pm=user.get("allows_write_to_pm"), **extra)
    return data, signed_contact(token, user["id"], now, BUYER_PHONE)


def has_chat(bot: WebBot, user: dict[str, Any]) -> None:
    """The user's private chat with the bot exists in the emulator, as it does on Telegram for anyone who opened the
    Mini App from the bot: messages the bot queues for them arrive however early the outbox sends them."""
    bot.harness.emulator.user(user["id"], user["first_name"], language_code=user["language_code"])


async def open_phone(browser: Browser, bot: WebBot, *, user: dict[str, Any] = BUYER, dark: bool = False,
                     start_param: str | None = None, path: str = "/app/", signed_at: datetime | None = None,
                     prepare: Callable[[BrowserContext], Awaitable[None]] | None = None,
                     wait_until: Literal["commit", "load"] = "load") -> Phone:
    """A 360 x 740 touch page of the Mini App, opened from Telegram (the stub stands in for the SDK); `prepare` may
    route the context's requests before the page opens, and `wait_until="commit"` returns before the page loads."""
    has_chat(bot, user)
    data, contact = signed_for(bot, user, start_param, signed_at)
    unsafe = {k: json.loads(v) if k in ("user", "contact") else v for k, v in parse_qsl(data)}
    config = {"initData": data, "initDataUnsafe": unsafe,
              "colorScheme": "dark" if dark else "light", "themeParams": DARK if dark else LIGHT,
              "contact": contact,
              "contactUnsafe": {k: json.loads(v) if k == "contact" else v for k, v in parse_qsl(contact)}}
    context = await browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                        color_scheme="dark" if dark else "light", locale="id-ID")
    await context.add_init_script(_stub().replace("__CONFIG__", json.dumps(config)))
    await context.route("https://telegram.org/**", _empty_sdk)  # the stub is the SDK here; no outside requests
    if prepare is not None:
        await prepare(context)
    page = await context.new_page()
    await page.goto(bot.url(path), wait_until=wait_until)
    return Phone(page, user)


async def _empty_sdk(route: Route) -> None:
    """Answers the SDK's URL with an empty script."""
    await route.fulfill(status=200, content_type="application/javascript", body="")


def qr_payload(png: bytes) -> str:
    """The text of the one QR code in a picture."""
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
    payloads = {f.text for f in found}
    assert len(payloads) == 1, f"expected one QR code, found {len(found)}"
    return payloads.pop()


async def shoot(phone: Phone, artifacts: Path, name: str) -> Path:
    """A screenshot of the phone's screen into the artefacts folder."""
    path = artifacts / f"{name}.png"
    await phone.page.screenshot(path=str(path), animations="disabled")
    return path


async def open_desktop(browser: Browser, bot: WebBot, user: dict[str, Any] = BUYER) -> Page:
    """The demo link opened in a desktop browser: no Telegram SDK, initData in the address's hash."""
    has_chat(bot, user)
    context = await browser.new_context(viewport={"width": 1024, "height": 768})
    await context.route("https://telegram.org/**", _empty_sdk)
    page = await context.new_page()
    await page.goto(bot.url("/app/#tgWebAppData=" + quote(signed_for(bot, user)[0], safe="") + "&tgWebAppVersion=8.0"))
    return page


def product_picture(kind: str, seed: int = 0) -> bytes:
    """A plain drawing standing in for a workshop photo: buns on a tray, or a paving pattern."""
    image = Image.new("RGB", (800, 600), (244, 232, 210) if kind == "bread" else (200, 200, 196))
    draw = ImageDraw.Draw(image)
    if kind == "bread":
        for n, (x, y) in enumerate([(90, 120), (330, 100), (560, 140), (200, 330), (450, 340)]):
            draw.ellipse((x, y, x + 190 + 10 * seed, y + 140), fill=(176 - 8 * n, 104, 48), outline=(120, 70, 30),
                         width=6)
    else:
        for row in range(0, 600, 60):
            for col in range(-100 * (row // 60 % 2), 800, 200):
                draw.rectangle((col + 4, row + 4, col + 196, row + 56), fill=(120 + 12 * seed, 120, 124))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


async def seed_photos(bot: WebBot, sku: str, kind: str, count: int = 1) -> None:
    """Gives a product photos through the photo service, as the manager's chat would."""
    services = bot.harness.services
    async with services.session_factory.begin() as session:
        product_id = await session.scalar(select(Product.id).where(Product.sku == sku))
        assert product_id is not None
        for n in range(count):
            picture = prepare_image(product_picture(kind, n))
            await photos.add_photo(session, product_id, picture, services.media.save(picture), now=bot.harness.clock())
