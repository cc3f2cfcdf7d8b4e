"""Flow-test fixtures: the emulator, a fake clock and the running bot on an SQLite file (also with unique codes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.emulator.server import BotApiEmulator
from models.people import Line, Role
from tests.flows.staff_helpers import ensure_jobs
from tests.support.clock import FakeClock
from tests.support.harness import Harness, running_bot

STAFF = 501  # the baker of the unique-code flows


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    """A Bot API emulator on a free loopback port."""
    async with BotApiEmulator() as emu:
        yield emu


@pytest.fixture
def clock() -> FakeClock:
    """Friday 27 November 2026, 10.00 WIB: before the bread cut-off for Saturday."""
    fake = FakeClock.__new__(FakeClock)
    fake.set_wib(2026, 11, 27, 10, 0)
    return fake


@pytest.fixture
async def bot(emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    """The real Application running against the emulator with the default catalogue."""
    async with running_bot(emulator, f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", clock) as harness:
        yield harness


@pytest.fixture
async def coded(emulator: BotApiEmulator, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot with unique codes on (QRIS_UNIQUE_CODE), its jobs (the outbox dispatcher) running, and a baker."""
    async with running_bot(emulator, f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}", clock,
                           qris_unique_code=True) as harness:
        ensure_jobs(harness)
        await harness.add_staff(STAFF, "Rina", Role.STAFF, Line.BAKERY)
        yield harness
