"""Mini App fixtures: the real bot with its web server against the emulator (tests/web), on an SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.emulator.server import BotApiEmulator
from tests.miniapp.support import MiniApp
from tests.reliability.conftest import RunningClock
from tests.web.conftest import clock, emulator, own_pg_url, sqlite_url  # noqa: F401  (the web tests' fixtures, shared)
from tests.web.support import WebBot, web_bot


@pytest.fixture
async def shop_bot(emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str) -> AsyncIterator[WebBot]:  # noqa: F811
    """The bot polling the emulator, with its web server and the default catalogue."""
    async with web_bot(emulator, sqlite_url, clock) as bot:
        yield bot


@pytest.fixture
async def pg_shop_bot(
    emulator: BotApiEmulator, clock: RunningClock, own_pg_url: str  # noqa: F811
) -> AsyncIterator[WebBot]:
    """The same bot on a PostgreSQL database of its own."""
    async with web_bot(emulator, own_pg_url, clock) as bot:
        yield bot


@pytest.fixture
def siti(shop_bot: WebBot) -> MiniApp:
    """A buyer who opens the Mini App (Telegram user 1001)."""
    return MiniApp(shop_bot, 1001)
