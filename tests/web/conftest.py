"""Web-server fixtures: the emulator, a clock that runs, an SQLite file, and the bot running with its web server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.emulator.server import BotApiEmulator
from tests.reliability.conftest import RunningClock
from tests.web.support import WebBot, web_bot


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A Bot API emulator on a free loopback port."""
    async with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
def clock() -> RunningClock:
    """Friday 27 November 2026, 10.00 WIB (before the bread cut-off for Saturday), running on."""
    fake = RunningClock.__new__(RunningClock)
    fake.set_wib(2026, 11, 27, 10, 0)
    return fake


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file for the bot."""
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"


@pytest.fixture
async def polling_bot(emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str) -> AsyncIterator[WebBot]:
    """The bot in long-polling mode, with its web server."""
    async with web_bot(emulator, sqlite_url, clock) as bot:
        yield bot


@pytest.fixture
async def webhook_bot(emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str) -> AsyncIterator[WebBot]:
    """The bot in webhook mode: the emulator delivers every update to POST /telegram."""
    async with web_bot(emulator, sqlite_url, clock, webhook=True) as bot:
        yield bot
