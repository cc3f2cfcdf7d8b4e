"""Web-server fixtures: the emulator, a clock that runs, an SQLite file, and the bot running with its web server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.emulator.server import BotApiEmulator
from models.db import create_engine, create_session_factory
from models.migrate import upgrade
from models.services import catalogue_io
from tests.conftest import PG_ADMIN_URL
from tests.reliability.botprocess import BotProcess
from tests.reliability.conftest import RunningClock
from tests.support.harness import CATALOGUE
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


@pytest.fixture
async def own_pg_url(pg_url: str) -> AsyncIterator[str]:
    """A migrated PostgreSQL database of this test alone (it may be taken down), dropped after."""
    name = f"karya_web_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_size=1, max_overflow=0)
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture
async def installation(tmp_path: Path) -> AsyncIterator[tuple[Path, AsyncEngine]]:
    """A migrated SQLite file with the default catalogue, and the test's own engine on it."""
    path = tmp_path / "bot.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    async with create_session_factory(engine).begin() as session:
        await catalogue_io.import_catalogue(session, CATALOGUE.read_text(encoding="utf-8"))
    yield path, engine
    await engine.dispose()


@pytest.fixture
async def process(
    emulator: BotApiEmulator, installation: tuple[Path, AsyncEngine], tmp_path: Path
) -> AsyncIterator[BotProcess]:
    """`python -m bot run` on that installation (started by the test); stopped at the end if still running."""
    bot = BotProcess(emulator, installation[0], tmp_path)
    yield bot
    if bot.proc is not None:
        await bot.stop()
    assert emulator.token not in bot.output()
