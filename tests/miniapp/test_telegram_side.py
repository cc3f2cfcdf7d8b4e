"""The Mini App's doors in Telegram: the menu button, "Buka toko" on the welcome screen, and the demo's link."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, unquote

import pytest

from bot.demo_storefront import demo_link
from bot.emulator.server import BotApiEmulator
from bot.web.miniapp import initdata
from tests.flows.test_entrypoint import _bot, _env
from tests.reliability.conftest import RunningClock
from tests.support.eventually import eventually
from tests.web.support import WebBot, web_bot

SHOP = "https://toko.example/app"


@pytest.fixture
async def storefront_bot(emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str) -> AsyncIterator[WebBot]:
    """The bot with MINIAPP_URL set."""
    async with web_bot(emulator, sqlite_url, clock, miniapp_url=SHOP) as bot:
        yield bot


async def test_the_menu_button_and_the_welcome_screen_open_the_mini_app(storefront_bot: WebBot) -> None:
    emulator = storefront_bot.harness.emulator
    button = await eventually(lambda: emulator.state.menu_buttons.get(None), what="the bot's default menu button")
    assert button == {"type": "web_app", "text": "Toko", "web_app": {"url": SHOP}}
    user = emulator.user(1001, "Siti")
    await user.send("/start")
    welcome = await user.wait_for("Selamat datang")
    last_row = welcome.inline_rows[-1]
    assert last_row == [{"text": "🛍 Buka toko", "web_app": {"url": SHOP}}]
    assert "[🛍 Buka toko ↗]" in user.transcript()


async def test_without_an_https_address_there_is_no_mini_app_button(
    emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str
) -> None:
    async with web_bot(emulator, sqlite_url, clock, public_base_url="http://plain.example") as bot:
        assert bot.harness.services.settings.storefront_url is None
        user = emulator.user(1001, "Siti")
        await user.send("/start")
        welcome = await user.wait_for("Selamat datang")
        assert not any("web_app" in b for row in welcome.inline_rows for b in row)


def test_the_demo_link_carries_init_data_signed_for_the_demo_buyer() -> None:
    now = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    link = demo_link("http://127.0.0.1:8080/app", "42:demo-token", 700_001, "Budi", int(now.timestamp()))
    assert link.startswith("http://127.0.0.1:8080/app/#tgWebAppData=") and link.endswith("&tgWebAppVersion=8.0")
    fragment = dict(parse_qsl(link.split("#", 1)[1]))
    user = initdata.validate(fragment["tgWebAppData"], "42:demo-token", now)
    assert (user.id, user.first_name) == (700_001, "Budi")


def test_the_demo_prints_the_storefront_link_and_offers_buka_toko(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    script.write_text("/start\n", encoding="utf-8")
    result = _bot("demo", "--script", str(script), "--out", str(tmp_path / "out"), env=_env(tmp_path))
    assert result.returncode == 0, result.stderr
    found = re.search(r"(http://127\.0\.0\.1:\d+/app)/#tgWebAppData=(\S+)&tgWebAppVersion=8\.0", result.stdout)
    assert found is not None, result.stdout[:2000]
    assert '"id":700001' in unquote(unquote(found.group(2)))  # initData, URL-encoded once more in the fragment
    assert "🛍 Buka toko ↗" in result.stdout and "Traceback" not in result.stdout + result.stderr
