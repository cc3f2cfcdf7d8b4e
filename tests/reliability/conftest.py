"""Fixtures of the attack suite: an emulator with a distinctive token, a running clock, the running bot."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.emulator.server import BotApiEmulator
from models.db import create_engine, create_session_factory
from models.migrate import upgrade
from models.services import catalogue_io
from tests.support.clock import FakeClock
from tests.support.harness import CATALOGUE, Harness, running_bot

# A token that cannot appear in any log line by accident: the privacy tests search for it.
TOKEN = "7310042:AAH-rutanMedanSecretTokenQz9"


class RunningClock(FakeClock):
    """A fake clock that also runs: it starts at a chosen time and moves on with the real one, so the outbox's
    leases, backoffs and flood pauses expire as they would in production."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self._started = time.monotonic()

    def __call__(self) -> datetime:
        return self.current + timedelta(seconds=time.monotonic() - self._started)

    def set_wib(self, *args: int) -> None:
        """Jumps to a WIB wall-clock time and runs on from there."""
        super().set_wib(*args)
        self._started = time.monotonic()


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A Bot API emulator on a free loopback port, accepting only TOKEN."""
    async with BotApiEmulator(token=TOKEN) as emu:
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
async def bot(emulator: BotApiEmulator, clock: RunningClock, sqlite_url: str) -> AsyncIterator[Harness]:
    """The real Application against the emulator, on SQLite, with the default catalogue and its schedules."""
    async with running_bot(emulator, sqlite_url, clock, with_jobs=True) as harness:
        yield harness


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[tuple[Path, AsyncEngine]]:
    """A migrated SQLite file with the default catalogue, and the test's own engine on it."""
    path = tmp_path / "bot.sqlite3"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    async with create_session_factory(engine).begin() as session:
        await catalogue_io.import_catalogue(session, CATALOGUE.read_text(encoding="utf-8"))
    yield path, engine
    await engine.dispose()
